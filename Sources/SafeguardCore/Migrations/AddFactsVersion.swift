import FluentKit

/// Steps rest on the facts they were recorded on (`Encounter.factsVersion`,
/// `StepRecord.encounterVersion`), and who asserted exceptional circumstances by a change does not
/// approve them (`Encounter.circumstancesAssertedBy`). Encounters and steps stored before count
/// their steps as resting on the facts as they are (facts version 0, steps at version 1), until
/// the facts next change.
struct AddFactsVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(Encounter.schema).field("facts_version", .int, .required, .sql(.default(0))).update()
        try await database.schema(Encounter.schema).field("circumstances_asserted_by", .uuid).update()
        try await database.schema(StepRecord.schema).field("encounter_version", .int, .required, .sql(.default(1))).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StepRecord.schema).deleteField("encounter_version").update()
        try await database.schema(Encounter.schema).deleteField("circumstances_asserted_by").update()
        try await database.schema(Encounter.schema).deleteField("facts_version").update()
    }
}
