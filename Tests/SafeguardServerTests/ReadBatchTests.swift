import FluentKit
import Foundation
@testable import SafeguardCore
@testable import SafeguardServer
import Synchronization
import Testing

/// Reads asked for at once are made as one (`ReadBatch`), whoever asks: each reader is answered
/// only what they reach and what they are entitled to see, and a reader inside a transaction
/// reads alone.
@Suite struct ReadBatchTests {
    /// A read held running, and the keys each read of the batch was asked for.
    private final class HeldReads: Sendable {
        let loads = Mutex([[UUID]]())
        private let release: AsyncStream<Void>
        private let releasing: AsyncStream<Void>.Continuation

        init() { (release, releasing) = AsyncStream<Void>.makeStream() }

        /// The first read waits for `letGo`; every read then reads as the workflow does.
        func load(_ workflow: CaseWorkflow) -> ReadBatch<UUID, EncounterRead>.Load {
            { ids, database in
                if self.loads.withLock({ $0.append(ids.sorted { $0.uuidString < $1.uuidString }); return $0.count == 1 }) {
                    for await _ in self.release { break }
                }
                return try await workflow.encounterReads(of: ids, on: database)
            }
        }

        func letGo() { releasing.yield() }
    }

    private static func until(_ condition: () -> Bool) async throws {
        for _ in 0..<10_000 where !condition() { try await Task.sleep(for: .milliseconds(1)) }
        #expect(condition(), "waited ten seconds")
    }

