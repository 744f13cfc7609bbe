import FluentKit
import SQLKit
import Foundation
import PolicyEngine

/// Decisions read and written a batch at a time, for re-evaluation: the current decisions of many
/// encounters in one `SELECT`, the old ones marked superseded in one `UPDATE`, and the new ones in
/// one multi-row `INSERT`.
struct DecisionRows {
    /// A decision this batch would supersede was superseded meanwhile (a step, a change of facts,
    /// another run): the batch was decided on what is no longer current, and is written not at all.
    struct Stale: Error {}

    /// An encounter's current decision: what a new one is compared with, and what it supersedes.
    struct Current {
        var id: UUID
        var decision: String
        var ruleSetDigest: String
    }

    static func current(of encounterIDs: [UUID], on database: any Database) async throws -> [UUID: Current] {
        let sql = try CaseRecords.sqlDatabase(database)
        var current: [UUID: Current] = [:]
        for row in try await sql.select().columns("id", "encounter_id", "decision", "rule_set_digest").from(DecisionRecord.schema)
            .where("encounter_id", .in, encounterIDs).where("superseded_by", .is, SQLLiteral.null).all() {
            current[try row.decode(column: "encounter_id", as: UUID.self)] = Current(
                id: try row.decode(column: "id", as: UUID.self), decision: try row.decode(column: "decision", as: String.self),
                ruleSetDigest: try row.decode(column: "rule_set_digest", as: String.self)
            )
        }
        return current
    }

    private var inserts = BulkInsert(into: DecisionRecord.schema, columns: [
        "id", "encounter_id", "as_of", "disposition", "required_steps", "rule_set_digest", "facts", "decision", "computed_by", "computed_at",
    ])
    private var superseded: [(old: UUID, new: UUID)] = []
    /// The encounters decided, whose turns the write takes first.
    private var encounterIDs: [UUID] = []
    /// The new decisions and the people they are about, for their audit records.
    private(set) var newDecisions: [(id: UUID, person: UUID)] = []
    /// When the decisions were computed.
    private let now: Date

    init(computedAt now: Date) {
        self.now = now
    }

    /// Adds a new decision of the encounter, superseding `previous` if there is one.
    mutating func add(_ decision: Decision, json: JSONValue, facts: CaseFacts, encounterID: UUID, person: UUID, computedBy: UUID,
                      superseding previous: UUID?) {
        let id = UUID()
        newDecisions.append((id, person))
        encounterIDs.append(encounterID)
        inserts.append([id, encounterID, facts.asOf.description, decision.disposition.spelling,
                        DecisionRecord.requiredStepsColumn(decision.requiredSteps), decision.ruleSetDigest,
                        facts.json.serialized(), json.serialized(), computedBy, now])
        if let previous { superseded.append((previous, id)) }
    }

    /// Supersedes the old decisions, each only if still current, then inserts the new ones: an
    /// encounter has one current decision at every moment (the `decisions_one_current` index).
    /// - Throws: `Stale` when an old decision was no longer current; the caller's transaction
    ///   then rolls back the whole batch.
    func write(on database: any Database) async throws {
        // `UPDATE … FROM (VALUES (old, new), …)` reads the same in SQLite and PostgreSQL, whose
        // VALUES columns are both named column1, column2.
        let sql = try CaseRecords.sqlDatabase(database)
        // On PostgreSQL, the encounters' turns first, in id order, as every writer of an encounter
        // takes its turn before its decision and the audit head (SQLite runs one writer at a time).
        if sql.dialect.name == "postgresql" {
            for start in stride(from: 0, to: encounterIDs.count, by: BulkInsert.maximumBinds) {
                let ids = encounterIDs[start..<min(start + BulkInsert.maximumBinds, encounterIDs.count)]
                _ = try await sql.raw("""
                    SELECT id FROM \(ident: Encounter.schema) WHERE id IN (\(binds: Array(ids))) ORDER BY id FOR UPDATE
                    """).all()
            }
        }
        let rowsPerStatement = BulkInsert.maximumBinds / 2
        for start in stride(from: 0, to: superseded.count, by: rowsPerStatement) {
            let pairs = superseded[start..<min(start + rowsPerStatement, superseded.count)]
            let values = SQLList(pairs.map { SQLGroupExpression([SQLBind($0.old), SQLBind($0.new)]) })
            let marked = try await sql.raw("""
                UPDATE \(ident: DecisionRecord.schema) SET superseded_by = v.column2 FROM (VALUES \(values)) AS v \
                WHERE \(ident: DecisionRecord.schema).id = v.column1 AND \(ident: DecisionRecord.schema).superseded_by IS NULL \
                RETURNING \(ident: DecisionRecord.schema).id
                """).all()
            guard marked.count == pairs.count else { throw Stale() }
        }
        do {
            try await inserts.run(on: database)
        } catch let error as any DatabaseError where error.isConstraintFailure {
            // An encounter with no decision yet was given one meanwhile (`decisions_one_current`).
            throw Stale()
        }
    }
}
