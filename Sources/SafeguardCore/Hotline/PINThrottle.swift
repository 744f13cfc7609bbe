import Foundation

/// Holds back the tries of a registration's PIN once `limit` were wrong within `window`, across
/// all its notices: each notice locks after a few wrong PINs on its own (`VoiceConfirmation`), but
/// a custody event makes a new notice, so new notices must not mean new guesses. Keyed by the
/// registration, so that one registrant's guessed PIN holds back no one else's notices. Kept in
/// memory by each server process.
public actor PINThrottle {
    public let limit: Int
    private var log: FailureLog
    private let clock: any WallClock

    public init(limit: Int = 6, window: TimeInterval = 24 * 60 * 60, clock: any WallClock = SystemClock()) {
        self.limit = limit
        log = FailureLog(window: window)
        self.clock = clock
    }

    /// Seconds until the registration's PIN may be tried again, or nil when it may now.
    func retryAfter(registration: UUID) -> TimeInterval? { log.wait(for: registration.uuidString, limit: limit, now: clock.now) }

    func recordFailure(registration: UUID) { log.record(registration.uuidString, at: clock.now) }
}
