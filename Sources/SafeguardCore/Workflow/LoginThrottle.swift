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
    public let window: TimeInterval
    private var failures: [String: [Date]] = [:]
    private let clock: any WallClock

    public init(limits: Limits = Limits(), window: TimeInterval = 15 * 60, clock: any WallClock = SystemClock()) {
        self.limits = limits
        self.window = window
        self.clock = clock
    }

    /// Seconds to wait before another attempt for this username from this source, or nil when one may be made now.
    public func retryAfter(username: String, source: String) -> TimeInterval? {
        let waits = Self.keys(username: username, source: source, limits: limits).compactMap { key, limit -> TimeInterval? in
            let recent = prune(key)
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return max(1, oldest.addingTimeInterval(window).timeIntervalSince(clock.now))
        }
        return waits.max()
    }

    public func recordFailure(username: String, source: String) {
        let now = clock.now
        for (key, _) in Self.keys(username: username, source: source, limits: limits) { failures[key, default: []].append(now) }
    }

    /// A success clears what this source's failures for this username held; the counts across
    /// sources and usernames stay, so a spraying machine is not let off by one account it knows.
    public func recordSuccess(username: String, source: String) {
        failures[Self.keys(username: username, source: source, limits: limits)[0].key] = nil
    }

    private static func keys(username: String, source: String, limits: Limits) -> [(key: String, limit: Int)] {
        [("user \(username) from \(source)", limits.perSource), ("source \(source)", limits.perSprayer), ("user \(username)", limits.perUsername)]
    }

    private func prune(_ key: String) -> [Date] {
        let cutoff = clock.now.addingTimeInterval(-window)
        let recent = (failures[key] ?? []).filter { $0 > cutoff }
        failures[key] = recent.isEmpty ? nil : recent
        return recent
    }
}
