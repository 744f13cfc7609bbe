import Foundation
import Synchronization

/// How often people may ask the filing-status source, within this process. Its answers are
/// counted and shared by everyone (USCIS: 1,000 a day in the sandbox), and the daily refresh and
/// the officers in the field spend the same allowance: a claim the source just left unsettled
/// (no answer, or one not recognised) is not asked about again for a minute, whoever clicks; and a
/// user asks at most 30 times an hour (an officer verifies a few claims a day; more is someone
/// looking through USCIS's records with Safeguard's credentials). Refreshing known filings is not
/// counted here: it runs once a day, within its own limit. Each server process keeps its own
/// count, from its start: two processes allow twice as much.
public final class SourceAskAllowance: Sendable {
    public struct Limits: Sendable {
        public var sameFilingInterval: TimeInterval = 60
        public var asksPerUserPerHour = 30

        public init() {}
    }

    private struct State {
        var filingAskedAt: [UUID: Date] = [:]
        var userAsks: [UUID: [Date]] = [:]
    }

    public let limits: Limits
    private let clock: any WallClock
    private let state = Mutex(State())

    public init(limits: Limits = Limits(), clock: any WallClock) {
        self.limits = limits
        self.clock = clock
    }

    /// Takes one ask of `user` about `filing`, or refuses it with why and how long to wait.
    func take(filing: UUID, by user: UUID) throws {
        let now = clock.now
        let refusal: WorkflowError? = state.withLock { state in
            // Only what can still refuse is kept: the memory is bounded by the asks of the last hour.
            // An ask stamped after now (the clock was set back) counts for nothing.
            func recent(_ date: Date, within interval: TimeInterval) -> Bool { date <= now && now.timeIntervalSince(date) < interval }
            state.filingAskedAt = state.filingAskedAt.filter { recent($0.value, within: limits.sameFilingInterval) }
            var asks = (state.userAsks[user] ?? []).filter { recent($0, within: 3600) }
            defer { state.userAsks[user] = asks.isEmpty ? nil : asks }
            if let asked = state.filingAskedAt[filing] {
                // Not who asked, nor exactly when: another office may have.
                return .tooOften("the source was asked about this filing less than \(Int(limits.sameFilingInterval)) s ago",
                                 retryAfter: limits.sameFilingInterval - now.timeIntervalSince(asked))
            }
            if asks.count >= limits.asksPerUserPerHour, let oldest = asks.first {
                return .tooOften("\(limits.asksPerUserPerHour) asks of the source in an hour is the most one user makes",
                                 retryAfter: 3600 - now.timeIntervalSince(oldest))
            }
            asks.append(now)
            state.filingAskedAt[filing] = now
            return nil
        }
        if let refusal { throw refusal }
    }
}
