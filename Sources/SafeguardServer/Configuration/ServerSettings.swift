import Foundation
import SafeguardRuntime

/// Where and how `safeguard serve` listens, over the settings every command shares (`runtime`,
/// whose members read as the server's own: `settings.databasePath`).
@dynamicMemberLookup
public struct ServerSettings: Sendable, Equatable {
    public var host: String
    public var port: Int
    /// The largest request body accepted.
    public var maximumBodySize: Int
    /// Folders of draft policy files that `/policies/drafts` offers to try (`serve --offer-drafts`):
    /// tried on the open encounters, never in force.
    public var offeredDrafts: [URL] = []
    public var runtime: RuntimeSettings

    public init(host: String, port: Int, maximumBodySize: Int = 1 << 20, runtime: RuntimeSettings) {
        self.host = host
        self.port = port
        self.maximumBodySize = maximumBodySize
        self.runtime = runtime
    }

    public subscript<Value>(dynamicMember keyPath: WritableKeyPath<RuntimeSettings, Value>) -> Value {
        get { runtime[keyPath: keyPath] }
        set { runtime[keyPath: keyPath] = newValue }
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<RuntimeSettings, Value>) -> Value {
        runtime[keyPath: keyPath]
    }

    /// Reads the host and port (a flag wins over `SAFEGUARD_HOST` and `SAFEGUARD_PORT`, which win
    /// over 127.0.0.1:8080) and the runtime's settings (`RuntimeSettings.resolve`).
    /// - Throws: `SettingsError` listing every missing or invalid setting, the runtime's too.
    public static func resolve(host: String?, port: String?, database: String?, auditKey: String? = nil,
                               environment: [String: String] = ProcessInfo.processInfo.environment) throws(SettingsError) -> ServerSettings {
        var problems: [String] = []
        let hostValue = host ?? environment["SAFEGUARD_HOST"] ?? "127.0.0.1"
        if hostValue.isEmpty || hostValue.contains(where: \.isWhitespace) { problems.append("host: '\(hostValue)' is not a host name or address") }
        let portText = port ?? environment["SAFEGUARD_PORT"] ?? "8080"
        let portValue = Int(portText) ?? -1
        if !(1...65_535).contains(portValue) { problems.append("port: '\(portText)' is not a port number (1–65535)") }
        var runtime: RuntimeSettings?
        do {
            runtime = try RuntimeSettings.resolve(database: database, auditKey: auditKey, environment: environment)
        } catch {
            problems += error.problems
        }
        guard let runtime, problems.isEmpty else { throw SettingsError(problems: problems) }
        return ServerSettings(host: hostValue, port: portValue, runtime: runtime)
    }
}
