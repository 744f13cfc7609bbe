import FluentKit
import SQLKit

/// Steps rest on the facts they were recorded on (`Encounter.factsVersion`,
/// `StepRecord.encounterVersion`). Encounters and steps stored before count their steps as
/// resting on the facts as they are (facts version 0, steps at version 1), until the facts next
/// change; the opener stated the facts.
struct AddFactsVersion: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite adds one at a time.
        try await database.schema(Encounter.schema).field("facts_version", .int, .required, .sql(.default(0))).update()
        try await database.schema(Encounter.schema).field("facts_changed_by", .uuid).update()
        try await database.schema(StepRecord.schema).field("encounter_version", .int, .required, .sql(.default(1))).update()
        try await CaseRecords.sqlDatabase(database).raw("UPDATE encounters SET facts_changed_by = opened_by").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StepRecord.schema).deleteField("encounter_version").update()
        try await database.schema(Encounter.schema).deleteField("facts_changed_by").update()
        try await database.schema(Encounter.schema).deleteField("facts_version").update()
    }
}
