import Synchronization

/// Callers whose work arrives at once share one run of it: the first caller to find no batch
/// running starts one; the work of every caller that arrives while it runs goes into the next,
/// at most `maximumBatch` callers' work a batch, until none waits. Each caller returns its own
/// outcome once the batch holding its work has run. The runs go through the batch function of
/// the caller that started them: every caller of one `Batching` passes the same code, and
/// anything that belongs to a caller (its database handle) travels in its work.
final class Batching<Work: Sendable, Output: Sendable>: Sendable {
    /// Runs a batch: an outcome for each piece of work, in order.
    typealias Batch = @Sendable (_ work: [Work]) async -> [Result<Output, any Error>]

    private struct Waiting {
        let work: Work
        let continuation: CheckedContinuation<Output, any Error>
    }

    private struct State {
        var waiting: [Waiting] = []
        var running = false
        /// Callers not answered yet: those waiting and those of the batch running.
        var unanswered = 0
    }

    private let state = Mutex(State())
    let maximumBatch: Int

    init(maximumBatch: Int) {
        precondition(maximumBatch > 0, "a batch holds at least one caller's work")
        self.maximumBatch = maximumBatch
    }

    /// How many callers wait for their outcome now.
    var unanswered: Int { state.withLock { $0.unanswered } }

    /// Runs `work` together with that of the callers waiting now.
    func run(_ work: Work, batch: @escaping Batch) async throws -> Output {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Output, any Error>) in
            let starts = state.withLock { state in
                state.waiting.append(Waiting(work: work, continuation: continuation))
                state.unanswered += 1
                defer { state.running = true }
                return !state.running
            }
            if starts { Task { await self.runWaiting(batch) } }
        }
    }

    /// Runs what waits, batch after batch, until nothing does.
    private func runWaiting(_ batch: @escaping Batch) async {
        while true {
            let waiting = state.withLock { state in
                if state.waiting.isEmpty { state.running = false }
                let next = state.waiting.prefix(maximumBatch)
                state.waiting.removeFirst(next.count)
                return Array(next)
            }
            guard !waiting.isEmpty else { return }
            let outcomes = await batch(waiting.map(\.work))
            precondition(outcomes.count == waiting.count, "a batch answers each piece of work")
            state.withLock { $0.unanswered -= waiting.count }
            for (caller, outcome) in zip(waiting, outcomes) { caller.continuation.resume(with: outcome) }
        }
    }
}
