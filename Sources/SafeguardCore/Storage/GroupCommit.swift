import FluentKit
import Synchronization

/// Group commit for writers that take turns (`WriteTurns`): callers that write at once share one
/// turn, one transaction and one commit, and statements of many rows instead of one statement
/// each, so that SQLite's one writer spends its turn on their work, not on a round trip to the
/// database per statement (and PostgreSQL runs fewer statements and commits). The first caller
/// to find nobody writing starts a writer; the work of every caller that arrives while it waits
/// for its turn or writes goes into its next batch, at most `maximumBatch` callers' work a batch.
/// Each caller returns its own outcome once the batch holding its work has committed: nobody is
/// answered before their writes are durable, and one caller's work that breaks a constraint
/// fails no other's. The writer writes through the turns, database handle and batch function of
/// the caller that started it: a process has one set of turns and one pool, and every caller of
/// one group commit passes the same function.
final class GroupCommit<Work: Sendable, Output: Sendable>: Sendable {
    /// Writes a batch, in the turn taken for it; returns an outcome for each piece of work, in
    /// order. A throw fails the whole batch (nothing of it was written).
    typealias Batch = @Sendable (_ work: [Work], _ database: any Database) async throws -> [Result<Output, any Error>]

    private struct Waiting {
        let work: Work
        let continuation: CheckedContinuation<Output, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var writing = false
        /// Callers whose work is not written yet: those waiting and those of the batch being written.
        var unwritten = 0
    }

    private let state = Mutex(State())
    let maximumBatch: Int

    init(maximumBatch: Int = 256) {
        self.maximumBatch = maximumBatch
    }

    /// How many callers wait for their work to be written now.
    var unwritten: Int { state.withLock { $0.unwritten } }

    /// Writes `work` together with that of the callers waiting now, in a turn of `turns`.
    func write(_ work: Work, taking turns: any WriteTurns, on database: any Database, batch: @escaping Batch) async throws -> Output {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Output, any Error>) in
            let starts = state.withLock { state in
                state.waiting.append(Waiting(work: work, continuation: continuation))
                state.unwritten += 1
                defer { state.writing = true }
                return !state.writing
            }
            if starts { Task { await self.writeWaiting(taking: turns, on: database, batch: batch) } }
        }
    }

    /// Writes what waits, batch after batch, until nothing does.
    private func writeWaiting(taking turns: any WriteTurns, on database: any Database, batch: @escaping Batch) async {
        while true {
            let waiting = state.withLock { state in
                if state.waiting.isEmpty { state.writing = false }
                let batch = state.waiting.prefix(maximumBatch)
                state.waiting.removeFirst(batch.count)
                return Array(batch)
            }
            guard !waiting.isEmpty else { return }
            let outcomes = await write(waiting.map(\.work), taking: turns, on: database, batch: batch)
            state.withLock { $0.unwritten -= waiting.count }
            for (caller, outcome) in zip(waiting, outcomes) { caller.continuation.resume(with: outcome) }
        }
    }

    /// Writes one batch. When a constraint refuses it, each piece of work is written again alone,
    /// so that work that breaks one fails its own caller only; any other failure (a connection
    /// lost, a pool exhausted, a disk full) is no piece's doing and fails the batch once, without
    /// a retry for each that would hold the turn all the longer, nor a second copy of a batch
    /// whose commit may have landed.
    private func write(_ work: [Work], taking turns: any WriteTurns, on database: any Database, batch: @escaping Batch) async -> [Result<Output, any Error>] {
        do {
            let outcomes = try await turns.run { try await batch(work, database) }
            precondition(outcomes.count == work.count, "a group commit's batch answers each piece of work")
            return outcomes
        } catch let error as any DatabaseError where error.isConstraintFailure && work.count > 1 {
            var outcomes: [Result<Output, any Error>] = []
            for piece in work { outcomes += await write([piece], taking: turns, on: database, batch: batch) }
            return outcomes
        } catch {
            return work.map { _ in .failure(error) }
        }
    }
}
