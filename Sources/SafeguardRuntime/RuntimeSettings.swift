import Foundation
import SafeguardCore

/// Where Safeguard keeps its records and how its parts run, from flags or the environment, for the
/// server and every command alike. Invalid settings are all reported together before anything starts.
public struct RuntimeSettings: Sendable, Equatable {
    /// The SQLite file, used unless `databaseURL` names a PostgreSQL database.
    public var databasePath: String
    /// `postgres://user:password@host:port/database`, from `DATABASE_URL`.
    public var databaseURL: String?
    /// The file of the Ed25519 key that signs audit heads; created on first use.
    public var auditKeyPath: String
    /// How often a running server signs the audit heads that moved.
    public var auditSigningInterval: Duration = .seconds(300)
    /// How often a running server integrates the audit records requests queued
    /// (`AuditIntegration`): the bound, with the integration's own time, of how long a record
    /// waits outside the chain.
    public var auditIntegrationInterval: TimeInterval = 0.25
    /// How long a bearer token found live is taken as live without asking the database again
    /// (`RecentTokens`): how long a token revoked by another process may still work here.
    public var tokenRecheckInterval: TimeInterval = 1
    /// How long a queued audit record may wait before it is an alert (`safeguard_alert{kind=
    /// "audit-queue-stale"}`, `audit verify`): a sequencer that does not run or fails.
    public var auditQueueBound: TimeInterval { max(5, auditIntegrationInterval * 8) }
    /// USCIS's Case Status API, where filings are verified at the source; nil when not configured.
    public var filingSource: USCISCaseStatusClient.Settings?
    /// Whether `serve` asks the source again, once a day, about known filings verified more than
    /// `filingRefreshAge` seconds ago (30 days).
    public var refreshesFilings = true
    public var filingRefreshAge: TimeInterval = 30 * 86_400
    /// The notification gateways and the workers' timing.
    public var delivery = DeliverySettings(gateways: [:])
    /// Delivery workers this server runs (none unless a gateway is configured).
    public var deliveryWorkers = 0
    /// The custody events that notify registrants.
    public var notifyOn = Set(CustodyEventKind.allCases)
    /// When page sessions end.
    public var sessionTimeouts = SessionTimeouts()
    /// Database connections each event loop may open. The drivers' default of one made every
    /// request on a loop wait for the one that held its connection (a writer in its transaction,
    /// on PostgreSQL a step waiting for its encounter's row).
    public var databaseConnectionsPerLoop = 4
    /// Where the day open encounters are decided on begins and ends (`CaseCalendar`).
    public var timeZone = CaseCalendar.defaultTimeZone
    /// Whether a running server brings the stored decisions of open encounters up to date as days
    /// pass (`DecisionRefresh`); off only in tests that write decisions themselves.
    public var refreshesDecisions = true
    /// How many refusals of one caller a minute the audit chain records before the caller's
    /// further refusals that minute are answered 429 (`RefusalAllowance`).
    public var refusalsPerMinute = RefusalAllowance.defaultPerMinute

    public static let defaultDatabasePath = "safeguard.sqlite"

    /// The database in words for logs and messages, without any password.
    public var databaseDescription: String {
        guard let databaseURL, let url = URL(string: databaseURL) else { return databasePath }
        return "PostgreSQL at \(url.host ?? "?"):\(url.port ?? 5432)\(url.path)"
    }

    public init(databasePath: String, databaseURL: String? = nil, auditKeyPath: String? = nil) {
        self.databasePath = databasePath
        self.databaseURL = databaseURL
        self.auditKeyPath = auditKeyPath ?? (databaseURL == nil ? databasePath + ".audit-key" : Self.defaultAuditKeyPath)
    }

    /// Beside a SQLite file, the key is that file's name plus `.audit-key`; with PostgreSQL, this file.
    public static let defaultAuditKeyPath = "safeguard-audit.key"

