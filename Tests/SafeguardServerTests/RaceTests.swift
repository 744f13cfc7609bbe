import Foundation
import SafeguardCore
import Testing
import Vapor

/// Many clients at once on one record: exactly one wins, the others are told why, and nothing is
/// recorded twice. Runs on SQLite and, in the second pass, on PostgreSQL.
@Suite struct RaceTests {
    @Test func twentyClientsRaceToRecordOneAction() async throws {
        try await TestService.with { service in
            let (_, statuses) = try await Self.atOnceOnANewEncounter(service, clients: 20) { index, encounter in
                try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: Self.client(index)).status
            }
            #expect(statuses.filter { $0 == .ok }.count == 1)
            #expect(statuses.allSatisfy { [.ok, .conflict, .preconditionFailed].contains($0) }, "\(statuses)")
            #expect(try await service.count("encounters WHERE status = 'action-recorded'") == 1)
            #expect(try await service.count("decisions WHERE superseded_by IS NULL") == 1)
        }
    }

    @Test func twentyClientsRaceToChangeOnePerson() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        try await service.send(.PATCH, "/api/v1/people/\(person)", as: "officer@NYC",
                                               json: #"{"givenName": "Name\#(index)"}"#, headers: [("If-Match", "\"1\"")]).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .ok }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == .preconditionFailed }.count == 19, "\(statuses)")
            let read = try await service.send(.GET, "/api/v1/people/\(person)", as: "officer@NYC")
            #expect(read.headers.first(name: .eTag) == "\"2\"")
        }
    }

    /// Steps name no version, so none of them may be refused as stale: each waits its turn. In
    /// pairs, eight times over: each step holds one of the server's few PostgreSQL connections
    /// while it waits, and on a loaded machine a long queue of them outwaits the pool's timeout.
    @Test func twoStepsAtOnceAreNeitherStaleNorLost() async throws {
        try await TestService.with { service in
            for _ in 0..<8 {
                let (encounter, statuses) = try await Self.atOnceOnANewEncounter(service, clients: 2) { index, encounter in
                    try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: Self.client(index),
                                           json: #"{"step": "law-enforcement-deconfliction", "summary": "no conflict", "counterpart": "NYPD \#(index)"}"#).status
                }
                #expect(statuses == [.created, .created])
                let read = try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@NYC")
                #expect(read.headers.first(name: .eTag) == "\"3\"", "each step moved the version once")
            }
            #expect(try await service.count("step_records") == 16)
            #expect(try await service.count("decisions WHERE superseded_by IS NULL") == 8)
        }
    }

    /// Reads of the API run beside writes (on SQLite they take a write turn only for their audit
    /// appends): each is answered, each read is recorded once, and the chain stays one chain.
    @Test func readsBesideWritesAreEachAnsweredAndAudited() async throws {
        try await TestService.with { service in
            let (encounter, statuses) = try await Self.atOnceOnANewEncounter(service, clients: 40) { index, encounter in
                switch index % 4 {
                case 0: try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "officer@NYC", json: """
                    {"step": "law-enforcement-deconfliction", "summary": "no conflict", "counterpart": "NYPD \(index)"}
                    """).status
                case 1: try await service.send(.GET, "/api/v1/encounters/\(encounter)/steps", as: "officer@NYC", headers: TestService.lawEnforcement).status
                case 2: try await service.send(.GET, "/api/v1/encounters?limit=20", as: "officer@NYC", headers: TestService.lawEnforcement).status
                default: try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@NYC", headers: TestService.lawEnforcement).status
                }
            }
            #expect(statuses.filter { $0 == .created }.count == 10 && statuses.filter { $0 == .ok }.count == 30, "\(statuses)")
            #expect(try await service.count("step_records") == 10)
            // Ten reads of the encounter and ten lists that hold it: one record of the encounter each.
            #expect(try await service.count("audit_records WHERE action = 'read' AND LOWER(object) = 'encounter/\(encounter.lowercased())'") == 20)
            #expect(try await AuditChainTests.verify(service).isClean)
        }
    }

    /// Opens an encounter and sends `request(index, encounter)` from `clients` clients at once.
    static func atOnceOnANewEncounter(_ service: TestService, clients: Int, _ request: @escaping @Sendable (Int, String) async throws -> HTTPStatus)
        async throws -> (encounter: String, statuses: [HTTPStatus]) {
        let person = try await service.createPerson()
        let encounter = try await service.openEncounter(person, asOf: "2026-01-15").decode(EncounterView.self).id.uuidString
        let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
            for index in 0..<clients {
                group.addTask { try await request(index, encounter) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        return (encounter, statuses)
    }

    /// Officers and supervisors in turn.
    static func client(_ index: Int) -> String { index % 2 == 0 ? "officer@NYC" : "supervisor@NYC" }
}
