import Foundation
@testable import SafeguardServer
@testable import SafeguardCore
import Testing
import Vapor

/// Auditors search the audit log without seeing protected values; analysts see aggregate figures,
/// never a person.
@Suite struct OversightTests {
    @Test func analystsSeeFiguresAndNeverAPerson() async throws {
        try await TestService.with { service in
            var encounters: [String] = []
            for _ in 0..<6 {
                let person = try await service.createPerson()
                encounters.append(try await service.openEncounter(person, asOf: "2026-01-15").decode(EncounterView.self).id.uuidString)
            }
            for _ in 0..<5 {
                let closed = try await service.openEncounter(try await service.createPerson(), asOf: "2026-01-15").decode(EncounterView.self).id.uuidString
                #expect(try await service.send(.POST, "/api/v1/encounters/\(closed)/enforcement-action", as: "officer@NYC").status == .ok)
            }
            let lax = try await service.createPerson(as: "officer@LAX")
            _ = try await service.openEncounter(lax, asOf: "2026-01-15", as: "officer@LAX")
            for path in ["/api/v1/people", "/api/v1/encounters", "/api/v1/encounters/\(encounters[0])", "/api/v1/people/\(lax)/filings"] {
                #expect(try await service.send(.GET, path, as: "analyst@NYC").status == .forbidden, "\(path)")
            }
            let figures = try await service.send(.GET, "/api/v1/statistics", as: "analyst@NYC")
            #expect(figures.status == .ok)
            let body = try figures.decode(StatisticsController.StatisticsBody.self)
            let cells = body.encounters
            #expect(cells.first { $0.group == ["office": "NYC", "status": "open"] }?.count == 6)
            // One encounter in Los Angeles: too few to show, label and all; and the smallest group
            // shown beside it (five closed in New York) is left out too, so that the total of the
            // decisions minus the encounters shown tells six, not Los Angeles' one.
            #expect(!cells.contains { $0.group["office"] == "LAX" })
            #expect(!cells.contains { $0.group["status"] == "action-recorded" })
            let total = body.currentDecisions.reduce(0) { $0 + $1.count }
            #expect(total == 12 && total - cells.reduce(0) { $0 + $1.count } == 6)
            #expect(!figures.text.contains(encounters[0]) && !figures.text.contains("Doe"))
            #expect(try await service.send(.GET, "/api/v1/statistics", as: "officer@NYC").status == .forbidden)
        }
    }

