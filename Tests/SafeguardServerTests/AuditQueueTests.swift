import Foundation
@testable import SafeguardCore
@testable import SafeguardServer
import SQLKit
import Synchronization
import Testing

/// Audit records queued by requests and integrated by a sequencer: a read commits its record
/// without claiming a head; integration puts every queued record in its partition's chain
/// once, in order, whoever integrates and however many at once; what waits too long is an alert.
@Suite struct AuditQueueTests {
    static func admin(_ service: TestService) async throws -> Actor {
        try #require(try await service.app.safeguard.users.user(named: "admin-nyc", on: service.app.db).actor)
    }

    @Test func aReadQueuesItsRecordWhichTheSequencerIntegratesInOrder() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            try await service.integrateAudit()
            let head = try #require(try await AuditChain.heads(on: service.app.db)["NYC"])
            #expect(try await service.count("audit_queue") == 0)

            let read = try await service.send(.GET, "/api/v1/people/\(person)", as: "officer@NYC", headers: TestService.lawEnforcement)
            #expect(read.status == .ok)
            #expect(try await service.count("audit_queue WHERE object = 'person/\(person)' AND action = 'read'") == 1, "the read's record is queued")
            #expect(try await AuditChain.heads(on: service.app.db)["NYC"] == head, "the request moved no head")

