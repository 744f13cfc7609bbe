import SafeguardCore
import Vapor

/// On SQLite, writers take turns within the process. SQLite allows one writer at a time, and
/// SQLiteNIO's busy handler retries without pause, so two writers at once spin a thread each
/// (and a deferred transaction that read before another writer committed fails with
/// `SQLITE_BUSY_SNAPSHOT`); in turn they are all decided cleanly (one wins a race, the others
/// see a stale version or a conflict). PostgreSQL needs none of this: row locks order its writers.
///
/// A request that may change records holds one turn from start to end, so that what it read
/// still holds when it writes. Four kinds of request take turns of their own instead, for each
/// write, so that reading, deciding and encoding run in parallel. Two are API requests without a
/// session cookie: a read (`GET` or `HEAD` under `/api/`) changes nothing but the audit
/// chain and takes a turn only for each audit append (`Request.appendAudit`); an encounter opened
/// (`POST /api/v1/encounters`) takes one only for its transaction, which reads again what it
/// writes on (`CaseWorkflow.openEncounter`), shared with the encounters opened at the same
/// moment. The third: a filing verified at its source (`POST …/filings/{id}/verification`, and
/// the page's `POST /encounters/{id}/verification-at-source`) takes one only for the step it
/// records, not while the source answers, cookie or not: a session is written back in a turn of
/// its own (`TurnTakingSessions`). The fourth: a draft policy tried on the open encounters
/// (`POST /policies/drafts`) reads them all and writes only the audit record of the asking, in a
/// turn of its own. Each takes one for a refusal it records. The routes that write no record hold
/// no turn: `/health` and `/metrics` read, the contract's `/api/v1/decisions` stores nothing and
/// needs no sign-in, the stylesheet and the OpenAPI document are constants; they too take one for
/// a session sent along, or a refusal.
struct SQLiteWriteSerializer: AsyncMiddleware {
    /// Shared with everything else in the process that writes (`AuditHeadSigning`).
    let turns: any WriteTurns
    static let writeFree: Set<String> = ["/health", "/metrics", "/api/v1/decisions", "/styles.css", "/openapi.json"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard !Self.writeFree.contains(request.url.path), !Self.takesOwnTurns(request) else {
            // Even a route that writes no record writes a session cookie sent along back, or a refusal.
            request.storage[OwedTurnsKey.self] = turns
            return try await next.respond(to: request)
        }
        return try await turns.run { try await next.respond(to: request) }
    }

    /// Whether the request takes turns of its own, for each of its writes.
    static func takesOwnTurns(_ request: Request) -> Bool {
        // No writer waits while the source answers, or while a draft is tried on the whole population.
        if request.method == .POST, isVerificationAtSource(request.url.path) || request.url.path.split(separator: "/") == ["policies", "drafts"] { return true }
        guard request.headers[.cookie].isEmpty else { return false }
        return [.GET, .HEAD].contains(request.method) && request.url.path.hasPrefix("/api/")
            || request.method == .POST && request.url.path == "/api/v1/encounters"
    }

    /// `POST /api/v1/encounters/{id}/filings/{id}/verification` or `/encounters/{id}/verification-at-source`:
    /// it waits for the filing-status source without a turn, and takes one for the step it records
    /// (`CaseWorkflow.verifyAtSource`).
    private static func isVerificationAtSource(_ path: String) -> Bool {
        let parts = path.split(separator: "/")
        return parts.count == 7 && parts[..<3] == ["api", "v1", "encounters"] && parts[4] == "filings" && parts[6] == "verification"
            || parts.count == 3 && parts[0] == "encounters" && parts[2] == "verification-at-source"
    }

    /// The turns that each of a request's writes takes, for a request that holds none.
    struct OwedTurnsKey: StorageKey { typealias Value = any WriteTurns }
}
