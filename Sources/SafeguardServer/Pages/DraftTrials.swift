import Synchronization

/// Whether a draft policy is being tried on the population in this process: one at a time, since
/// each decides every open encounter twice; another asks again in a moment (503).
final class DraftTrials: Sendable {
    private let running = Mutex(false)

    /// Takes the one trial, or false when it is taken.
    func begin() -> Bool {
        running.withLock { running in
            guard !running else { return false }
            running = true
            return true
        }
    }

    func end() {
        running.withLock { $0 = false }
    }
}
