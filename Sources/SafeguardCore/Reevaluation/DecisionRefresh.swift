import FluentKit
import Foundation
import PolicyEngine

/// Keeps the stored decisions of open encounters those of today. The gate and the pages decide as
/// of today anyway; the stored decision is what the queues and lists show, so on the first day
/// the policies in force change (a policy file's effective day) every open encounter is
/// re-evaluated, and the same when the policy files themselves change.
public struct DecisionRefresh: Sendable {
    public let reevaluator: Reevaluator

    public init(reevaluator: Reevaluator) {
        self.reevaluator = reevaluator
    }

    /// Who the refreshed decisions are recorded under: the service itself.
    public static let actor = Actor(userID: UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), username: "safeguard", role: .admin, office: "")

    /// The latest day on or before today on which the policies in force changed.
    public var lastChangeDay: CalendarDate? {
        let today = reevaluator.workflow.calendar.today
        return reevaluator.workflow.ruleSet.stretches.compactMap(\.firstDay).filter { $0 <= today }.max()
    }

    /// Re-evaluates every open encounter as of today unless a finished run of these policy files
    /// already did so on or after the last change day; returns the run, or nil when none was due.
    /// - Parameter turns: on SQLite inside a running server, the write turns, taken batch by batch.
    public func refreshIfDue(on database: any Database, turns: (any WriteTurns)? = nil) async throws -> ReevaluationRun? {
        let workflow = reevaluator.workflow
        // With no open encounter there is nothing to bring up to date (each is decided as of today when opened).
        guard try await Encounter.query(on: database).filter(\.$status == Encounter.open).first() != nil else { return nil }
        // Without a change day on or before today, any finished run of these policy files will do.
        let since = lastChangeDay?.description ?? "0000-01-01"
        let done = try await ReevaluationRun.query(on: database).filter(\.$ruleSetDigest == workflow.ruleSet.digest)
            .filter(\.$finishedAt != nil).filter(\.$asOf >= since).first()
        guard done == nil else { return nil }
        return try await reevaluator.run(resume: false, by: Self.actor, on: database, turns: turns)
    }

    /// How long until the next day begins, when a refresh may next be due.
    public var untilTomorrow: Duration {
        let calendar = reevaluator.workflow.calendar
        let seconds = calendar.start(of: calendar.today.nextDay).timeIntervalSince(calendar.clock.now)
        return .milliseconds(Int64(max(1, seconds) * 1000))
    }
}
