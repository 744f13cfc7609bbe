import FluentKit
import FluentSQL
import Foundation

/// Optimistic concurrency that holds with several writers and several server processes: a
/// record moves from the version a writer read to the next one in a single conditional `UPDATE`,
/// so of two writers who read the same version exactly one wins. The loser is told the current one.
public enum VersionClaim {
    /// Moves the row from `expected` to `expected + 1`.
    /// - Throws: `WorkflowError.staleVersion` when the row was no longer at `expected`.
    public static func advance(_ schema: String, id: UUID, from expected: Int, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { preconditionFailure("Safeguard's databases speak SQL") }
        let claimed = try await sql.raw("""
            UPDATE \(ident: schema) SET version = version + 1 WHERE id = \(bind: id) AND version = \(bind: expected) RETURNING id
            """).all()
        guard claimed.isEmpty else { return }
        let current = try await sql.raw("SELECT version FROM \(ident: schema) WHERE id = \(bind: id)").first()
        throw WorkflowError.staleVersion(current: try current?.decode(column: "version", as: Int.self) ?? 0)
    }

    /// Takes the row's write lock for the rest of the transaction without changing it: a writer
    /// that moves no version (a re-decision) still takes its turn on the record, first, as every
    /// other writer of it does, so that none of them locks the record's decision or the audit head
    /// in another order (a deadlock on PostgreSQL) or supersedes a decision another just stored.
    public static func hold(_ schema: String, id: UUID, on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { preconditionFailure("Safeguard's databases speak SQL") }
        try await sql.raw("UPDATE \(ident: schema) SET version = version WHERE id = \(bind: id)").run()
    }
}
