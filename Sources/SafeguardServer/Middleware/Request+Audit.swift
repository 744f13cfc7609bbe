import Fluent
import SafeguardCore
import Vapor

extension Request {
    /// The header in which a user states why they read protected data (`Purpose`).
    static let purposeHeader = "Safeguard-Purpose"

    /// The purpose stated with this request (its header), or for a page the one chosen at sign-in.
    /// - Throws: a 400 problem when the header names no purpose on the fixed list.
    var purpose: Purpose? {
        get throws {
            guard let text = headers.first(name: Self.purposeHeader) else {
                return hasSession ? session.data[PageAuthenticator.purposeKey].flatMap(Purpose.init(rawValue:)) : nil
            }
            guard let purpose = Purpose(rawValue: text) else {
                throw ProblemError(problem: ProblemDetails(
                    status: .badRequest, slug: "unknown-purpose",
                    detail: "\(Self.purposeHeader): '\(text)' is not one of \(Purpose.allCases.map(\.rawValue).joined(separator: ", "))"
                ))
            }
            return purpose
        }
    }

    /// Appends audit records, in a turn of their own when the request holds none (`owedWriteTurns`).
    func appendAudit(_ entries: [AuditEntry]) async throws {
        try await application.safeguard.audit.append(entries, taking: owedWriteTurns, on: db)
    }
}

extension Request {
    /// The signed-in user as a reader of records, for the core's reads (which record themselves).
    var reader: Reader {
        get throws { Reader(actor: try actor, purpose: try purpose, turns: owedWriteTurns) }
    }

    /// The turns this request's writes take when it holds none: on SQLite, the serializer's
    /// (`SQLiteWriteSerializer`); on PostgreSQL, none to wait for (writes still group).
    var owedWriteTurns: (any WriteTurns)? {
        application.safeguard.writeTurns == nil ? ConcurrentWriteTurns() : storage[SQLiteWriteSerializer.OwedTurnsKey.self]
    }
}
