import FluentKit

/// The table of page sessions (`_fluent_sessions`), which Vapor's Fluent sessions read and write.
/// It was first created by Fluent's own migration, under Fluent's name for it; this one keeps that
/// name and that schema, so a database where Fluent's ran counts it as done, and the commands
/// (which run without Vapor) create the same table the server did.
struct CreatePageSessions: AsyncMigration {
    var name: String { "Fluent.SessionRecord.Create" }

    func prepare(on database: any Database) async throws {
        try await database.schema("_fluent_sessions")
            .id()
            .field("key", .string, .required)
            .field("data", .json, .required)
            .unique(on: "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("_fluent_sessions").delete()
    }
}
