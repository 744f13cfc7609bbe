import FluentKit
import Foundation
import PolicyEngine
import SafeguardCore

/// The core's services, made once from settings by `SafeguardRuntime.compose`: what the server's
/// routes and every command call.
public struct SafeguardServices: Sendable {
    public let ruleSet: RuleSet
    public let clock: any WallClock
    public let workflow: CaseWorkflow
    public let people: PersonBook
    public let users: UserDirectory
    public let loginThrottle: LoginThrottle
    public let sessionTimeouts: SessionTimeouts
    /// On SQLite, the turns every writer in the process takes; nil on PostgreSQL.
    public let writeTurns: (any WriteTurns)?
    public let custodyFeed: CustodyFeed
    public let registrations: RegistrationBook
    public let voiceConfirmation: VoiceConfirmation
    public let intake: HotlineIntake
    public let delivery: DeliverySettings
    /// Where filings are verified at the source (USCIS's Case Status API); nil when none is configured.
    public let filingSource: (any FilingStatusSource)?
    /// How long ago a known filing was verified before `serve` asks the source about it again.
    public let filingRefreshAge: TimeInterval
    public var audit: AuditChain { workflow.audit }
}

extension SafeguardServices {
    /// The alerts of silence now: dead letters, a silent custody feed, failing gateways.
    public func deliveryAlerts(on database: any Database) async throws -> DeliveryAlerts {
        try await DeliveryAlerts.compute(settings: delivery, now: clock.now, on: database)
    }
}
