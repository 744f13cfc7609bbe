import Foundation
import PolicyEngine
import SQLKit
@testable import SafeguardCore
@testable import SafeguardServer
import Testing
import Vapor

/// 8 U.S.C. § 1367 by construction: canaries planted in every protected field of a protected
/// person reach only a user whose role is entitled to them and who states a purpose that role
/// may state; every route, every role, every purpose. Each withheld read is in the audit chain.
@Suite struct ConfidentialityTests {
    static let receipt = "Canary-receipt-01", statement = "canary-statement", summary = "Canary verification summary"
    static let justification = "Canary justification for expedited adjudication"
    /// The answer a filing-status source gave, kept on the filing it verified.
    static let sourceAnswer = "Canary source answer"
    /// What a step found and with whom: a deconfliction's outcome, the agency contacted, and the
    /// system a verification checked.
    static let steps = ["Canary deconfliction summary", "Canary agency contact", "Canary-CLAIMS"]
    /// The hotline's protected data: a caller, what they said, a registrant and their contact.
    static let hotline = ["Canary Caller", "Canary narrative", "Canary Registrant", "+15557770000"]
    /// What reveals the filing even without a canary: the rules and duty that name it, as the
    /// API spells them and as pages say them.
    static let refrainRule = TestService.ruleSet.rule(id: "ice-directive-11005.3/refrain-known-beneficiary")!.description
    static let revealing = ["refrain-known-beneficiary", "section-1367-confidentiality", "expedited-adjudication-request",
                            refrainRule, "T, U and VAWA information confidential", ReliefOption.expeditedAdjudicationRequest.label]

