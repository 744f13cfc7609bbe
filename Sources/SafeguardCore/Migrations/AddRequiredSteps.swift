import FluentKit
import Foundation
import PolicyEngine
import SQLKit

/// The steps a decision requires, as a column, so that the steps outstanding can be counted by
/// office without reading every decision's JSON. Current decisions stored before it are filled in
/// from their JSON; superseded ones keep the empty default (they are history, never counted).
struct AddRequiredSteps: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DecisionRecord.schema).field("required_steps", .string, .required, .sql(.default(""))).update()
        let sql = try CaseRecords.sqlDatabase(database)
        let rows = try await sql.select().columns("id", "decision").from(DecisionRecord.schema)
            .where("superseded_by", .is, SQLLiteral.null).where("disposition", .equal, Disposition.proceedAfterSteps.spelling).all()
        for row in rows {
            let decision = try JSONParser.parse(try row.decode(column: "decision", as: String.self))
            guard case .object(let members) = decision, case .array(let steps)? = members.first(where: { $0.key == "requiredSteps" })?.value else { continue }
            let spellings = steps.compactMap { if case .string(let text) = $0 { Step(spelling: text) } else { nil } }
            try await sql.update(DecisionRecord.schema).set("required_steps", to: DecisionRecord.requiredStepsColumn(EnumSet(spellings)))
                .where("id", .equal, try row.decode(column: "id", as: UUID.self)).run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DecisionRecord.schema).deleteField("required_steps").update()
    }
}