    @Test func auditorsSearchTheLogByUserRecordAndTime() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson(aNumber: "A918273641")
            let encounter = try await service.openEncounter(person, asOf: "2026-01-15").decode(EncounterView.self).id.uuidString
            #expect(try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "supervisor@NYC").status == .ok)
            try await service.integrateAudit()  // as the server's sequencer does within its interval
            let byRecord = try await service.send(.GET, "/api/v1/audit-records?object=encounter/\(encounter)", as: "auditor@NYC")
            #expect(byRecord.status == .ok)
            let items = try byRecord.decode(PageBody<AuditLogController.AuditRecordBody>.self).items
            #expect(Set(items.map(\.username)) == ["officer-nyc", "supervisor-nyc"])
            #expect(items.allSatisfy { $0.object == "encounter/\(encounter)" })
            let byUser = try await service.send(.GET, "/api/v1/audit-records?username=supervisor-nyc&object=encounter/", as: "auditor@NYC")
            #expect(try byUser.decode(PageBody<AuditLogController.AuditRecordBody>.self).total == 1)
            let future = try await service.send(.GET, "/api/v1/audit-records?from=2999-01-01", as: "auditor@NYC")
            #expect(try future.decode(PageBody<AuditLogController.AuditRecordBody>.self).total == 0)
            #expect(try await service.send(.GET, "/api/v1/audit-records?from=yesterday", as: "auditor@NYC").status == .unprocessableEntity)
            #expect(!byRecord.text.contains("A918273641") && !byRecord.text.contains("Doe"))
            // Only auditors and admins search, and each search is itself recorded.
            #expect(try await service.send(.GET, "/api/v1/audit-records", as: "officer@NYC").status == .forbidden)
            #expect(try await service.count("audit_records WHERE object = 'audit-log' AND username = 'auditor-nyc'") == 3)
        }
    }

    /// "Who looked at this person" in one search: every record about a case names its person —
    /// reads, writes, the gate's refusal and another office's refused reads — and nothing else does.
    @Test func oneSearchFindsEveryRecordAboutAPerson() async throws {
        try await TestService.with { service in
            let (person, encounter) = try await AuditChainTests.work(service)
            let other = try await service.createPerson()
            #expect(try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@LAX").status == .notFound)
            #expect(try await service.send(.GET, "/api/v1/people/\(person)", as: "officer@LAX").status == .notFound)
            #expect(try await service.send(.GET, "/api/v1/people?aNumber=A918273640", as: "officer@LAX").status == .ok)
            let beyond = try await service.send(.GET, "/api/v1/people?aNumber=A918273640&page=2", as: "officer@LAX")
            #expect(try beyond.decode(PageBody<PersonView>.self).total == 1, "a page past the one person still tells they exist")
            #expect(try await service.send(.GET, "/api/v1/encounters/\(encounter)/steps", as: "supervisor@NYC").status == .ok)

            try await service.integrateAudit()  // as the server's sequencer does within its interval
            let found = try await service.send(.GET, "/api/v1/audit-records?person=\(person)&per=100", as: "auditor@NYC")
            let items = try found.decode(PageBody<AuditLogController.AuditRecordBody>.self).items
            let kinds = Set(items.map { String($0.object.prefix { $0 != "/" }) })
            #expect(kinds.isSuperset(of: ["person", "filing", "encounter", "step", "decision", "a-number"]), "\(kinds)")
            #expect(items.contains { $0.action == "denial" && $0.office == "NYC" && $0.object == "encounter/\(encounter)" }, "the gate's refusal")
            #expect(items.filter { $0.action == "denial" && $0.office == "LAX" }.count == 2, "another office's refused reads")
            #expect(items.filter { $0.action == "read" && $0.office == "LAX" && $0.object == "a-number/A918273640" }.count == 2)
            // Every record about a case in the whole chain names its person, and the right one.
            var records: [AuditRecord] = []
            try await AuditChain.forEachRecord(on: service.app.db) { records.append($0) }
            let caseKinds = ["person/", "filing/", "encounter/", "step/", "decision/", "follow-up/", "a-number/"]
            let aboutCases = records.filter { record in caseKinds.contains { record.object.hasPrefix($0) } }
            let unnamed = aboutCases.filter { $0.subject == nil }.map(\.object)
            #expect(unnamed.isEmpty, "records about a case that name no person: \(unnamed)")
            #expect(items.count == aboutCases.filter { $0.subject == person }.count)
            #expect(aboutCases.filter { $0.subject == other }.map(\.object) == ["person/\(other)"])
            #expect(records.filter { !caseKinds.contains(where: $0.object.hasPrefix) }.allSatisfy { $0.subject == nil })
            #expect(try await AuditChainTests.verify(service).isClean)

            let invalid = try await service.send(.GET, "/api/v1/audit-records?person=someone", as: "auditor@NYC")
            #expect(try invalid.status == .unprocessableEntity && invalid.problem.errors?.first?.path == "person")
            var auditor = PageBrowser(service: service)
            _ = try await auditor.signIn("auditor-nyc")
            try await service.integrateAudit()  // as the server's sequencer does within its interval
            let page = try await auditor.get("/audit?person=\(person)")
            #expect(page.status == .ok && page.text.contains("<a href=\"/audit?person=\(person)\">\(person)</a>"))
            #expect(page.text.contains("\(items.count) records match"), "the searches themselves are about no person")
        }
    }
}
