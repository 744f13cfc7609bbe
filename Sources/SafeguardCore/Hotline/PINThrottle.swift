import Foundation

/// Holds back a caller (the voice gateway's account) that relays too many wrong PINs across
/// notices within `window`: each notice locks after a few on its own (`VoiceConfirmation`), so
/// this stops guessing spread over many notices. Kept in memory by each server process.
public actor PINThrottle {
    public let limit: Int
    private var log: FailureLog
    private let clock: any WallClock

    public init(limit: Int = 20, window: TimeInterval = 15 * 60, clock: any WallClock = SystemClock()) {
        self.limit = limit
        log = FailureLog(window: window)
        self.clock = clock
    }

    /// Seconds the caller waits before relaying another PIN, or nil when it may now.
    func retryAfter(caller: String) -> TimeInterval? { log.wait(for: caller, limit: limit, now: clock.now) }

    func recordFailure(caller: String) { log.record(caller, at: clock.now) }
}
