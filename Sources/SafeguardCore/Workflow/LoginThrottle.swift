import Foundation

/// Slows password guessing: after `limit` failed sign-ins for one username within `window`,
/// further attempts for it are refused until the window has passed since the first of them.
/// Kept in memory by each server process.
public actor LoginThrottle {
    public let limit: Int
    public let window: TimeInterval
    private var failures: [String: [Date]] = [:]
    private let clock: any WallClock

    public init(limit: Int = 5, window: TimeInterval = 15 * 60, clock: any WallClock = SystemClock()) {
        self.limit = limit
        self.window = window
        self.clock = clock
    }

    /// Seconds to wait before another attempt for this username, or nil when one may be made now.
    public func retryAfter(username: String) -> TimeInterval? {
        let recent = prune(username)
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, oldest.addingTimeInterval(window).timeIntervalSince(clock.now))
    }

    public func recordFailure(username: String) {
        failures[username, default: []].append(clock.now)
    }

    public func recordSuccess(username: String) {
        failures[username] = nil
    }

    private func prune(_ username: String) -> [Date] {
        let cutoff = clock.now.addingTimeInterval(-window)
        let recent = (failures[username] ?? []).filter { $0 > cutoff }
        failures[username] = recent.isEmpty ? nil : recent
        return recent
    }
}
