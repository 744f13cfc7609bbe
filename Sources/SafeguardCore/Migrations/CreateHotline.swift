import FluentKit
import SQLKit

/// The hotline: calls, registrations and their channels, custody events, the notification outbox
/// and the health of each gateway.
struct CreateHotline: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(HotlineCall.schema)
            .id()
            .field("office", .string, .required)
            .field("category", .string, .required)
            .field("narrative", .string, .required)
            .field("caller_name", .string)
            .field("caller_contact", .string)
            .field("follow_up", .string, .required)
            .field("referral", .string)
            .field("status", .string, .required)
            .field("taken_by", .uuid, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(Registration.schema)
            .id()
            .field("office", .string, .required)
            .field("detainee_reference", .string, .required)
            .field("detainee_id", .string, .required)
            .field("registrant_name", .string, .required)
            .field("relationship", .string, .required)
            .field("language", .string, .required)
            .field("consent", .bool, .required)
            .field("status", .string, .required)
            .field("withdrawn_at", .datetime)
            .field("voice_pin_hash", .string)
            .field("created_by", .uuid, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
        try await database.schema(RegistrationChannel.schema)
            .id()
            .field("registration_id", .uuid, .required, .references(Registration.schema, .id))
            .field("kind", .string, .required)
            .field("address", .string, .required)
            .field("confirmed_at", .datetime)
            .field("confirmed_by", .uuid)
            .field("created_at", .datetime)
            .create()
        try await database.schema(CustodyEvent.schema)
            .id()
            .field("feed_event_id", .string, .required)
            .field("kind", .string, .required)
            .field("detainee_reference", .string, .required)
            .field("detainee_id", .string, .required)
            .field("occurred_at", .string, .required)
            .field("details", .string, .required)
            .field("notifications", .int, .required)
            .field("received_at", .double, .required)
            .unique(on: "feed_event_id")
            .create()
        try await database.schema(OutboxNotification.schema)
            .id()
            .field("event_id", .uuid, .required, .references(CustodyEvent.schema, .id))
            .field("registration_id", .uuid, .required, .references(Registration.schema, .id))
            .field("channel_id", .uuid, .required, .references(RegistrationChannel.schema, .id))
            .field("channel_kind", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int, .required)
            .field("calls", .int, .required)
            .field("next_attempt_at", .double, .required)
            .field("first_attempt_at", .double)
            .field("claimed_at", .double)
            .field("lease_owner", .string)
            .field("lease_until", .double)
            .field("last_error", .string)
            .field("delivered_at", .double)
            .field("created_at", .double, .required)
            .create()
        try await database.schema(GatewayHealth.schema)
            .field("channel_kind", .string, .identifier(auto: false))
            .field("consecutive_failures", .int, .required)
            .field("last_success_at", .double)
            .field("last_failure_at", .double)
            .field("last_error", .string)
            .create()
        let sql = try CaseRecords.sqlDatabase(database)
        for (name, table, columns) in [
            ("registrations_by_detainee", Registration.schema, ["detainee_reference", "detainee_id"]),
            ("channels_by_registration", RegistrationChannel.schema, ["registration_id"]),
            ("notifications_due", OutboxNotification.schema, ["status", "next_attempt_at"]),
            ("notifications_by_registration", OutboxNotification.schema, ["registration_id"]),
            ("notifications_by_event", OutboxNotification.schema, ["event_id"]),
        ] {
            try await columns.reduce(sql.create(index: name).on(table)) { $0.column($1) }.run()
        }
    }

    func revert(on database: any Database) async throws {
        for schema in [GatewayHealth.schema, OutboxNotification.schema, CustodyEvent.schema, RegistrationChannel.schema, Registration.schema,
                       HotlineCall.schema] {
            try await database.schema(schema).delete()
        }
    }
}
