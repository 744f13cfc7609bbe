@testable import SafeguardCore
import Synchronization
import Testing

/// Callers that write at once share a batch (`GroupCommit`), and one caller's work that the
/// database refuses fails that caller alone.
@Suite struct GroupCommitTests {
    private struct Refused: Error {}

    @Test func workTheDatabaseRefusesFailsItsOwnCallerOnly() async throws {
        try await TestService.with { service in
            let commit = GroupCommit<Int, Int>()
            let turns = CountedTurns()
            let refused = 6
            let written = Mutex([Int]())
            let together = try await turns.callsWaitingTogether(10, waiting: { commit.unwritten }) { index in
                do {
                    let answer = try await commit.write(index, taking: turns, on: service.app.db) { work, _ in
                        // A batch is written whole or not at all.
                        if work.contains(refused) { throw Refused() }
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
}