            #expect(try await service.app.safeguard.audit.integrate(on: service.app.db) >= 1)
            #expect(try await service.count("audit_queue") == 0)
            let moved = try #require(try await AuditChain.heads(on: service.app.db)["NYC"])
            #expect(moved.sequence > head.sequence)
            let records = try await AuditChainTests.records(service)
            let last = try #require(records.last { $0.partition == "NYC" })
            #expect(last.object == "person/\(person)" && last.action == "read" && last.sequence == moved.sequence)
            #expect(try await AuditChainTests.verify(service).isClean)
        }
    }

    /// Appends and integrations racing (several integrators at once, as several servers run
    /// theirs): every record is integrated exactly once, the chain does not fork and verifies.
    @Test func racingIntegratorsNeverForkTheChain() async throws {
        try await TestService.with { service in
            let (audit, turns, database) = (service.app.safeguard.audit, service.app.safeguard.writeTurns, service.app.db)
            let admin = try await Self.admin(service)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<4 {
                    group.addTask {
                        for batch in 0..<25 {
                            let entries = (0..<4).map { AuditEntry(admin, .read, "encounter/\(writer)-\(batch)-\($0)") }
                            try await turns.run { try await audit.append(entries, on: database) }
                        }
                    }
                }
                for _ in 0..<3 {
                    group.addTask {
                        for _ in 0..<20 { _ = try await turns.run { try await audit.integrate(batchSize: 7, on: database) } }
                    }
                }
                try await group.waitForAll()
            }
            let records = try await AuditChainTests.records(service).filter { $0.object.hasPrefix("encounter/") && $0.partition == "NYC" }
            #expect(records.count == 400 && Set(records.map(\.object)).count == 400, "each queued record integrated once")
            let sequences = try await AuditChainTests.records(service).filter { $0.partition == "NYC" }.map(\.sequence)
            #expect(sequences == Array(1...sequences.count), "one chain, no gap, no fork")
            // Within an append, the order it gave.
            let first = records.filter { $0.object.hasPrefix("encounter/0-0-") }.map(\.object)
            #expect(first == (0..<4).map { "encounter/0-0-\($0)" })
            #expect(try await AuditChainTests.verify(service).isClean)
        }
    }

    /// A record queued before an integration but committed after it (a long transaction) is
    /// integrated by the next one: the sequencer deletes what it integrated by name, never by range.
    @Test func aRecordCommittedAfterAnIntegrationIsIntegratedByTheNext() async throws {
        try await TestService.with { service in
            let (audit, database) = (service.app.safeguard.audit, service.app.db)
            let admin = try await Self.admin(service)
            try await audit.append(AuditEntry(admin, .read, "encounter/early"), on: database)
            try await audit.append(AuditEntry(admin, .read, "encounter/later"), on: database)
            // The earlier one "commits late": it is taken out before the integration and put back after.
            let sql = database as! any SQLDatabase
            let early = try await sql.select().columns(AuditLeaf.columns).from(AuditChain.queue).where("object", .equal, "encounter/early").first()
                .map(AuditLeaf.init(row:))
            try await sql.delete(from: AuditChain.queue).where("object", .equal, "encounter/early").run()
            #expect(try await audit.integrate(on: database) >= 1)
            var restored = BulkInsert(into: AuditChain.queue, columns: AuditLeaf.columns)
            restored.append(try #require(early).columnValues)
            try await restored.run(on: database)
            #expect(try await audit.integrate(on: database) == 1)
            let objects = try await AuditChainTests.records(service).map(\.object)
            #expect(objects.contains("encounter/early") && objects.firstIndex(of: "encounter/later")! < objects.firstIndex(of: "encounter/early")!)
            #expect(try await AuditChainTests.verify(service).isClean)
        }
    }

    /// Records nobody integrates (no server runs) are an alert once older than the bound, in
    /// the metrics and in `audit verify`, which only reads.
    @Test func recordsWaitingLongerThanTheBoundAreAnAlert() async throws {
        try await TestService.with { service in
            let audit = service.app.safeguard.audit
            try await audit.append(AuditEntry(try await Self.admin(service), .read, "encounter/waiting"), on: service.app.db)
            let queued = try await audit.queue(on: service.app.db)
            #expect(queued.queued >= 1 && queued.stale == 0 && queued.rejected == 0)
            let later = TestClock(now: service.clock.now.addingTimeInterval(audit.queueBound + 1))
            let stale = try await AuditChain(key: audit.key, queueBound: audit.queueBound, clock: later).queue(on: service.app.db)
            #expect(stale.stale == stale.queued && stale.queued >= 1)

            let metrics = try await service.send(.GET, "/metrics", as: "admin@NYC")
            #expect(metrics.text.contains("safeguard_audit_queued") && metrics.text.contains(#"safeguard_alert{kind="audit-queue-stale"} 0"#))

            // A bound of minutes for the command, which may take seconds to start on a loaded machine.
            let verified = try await service.runCommand(["audit", "verify"], environment: ["SAFEGUARD_AUDIT_INTEGRATION": "60"])
            #expect(verified.status == 0 && verified.standardOutput.contains("records are queued, not yet in the chain"),
                    "\(verified.status) \(verified.standardOutput) \(verified.standardError)")
            #expect(try await service.count("audit_queue") >= 1, "verifying only reads: nothing integrated")
            let integrated = try await service.runCommand(["audit", "integrate"])
            #expect(integrated.status == 0 && integrated.standardOutput.contains("queued audit records into the chain"), "\(integrated.standardOutput)")
            #expect(try await service.count("audit_queue") == 0, "as a server would, after a restore or with none running")
        }
    }

    /// A row written into the queue without the audit key (a forged read, backdated) is never
    /// signed into the chain: its rejection is recorded in its place, the row stays marked, and
    /// it is an alert.
    @Test func aLeafWrittenWithoutTheAuditKeyIsRejected() async throws {
        try await TestService.with { service in
            let (audit, database) = (service.app.safeguard.audit, service.app.db)
            let admin = try await Self.admin(service)
            try await audit.append(AuditEntry(admin, .read, "encounter/genuine"), on: database)
            let sql = database as! any SQLDatabase
            var forged = try #require(try await sql.select().columns(AuditLeaf.columns).from(AuditChain.queue)
                .where("object", .equal, "encounter/genuine").first().map(AuditLeaf.init(row:)))
            (forged.leaf, forged.ordinal, forged.object, forged.queuedAt) = ("forged/0", 0, "person/forged", "2025-01-01T00:00:00.000Z")
            var rows = BulkInsert(into: AuditChain.queue, columns: AuditLeaf.columns)
            rows.append(forged.columnValues)
            try await rows.run(on: database)

            try await service.integrateAudit()
            let records = try await AuditChainTests.records(service)
            #expect(records.contains { $0.object == "encounter/genuine" } && !records.contains { $0.object == "person/forged" })
            #expect(records.contains { $0.object == "audit-leaf/forged/0" && $0.action == "denial" && $0.username == "safeguard" })
            #expect(try await audit.queue(on: database).rejected == 1)
            #expect(try await AuditChainTests.verify(service).isClean)
            let metrics = try await service.send(.GET, "/metrics", as: "admin@NYC")
            #expect(metrics.text.contains(#"safeguard_alert{kind="audit-leaves-rejected"} 1"#))
            let verified = try await service.runCommand(["audit", "verify"])
            #expect(verified.status == 4 && verified.standardOutput.contains("alert: 1 queued records were rejected"), "\(verified.standardOutput)")
        }
    }

    /// Reads' records appended at once while the writer's turn is taken go out together (group
    /// commit): one turn for all that waited, each record queued once, and no caller returns
    /// before its own record is in the queue.
    @Test func recordsAppendedAtOnceAreWrittenInOneTurn() async throws {
        try await TestService.with { service in
            let (audit, database) = (service.app.safeguard.audit, service.app.db)
            let admin = try await Self.admin(service)
            let turns = CountedTurns()
            // Another writer holds the turn while twenty reads append their records; the writer
            // then waits for the turn with what waited when it started, the rest wait behind it.
            let together = try await turns.callsWaitingTogether(20, waiting: { audit.groupCommit.unwritten }) { read in
                try await audit.append([AuditEntry(admin, .read, "encounter/together-\(read)")], taking: turns, on: database)
                let queued = try await (database as! any SQLDatabase).select().column("leaf").from("audit_queue")
                    .where("object", .equal, "encounter/together-\(read)").all()
                #expect(queued.count == 1, "read \(read) returned before its record was written")
            }
            #expect(together == 20, "the twenty reads wait for the turn together")
            #expect(turns.count <= 3, "the holder's turn, then at most two for the twenty: what waited when the writer started, and the rest")
            #expect(try await service.count("audit_queue WHERE object LIKE 'encounter/together-%'") == 20)
            try await service.integrateAudit()
            #expect(try await AuditChainTests.verify(service).isClean)
        }
    }
}
