import FluentKit
import Foundation
import SQLKit

/// One current decision per encounter, held by the database: a unique index over the decisions
/// not superseded. Two writers racing (two servers' re-evaluations, or one beside a step) could
/// leave two before; the latest computed stays current and supersedes the others.
struct AddOneCurrentDecision: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.transaction { database in
            let sql = try CaseRecords.sqlDatabase(database)
            let rows = try await sql.raw("""
                SELECT d.id, d.encounter_id FROM decisions d WHERE d.superseded_by IS NULL AND d.encounter_id IN \
                (SELECT encounter_id FROM decisions WHERE superseded_by IS NULL GROUP BY encounter_id HAVING COUNT(*) > 1) \
                ORDER BY d.encounter_id, d.computed_at DESC, d.id DESC
                """).all()
            var latest: [UUID: UUID] = [:]
            for row in rows {
                let (id, encounter) = (try row.decode(column: "id", as: UUID.self), try row.decode(column: "encounter_id", as: UUID.self))
                guard let current = latest[encounter] else { latest[encounter] = id; continue }
                try await sql.update(DecisionRecord.schema).set("superseded_by", to: current).where("id", .equal, id).run()
            }
            try await sql.raw("CREATE UNIQUE INDEX decisions_one_current ON decisions (encounter_id) WHERE superseded_by IS NULL").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await CaseRecords.sqlDatabase(database).drop(index: "decisions_one_current").run()
    }
}
