import FluentKit
import SQLKit

/// A supervisor may decline an exceptional-circumstances approval: the record stays, with its
/// reason, and the step is not done. Every earlier step record was done, hence the default.
struct AddStepDeclined: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StepRecord.schema).field("declined", .bool, .required, .sql(.default(false))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StepRecord.schema).deleteField("declined").update()
    }
}
