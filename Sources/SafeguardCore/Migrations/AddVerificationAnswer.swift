import FluentKit

/// The answer a filing-status source gave when a filing was verified there, as received: what the
/// verification rests on (§ 1367 data, withheld like the filing). Nil for a verification by hand.
struct AddVerificationAnswer: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BenefitFilingRecord.schema).field("verification_answer", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BenefitFilingRecord.schema).deleteField("verification_answer").update()
    }
}
