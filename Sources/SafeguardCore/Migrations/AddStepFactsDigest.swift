import FluentKit

/// What a consultation was given on (`StepRecord.factsDigest`): a legal limitation OPLA found is
/// lifted only on facts that differ from those. Consultations stored before carry none, and
/// are judged by the facts version alone.
struct AddStepFactsDigest: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StepRecord.schema).field("facts_digest", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StepRecord.schema).deleteField("facts_digest").update()
    }
}
