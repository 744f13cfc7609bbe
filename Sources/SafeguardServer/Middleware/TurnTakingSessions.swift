import Fluent
import Vapor

/// Page sessions in the database (`_fluent_sessions`), each write in a write turn of its own when
/// the request holds none (`SQLiteWriteSerializer`). Every request with a session cookie writes
/// its session back (the time it was last seen), so a request that takes its own turns would
/// otherwise write without one, beside another writer: on SQLite, a transaction that read before
/// that write committed would fail (`SQLITE_BUSY_SNAPSHOT`).
struct TurnTakingSessions: AsyncSessionDriver {
    let stored: any SessionDriver

    func createSession(_ data: SessionData, for request: Request) async throws -> SessionID {
        try await request.owedWriteTurns.run { try await stored.createSession(data, for: request).get() }
    }

    func readSession(_ sessionID: SessionID, for request: Request) async throws -> SessionData? {
        try await stored.readSession(sessionID, for: request).get()
    }

    func updateSession(_ sessionID: SessionID, to data: SessionData, for request: Request) async throws -> SessionID {
        try await request.owedWriteTurns.run { try await stored.updateSession(sessionID, to: data, for: request).get() }
    }

    func deleteSession(_ sessionID: SessionID, for request: Request) async throws {
        try await request.owedWriteTurns.run { try await stored.deleteSession(sessionID, for: request).get() }
    }
}
