import Foundation

/// What time it is, and waiting for time to pass. The service runs on `SystemClock`; tests run on a
/// clock of their own that they move forward, so that a timeout or a retry is tested without waiting.
public protocol WallClock: Sendable {
    var now: Date { get }
    /// Returns once `duration` has passed on this clock; throws `CancellationError` if the task is cancelled.
    func sleep(for duration: Duration) async throws
}

/// The system's time.
public struct SystemClock: WallClock {
    public init() {}

    public var now: Date { Date() }

    public func sleep(for duration: Duration) async throws {
        try await Task.sleep(for: duration)
    }
}

extension Duration {
    /// The duration in seconds, for arithmetic with `Date`.
    public var seconds: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
