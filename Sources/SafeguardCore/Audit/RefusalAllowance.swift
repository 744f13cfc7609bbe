import FluentKit
import Foundation

/// How many of a caller's refusals the audit chain records in a minute. Every refusal is recorded
/// up to `perMinute`; the first beyond it is recorded once, as the caller having gone over, and
/// the rest of that minute is refused (429) without a record each: so no caller, signed in or
/// not, grows the log faster than its allowance however fast it asks. Kept in memory by each
/// server process.
public actor RefusalAllowance {
    public enum Verdict: Sendable, Equatable {
        /// Within the allowance: refuse as usual and record it.
        case record
        /// The first over the allowance this minute: refuse with 429 and record that once.
        case recordExcess(retryAfter: TimeInterval)
        /// Over the allowance, already recorded: refuse with 429, without a record.
        case refuse(retryAfter: TimeInterval)
    }

    public static let defaultPerMinute = 120
    /// What the record of a caller going over its allowance names.
    public static let excessObject = "refusal-allowance"
    /// Callers remembered at once: past it, every new caller shares one allowance, so that
    /// requests from ever new addresses cannot fill the memory.
    static let rememberedCallers = 100_000

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

    /// A signed-in caller: the user.
    public static func caller(_ actor: Actor) -> String { "user \(actor.userID)" }

    /// A caller not signed in: the source address, an IPv6 address by its /64 network (what one
    /// machine is given), so that changing the low bits does not make a new caller.
    public static func caller(address: String?) -> String {
        guard let address else { return "address unknown" }
        guard address.contains(":") else { return "address \(address)" }
        let groups = address.split(separator: ":", omittingEmptySubsequences: false)
        return "network \(groups.prefix(4).joined(separator: ":"))"
    }

    /// Counts a refusal of `caller` and says what becomes of it.
    public func admit(_ caller: String) -> Verdict {
        let now = clock.now
        sweep(now)
        let key = minutes[caller] != nil || minutes.count < Self.rememberedCallers ? caller : "many callers"
        var minute = minutes[key].flatMap { now.timeIntervalSince($0.start) < 60 ? $0 : nil } ?? Minute(start: now)
        minute.refusals += 1
        minutes[key] = minute
        let retryAfter = max(1, minute.start.addingTimeInterval(60).timeIntervalSince(now))
        switch minute.refusals {
        case ...perMinute: return .record
        case perMinute + 1: return .recordExcess(retryAfter: retryAfter)
        default: return .refuse(retryAfter: retryAfter)
        }
    }

    /// Forgets the minutes that have ended, once a minute.
    private func sweep(_ now: Date) {
        guard now.timeIntervalSince(lastSweep) >= 60 else { return }
        minutes = minutes.filter { now.timeIntervalSince($0.value.start) < 60 }
        lastSweep = now
    }
}

extension AuditChain {
    /// Appends the record of a refusal within the caller's allowance (`RefusalAllowance`): the
    /// first refusal past it is recorded as the going-over (with the person it was about), later
    /// ones not at all. Returns nil when the refusal stands as it is, or how long the caller
    /// waits when it is to be answered 429 instead.
    public func appendRefusal(_ entry: AuditEntry, by caller: String, on database: any Database) async throws -> TimeInterval? {
        switch await refusals.admit(caller) {
        case .record:
            try await append(entry, on: database)
            return nil
        case .recordExcess(let wait):
            var excess = entry
            excess.object = RefusalAllowance.excessObject
            try await append(excess, on: database)
            return wait
        case .refuse(let wait):
            return wait
        }
    }
}
