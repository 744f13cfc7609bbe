import FluentKit

/// Each partition's head signed with every commit that moves it, so that no record is ever
/// unpinned between two periodic signatures (`AuditChain.append`).
struct AddHeadSignatures: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(AuditChain.heads).field("signed_at", .string).update()
        try await database.schema(AuditChain.heads).field("signature", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditChain.heads).deleteField("signature").update()
        try await database.schema(AuditChain.heads).deleteField("signed_at").update()
    }
}
