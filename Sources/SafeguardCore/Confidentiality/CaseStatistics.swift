import FluentKit
import PolicyEngine
import SQLKit

/// Aggregate figures for analysts: counts by office, status, disposition and follow-up kind,
/// never a person. A group of fewer than `smallestCount` records is left out, label and all, so
/// that no figure points at one or two people (the label alone can tell: one expedited
/// adjudication request in an office tells of a filing). And since a total shown elsewhere minus
/// the cells shown gives what was left out, the smallest cells shown are left out beside them
/// until what is left out of a table adds up to at least `smallestCount` (complementary suppression).
public struct CaseStatistics: Sendable {
    public static let smallestCount = 5

    /// One count of a grouping, e.g. `["office": "NYC", "status": "open"]` → 42.
    public struct Cell: Sendable, Equatable {
        public var group: [String: String]
        public var count: Int
    }

    public var encounters: [Cell]
    public var decisions: [Cell]
    public var followUps: [Cell]
    /// Current decisions by the month of their date (`YYYY-MM`), the policy governing that date
    /// (`policy`, see `governingPolicy`) and disposition.
    public var decisionsByMonth: [Cell]
    /// The steps owed by open encounters, by office and step, from their current decisions.
    public var stepsOwed: [Cell]

    /// The document governing a day: the one that took effect last among those in force. The
    /// statute stands throughout; the directives follow one another.
    static func governingPolicy(in ruleSet: RuleSet) -> any SQLExpression {
        let starts = ruleSet.documents.compactMap { document in document.inForceFrom.map { ($0.description, document.id) } }.sorted { $0.0 > $1.0 }
        let earliest = ruleSet.documents.first { $0.inForceFrom == nil }?.id ?? "none"
        var sql = SQLQueryString("CASE")
        for (start, id) in starts { sql.appendInterpolation(unsafeRaw: " WHEN as_of >= \(quoted(start)) THEN \(quoted(id))") }
        sql.appendInterpolation(unsafeRaw: " ELSE \(quoted(earliest)) END")
        return sql
    }

    /// The cells that may be shown: each of at least `smallestCount`, and, when any is left out, so
    /// many of the smallest beside it that what is left out adds up to at least `smallestCount`.
    static func suppressed(_ cells: [Cell]) -> [Cell] {
        var shown = cells.filter { $0.count >= smallestCount }.sorted { $0.count < $1.count }
        var hidden = cells.filter { $0.count < smallestCount }.reduce(0) { $0 + $1.count }
        while hidden > 0, hidden < smallestCount, !shown.isEmpty { hidden += shown.removeFirst().count }
        return cells.filter { cell in shown.contains(cell) }
    }

    /// A policy file's id or date as an SQL string literal.
    private static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }

    public static func compute(on database: any Database, ruleSet: RuleSet) async throws -> CaseStatistics {
        let sql = try CaseRecords.sqlDatabase(database)
        func cells(_ table: String, _ columns: [String], computed: [String: any SQLExpression] = [:],
                   where condition: ((SQLSelectBuilder) -> SQLSelectBuilder)? = nil) async throws -> [Cell] {
            var query = sql.select().columns(columns.map { name -> any SQLExpression in computed[name].map { SQLAlias($0, as: SQLIdentifier(name)) } ?? SQLColumn(name) })
                .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n").from(table)
            if let condition { query = condition(query) }
            query = columns.reduce(query) { query, name in computed[name].map { query.groupBy($0) } ?? query.groupBy(name) }
            for column in columns { query = query.orderBy(computed[column] ?? SQLColumn(column)) }
            let all = try await query.all().map { row in
                Cell(group: Dictionary(uniqueKeysWithValues: try columns.map { ($0, try row.decode(column: $0, as: String.self)) }),
                     count: try row.decode(column: "n", as: Int.self))
            }
            return suppressed(all)
        }
        var stepsOwed: [Cell] = []
        // Each step's cells are a table of their own: a total of encounters owing it is not shown.
        for step in Step.allCases {
            let byOffice = try await cells(Encounter.schema, ["office"]) { query in
                query.join(DecisionRecord.schema, on: SQLColumn("id", table: Encounter.schema), .equal, SQLColumn("encounter_id", table: DecisionRecord.schema))
                    .where(SQLColumn("status", table: Encounter.schema), .equal, SQLBind(Encounter.open))
                    .where(SQLColumn("superseded_by", table: DecisionRecord.schema), .is, SQLLiteral.null)
                    .where(SQLColumn("required_steps", table: DecisionRecord.schema), .like, SQLBind(DecisionRecord.requiredStepsPattern(step)))
            }
            stepsOwed += byOffice.map { Cell(group: ["office": $0.group["office"] ?? "", "step": step.spelling], count: $0.count) }
        }
        return CaseStatistics(
            encounters: try await cells(Encounter.schema, ["office", "status"]),
            decisions: try await cells(DecisionRecord.schema, ["disposition"]) { $0.where("superseded_by", .is, SQLLiteral.null) },
            followUps: try await cells(FollowUp.schema, ["kind", "status"]),
            decisionsByMonth: try await cells(DecisionRecord.schema, ["month", "policy", "disposition"], computed: [
                "month": SQLFunction("substr", args: SQLColumn("as_of"), SQLLiteral.numeric("1"), SQLLiteral.numeric("7")),
                "policy": governingPolicy(in: ruleSet),
            ]) {
                $0.where("superseded_by", .is, SQLLiteral.null)
            },
            stepsOwed: stepsOwed
        )
    }
}