    /// Reads settings: a flag wins over the environment (`SAFEGUARD_DATABASE`, `SAFEGUARD_AUDIT_KEY`), which wins over the default. `DATABASE_URL`
    /// selects PostgreSQL. Victim notification: `SAFEGUARD_GATEWAY_SMS`, `_EMAIL`, `_VOICE` (the
    /// gateways' URLs), `SAFEGUARD_DELIVERY_WORKERS` (default 2 when a gateway is set),
    /// `SAFEGUARD_NOTIFY_ON` (event kinds, comma-separated; default all), and in seconds
    /// `SAFEGUARD_FEED_SILENCE` (without a custody event before the alert; 21600),
    /// `SAFEGUARD_DELIVERY_LEASE` (120), `SAFEGUARD_DELIVERY_BACKOFF` (the first retry's wait; 30),
    /// `SAFEGUARD_DELIVERY_RETRY_WINDOW` (172800) and `SAFEGUARD_DELIVERY_TIMEOUT` (20). Page
    /// sessions, in seconds: `SAFEGUARD_SESSION_IDLE` (1800) and `SAFEGUARD_SESSION_LIFETIME` (28800).
    /// `SAFEGUARD_DATABASE_CONNECTIONS`: connections per event loop (4). `SAFEGUARD_TIME_ZONE`: the
    /// IANA time zone whose day open encounters are decided on (America/New_York).
    /// `SAFEGUARD_REFUSALS_PER_MINUTE`: refusals of one caller recorded a minute (120).
    /// `SAFEGUARD_AUDIT_INTEGRATION`: seconds between integrations of queued audit records (0.25).
    /// USCIS's Case Status API, to verify filings at the source: `SAFEGUARD_USCIS_URL`,
    /// `SAFEGUARD_USCIS_CLIENT_ID` and `SAFEGUARD_USCIS_CLIENT_SECRET`, all three or none.
    /// `SAFEGUARD_TOKEN_RECHECK`: seconds a bearer token found live is taken as live (1; 0 asks the
    /// database on every request).
    /// - Throws: `SettingsError` listing every missing or invalid setting.
    public static func resolve(database: String?, auditKey: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(SettingsError) -> RuntimeSettings {
        var problems: [String] = []
        let databaseValue = database ?? environment["SAFEGUARD_DATABASE"] ?? defaultDatabasePath
        let databaseURL = environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let databaseURL {
            if let url = URL(string: databaseURL), ["postgres", "postgresql"].contains(url.scheme ?? ""), url.host != nil {} else {
                problems.append("DATABASE_URL: expected postgres://user:password@host:port/database")
            }
        } else {
            let folder = URL(fileURLWithPath: databaseValue).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            if databaseValue.isEmpty || !FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) || !isDirectory.boolValue {
                problems.append("database: the folder of '\(databaseValue)' does not exist")
            }
        }
        var settings = RuntimeSettings(databasePath: databaseValue, databaseURL: databaseURL,
                                       auditKeyPath: auditKey ?? environment["SAFEGUARD_AUDIT_KEY"])
        if FileManager.default.fileExists(atPath: settings.auditKeyPath) {
            do { _ = try AuditKey.load(at: settings.auditKeyPath) } catch { problems.append("audit key: \(error)") }
        } else if !FileManager.default.fileExists(atPath: URL(fileURLWithPath: settings.auditKeyPath).deletingLastPathComponent().path) {
            problems.append("audit key: the folder of '\(settings.auditKeyPath)' does not exist")
        }
        for kind in ChannelKind.allCases {
            let name = "SAFEGUARD_GATEWAY_\(kind.rawValue.uppercased())"
            guard let text = environment[name], !text.isEmpty else { continue }
            if let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil {
                settings.delivery.gateways[kind] = url
            } else {
                problems.append("\(name): '\(text)' is not an http(s) URL")
            }
        }
        let uscis = ["SAFEGUARD_USCIS_URL", "SAFEGUARD_USCIS_CLIENT_ID", "SAFEGUARD_USCIS_CLIENT_SECRET"].map { environment[$0].flatMap { $0.isEmpty ? nil : $0 } }
        if let text = uscis[0], let id = uscis[1], let secret = uscis[2] {
            // The secret and receipt numbers travel in it: in the clear only on this machine.
            if let url = URL(string: text), let host = url.host, url.scheme == "https" || (url.scheme == "http" && ["127.0.0.1", "localhost", "::1"].contains(host)) {
                settings.filingSource = USCISCaseStatusClient.Settings(baseURL: url, clientID: id, clientSecret: secret)
            } else {
                problems.append("SAFEGUARD_USCIS_URL: '\(text)' is not an https URL (http only to this machine)")
            }
        } else if uscis.contains(where: { $0 != nil }) {
            problems.append("SAFEGUARD_USCIS_URL, SAFEGUARD_USCIS_CLIENT_ID and SAFEGUARD_USCIS_CLIENT_SECRET go together: all three or none")
        }
        let workersText = environment["SAFEGUARD_DELIVERY_WORKERS"] ?? (settings.delivery.gateways.isEmpty ? "0" : "2")
        if let workers = Int(workersText), (0...64).contains(workers) { settings.deliveryWorkers = workers } else {
            problems.append("SAFEGUARD_DELIVERY_WORKERS: '\(workersText)' is not a number of workers (0–64)")
        }
        if let text = environment["SAFEGUARD_DATABASE_CONNECTIONS"] {
            if let connections = Int(text), (1...64).contains(connections) { settings.databaseConnectionsPerLoop = connections } else {
                problems.append("SAFEGUARD_DATABASE_CONNECTIONS: '\(text)' is not a number of connections per event loop (1–64)")
            }
        }
        if let text = environment["SAFEGUARD_REFUSALS_PER_MINUTE"] {
            if let count = Int(text), (1...1_000_000).contains(count) { settings.refusalsPerMinute = count } else {
                problems.append("SAFEGUARD_REFUSALS_PER_MINUTE: '\(text)' is not a number of refusals (1–1000000)")
            }
        }
        if let text = environment["SAFEGUARD_TIME_ZONE"] {
            if let zone = TimeZone(identifier: text) { settings.timeZone = zone } else {
                problems.append("SAFEGUARD_TIME_ZONE: '\(text)' is not an IANA time zone such as America/New_York")
            }
        }
        if let text = environment["SAFEGUARD_NOTIFY_ON"] {
            let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            let kinds = names.compactMap(CustodyEventKind.init(rawValue:))
            if kinds.count == names.count { settings.notifyOn = Set(kinds) } else {
                problems.append("SAFEGUARD_NOTIFY_ON: expected event kinds among \(CustodyEventKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let timings: [(String, WritableKeyPath<DeliverySettings, TimeInterval>)] = [
            ("SAFEGUARD_FEED_SILENCE", \.feedSilence), ("SAFEGUARD_DELIVERY_LEASE", \.lease), ("SAFEGUARD_DELIVERY_BACKOFF", \.backoffBase),
            ("SAFEGUARD_DELIVERY_RETRY_WINDOW", \.retryWindow), ("SAFEGUARD_DELIVERY_TIMEOUT", \.requestTimeout),
        ]
        let sessionTimings: [(String, WritableKeyPath<SessionTimeouts, TimeInterval>)] = [
            ("SAFEGUARD_SESSION_IDLE", \.idle), ("SAFEGUARD_SESSION_LIFETIME", \.lifetime),
        ]
        /// A positive number of seconds from the environment; nil when unset or invalid (a problem).
        func seconds(_ name: String) -> TimeInterval? {
            guard let text = environment[name] else { return nil }
            if let seconds = TimeInterval(text), seconds > 0 { return seconds }
            problems.append("\(name): '\(text)' is not a number of seconds")
            return nil
        }
        for (name, keyPath) in timings { if let value = seconds(name) { settings.delivery[keyPath: keyPath] = value } }
        for (name, keyPath) in sessionTimings { if let value = seconds(name) { settings.sessionTimeouts[keyPath: keyPath] = value } }
        if let value = seconds("SAFEGUARD_AUDIT_INTEGRATION") {
            if value <= 60 { settings.auditIntegrationInterval = value } else { problems.append("SAFEGUARD_AUDIT_INTEGRATION: at most 60 seconds") }
        }
        if let text = environment["SAFEGUARD_TOKEN_RECHECK"] {
            if let value = TimeInterval(text), (0...10).contains(value) { settings.tokenRecheckInterval = value } else {
                problems.append("SAFEGUARD_TOKEN_RECHECK: '\(text)' is not a number of seconds from 0 to 10")
            }
        }
        guard problems.isEmpty else { throw SettingsError(problems: problems) }
        return settings
    }
}

public struct SettingsError: Error, Sendable, CustomStringConvertible {
    public var problems: [String]
    public var description: String { problems.joined(separator: "\n") }

    public init(problems: [String]) {
        self.problems = problems
    }
}
