import Foundation
import SafeguardCore
import SafeguardPasswords
import SafeguardRuntime
@testable import SafeguardServer
import SQLKit
import Testing
import Vapor

/// Access control as declared and as done: every route declares its `AccessRule` (one added
/// without fails here, and is closed), and every route that names a record is called as every role
/// from the record's office and from another, through the API with a token and through the pages
/// with a session. A role the rule leaves out is refused; a role bound to its office neither reads
/// nor writes another office's record, with bodies that would succeed at home; nothing changes.
@Suite struct AccessSweepTests {
    @Test func everyRouteDeclaresItsAccessAndAnUndeclaredOneIsClosed() async throws {
        try await TestService.with(addRoutes: { app in app.get("api", "v1", "undeclared") { _ in "open" } }) { service in
            let undeclared = AccessControl.undeclared(in: service.app.routes).map { "\($0.method) /\($0.path.string)" }
            #expect(undeclared == ["GET /api/v1/undeclared"], "routes without a declared access rule: \(undeclared)")
            let reply = try await service.send(.GET, "/api/v1/undeclared", as: "admin@NYC")
            #expect(reply.status == .forbidden && !reply.text.contains("open"))
        }
    }

    @Test func everyRecordRouteAsEveryRoleFromTwoOffices() async throws {
        try await TestService.with { service in
            let records = try await Self.recordsOfOneOffice(service)
            let routes = service.app.routes.all.filter { route in route.path.contains { if case .parameter = $0 { true } else { false } } }
            #expect(routes.count >= 20, "the routes that name a record: \(routes.map(\.description))")
            let unchanged = try await Self.snapshot(service)
            var calls = 0
            // From the other office first: nothing of the record's office may be read or changed.
            for office in ["LAX", "NYC"] {
                for role in Role.allCases {
                    var browser = PageBrowser(service: service)
                    if role != .integration {
                        _ = try await browser.signIn("\(role.rawValue)-\(office.lowercased())")
                        _ = try await browser.get("/")
                    }
                    for route in routes {
                        let rule = try #require(route.accessRule, "\(route) declares no access rule")
                        let isPage = route.path.first?.description != "api"
                        if isPage && role == .integration { continue }  // a system, without pages
                        let home = office == "NYC"
                        let refusedRole = !(rule.roles?.contains(role) ?? true)
                        let write = route.method != .GET
                        // Writes at home would change the records the rest of the sweep reads.
                        if write && !refusedRole && (home || !rule.bindsToOffice(role)) { continue }
                        let path = try Self.path(of: route, records)
                        let reply: Reply
                        if isPage {
                            reply = write ? try await browser.post(path, form: Self.forms[route.description] ?? [:]) : try await browser.get(path)
                        } else {
                            let table = route.path.compactMap { component -> String? in
                                if case .parameter(let name) = component { Self.tables[name] } else { nil }
                            }.last
                            // With the purpose the role may state, if any: what is refused is refused for the office or the role.
                            var headers = Disclosure.purposes[role]?.first.map { [(Request.purposeHeader, $0.rawValue)] } ?? []
                            if route.method == .PATCH, let table, let id = records[route.parameterNames.last ?? ""] {
                                headers.append(("If-Match", "\"\(try await Self.version(of: id, in: table, service))\""))
                            }
                            var body: String?
                            if write {
                                let sample: String = try #require(Self.bodies[route.description], "no sample body for \(route)")
                                body = sample
                            }
                            reply = try await service.send(route.method, path, as: "\(role.rawValue)@\(office)", json: body.flatMap { $0.isEmpty ? nil : $0 },
                                                           headers: headers)
                        }
                        calls += 1
                        let who = "\(route) as \(role.rawValue)@\(office)"
                        if refusedRole {
                            #expect(reply.status == .forbidden, "\(who): \(reply.status) \(reply.text.prefix(300))")
                        } else if !home && rule.bindsToOffice(role) {
                            // Not found; or refused for the role's entitlements (a hotline specialist may
                            // not record a step) before the record is looked at.
                            #expect([.notFound, .forbidden].contains(reply.status), "\(who) reached another office's record: \(reply.status) \(reply.text.prefix(300))")
                        } else {
                            #expect(reply.status == .ok, "\(who): \(reply.status) \(reply.text.prefix(300))")
                        }
                    }
                }
                #expect(try await Self.snapshot(service) == unchanged, "a refused or read-only call changed records")
            }
            #expect(calls > 300, "\(calls) calls")
        }
    }

    // MARK: The records and what the sweep sends

