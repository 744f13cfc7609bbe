import Foundation

/// Slows password guessing without letting a stranger lock anyone out. Failed sign-ins are
/// counted within `window` three ways: for one username from one source (`perSource`, 5: the
/// owner signing in from elsewhere is not held up by a stranger's failures), from one source
/// across usernames (`perSprayer`, 20: one machine trying many accounts), and for one username
/// from every source (`perUsername`, 100: a guess spread over many machines). Past any limit,
/// attempts are refused until the window has passed since the oldest failure counted. Kept in
/// memory by each server process.
public actor LoginThrottle {
    public struct Limits: Sendable {
        public var perSource = 5
        public var perSprayer = 20
        public var perUsername = 100
        public init() {}
    }

    public let limits: Limits
    private var log: FailureLog
    private let clock: any WallClock

    public init(limits: Limits = Limits(), window: TimeInterval = 15 * 60, clock: any WallClock = SystemClock()) {
        self.limits = limits
        log = FailureLog(window: window)
        self.clock = clock
    }

    /// Seconds to wait before another attempt for this username from this source, or nil when one may be made now.
    public func retryAfter(username: String, source: String) -> TimeInterval? {
        let now = clock.now
        return Self.keys(username: username, source: source, limits: limits).compactMap { key, limit in log.wait(for: key, limit: limit, now: now) }.max()
    }

    public func recordFailure(username: String, source: String) {
        let now = clock.now
        for (key, _) in Self.keys(username: username, source: source, limits: limits) { log.record(key, at: now) }
    }

    /// A success clears what this source's failures for this username held; the counts across
    /// sources and usernames stay, so a spraying machine is not let off by one account it knows.
    public func recordSuccess(username: String, source: String) {
        log.clear(Self.keys(username: username, source: source, limits: limits)[0].key)
    }

    private static func keys(username: String, source: String, limits: Limits) -> [(key: String, limit: Int)] {
        [("user \(username) from \(source)", limits.perSource), ("source \(source)", limits.perSprayer), ("user \(username)", limits.perUsername)]
    }
}
