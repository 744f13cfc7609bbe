import FluentKit
import SQLKit

/// The person an audit record is about (`AuditEntry.subject`), indexed for "who looked at this
/// person". Records written before it stay without one: their hashes cover no subject.
struct AddAuditSubject: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(AuditChain.records).field("subject", .string).update()
        try await CaseRecords.sqlDatabase(database).create(index: "audit_records_subject").on(AuditChain.records).column("subject").run()
    }

    func revert(on database: any Database) async throws {
        try await CaseRecords.sqlDatabase(database).drop(index: "audit_records_subject").run()
        try await database.schema(AuditChain.records).deleteField("subject").update()
    }
}
