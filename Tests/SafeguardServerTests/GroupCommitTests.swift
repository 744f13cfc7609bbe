import FluentKit
@testable import SafeguardCore
import Synchronization
import Testing

/// Callers that write at once share a batch (`GroupCommit`): one caller's work that breaks a
/// constraint fails that caller alone; a failure that is no caller's doing fails the batch once.
@Suite struct GroupCommitTests {
    private struct Refused: Error, DatabaseError {
        let isConstraintFailure: Bool
        var isSyntaxError: Bool { false }
        var isConnectionClosed: Bool { !isConstraintFailure }
    }

    @Test func workThatBreaksAConstraintFailsItsOwnCallerOnly() async throws {
        try await TestService.with { service in
            let commit = GroupCommit<Int, Int>()
            let turns = CountedTurns()
            let refused = 6
            let written = Mutex([Int]())
            let together = try await turns.callsWaitingTogether(10, waiting: { commit.unwritten }) { index in
                do {
                    let answer = try await commit.write(index, taking: turns, on: service.app.db) { work, _ in
                        // A batch is written whole or not at all.
                        if work.contains(refused) { throw Refused(isConstraintFailure: true) }
                        written.withLock { $0 += work }
                        return work.map { .success($0 * 10) }
                    }
                    #expect(index != refused && answer == index * 10, "caller \(index) is answered its own outcome")
                } catch is Refused {
                    #expect(index == refused)
                }
            }
            #expect(together == 10, "the ten callers wait for the turn together")
            #expect(written.withLock { $0 }.sorted() == Array(0..<10).filter { $0 != refused }, "every other caller's work is written once")
        }
    }

    @Test func aFailureThatIsNoCallersDoingFailsTheBatchOnce() async throws {
        try await TestService.with { service in
            let commit = GroupCommit<Int, Int>()
            let turns = CountedTurns()
            let attempts = Mutex(0)
            let failed = Mutex(0)
            _ = try await turns.callsWaitingTogether(10, waiting: { commit.unwritten }) { index in
                do {
                    _ = try await commit.write(index, taking: turns, on: service.app.db) { _, _ in
                        attempts.withLock { $0 += 1 }
                        throw Refused(isConstraintFailure: false)
                    }
                } catch is Refused {
                    failed.withLock { $0 += 1 }
                }
            }
            #expect(failed.withLock { $0 } == 10, "every caller is told")
            // The writer waited for the turn with what waited when it started, then took the rest.
            #expect(attempts.withLock { $0 } <= 2, "no caller's work is tried again on its own")
        }
    }

    @Test func aBatchTakesAtMostItsBound() async throws {
        try await TestService.with { service in
            let commit = GroupCommit<Int, Int>(maximumBatch: 3)
            let turns = CountedTurns()
            let sizes = Mutex([Int]())
            _ = try await turns.callsWaitingTogether(10, waiting: { commit.unwritten }) { index in
                let answer = try await commit.write(index, taking: turns, on: service.app.db) { work, _ in
                    sizes.withLock { $0.append(work.count) }
                    return work.map { .success($0) }
                }
                #expect(answer == index)
            }
            let batches = sizes.withLock { $0 }
            #expect(batches.reduce(0, +) == 10 && batches.allSatisfy { $0 <= 3 }, "\(batches)")
        }
    }
}
