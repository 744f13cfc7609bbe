@testable import SafeguardCore
import Synchronization

/// Write turns that count how many were taken.
final class CountedTurns: WriteTurns {
    private let turns = SQLiteWriteTurns()
    private let taken = Mutex(0)
    var count: Int { taken.withLock { $0 } }

    func run<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        try await turns.run {
            taken.withLock { $0 += 1 }
            return try await body()
        }
    }
}

extension CountedTurns {
    /// Runs `callers` calls at once (each given its index) while another writer holds a turn,
    /// which it lets go once `waiting` counts all of them or ten seconds have passed (so that a
    /// group commit that broke fails its test instead of hanging). Returns how many waited
    /// together, and the calls' errors are thrown.
    func callsWaitingTogether(_ callers: Int, waiting: @escaping @Sendable () -> Int,
                              _ call: @escaping @Sendable (Int) async throws -> Void) async throws -> Int {
        let (release, releasing) = AsyncStream<Void>.makeStream()
        let holder = Task { try await run { for await _ in release { break } } }
        for _ in 0..<10_000 where count < 1 { try await Task.sleep(for: .milliseconds(1)) }
        guard count == 1 else { throw HolderMissing() }
        let together = try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<callers { group.addTask { try await call(index) } }
            var waited = 0
            while waiting() < callers, waited < 10_000 {
                try await Task.sleep(for: .milliseconds(1))
                waited += 1
            }
            let together = waiting()
            releasing.yield()
            try await group.waitForAll()
            return together
        }
        try await holder.value
        return together
    }

    struct HolderMissing: Error {}
}
