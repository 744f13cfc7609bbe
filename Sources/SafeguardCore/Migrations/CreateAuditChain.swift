import FluentKit

/// The audit chain: records, the head of each partition, and the signed heads.
struct CreateAuditChain: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditChain.records)
            .field("partition", .string, .required)
            .field("sequence", .int, .required)
            .field("recorded_at", .string, .required)
            .field("actor_id", .string)
            .field("username", .string, .required)
            .field("role", .string, .required)
            .field("office", .string, .required)
            .field("action", .string, .required)
            .field("object", .string, .required)
            .field("outcome", .string, .required)
            .field("purpose", .string)
            .field("previous_hash", .string, .required)
            .field("hash", .string, .required)
            .unique(on: "partition", "sequence")
            .create()
        try await database.schema(AuditChain.heads)
            .field("partition", .string, .required)
            .field("sequence", .int, .required)
            .field("hash", .string, .required)
            .unique(on: "partition")
            .create()
        try await database.schema(AuditChain.signatures)
            .field("partition", .string, .required)
            .field("sequence", .int, .required)
            .field("hash", .string, .required)
            .field("signed_at", .string, .required)
            .field("signature", .string, .required)
            .unique(on: "partition", "sequence")
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in [AuditChain.signatures, AuditChain.heads, AuditChain.records] { try await database.schema(table).delete() }
    }
}