    @Test func encountersReadAtOnceAreReadTogetherEachAsItsReaderMaySeeIt() async throws {
        try await TestService.with { service in
            let (workflow, database, users) = (service.app.safeguard.workflow, service.app.db, service.app.safeguard.users)
            let person = try await service.createPerson()
            _ = try await service.addFiling(person)
            let encounters = [try await service.openEncounter(person, asOf: "2026-12-01").decode(EncounterView.self).id,
                              try await service.openEncounter(person, action: "removal", asOf: "2026-12-01").decode(EncounterView.self).id]
            let (nobody, officer, officerElsewhere) = (UUID(), try #require(try await users.user(named: "officer-nyc", on: database).actor),
                                                       try #require(try await users.user(named: "officer-lax", on: database).actor))
            let turns: any WriteTurns = service.app.safeguard.writeTurns ?? ConcurrentWriteTurns()
            let readers = [Reader(actor: officer, purpose: .lawEnforcement, turns: turns), Reader(actor: officer, purpose: nil, turns: turns),
                           Reader(actor: officerElsewhere, purpose: .lawEnforcement, turns: turns)]
            let held = HeldReads()
            let holder = Task { try await workflow.batchedEncounterReads.read(encounters[0], on: database, load: held.load(workflow)) }
            try await Self.until { held.loads.withLock { $0.count } == 1 }

            let answers = try await withThrowingTaskGroup(of: (Int, Result<EncounterView, any Error>).self) { group in
                for index in 0..<12 {
                    let id = index == 11 ? nobody : encounters[index % 2]
                    group.addTask {
                        do { return (index, .success(try await workflow.show(encounter: id, to: readers[index % 3], on: database))) } catch { return (index, .failure(error)) }
                    }
                }
                try await Self.until { workflow.batchedEncounterReads.unanswered == 13 }
                held.letGo()
                return try await group.reduce(into: [Int: Result<EncounterView, any Error>]()) { $0[$1.0] = $1.1 }
            }
            #expect(try await holder.value?.encounter.id == encounters[0])
            #expect(held.loads.withLock { $0 }.count == 2, "the twelve reads are one read")
            #expect(held.loads.withLock { $0 }.last == (encounters + [nobody]).sorted { $0.uuidString < $1.uuidString }, "each encounter read once")

            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            for (index, answer) in answers {
                switch (index, index % 3, answer) {
                case (11, _, .failure(WorkflowError.notFound)), (_, 2, .failure(WorkflowError.notFound)):
                    break // nobody's encounter; another office's
                case (_, let reader, .success(let view)) where index != 11 && reader != 2:
                    #expect(view.id == encounters[index % 2] && view.action == (index % 2 == 0 ? "arrest" : "removal"))
                    let facts = String(decoding: try encoder.encode(view.facts), as: UTF8.self)
                    #expect(facts.contains(#""type":"U""#) == (reader == 0), "only the reader with a purpose sees the petition: \(facts)")
                default:
                    Issue.record("read \(index) by reader \(index % 3) was answered \((try? answer.get()).map { "encounter \($0.id)" } ?? "an error")")
                }
            }
        }
    }

    /// An encounter whose record cannot be read fails its own readers only, and tells a reader
    /// of another office only that it is not found.
    @Test func aRecordThatCannotBeReadFailsItsOwnReadersOnly() async throws {
        try await TestService.with { service in
            let (workflow, database, users) = (service.app.safeguard.workflow, service.app.db, service.app.safeguard.users)
            let person = try await service.createPerson()
            let (sound, broken) = (try await service.openEncounter(person, asOf: "2026-12-01").decode(EncounterView.self).id,
                                   try await service.openEncounter(person, asOf: "2026-12-01").decode(EncounterView.self).id)
            try await CaseRecords.sqlDatabase(database).raw("UPDATE encounters SET as_of = 'not-a-day' WHERE id = \(bind: broken)").run()
            let turns: any WriteTurns = service.app.safeguard.writeTurns ?? ConcurrentWriteTurns()
            let (officer, officerElsewhere) = (try #require(try await users.user(named: "officer-nyc", on: database).actor),
                                               try #require(try await users.user(named: "officer-lax", on: database).actor))
            let reads = [(sound, officer), (broken, officer), (broken, officerElsewhere), (sound, officer)]
            let held = HeldReads()
            let holder = Task { try await workflow.batchedEncounterReads.read(UUID(), on: database, load: held.load(workflow)) }
            try await Self.until { held.loads.withLock { $0.count } == 1 }
            let answers = try await withThrowingTaskGroup(of: (Int, Result<EncounterView, any Error>).self) { group in
                for (index, (id, actor)) in reads.enumerated() {
                    group.addTask {
                        let reader = Reader(actor: actor, purpose: .lawEnforcement, turns: turns)
                        do { return (index, .success(try await workflow.show(encounter: id, to: reader, on: database))) } catch { return (index, .failure(error)) }
                    }
                }
                try await Self.until { workflow.batchedEncounterReads.unanswered == 1 + reads.count }
                held.letGo()
                return try await group.reduce(into: [Int: Result<EncounterView, any Error>]()) { $0[$1.0] = $1.1 }
            }
            _ = try await holder.value
            #expect(held.loads.withLock { $0 }.count > 2, "the batch that failed was read again key by key")
            for index in [0, 3] { #expect((try? answers[index]?.get())?.id == sound, "the sound encounter is read") }
            guard case .failure(WorkflowError.conflict(let message)) = answers[1] else { Issue.record("\(String(describing: answers[1]))"); return }
            #expect(message.contains(broken.uuidString))
            guard case .failure(WorkflowError.notFound) = answers[2] else { Issue.record("\(String(describing: answers[2]))"); return }
        }
    }

    @Test func aReaderInATransactionReadsAlone() async throws {
        try await TestService.with { service in
            let (workflow, database) = (service.app.safeguard.workflow, service.app.db)
            let person = try await service.createPerson()
            let encounter = try await service.openEncounter(person, asOf: "2026-12-01").decode(EncounterView.self).id
            let held = HeldReads()
            let holder = Task { try await workflow.batchedEncounterReads.read(UUID(), on: database, load: held.load(workflow)) }
            try await Self.until { held.loads.withLock { $0.count } == 1 }
            // Not held up by the read running: it sees what its transaction sees, and nobody else does.
            let read = try await database.transaction { database in
                try await workflow.batchedEncounterReads.read(encounter, on: database) { try await workflow.encounterReads(of: $0, on: $1) }
            }
            #expect(read?.encounter.id == encounter)
            held.letGo()
            #expect(try await holder.value == nil)
        }
    }
}
