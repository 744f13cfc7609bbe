import FluentKit

/// When a filing-status source was last asked about a known filing, whatever it answered: a
/// refresh asks about the longest unasked first, so that answers it cannot settle do not hold
/// the others back.
struct AddSourceAskedAt: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BenefitFilingRecord.schema).field("source_asked_at", .datetime).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BenefitFilingRecord.schema).deleteField("source_asked_at").update()
    }
}
