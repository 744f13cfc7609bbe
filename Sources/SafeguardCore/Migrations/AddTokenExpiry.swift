import FluentKit

/// Every API token ends (`UserDirectory.issueToken`); a token issued before has the default
/// lifetime from its creation.
struct AddTokenExpiry: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(APIToken.schema).field("expires_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(APIToken.schema).deleteField("expires_at").update()
    }
}