    /// One of every record a route names, all of the NYC office, by the route's parameter name.
    static func recordsOfOneOffice(_ service: TestService) async throws -> [String: String] {
        var records: [String: String] = [:]
        let person = try await service.createPerson()
        let filing = try await service.addFiling(person)
        records["personID"] = person
        records["filingID"] = filing
        let encounter = try await service.openEncounter(person, action: "detention", asOf: "2023-05-01",
                                                                     extra: #", "detained": true, "wishesToReport": true"#).decode(EncounterView.self).id.uuidString
        records["encounterID"] = encounter
        #expect(try await service.verify(encounter, filing: filing).status == .created)
        let followUp = try await service.send(.POST, "/api/v1/encounters/\(encounter)/follow-ups", as: "officer@NYC",
                                              json: #"{"kind": "unreported-crime-referral", "recipient": "NYPD", "justification": "Wants to report."}"#)
        records["followUpID"] = try followUp.decode(FollowUpView.self).id.uuidString
        let call = try await service.send(.POST, "/api/v1/hotline/calls", as: "hotline-specialist@NYC",
                                          json: #"{"category": "victim-assistance", "narrative": "Asks for help.", "followUp": "Call back"}"#,
                                          headers: HotlineTests.victimAssistance)
        records["callID"] = try call.decode(CallView.self).id.uuidString
        let registration = try await HotlineTests.register(service, detainee: "A123456780", channels: #"[{"kind": "sms", "address": "+15550001111"}]"#)
        records["registrationID"] = try await HotlineTests.confirmAll(service, registration)
        records["channelID"] = try #require(registration.channels.first).id.uuidString
        #expect(try await HotlineTests.event(service, "sweep-1", detainee: "A123456780").status == .created)
        records["notificationID"] = try #require(try await service.count("notifications") == 1 ? Self.firstID(of: "notifications", service) : nil)
        return records
    }

    /// The table behind each route parameter, for the version an `If-Match` names.
    static let tables = ["personID": "people", "encounterID": "encounters", "followUpID": "follow_ups", "callID": "hotline_calls",
                         "registrationID": "registrations"]

    /// Bodies that would succeed at home, so that only the office can refuse them elsewhere.
    static let bodies: [String: String] = [
        "PATCH /api/v1/people/:personID": #"{"givenName": "Changed"}"#,
        "POST /api/v1/people/:personID/filings": #"{"type": "T", "role": "principal", "status": "pending", "receiptNumber": "EAC2290012346"}"#,
        "PATCH /api/v1/encounters/:encounterID": #"{"lawEnforcementInterest": true}"#,
        "POST /api/v1/encounters/:encounterID/decisions": "",
        "POST /api/v1/encounters/:encounterID/steps": #"{"step": "law-enforcement-deconfliction", "summary": "checked", "counterpart": "NYPD"}"#,
        "POST /api/v1/encounters/:encounterID/enforcement-action": "",
        "POST /api/v1/encounters/:encounterID/filings/:filingID/verification": "",
        "POST /api/v1/encounters/:encounterID/follow-ups": #"{"kind": "unreported-crime-referral", "recipient": "NYPD", "justification": "Again."}"#,
        "PATCH /api/v1/follow-ups/:followUpID": #"{"status": "submitted"}"#,
        "PATCH /api/v1/hotline/calls/:callID": #"{"status": "referred", "referral": "DHS Office of Inspector General"}"#,
        "PATCH /api/v1/registrations/:registrationID": #"{"language": "en"}"#,
        "POST /api/v1/registrations/:registrationID/withdrawal": "",
        "POST /api/v1/registrations/:registrationID/channels/:channelID/confirmation": "",
        "POST /api/v1/notifications/:notificationID/confirmation": #"{"pin": "1234"}"#,
        "POST /api/v1/notifications/:notificationID/unlock": "",
    ]

    static let forms: [String: [String: String]] = [
        "POST /encounters/:encounterID/steps": ["step": "law-enforcement-deconfliction", "summary": "checked", "counterpart": "NYPD"],
        "POST /encounters/:encounterID/facts": ["version": "1", "facts[]": "detained"],
        "POST /people/:personID/filings": ["type": "T", "role": "principal", "status": "pending"],
        // The encounter is looked at before the filing: any filing will do.
        "POST /encounters/:encounterID/verification-at-source": ["filing": UUID().uuidString],
    ]

    static func path(of route: Route, _ records: [String: String]) throws -> String {
        try "/" + route.path.map { component -> String in
            guard case .parameter(let name) = component else { return component.description }
            return try #require(records[name], "no record for :\(name) of \(route)")
        }.joined(separator: "/")
    }

    static func version(of id: String, in table: String, _ service: TestService) async throws -> Int {
        let sql = service.app.db as! any SQLDatabase
        return try await sql.raw("SELECT version FROM \(ident: table) WHERE id = \(bind: UUID(uuidString: id)!)").first()!.decode(column: "version", as: Int.self)
    }

    static func firstID(of table: String, _ service: TestService) async throws -> String {
        let sql = service.app.db as! any SQLDatabase
        return try await sql.raw("SELECT id FROM \(ident: table)").first()!.decode(column: "id", as: UUID.self).uuidString
    }

    /// Row counts and summed versions of every table a route writes: equal when nothing changed.
    static func snapshot(_ service: TestService) async throws -> [String] {
        let sql = service.app.db as! any SQLDatabase
        var figures: [String] = []
        for table in ["people", "benefit_filings", "encounters", "step_records", "decisions", "follow_ups", "hotline_calls", "registrations",
                      "registration_channels", "notifications"] {
            let versioned = tables.values.contains(table)
            // PostgreSQL sums a bigint column into a numeric: the cast gives an integer on both.
            let row = try await sql.raw("SELECT COUNT(*) AS n\(unsafeRaw: versioned ? ", CAST(SUM(version) AS BIGINT) AS v" : "") FROM \(ident: table)").first()!
            figures.append("\(table) \(try row.decode(column: "n", as: Int.self)) \(versioned ? try row.decode(column: "v", as: Int?.self) ?? 0 : 0)")
        }
        return figures
    }
}

extension Route {
    var parameterNames: [String] {
        path.compactMap { if case .parameter(let name) = $0 { name } else { nil } }
    }
}
