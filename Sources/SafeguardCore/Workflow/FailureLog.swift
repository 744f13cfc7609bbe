import Foundation

/// Failed attempts by key within a sliding window: what the throttles count.
struct FailureLog {
    let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    init(window: TimeInterval) {
        self.window = window
    }

    /// Seconds until `key` may try again, when it failed `limit` times or more within the window
    /// before `now`; nil when it may try now.
    mutating func wait(for key: String, limit: Int, now: Date) -> TimeInterval? {
        let cutoff = now.addingTimeInterval(-window)
        let recent = (failures[key] ?? []).filter { $0 > cutoff }
        failures[key] = recent.isEmpty ? nil : recent
        guard recent.count >= limit, let oldest = recent.first else { return nil }
        return max(1, oldest.addingTimeInterval(window).timeIntervalSince(now))
    }

    mutating func record(_ key: String, at now: Date) {
        failures[key, default: []].append(now)
    }

    mutating func clear(_ key: String) {
        failures[key] = nil
    }
}
