import Foundation

/// How long a page session lasts: it ends after `idle` seconds without a request, and `lifetime`
/// seconds after sign-in whatever happens (NIST SP 800-63B asks for at most 30 minutes idle and
/// 12 hours in all at AAL2; a working day of eight is stricter).
public struct SessionTimeouts: Sendable, Equatable {
    public var idle: TimeInterval
    public var lifetime: TimeInterval

    public init(idle: TimeInterval = 30 * 60, lifetime: TimeInterval = 8 * 60 * 60) {
        self.idle = idle
        self.lifetime = lifetime
    }

    /// Whether a session signed in and last seen at these times (seconds since 1970) still holds.
    public func holds(signedInAt signedIn: TimeInterval, lastSeenAt seen: TimeInterval, now: TimeInterval) -> Bool {
        now - signedIn < lifetime && now - seen < idle
    }
}
