import FluentKit

/// The audit leaves queued by requests, waiting for the sequencer to integrate them into their
/// partition's chain (`AuditChain.integrate`): an entry, when it was recorded, its place in the
/// batch its request queued, and its MAC under a key derived from the audit key; a leaf whose MAC
/// does not hold is marked rejected, never integrated.
struct CreateAuditQueue: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditChain.queue)
            .field("leaf", .string, .required)
            .field("partition", .string, .required)
            .field("queued_at", .string, .required)
            .field("batch", .string, .required)
            .field("ordinal", .int, .required)
            .field("actor_id", .string)
            .field("username", .string, .required)
            .field("role", .string, .required)
            .field("office", .string, .required)
            .field("action", .string, .required)
            .field("object", .string, .required)
            .field("outcome", .string, .required)
            .field("purpose", .string)
            .field("subject", .string)
            .field("mac", .string, .required)
            .field("rejected", .bool, .required, .sql(.default(false)))
            .unique(on: "leaf")
            .create()
        try await CaseRecords.sqlDatabase(database).create(index: "audit_queue_order").on(AuditChain.queue)
            .column("partition").column("queued_at").column("batch").column("ordinal").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(AuditChain.queue).delete()
    }
}
