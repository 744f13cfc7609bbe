import Fluent
import Foundation
import PolicyEngine
@testable import SafeguardCore
import SafeguardPasswords
@testable import SafeguardServer
import SafeguardTestSupport
import SQLKit
import Testing

/// A draft policy tried on the stored population before it takes effect: every open encounter
/// decided with the policies in force and with the draft added, nothing stored but the audit
/// record of the asking (on SQLite and, with SAFEGUARD_TEST_POSTGRES_URL, PostgreSQL).
@Suite struct DraftImpactTests {
    @Test func aDraftRestoringTheRefrainChangesExactlyWhatTheEngineSaysAndStoresNothing() async throws {
        try await TestService.with(seedUsers: false) { service in
            let (workflow, database, users) = (service.app.safeguard.workflow, service.app.db, service.app.safeguard.users)
            _ = try await DemoSeeder(workflow: workflow, users: users).seed(password: { GeneratedSecret.password() }, on: database)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drafts-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try DraftFixture.write(to: folder)
            let withDraft = try RuleSet.load(from: Fixtures.policySources, drafts: folder)
            let tests = try RuleTests.load(from: [folder])
            #expect(tests.failures(against: withDraft).isEmpty && withDraft.rules.filter { $0.policyID == DraftFixture.id }.allSatisfy { tests.untested($0).isEmpty })

            // What the per-case engine says of each open encounter, the way the gate reads it.
            let day = DraftFixture.firstDay
            var expected: [UUID: (String, String)] = [:]
            // Listed: a change in what a decision shows to everyone, of an office the lister reaches.
            var listable: Set<UUID> = []
            let open = try await Encounter.query(on: database).filter(\.$status == Encounter.open).all()
            for encounter in open {
                var facts = try await workflow.facts(for: encounter, on: database)
                facts.asOf = day
                let (before, after) = (workflow.ruleSet.evaluate(facts), withDraft.evaluate(facts))
                let parts = DraftImpact.changedParts(before, after)
                if !parts.isEmpty {
                    expected[try encounter.requireID()] = (before.disposition.spelling, after.disposition.spelling)
                }
                if parts.contains("disposition") || parts.contains("requiredSteps") { listable.insert(try encounter.requireID()) }
            }
            #expect(!expected.isEmpty && expected.values.contains { $0.1 == "refrain" }, "the demo holds encounters the refrain changes")

            let admin = try #require(try await users.user(named: "admin-nyc", on: database).actor)
            let stored = try await Self.storedRecords(service)
            let audited = try await service.count("audit_records")
            let listed = Listed()
            let reevaluator = Reevaluator(workflow: workflow, batchSize: 7)
            let impact = try await reevaluator.impact(of: withDraft, asOf: day, by: admin, on: database) { listed.changes.append($0) }
            #expect(impact.total == .init(encounters: open.count, changed: expected.count))
            #expect(Set(listed.changes.map(\.encounterId)) == listable && listed.changes.count == listable.count, "an admin reaches every office")
            #expect(listed.changes.allSatisfy { !$0.changed.isEmpty && Set($0.changed).isSubset(of: ["disposition", "requiredSteps"]) })
            for change in listed.changes {
                let wanted = expected[change.encounterId]
                #expect(wanted.map { ($0.0, $0.1) == (change.before, change.after) } == true, "\(change)")
            }
            #expect(impact.byOffice.values.map(\.changed).reduce(0, +) == expected.count && impact.byMonthAndOffice.values.map(\.encounters).reduce(0, +) == open.count)
            #expect(impact.diff.rules["+\(DraftFixture.refrainRule)"] == expected.values.filter { $0.1 == "refrain" }.count)
            #expect(try await Self.storedRecords(service) == stored, "every table but the audit records is as it was")
            #expect(try await service.count("audit_records") == audited + 1, "the asking, recorded")

            // The day before the draft takes effect nothing changes; figures in aggregate for an
            // analyst, the list only for supervisors and admins.
            let analyst = try #require(try await users.user(named: "analyst-nyc", on: database).actor)
            #expect(try await reevaluator.impact(of: withDraft, asOf: day.previousDay, by: analyst, on: database).total.changed == 0)
            await #expect(throws: WorkflowError.self) { try await reevaluator.impact(of: withDraft, asOf: day, by: analyst, on: database) { _ in } }
            let officer = try #require(try await users.user(named: "officer-nyc", on: database).actor)
            await #expect(throws: WorkflowError.self) { try await reevaluator.impact(of: withDraft, asOf: day, by: officer, on: database) }
        }
    }

