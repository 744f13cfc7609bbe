import BundledPolicies
import Foundation
import FluentPostgresDriver
import FluentSQLiteDriver
import NIOHTTP1
import PolicyEngine
import SafeguardCore
import SafeguardPasswords
import SafeguardRuntime
@testable import SafeguardServer
import Testing
import Synchronization
import Vapor
import VaporTesting

/// A running Safeguard on loopback over a fresh SQLite file, with one user per role and office.
struct TestService {
    let app: Application
    /// The port the running server listens on (loopback).
    let port: Int
    let databasePath: String
    let settings: ServerSettings
    /// Bearer tokens by "role@office", e.g. "officer@NYC".
    let tokens: [String: String]
    /// The service's clock, which moves only when the test moves it.
    let clock: TestClock

    static let ruleSet: RuleSet = try! RuleSet.load(from: BundledPolicies.directory)

    /// `SAFEGUARD_TEST_POSTGRES_URL` (a PostgreSQL server and a role that may create databases)
    /// runs the service tests on PostgreSQL, each in a database of its own; without it they run on SQLite.
    static let postgresURL = ProcessInfo.processInfo.environment["SAFEGUARD_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var onPostgres: Bool { postgresURL != nil }

    /// Runs `body` against a fresh service, and always shuts it down.
    /// - Parameter addRoutes: routes a test adds to the configured service before it starts.
    /// - Parameter refreshesDecisions: whether the server re-decides open encounters as days pass
    ///   (`DecisionRefreshing`); off by default, so that no background run races a test's writes.
    /// - Parameter logLevel: what the service and its databases log (`LogCapture`); only a test
    ///   whose millions of library lines would cost more than its work asks for less than trace.
    static func with(seedUsers: Bool = true, auditSigningInterval: Duration = .seconds(300), sessionTimeouts: SessionTimeouts = SessionTimeouts(),
                     refreshesDecisions: Bool = false, refusalsPerMinute: Int = RuntimeSettings(databasePath: "").refusalsPerMinute,
                     filingSource: USCISCaseStatusClient.Settings? = nil, refreshesFilings: Bool = false, offeredDrafts: [URL] = [], logLevel: Logger.Level = .trace,
                     addRoutes: @escaping @Sendable (Application) -> Void = { _ in },
                     _ body: (TestService) async throws -> Void) async throws {
        _ = LogCapture.shared
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("safeguard-service-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var databaseURL: String?
        if let postgresURL {
            let name = "safeguard_test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
            try await PostgresAdministration.createDatabase(name, at: postgresURL)
            databaseURL = try #require(URL(string: postgresURL)).deletingLastPathComponent().appendingPathComponent(name).absoluteString
        }
        var settings = ServerSettings(host: "127.0.0.1", port: 0, maximumBodySize: 64 * 1024,
                                      runtime: RuntimeSettings(databasePath: folder.appendingPathComponent("safeguard.sqlite").path, databaseURL: databaseURL,
                                                               auditKeyPath: folder.appendingPathComponent("audit-key").path))
        settings.auditSigningInterval = auditSigningInterval
        settings.sessionTimeouts = sessionTimeouts
        settings.refreshesDecisions = refreshesDecisions
        settings.refusalsPerMinute = refusalsPerMinute
        settings.runtime.filingSource = filingSource
        settings.refreshesFilings = refreshesFilings
        settings.offeredDrafts = offeredDrafts
        do {
            try await run(settings: settings, seedUsers: seedUsers, logLevel: logLevel, addRoutes: addRoutes, body)
        } catch {
            try? await dropDatabase(databaseURL)
            throw error
        }
        try await dropDatabase(databaseURL)
    }

    private static func dropDatabase(_ databaseURL: String?) async throws {
        guard let postgresURL, let databaseURL, let name = URL(string: databaseURL)?.lastPathComponent else { return }
        try await PostgresAdministration.run(postgresURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    private static func run(settings: ServerSettings, seedUsers: Bool, logLevel: Logger.Level, addRoutes: @escaping @Sendable (Application) -> Void,
                            _ body: (TestService) async throws -> Void) async throws {
        let clock = TestClock()
        try await withApp(configure: { app in
            app.logger.logLevel = logLevel
            try await configure(app, settings: settings, ruleSet: ruleSet, hasher: BcryptHasher(cost: 4), clock: clock)
            addRoutes(app)
        }) { app in
            var tokens: [String: String] = [:]
            for office in ["NYC", "LAX"] where seedUsers {
                for role in Role.allCases {
                    let name = "\(role.rawValue)-\(office.lowercased())"
                    _ = try await app.safeguard.users.add(username: name, displayName: name, role: role, office: office,
                                                          password: "correct horse battery", on: app.db)
                    tokens["\(role.rawValue)@\(office)"] = try await app.safeguard.users.issueToken(for: name, lifetime: UserDirectory.issuedTokenLifetime, on: app.db).token
                }
            }
            // One real server on an ephemeral loopback port for the whole test, as clients meet it,
            // booted as `serve` boots it (the audit heads' signing starts).
            // Redirects come back to the test as they are, as a browser's first response.
            app.http.client.configuration.redirectConfiguration = .disallow
            // Tests send twenty requests at once; on a busy machine the default pool of eight
            // connections made the others wait past its timeout.
            app.http.client.configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
            // A request waits its turn for a connection as long as the test runs: with the other
            // suites beside it, forty at once can outwait the client's default of ten seconds.
            app.http.client.configuration.timeout.connect = .seconds(120)
            try await app.asyncBoot()
            try await app.server.start(address: .hostname(settings.host, port: 0))
            do {
                let port = try #require(app.http.server.shared.localAddress?.port)
                try await body(TestService(app: app, port: port, databasePath: settings.databasePath, settings: settings, tokens: tokens, clock: clock))
            } catch {
                await app.server.shutdown()
                throw error
            }
            await app.server.shutdown()
        }
    }

    /// The header of an officer who states a law-enforcement purpose (`Disclosure`).
    static let lawEnforcement = [("Safeguard-Purpose", "law-enforcement")]

    /// Sends a request over HTTP as `as` ("role@office"), with a JSON body given as text.
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, as user: String? = nil, json: String? = nil,
              headers extra: [(String, String)] = [], contentType: String = "application/json") async throws -> Reply {
        try await send(method, path, as: user, bytes: json.map { Array($0.utf8) }, headers: extra, contentType: contentType)
    }

    /// Sends a request with a body of any bytes, well-formed or not.
    @discardableResult
    func send(_ method: HTTPMethod, _ path: String, as user: String? = nil, bytes: [UInt8]?,
              headers extra: [(String, String)] = [], contentType: String = "application/json") async throws -> Reply {
        var headers = HTTPHeaders()
        if let user { headers.bearerAuthorization = BearerAuthorization(token: tokens[user]!) }
        for (name, value) in extra { headers.add(name: name, value: value) }
        if bytes != nil { headers.replaceOrAdd(name: .contentType, value: contentType) }
        let response = try await app.client.send(method, headers: headers, to: URI(string: "http://127.0.0.1:\(port)\(path)")) { request in
            if let bytes { request.body = ByteBuffer(bytes: bytes) }
        }
        let text = response.body.map { String(buffer: $0) } ?? ""
        return Reply(status: response.status, headers: response.headers, text: text)
    }

    // MARK: Building records through the API

    /// A-numbers no two people of the test process share.
    private static let nextANumber = Atomic<Int>(100_000_000)

    func createPerson(as user: String = "officer@NYC", aNumber: String = "A\(Self.nextANumber.add(1, ordering: .relaxed).newValue)") async throws -> String {
        let reply = try await send(.POST, "/api/v1/people", as: user, json: """
        {"aNumber": "\(aNumber)", "givenName": "Ana", "familyName": "Doe", "dateOfBirth": "1990-04-02", "country": "GT"}
        """)
        #expect(reply.status == .created, "\(reply.text)")
        return try reply.decode(PersonView.self).id.uuidString
    }

    func addFiling(_ personID: String, type: String = "U", status: String = "pending") async throws -> String {
        let reply = try await send(.POST, "/api/v1/people/\(personID)/filings", as: "officer@NYC",
                                   json: #"{"type": "\#(type)", "role": "principal", "status": "\#(status)", "receiptNumber": "EAC2290012345"}"#)
        #expect(reply.status == .created, "\(reply.text)")
        return try reply.decode(FilingView.self).id.uuidString
    }

    /// Opens an encounter on `asOf`, the service's clock moved to that day first: an encounter is
    /// about an action contemplated on the day it is opened.
    func openEncounter(_ personID: String, action: String = "arrest", asOf: String, extra: String = "", as user: String = "officer@NYC",
                       headers: [(String, String)] = []) async throws -> Reply {
        clock.set(toNoonOf: asOf)
        let reply = try await send(.POST, "/api/v1/encounters", as: user,
                                   json: #"{"personId": "\#(personID)", "action": "\#(action)", "asOf": "\#(asOf)"\#(extra)}"#, headers: headers)
        #expect(reply.status == .created, "\(reply.text)")
        return reply
    }

    func verify(_ encounterID: String, filing: String, outcome: String = "confirmed", as user: String = "officer@NYC") async throws -> Reply {
        try await send(.POST, "/api/v1/encounters/\(encounterID)/steps", as: user, json: """
        {"step": "benefit-verification", "summary": "checked", "counterpart": "CLAIMS3", "filingId": "\(filing)", "outcome": "\(outcome)"}
        """, headers: Self.lawEnforcement)
    }

    /// A known U petitioner under Directive 11005.3 with exceptional circumstances asserted: the
    /// filing verified, the approval of exceptional circumstances owed. Returns the encounter's id.
    func openApprovalCase() async throws -> String {
        let person = try await createPerson()
        let filing = try await addFiling(person)
        let encounter = try await openEncounter(person, asOf: "2023-05-01", extra: #", "exceptionalCircumstances": true"#).decode(EncounterView.self).id.uuidString
        #expect(try await verify(encounter, filing: filing).status == .created)
        return encounter
    }

    /// On PostgreSQL, waits until a statement of this database waits for a row lock, or a second
    /// has passed (a statement that takes no lock it must wait for never will).
    func untilALockIsAwaited() async throws {
        let sql = app.db as! any SQLDatabase
        for _ in 0..<20 {
            let waiting = try await sql.raw("""
                SELECT count(*) AS waiting FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'
                """).first()?.decode(column: "waiting", as: Int.self) ?? 0
            if waiting > 0 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Rows of `table` (with its `WHERE`); the audit chain's after what requests queued is
    /// integrated, as a running server's sequencer would within its bound.
    func count(_ table: String) async throws -> Int {
        if table.hasPrefix("audit_records") { try await integrateAudit() }
        return try await (app.db as! any SQLDatabase).raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self)
    }

    /// Integrates the audit records queued so far into the chain.
    func integrateAudit() async throws {
        _ = try await app.safeguard.writeTurns.run { try await self.app.safeguard.audit.integrate(on: self.app.db) }
    }
}

/// Statements against the PostgreSQL server itself (creating and dropping test databases).
enum PostgresAdministration {
    /// One `CREATE DATABASE` at a time in this process: PostgreSQL refuses to copy its template
    /// while another session is copying it ("source database is being accessed by other users").
    private static let creations = SQLiteWriteTurns()

    static func createDatabase(_ name: String, at url: String) async throws {
        try await creations.run { try await run(url, "CREATE DATABASE \(name)") }
    }

    static func run(_ url: String, _ statement: String) async throws {
        let app = try await Application.make(.testing)
        app.logger.logLevel = .error
        do {
            app.databases.use(try .postgres(url: url), as: .psql)
            try await (app.db as! any SQLDatabase).raw(SQLQueryString(statement)).run()
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }
}
