import FluentKit
import FluentSQL

/// Indexes on the foreign keys that every case read follows: without them, finding an
/// encounter's decisions, steps or follow-ups, or a person's filings, scans the whole table.
struct CreateLookupIndexes: AsyncMigration {
    static let indexes: [(name: String, table: String, columns: [String])] = [
        ("benefit_filings_person_id", BenefitFilingRecord.schema, ["person_id"]),
        ("encounters_person_id", Encounter.schema, ["person_id"]),
        ("encounters_status_id", Encounter.schema, ["status", "id"]),
        ("step_records_encounter_id", StepRecord.schema, ["encounter_id"]),
        ("decisions_encounter_id_superseded_by", DecisionRecord.schema, ["encounter_id", "superseded_by"]),
        ("follow_ups_encounter_id", FollowUp.schema, ["encounter_id"]),
    ]

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { preconditionFailure("Safeguard's databases speak SQL") }
        for index in Self.indexes {
            try await index.columns.reduce(sql.create(index: index.name).on(index.table)) { $0.column($1) }.run()
        }
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { preconditionFailure("Safeguard's databases speak SQL") }
        for index in Self.indexes.reversed() {
            try await sql.drop(index: index.name).run()
        }
    }
}
