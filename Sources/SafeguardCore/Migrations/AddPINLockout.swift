import FluentKit

/// How many wrong PINs a voice notice has had since it was last unlocked (`VoiceConfirmation`).
struct AddPINLockout: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(OutboxNotification.schema).field("pin_failures", .int, .required, .sql(.default(0))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(OutboxNotification.schema).deleteField("pin_failures").update()
    }
}
