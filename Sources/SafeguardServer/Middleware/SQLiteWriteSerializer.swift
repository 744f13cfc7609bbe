import SafeguardCore
import Vapor

/// On SQLite, requests that may write take turns within the process. SQLite allows one writer at
/// a time and answers a second one with "database is locked" at once rather than waiting, so
/// concurrent writes through several connections would fail; in turn they are all decided
/// cleanly (one wins a race, the others see a stale version or a conflict). Reads of case records
/// write too (their audit records), as does every refusal, so only the routes that never write
/// nor refuse skip the line: `/health` and `/metrics` read (reads need no turn in WAL mode), the
/// contract's `/api/v1/decisions` stores nothing and needs no sign-in, the stylesheet and the
/// OpenAPI document are constants. PostgreSQL needs none of this: row locks order its writers.
struct SQLiteWriteSerializer: AsyncMiddleware {
    /// Shared with everything else in the process that writes (`AuditHeadSigning`).
    let turns: Turns
    static let writeFree: Set<String> = ["/health", "/metrics", "/api/v1/decisions", "/styles.css", "/openapi.json"]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard !Self.writeFree.contains(request.url.path) else { return try await next.respond(to: request) }
        return try await turns.run { try await next.respond(to: request) }
    }

    /// A first-come, first-served lock for async code.
    actor Turns {
        /// Runs `body` in a turn of its own.
        nonisolated func run<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
            await acquire()
            do {
                let result = try await body()
                await release()
                return result
            } catch {
                await release()
                throw error
            }
        }

        private var busy = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func acquire() async {
            guard busy else {
                busy = true
                return
            }
            await withCheckedContinuation { waiting.append($0) }
        }

        func release() {
            if waiting.isEmpty {
                busy = false
            } else {
                waiting.removeFirst().resume()
            }
        }
    }
}

extension SQLiteWriteSerializer.Turns: WriteTurns {}
