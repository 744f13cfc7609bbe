import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import PolicyEngine
import SafeguardCore
@testable import SafeguardServer
import SafeguardTestSupport
import SQLKit
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

    /// Two ports below Linux's ephemeral range (32768 on), where no outgoing connection takes them.
    static func ports(using dice: inout some RandomNumberGenerator) -> [Int] {
        [Int.random(in: 20_000...25_999, using: &dice), Int.random(in: 26_000...31_999, using: &dice)]
    }

    /// Starts `safeguard serve` on each port, logging to its log file, and waits until each answers.
    static func startServers(on ports: [Int], logs: [URL], environment: [String: String]) async throws -> [Process] {
        var servers: [Process] = []
        for (port, log) in zip(ports, logs) {
            let server = Process()
            server.executableURL = CommandLineRunner.executable
            server.arguments = ["serve", "--port", String(port)]
            // Everything the servers log, at the most detailed level, joins the suite's lines.
            server.environment = environment.merging(["LOG_LEVEL": "trace"]) { $1 }
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
            // Ours answered, not something else on the port.
            up = up && servers.allSatisfy(\.isRunning)
            if !up { servers.forEach { $0.terminate() } }
            try #require(up, "server on \(port) did not come up")
        }
        return servers
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
            let ports = Self.ports(using: &dice)
            servers = try await Self.startServers(on: ports, logs: logs, environment: ["DATABASE_URL": databaseURL, "SAFEGUARD_AUDIT_KEY": auditKey])
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
            await Self.stop(servers)
            try? await PostgresAdministration.run(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
            throw error
        }
        await Self.stop(servers)
        try await PostgresAdministration.run(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        for log in logs {
            let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.contains { $0.contains(#""route":"/api/v1/people/:personID""#) }, "\(log.lastPathComponent)")
            lines.forEach(LogCapture.shared.append)
        }
    }

    /// A request of the run below and how it was answered (nil: not at all).
    struct Answer: Sendable {
        var server: Int
        var status: HTTPResponseStatus?
        /// What the request read (`person/…`) or added.
        var object: String?
        var reading: Bool
        var succeeded: Bool { status.map { (200..<300).contains($0.code) } ?? false }
    }

    /// Two servers over one database, one of them killed (SIGKILL) a second into a run of reads
    /// and writes: every request sent to the survivor is answered 2xx (the killed one's clients
    /// move to it, as a load balancer would send them), the survivor's sequencer integrates what
    /// the killed one queued, every request answered 2xx by either has its record in the chain (a
    /// read's record names only the person read, so reads are counted person by person), and
    /// `safeguard audit verify` passes.
    @Test func aServerKilledMidRunIsTakenOver() async throws {
        try await TestService.with(logLevel: .notice) { service in
            let databaseURL = try #require(service.settings.databaseURL)
            var people: [String] = []
            for _ in 0..<8 { people.append(try await service.createPerson()) }
            var dice = SystemRandomNumberGenerator()
            let ports = Self.ports(using: &dice)
            let logs = ports.map { FileManager.default.temporaryDirectory.appendingPathComponent("safeguard-serve-takeover-\($0).log") }
            defer {
                // The servers' lines join the suite's, whatever the outcome.
                for log in logs {
                    (try? String(contentsOf: log, encoding: .utf8))?.split(separator: "\n").map(String.init).forEach(LogCapture.shared.append)
                    try? FileManager.default.removeItem(at: log)
                }
            }
            let environment = ["DATABASE_URL": databaseURL, "SAFEGUARD_AUDIT_KEY": service.settings.auditKeyPath]
            let servers = try await Self.startServers(on: ports, logs: logs, environment: environment)
            do {
                try await Self.killOneMidRun(servers, ports: ports, service: service, people: people)
            } catch {
                await Self.stop(servers)
                throw error
            }
            await Self.stop(servers)
        }
    }

    /// The run of `aServerKilledMidRunIsTakenOver`, with its servers up.
    private static func killOneMidRun(_ servers: [Process], ports: [Int], service: TestService, people: [String]) async throws {
        let (databaseURL, token) = (try #require(service.settings.databaseURL), try #require(service.tokens["officer@NYC"]))
        let headers = [("Authorization", "Bearer \(token)"), ("Safeguard-Purpose", "law-enforcement")]
        let (start, known) = (ContinuousClock.now, people)
        let answers = try await withThrowingTaskGroup(of: [Answer].self) { group in
            for client in 0..<16 {
                group.addTask {
                    var (answers, server, index) = ([Answer](), client % 2, 0)
                    while ContinuousClock.now < start + .seconds(4) {
                        index += 1
                        let reading = index % 4 != 0
                        var answer = Answer(server: server, reading: reading)
                        do {
                            if reading {
                                let person = known[(client + index) % known.count]
                                answer.object = "person/\(person)"
                                answer.status = try await Self.send(.GET, port: ports[server], "/api/v1/people/\(person)", headers: headers).status
                            } else {
                                let reply = try await Self.send(.POST, port: ports[server], "/api/v1/people", headers: headers, json: """
                                    {"aNumber": "A\(900_000_000 + client * 10_000 + index)", "givenName": "Ana", "familyName": "Doe", "dateOfBirth": "1990-04-02", "country": "GT"}
                                    """)
                                answer.status = reply.status
                                if answer.succeeded { answer.object = "person/\(try reply.decode(PersonView.self).id.uuidString)" }
                            }
                        } catch {
                            // Unanswered: the server is gone; its client goes to the other.
                            server = 0
                        }
                        answers.append(answer)
                    }
                    return answers
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(1))
                kill(servers[1].processIdentifier, SIGKILL)
                return []
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let survivors = answers.filter { $0.server == 0 }
        #expect(survivors.allSatisfy { $0.succeeded }, "the survivor answered \(Set(survivors.map { $0.status?.code ?? 0 }))")
        #expect(answers.contains { $0.server == 1 && $0.succeeded } && answers.contains { $0.server == 1 && !$0.succeeded },
                "the second server answered before it was killed, and not after")

        // The survivor integrates everything queued, its own and the killed server's, within its bound.
        var queued = try await service.count("audit_queue")
        for _ in 0..<100 where queued > 0 {
            try await Task.sleep(for: .milliseconds(100))
            queued = try await service.count("audit_queue")
        }
        #expect(queued == 0, "records left in the queue")
        let rows = try await (service.app.db as! any SQLDatabase).select().columns("action", "object").from("audit_records")
            .where("object", .like, "person/%").where("outcome", .equal, "success").all()
        var recorded: [String: Int] = [:]
        for row in rows { recorded["\(try row.decode(column: "action", as: String.self)) \(try row.decode(column: "object", as: String.self))", default: 0] += 1 }
        var answered: [String: Int] = [:]
        for answer in answers where answer.succeeded { answered["\(answer.reading ? "read" : "write") \(answer.object ?? "")", default: 0] += 1 }
        let unrecorded = answered.filter { recorded[$0.key, default: 0] < $0.value }
        #expect(unrecorded.isEmpty, "requests answered 2xx without their record in the chain: \(unrecorded)")
        #expect(answered.values.reduce(0, +) > 100, "a run of some length")

        try await Self.runCommand(["audit", "verify"], databaseURL: databaseURL, auditKey: service.settings.auditKeyPath)
    }

    /// Stops the servers and waits for them to exit off Swift's cooperative threads: a blocking
    /// wait there would stall every other test's tasks while a server shuts down.
    static func stop(_ servers: [Process]) async {
        for server in servers where server.isRunning { server.terminate() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                servers.forEach { $0.waitUntilExit() }
                continuation.resume()
            }
        }
    }
}
