import Foundation
import Logging
import PolicyEngine

/// Safeguard's log lines: one JSON object per line, and only metadata that cannot carry case data.
///
/// Libraries log what they like: FluentKit puts a query's input values in metadata at debug level,
/// Vapor writes each request head (its path, query and bearer token) into a trace message. So:
/// - a metadata value under any key not in `permittedKeys` is written as `withheld`;
/// - a message from outside Safeguard's own modules below `notice` is written as `withheld`
///   (from `notice` up, libraries report their own state: starting, stopping, failing);
/// - Safeguard's own messages name records by identifier only.
/// A name, an A-number, a filing detail or a secret thus cannot reach a log line at any level.
public struct SafeguardLogHandler: LogHandler {
    /// Where finished lines go; it must accept lines from any thread.
    public typealias Sink = @Sendable (String) -> Void

    /// Keys whose values are identifiers, counts or vocabulary, never case data.
    static let permittedKeys: Set<String> = [
        "request-id", "method", "route", "status", "duration-ms", "user-id", "role", "problem", "error-type", "migration",
        "run-id", "processed", "changed",
    ]
    static let withheld = "withheld"
    /// The modules whose messages are written as they are.
    static let ownModules: Set<String> = ["SafeguardServer", "SafeguardCore", "PolicyEngine", "safeguard"]

    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let sink: Sink

    public init(label: String, level: Logger.Level = .info, sink: @escaping Sink = Self.standardError) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let (level, message, explicit, source) = (event.level, event.message, event.metadata, event.source)
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let explicit { merged.merge(explicit) { _, new in new } }
        var members = [
            JSONMember(key: "time", value: .string(Date().formatted(.iso8601))),
            JSONMember(key: "level", value: .string(level.rawValue)),
            JSONMember(key: "label", value: .string(label)),
            JSONMember(key: "source", value: .string(source)),
            JSONMember(key: "message", value: .string(Self.ownModules.contains(source) || level >= .notice ? message.description : Self.withheld)),
        ]
        for key in merged.keys.sorted() {
            let value = Self.permittedKeys.contains(key) ? merged[key]!.description : Self.withheld
            members.append(JSONMember(key: key, value: .string(value)))
        }
        sink(JSONValue.object(members).serialized())
    }

    /// Makes every logger of the process a Safeguard log handler, at the level `LOG_LEVEL` names
    /// (trace, debug, info, notice, warning, error, critical; info when unset).
    public static func bootstrap(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let level = try environment["LOG_LEVEL"].map { name in
            guard let level = Logger.Level(rawValue: name.lowercased()) else {
                throw LogLevelError(name: name)
            }
            return level
        } ?? .info
        LoggingSystem.bootstrap { label in SafeguardLogHandler(label: label, level: level) }
    }

    public struct LogLevelError: Error, CustomStringConvertible {
        public let name: String
        public var description: String {
            "LOG_LEVEL: '\(name)' is not a log level (trace, debug, info, notice, warning, error, critical)"
        }
    }

    /// Writes each line to standard error with one `write`, so that lines of concurrent requests never interleave.
    public static let standardError: Sink = { line in
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
