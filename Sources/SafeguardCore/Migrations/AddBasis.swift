import FluentKit

/// The evidence an adverse step or an enforcement action rests on (`SourceProhibition`).
struct AddBasis: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StepRecord.schema).field("basis", .array(of: .string)).update()
        try await database.schema(Encounter.schema).field("action_basis", .array(of: .string)).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Encounter.schema).deleteField("action_basis").update()
        try await database.schema(StepRecord.schema).deleteField("basis").update()
    }
}
