import FluentKit
import Synchronization

/// Group commit of queued audit leaves, for writers that take turns (SQLite, one writer at a
/// time): every API read writes its records, and one statement and one commit a turn each would
/// make all reads take turns. The first caller to find nobody writing starts a writer; the leaves
/// of every caller that arrives while it waits for its turn or writes go out together in its next
/// statement. Each caller returns when the statement holding its leaves has committed (or throws
/// its error): no read is answered before its record is durable. The leaves are made in the turn
/// that writes them, so that on one server they are queued in the order they are integrated. The
/// writer writes through the turns and database handle of the caller that started it: a process
/// has one set of turns and one pool.
final class AuditGroupCommit: Sendable {
    private struct Waiting {
        let entries: [AuditEntry]
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var writing = false
        /// Callers whose leaves are not written yet: those waiting and those of the batch being written.
        var unwritten = 0
    }

    private let state = Mutex(State())

    /// How many callers wait for their leaves to be written now.
    var unwritten: Int { state.withLock { $0.unwritten } }

    /// Writes the leaves of `entries` in `chain`'s queue together with those of the callers waiting
    /// now, in a turn of `turns`.
    func write(_ entries: [AuditEntry], of chain: AuditChain, taking turns: any WriteTurns, on database: any Database) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let starts = state.withLock { state in
                state.waiting.append(Waiting(entries: entries, continuation: continuation))
                state.unwritten += 1
                defer { state.writing = true }
                return !state.writing
            }
            if starts { Task { await self.writeWaiting(of: chain, taking: turns, on: database) } }
        }
    }

    /// Writes what waits, batch after batch, until nothing does.
    private func writeWaiting(of chain: AuditChain, taking turns: any WriteTurns, on database: any Database) async {
        while true {
            let batch = state.withLock { state in
                defer { state.waiting = [] }
                if state.waiting.isEmpty { state.writing = false }
                return state.waiting
            }
            guard !batch.isEmpty else { return }
            let written: Result<Void, any Error>
            do {
                try await turns.run { try await AuditChain.write(batch.flatMap { chain.leaves(of: $0.entries) }, on: database) }
                written = .success(())
            } catch {
                written = .failure(error)
            }
            state.withLock { $0.unwritten -= batch.count }
            for waiting in batch { waiting.continuation.resume(with: written) }
        }
    }
}
