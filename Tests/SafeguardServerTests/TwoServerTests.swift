import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PolicyEngine
import SafeguardCore
@testable import SafeguardServer
import SafeguardTestSupport
import Testing

/// Two `safeguard serve` processes over one PostgreSQL database, as Safeguard scales out: no lost
/// update, no duplicate record, and a session made on one is valid on the other.
@Suite(.enabled(if: TestService.onPostgres, "needs SAFEGUARD_TEST_POSTGRES_URL"))
struct TwoServerTests {
    @discardableResult
    static func runCommand(_ arguments: [String], databaseURL: String, auditKey: String, input: String? = nil) async throws -> String {
        let result = try await CommandLineRunner.run(arguments, input: input, environment: ["DATABASE_URL": databaseURL, "SAFEGUARD_AUDIT_KEY": auditKey])
        try #require(result.status == 0, "safeguard \(arguments.joined(separator: " ")) exited with \(result.status): \(result.standardError)")
        return result.standardOutput
    }

    static func send(_ method: HTTPMethod, port: Int, _ path: String, headers extra: [(String, String)] = [], json: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: json))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 1 << 20)
        return Reply(status: response.status, headers: response.headers, text: String(buffer: body))
    }

    @Test func twoServersShareOneDatabaseSafely() async throws {
        let admin = try #require(TestService.postgresURL)
        let name = "safeguard_two_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased())"
        try await PostgresAdministration.createDatabase(name, at: admin)
        let databaseURL = URL(string: admin)!.deletingLastPathComponent().appendingPathComponent(name).absoluteString
        var servers: [Process] = []
        let logs = (0..<2).map { FileManager.default.temporaryDirectory.appendingPathComponent("safeguard-serve-\(name)-\($0).log") }
        // The servers share one audit key, as servers over one database must.
        let auditKey = FileManager.default.temporaryDirectory.appendingPathComponent("safeguard-\(name).audit-key").path
        defer { (logs.map(\.path) + [auditKey]).forEach { try? FileManager.default.removeItem(atPath: $0) } }
        do {
            try await Self.runCommand(["migrate"], databaseURL: databaseURL, auditKey: auditKey)
            try await Self.runCommand(["users", "add", "--username", "officer-a", "--role", "officer", "--office", "NYC", "--password-stdin"],
                                databaseURL: databaseURL, auditKey: auditKey, input: "a long enough password\n")
            let token = try await Self.runCommand(["users", "token", "officer-a"], databaseURL: databaseURL, auditKey: auditKey).trimmingCharacters(in: .whitespacesAndNewlines)
            var dice = SeededGenerator()
            let ports = [Int.random(in: 41_000...50_000, using: &dice), Int.random(in: 50_001...59_000, using: &dice)]
            for (port, log) in zip(ports, logs) {
                let server = Process()
                server.executableURL = CommandLineRunner.executable
                server.arguments = ["serve", "--port", String(port)]
                // Everything the servers log, at the most detailed level, joins the suite's lines.
                server.environment = ["DATABASE_URL": databaseURL, "SAFEGUARD_AUDIT_KEY": auditKey, "LOG_LEVEL": "trace"]
                server.standardOutput = FileHandle.nullDevice
                try Data().write(to: log)
                server.standardError = try FileHandle(forWritingTo: log)
                try server.run()
                servers.append(server)
            }
            for port in ports {
                var up = false
                for _ in 0..<100 where !up {
                    up = (try? await Self.send(.GET, port: port, "/health"))?.status == .ok
                    if !up { try await Task.sleep(for: .milliseconds(100)) }
                }
                try #require(up, "server on \(port) did not come up")
            }
            let auth = [("Authorization", "Bearer \(token)")]

            // A session made on one server is valid on the other.
            let signedIn = try await Self.send(.POST, port: ports[0], "/session", json: #"{"username": "officer-a", "password": "a long enough password"}"#)
            #expect(signedIn.status == .created)
            let cookie = String(try #require(signedIn.headers.first(name: "Set-Cookie")).split(separator: ";")[0])
            #expect(try await Self.send(.GET, port: ports[1], "/session", headers: [("Cookie", cookie)]).status == .ok)

            // No lost update: 20 writers with the same If-Match, spread over both servers; one wins.
            let person = try await Self.send(.POST, port: ports[0], "/api/v1/people", headers: auth,
                                             json: #"{"aNumber": "A123456789", "givenName": "Ana", "familyName": "Doe", "dateOfBirth": "1990-04-02", "country": "GT"}"#)
            let personID = try person.decode(PersonView.self).id.uuidString
            let updates = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await Self.send(.PATCH, port: ports[index % 2], "/api/v1/people/\(personID)", headers: auth + [("If-Match", "\"1\"")],
                                            json: #"{"givenName": "Name\#(index)"}"#).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(updates.filter { $0 == .ok }.count == 1, "\(updates)")
            #expect(updates.filter { $0 == .preconditionFailed }.count == 19, "\(updates)")

            // No duplicate record: 20 requests to record one action, over both servers; one is recorded.
            let opened = try await Self.send(.POST, port: ports[1], "/api/v1/encounters", headers: auth,
                                             json: #"{"personId": "\#(personID)", "action": "arrest", "asOf": "\#(CaseCalendar().today)"}"#)
            let encounterID = try opened.decode(EncounterView.self).id.uuidString
            let actions = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for index in 0..<20 {
                    group.addTask { try await Self.send(.POST, port: ports[index % 2], "/api/v1/encounters/\(encounterID)/enforcement-action", headers: auth).status }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(actions.filter { $0 == .ok }.count == 1, "\(actions)")
            #expect(actions.allSatisfy { [.ok, .conflict, .preconditionFailed].contains($0) }, "\(actions)")
            let list = try await Self.send(.GET, port: ports[0], "/api/v1/encounters?status=action-recorded", headers: auth)
            #expect(try list.decode(PageBody<EncounterView>.self).total == 1)
        } catch {
            servers.forEach { $0.terminate() }
            try? await PostgresAdministration.run(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
        servers.forEach { $0.terminate() }
        servers.forEach { $0.waitUntilExit() }
        try await PostgresAdministration.run(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        for log in logs {
            let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.contains(#""route":"/api/v1/people/:personID""#) }, "\(log.lastPathComponent)")
            lines.forEach(LogCapture.shared.append)
        }
    }
}
