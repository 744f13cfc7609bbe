import FluentKit

struct CreateFollowUps: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(FollowUp.schema)
            .id()
            .field("encounter_id", .uuid, .required, .references(Encounter.schema, .id))
            .field("kind", .string, .required)
            .field("recipient", .string, .required)
            .field("justification", .string, .required)
            .field("status", .string, .required)
            .field("created_by", .uuid, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(FollowUp.schema).delete()
    }
}