    /// The page shows the figures the core computes, small groups left out; supervisors and admins
    /// download the list, analysts may not; a draft with a mistake comes back with it at its place.
    @Test func analystsTryADraftFromThePage() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("drafts-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try DraftFixture.write(to: folder)
        try await TestService.with(seedUsers: false, offeredDrafts: [folder]) { service in
            let (workflow, database, users) = (service.app.safeguard.workflow, service.app.db, service.app.safeguard.users)
            let seeded = try await DemoSeeder(workflow: workflow, users: users).seed(password: { "correct horse battery" }, on: database)
            #expect(seeded.encounters > 0)
            let name = "\(DraftFixture.id).yaml"
            let draft = try [UInt8](Data(contentsOf: folder.appendingPathComponent(name)))
            let withDraft = try RuleSet.load(from: Fixtures.policySources, drafts: folder)
            let admin = try #require(try await users.user(named: "admin-nyc", on: database).actor)
            let impact = try await Reevaluator(workflow: workflow).impact(of: withDraft, asOf: DraftFixture.firstDay, by: admin, on: database)
            let figures = impact.figures
            #expect(!figures.monthsAndOffices.isEmpty, "the demo has a month and office with five or more encounters the draft changes")

            var analyst = PageBrowser(service: service)
            _ = try await analyst.signIn("analyst-nyc")
            let form = try await analyst.get("/policies/drafts")
            #expect(form.status == .ok && form.text.contains(#"enctype="multipart/form-data""#) && !form.text.contains(#"value="list""#))
            let fields = [("asOf", "\(DraftFixture.firstDay)"), ("format", "page")]
            // The draft reads filings: uploaded, it is not an analyst's to try; offered by the service, it is.
            let uploaded = try await analyst.post("/policies/drafts", fields: fields, files: [("files[]", name, draft)])
            #expect(uploaded.status == .forbidden && uploaded.text.contains("\(DraftFixture.refrainRule) read filings"), "\(uploaded.text.prefix(800))")
            let shown = try await analyst.post("/policies/drafts", fields: fields + [("offered", "0")], files: [])
            #expect(shown.status == .ok, "\(shown.text.prefix(600))")
            for cell in figures.monthsAndOffices {
                #expect(shown.text.contains(#"<td data-label="Month">\#(cell.group["month"]!)</td><td data-label="Office">\#(cell.group["office"]!)</td><td data-label="Would change">\#(cell.count)</td>"#))
            }
            #expect(shown.text.contains("Now applies: Absent exceptional circumstances"))
            #expect(shown.text.contains("<svg") == !figures.monthsAndOffices.isEmpty, "a chart of the groups shown, none without")
            let rows = shown.text.components(separatedBy: "<tr><td").count - 1
            #expect(rows == figures.transitions.count + figures.rules.count + figures.monthsAndOffices.count, "only the figures shown in aggregate")
            let listed = try await analyst.post("/policies/drafts", fields: [("asOf", "\(DraftFixture.firstDay)"), ("format", "list"), ("offered", "0")], files: [])
            #expect(listed.status == .forbidden && listed.text.contains("listed to supervisors and admins"), "the list is not an analyst's")

            var supervisor = PageBrowser(service: service)
            _ = try await supervisor.signIn("supervisor-nyc", purpose: "law-enforcement")
            _ = try await supervisor.get("/policies/drafts")
            #expect(try await supervisor.post("/policies/drafts", fields: fields, files: [("files[]", name, draft)]).text.contains("What would change"),
                    "a supervisor stating the purpose tries an upload that reads filings")
            let broken = try await analyst.post("/policies/drafts", fields: fields,
                                                files: [("files[]", name, Array(String(decoding: draft, as: UTF8.self).replacingOccurrences(of: "hasKnownLiveFiling &&", with: "hasKnownLiveFilings &&").utf8))])
            #expect(broken.status == .unprocessableEntity && broken.text.contains("There is a problem") && broken.text.contains("\(name):"), "\(broken.text.prefix(800))")
            let shadow = try await analyst.post("/policies/drafts", fields: fields, files: [("files[]", "usc-8-1367.yaml", draft)])
            #expect(shadow.status == .unprocessableEntity && shadow.text.contains("a draft has the name of a policy file in force"))

            // The draft the server was started with, chosen instead of uploaded.
            let offered = try await supervisor.get("/policies/drafts")
            #expect(offered.text.contains(#"<option value="0">\#(folder.lastPathComponent)</option>"#))
            let list = try await supervisor.post("/policies/drafts", fields: [("asOf", "\(DraftFixture.firstDay)"), ("format", "list"), ("offered", "0")], files: [])
            #expect(list.status == .ok && list.headers.first(name: .contentDisposition)?.contains("attachment") == true)
            let changes = try list.text.split(separator: "\n").map { try JSONDecoder().decode(DraftImpact.Change.self, from: Data($0.utf8)) }
            let supervisorActor = try #require(try await users.user(named: "supervisor-nyc", on: database).actor)
            let theirs = Listed()
            _ = try await Reevaluator(workflow: workflow).impact(of: withDraft, asOf: DraftFixture.firstDay, by: supervisorActor, on: database) { theirs.changes.append($0) }
            #expect(changes == theirs.changes && !changes.isEmpty && changes.allSatisfy { $0.office == "NYC" }, "their own office's encounters only")
        }
    }

    @Test func theChartStacksEachMonthsOfficesToScale() throws {
        let cells = [("2026-11", "LAX", 5), ("2026-12", "LAX", 5), ("2026-12", "NYC", 15)].map { DraftImpactPageController.MonthAndOffice(month: $0.0, office: $0.1, count: $0.2) }
        let svg = try #require(DraftImpactChart.svg(cells))
        #expect(svg.components(separatedBy: "<rect ").count == 1 + 3 + 2, "a segment each, and a legend key per office")
        #expect(svg.contains("<title>2026-12, NYC: 15</title>") && svg.contains(#"role="img""#) && svg.contains(">20</text>"), "the month's total above its bar")
        #expect(svg.contains(#"height="150.0""#) && svg.contains(#"height="50.0""#), "segments to scale: \(svg)")
        #expect(DraftImpactChart.svg([]) == nil)
    }

    /// Every table's rows but the audit chain's, as comparable text: counts, and the versions and
    /// links that a write would move.
    static func storedRecords(_ service: TestService) async throws -> [String] {
        let sql = service.app.db as! any SQLDatabase
        var figures: [String] = []
        for table in ["people", "benefit_filings", "encounters", "step_records", "evidence", "decisions", "follow_ups", "hotline_calls", "registrations",
                      "registration_channels", "notifications", "custody_events", "users", "api_tokens", "reevaluation_runs", "gateway_health"] {
            figures.append("\(table) \(try await service.count(table))")
        }
        for row in try await sql.raw("SELECT id, version, facts_version, status FROM encounters ORDER BY id").all() {
            figures.append("encounter \(try row.decode(column: "id", as: UUID.self)) \(try row.decode(column: "version", as: Int.self)) \(try row.decode(column: "status", as: String.self))")
        }
        for row in try await sql.raw("SELECT id, superseded_by FROM decisions ORDER BY id").all() {
            figures.append("decision \(try row.decode(column: "id", as: UUID.self)) \(String(describing: try row.decode(column: "superseded_by", as: UUID?.self)))")
        }
        return figures
    }
}

/// The changed encounters a run lists, in order.
private final class Listed: @unchecked Sendable {
    var changes: [DraftImpact.Change] = []
}