    /// A protected person (a pending U petition, verified) detained under 11005.3, with a
    /// canary in every free-text protected field.
    static func plant(_ service: TestService) async throws -> (person: String, encounter: String) {
        let purpose = [("Safeguard-Purpose", "law-enforcement")]
        let person = try await service.createPerson()
        let filing = try await service.send(.POST, "/api/v1/people/\(person)/filings", as: "officer@NYC",
                                            json: #"{"type": "U", "role": "principal", "status": "pending", "receiptNumber": "\#(receipt)"}"#, headers: purpose)
        let filingID = try filing.decode(FilingView.self).id.uuidString
        let encounter = try await service.openEncounter(person, action: "detention", asOf: "2023-05-01", extra: """
        , "detained": true, "victimIndicia": ["protection-order"], "information": [{"id": "\(statement)", "source": "abuser", "adverse": true}]
        """).decode(EncounterView.self).id.uuidString
        #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "officer@NYC", json: """
        {"step": "benefit-verification", "summary": "\(summary)", "counterpart": "\(steps[2])", "filingId": "\(filingID)", "outcome": "confirmed"}
        """, headers: purpose).status == .created)
        // As a verification at the source keeps it (`CaseWorkflow.verifyAtSource`).
        try await CaseRecords.sqlDatabase(service.app.db).raw("UPDATE benefit_filings SET verification_answer = \(bind: sourceAnswer) WHERE id = \(bind: UUID(uuidString: filingID)!)").run()
        #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "officer@NYC", json: """
        {"step": "law-enforcement-deconfliction", "summary": "\(steps[0])", "counterpart": "\(steps[1])"}
        """, headers: purpose).status == .created)
        #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/follow-ups", as: "officer@NYC", json: """
        {"kind": "expedited-adjudication-request", "recipient": "USCIS Vermont Service Center", "justification": "\(justification)"}
        """, headers: purpose).status == .created)
        return (person, encounter)
    }

    /// A call and a registration at the hotline, with a canary in each protected field.
    static func plantHotline(_ service: TestService) async throws -> (call: String, registration: String) {
        let purpose = [("Safeguard-Purpose", "victim-assistance")]
        let call = try await service.send(.POST, "/api/v1/hotline/calls", as: "hotline-specialist@NYC", json: """
        {"category": "abuse-in-detention", "narrative": "\(hotline[1])", "callerName": "\(hotline[0])", "followUp": "Refer to OPR"}
        """, headers: purpose)
        let registration = try await service.send(.POST, "/api/v1/registrations", as: "hotline-specialist@NYC", json: """
        {"detaineeReference": "a-number", "detaineeId": "A123456789", "registrantName": "\(hotline[2])", "relationship": "victim", "language": "en",
         "consent": true, "channels": [{"kind": "sms", "address": "\(hotline[3])"}]}
        """, headers: purpose)
        return (try call.decode(CallView.self).id.uuidString, try registration.decode(RegistrationView.self).id.uuidString)
    }

    /// Every GET route of the API with its record ids filled in; a route with a parameter the
    /// sweep does not know fails the test, so that a new route cannot escape it.
    static func readRoutes(_ service: TestService, person: String, encounter: String, call: String, registration: String) throws -> [String] {
        try service.app.routes.all.filter { $0.method == .GET && $0.path.first?.description == "api" }.map { route in
            try "/" + route.path.map { component -> String in
                switch component.description {
                case ":personID": return person
                case ":encounterID": return encounter
                case ":callID": return call
                case ":registrationID": return registration
                case let text where text.hasPrefix(":"): throw SweepError(route: route.description)
                default: return component.description
                }
            }.joined(separator: "/")
        }
    }

    struct SweepError: Error { var route: String }

    @Test func canariesReachOnlyEntitledRolesWithAPurposeOnEveryRoute() async throws {
        try await TestService.with { service in
            let (person, encounter) = try await Self.plant(service)
            let (call, registration) = try await Self.plantHotline(service)
            let routes = try Self.readRoutes(service, person: person, encounter: encounter, call: call, registration: registration)
            #expect(routes.count >= 7, "\(routes)")
            var entitledSaw = 0
            for role in Role.allCases {
                for purpose in [nil] + Purpose.allCases {
                    let entitled = purpose.map { Disclosure.purposes[role]?.contains($0) ?? false } ?? false
                    let headers = purpose.map { [("Safeguard-Purpose", $0.rawValue)] } ?? []
                    var seen = ""
                    for path in routes {
                        let reply = try await service.send(.GET, path, as: "\(role.rawValue)@NYC", headers: headers)
                        #expect(reply.status.code < 500, "\(path)")
                        seen += reply.text
                    }
                    // Decisions made and the gate's refusal answer with decision data too.
                    if Entitlements.enforcementRoles.contains(role) {
                        seen += try await service.send(.POST, "/api/v1/encounters/\(encounter)/decisions", as: "\(role.rawValue)@NYC", headers: headers).text
                        seen += try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "\(role.rawValue)@NYC", headers: headers).text
                    }
                    let leaked = ([Self.receipt, Self.statement, Self.summary, Self.justification, Self.sourceAnswer, "protection-order"] + Self.steps + Self.revealing
                                  + Self.hotline).filter { seen.contains($0) }
                    if entitled {
                        // The test can fail: an entitled user does see every canary, the hotline's
                        // to the hotline specialist alone.
                        #expect(leaked.contains(Self.receipt) && leaked.contains(Self.summary) && leaked.contains(Self.statement) && leaked.contains(Self.sourceAnswer),
                                "\(role) \(String(describing: purpose))")
                        #expect(Self.steps.allSatisfy(leaked.contains), "\(role) sees what the steps found")
                        #expect(Self.hotline.allSatisfy(leaked.contains) == (role == .hotlineSpecialist), "\(role)")
                        entitledSaw += 1
                    } else {
                        #expect(leaked.isEmpty, "\(role) with purpose \(purpose?.rawValue ?? "none") saw \(leaked)")
                        // What was withheld is marked, wherever the encounter was shown at all.
                        #expect(!seen.contains(encounter) || seen.contains(Disclosure.marker), "\(role): no marker")
                    }
                }
            }
            #expect(entitledSaw == 4, "officer, supervisor, OPLA attorney and hotline specialist, each with their purpose")
            // Every withheld read is in the audit chain, and the chain verifies.
            try await service.integrateAudit()  // as the server's sequencer does within its interval
            let sql = service.app.db as! any SQLDatabase
            let denied = try await sql.raw("SELECT COUNT(*) AS n FROM audit_records WHERE action = 'read' AND outcome = 'denied' AND object = \(bind: "encounter/" + encounter)")
                .first()!.decode(column: "n", as: Int.self)
            #expect(denied > 0)
            let report = try await AuditChain.verify(key: service.app.safeguard.audit.key.publicKey, on: service.app.db)
            #expect(report.isClean, "\(report.problems.prefix(3))")
        }
    }

    /// Every page with a GET route, as a signed-in user of each role with each purpose chosen at
    /// sign-in: the same canaries never reach a page of a user not entitled. A page route with a
    /// parameter the sweep does not know fails the test.
    @Test func canariesReachOnlyEntitledRolesOnEveryPage() async throws {
        try await TestService.with { service in
            let (person, encounter) = try await Self.plant(service)
            let (_, registration) = try await Self.plantHotline(service)
            let excluded: Set<String> = ["api", "health", "metrics", "openapi.json", "styles.css", "login", "session"]
            let pages = try service.app.routes.all.filter { $0.method == .GET && !excluded.contains($0.path.first?.description ?? "") }.map { route in
                try "/" + route.path.map { component -> String in
                    switch component.description {
                    case ":encounterID": return encounter
                    case ":registrationID": return registration
                    case ":personID": return person
                    case let text where text.hasPrefix(":"): throw SweepError(route: route.description)
                    default: return component.description
                    }
                }.joined(separator: "/")
            }
            #expect(pages.contains("/encounters/\(encounter)/what-if"), "\(pages)")
            var entitledSaw = 0
            for role in Role.allCases {
                for purpose in [nil] + Purpose.allCases {
                    var browser = PageBrowser(service: service)
                    _ = try await browser.signIn("\(role.rawValue)-nyc", purpose: purpose?.rawValue ?? "")
                    // The policy pages (public texts whose rules name filings and indicia) and the
                    // blank form that opens an encounter (which offers every indicium): there only
                    // the canaries count.
                    var seen = "", seenOnPublicPages = ""
                    for path in pages + ["/encounters/\(encounter)/what-if?asOf=2025-03-01&flip%5B%5D=detained"] {
                        let reply = try await browser.get(path)
                        #expect(reply.status.code < 500, "\(path)")
                        if path.hasPrefix("/policies") || path == "/encounters/new" { seenOnPublicPages += reply.text } else { seen += reply.text }
                    }
                    let canaries = [Self.receipt, Self.statement, Self.summary, Self.justification] + Self.steps
                    #expect(!canaries.contains { seenOnPublicPages.contains($0) })
                    let leaked = (canaries + ["protection-order"] + Self.revealing + Self.hotline).filter { seen.contains($0) }
                    if purpose.map({ Disclosure.purposes[role]?.contains($0) ?? false }) ?? false {
                        #expect(leaked.contains(Self.summary) && leaked.contains(Self.refrainRule), "\(role) \(String(describing: purpose))")
                        #expect(Self.steps.allSatisfy(leaked.contains), "\(role) sees what the steps found, on the pages")
                        #expect(Self.hotline.allSatisfy(leaked.contains) == (role == .hotlineSpecialist), "\(role) on the hotline's pages")
                        entitledSaw += 1
                    } else {
                        #expect(leaked.isEmpty, "\(role) with purpose \(purpose?.rawValue ?? "none") saw \(leaked) on a page")
                        #expect(!seen.contains("Encounter: detention") || seen.contains(Disclosure.marker), "\(role): no marker")
                    }
                }
            }
            #expect(entitledSaw == 4)
        }
    }

    @Test func aReasonIsWithheldExactlyWhenItsRuleReadsProtectedFacts() throws {
        let ruleSet = TestService.ruleSet
        let revealing = Set(ruleSet.rules.filter(ProtectedData.reveals).map(\.id))
        #expect(revealing.contains("usc-8-1367/confidentiality"))
        #expect(revealing.contains("ice-directive-11005.3/refrain-known-beneficiary"))
        #expect(revealing.contains("usc-8-1367/source-prohibition"))
        #expect(!revealing.contains("ice-policy-10076.1/refrain-victim-witness-nta"))
        for rule in ruleSet.rules where !revealing.contains(rule.id) {
            #expect(!rule.reads.contains { $0.hasPrefix("subject.benefits") || $0.hasPrefix("information") || $0 == "subject.victimIndicia" }, "\(rule.id)")
        }
    }
}
