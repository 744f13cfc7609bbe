import FluentKit

/// A benefit verification's outcome for the one filing it names (`VerificationOutcome`), on the
/// step and on the filing, so that a verification of one filing never answers for another.
struct AddVerificationOutcomes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(StepRecord.schema).field("outcome", .string).update()
        try await database.schema(BenefitFilingRecord.schema).field("verification_outcome", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BenefitFilingRecord.schema).deleteField("verification_outcome").update()
        try await database.schema(StepRecord.schema).deleteField("outcome").update()
    }
}
