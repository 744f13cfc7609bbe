import Foundation

/// How many of a caller's refusals the audit chain records in a minute. Every refusal is recorded
/// up to `perMinute`; the first beyond it is recorded once, as the caller having gone over, and
/// the rest of that minute is refused (429) without a record each: so no caller, signed in or
/// not, grows the log faster than its allowance however fast it asks. Kept in memory by each
/// server process; a caller is a user when signed in, else a source address.
public actor RefusalAllowance {
    public enum Verdict: Sendable, Equatable {
        /// Within the allowance: refuse as usual and record it.
        case record
        /// The first over the allowance this minute: refuse with 429 and record that once.
        case recordExcess(retryAfter: TimeInterval)
        /// Over the allowance, already recorded: refuse with 429, without a record.
        case refuse(retryAfter: TimeInterval)
    }

    /// What the record of a caller going over its allowance names.
    public static let excessObject = "refusal-allowance"

    public let perMinute: Int
    private let clock: any WallClock
    /// A caller's minute: when it began and how many refusals it has had.
    private struct Minute {
        var start: Date
        var refusals = 0
    }

    private var minutes: [String: Minute] = [:]
    private var lastSweep: Date

    public init(perMinute: Int, clock: any WallClock = SystemClock()) {
        self.perMinute = max(1, perMinute)
        self.clock = clock
        lastSweep = clock.now
    }

    /// Counts a refusal of `caller` and says what becomes of it.
    public func admit(_ caller: String) -> Verdict {
        let now = clock.now
        sweep(now)
        var minute = minutes[caller].flatMap { now.timeIntervalSince($0.start) < 60 ? $0 : nil } ?? Minute(start: now)
        minute.refusals += 1
        minutes[caller] = minute
        let retryAfter = max(1, minute.start.addingTimeInterval(60).timeIntervalSince(now))
        switch minute.refusals {
        case ...perMinute: return .record
        case perMinute + 1: return .recordExcess(retryAfter: retryAfter)
        default: return .refuse(retryAfter: retryAfter)
        }
    }

    /// Forgets the minutes that have ended, once a minute: many callers' addresses must not
    /// pile up in memory.
    private func sweep(_ now: Date) {
        guard now.timeIntervalSince(lastSweep) >= 60 else { return }
        minutes = minutes.filter { now.timeIntervalSince($0.value.start) < 60 }
        lastSweep = now
    }
}
