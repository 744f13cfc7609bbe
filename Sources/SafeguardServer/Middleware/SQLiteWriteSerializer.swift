import SafeguardCore
import Vapor

/// On SQLite, writers take turns within the process. SQLite allows one writer at a time, and
/// SQLiteNIO's busy handler retries without pause, so two writers at once spin a thread each
/// (and a deferred transaction that read before another writer committed fails with
/// `SQLITE_BUSY_SNAPSHOT`); in turn they are all decided cleanly (one wins a race, the others
/// see a stale version or a conflict). PostgreSQL needs none of this: row locks order its writers.
///
/// A request that may change records holds one turn from start to end, so that what it read
/// still holds when it writes. An API read (`GET` or `HEAD` under `/api/`, without a session
/// cookie, whose session would be written back) changes nothing but the audit chain: it runs
/// beside the others and takes a turn only for each audit append (`Request.appendAudit`), so
/// reading and encoding run in parallel. The routes that never write nor refuse skip turns:
/// `/health` and `/metrics` read, the contract's `/api/v1/decisions` stores nothing and needs no
/// sign-in, the stylesheet and the OpenAPI document are constants.
struct SQLiteWriteSerializer: AsyncMiddleware {
    /// Shared with everything else in the process that writes (`AuditHeadSigning`).
    let turns: any WriteTurns
    static let writeFree: Set<String> = ["/health", "/metrics", "/api/v1/decisions", "/styles.css", "/openapi.json"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard !Self.writeFree.contains(request.url.path) else { return try await next.respond(to: request) }
        guard !Self.onlyAudits(request) else {
            request.storage[OwedTurnsKey.self] = turns
            return try await next.respond(to: request)
        }
        return try await turns.run { try await next.respond(to: request) }
    }

    /// Whether the request's only writes are its audit appends.
    static func onlyAudits(_ request: Request) -> Bool {
        [.GET, .HEAD].contains(request.method) && request.url.path.hasPrefix("/api/") && request.headers[.cookie].isEmpty
    }

    /// The turns that each of a request's audit appends takes, for a request that holds none.
    struct OwedTurnsKey: StorageKey { typealias Value = any WriteTurns }
}
