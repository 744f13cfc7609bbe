import FluentKit
import FluentSQL
import Foundation

/// The records of one batch of open encounters, read with one SQL statement per table and
/// decoded column by column: at a million encounters, decoding through Fluent's reflective model
/// output costs more than deciding. Only the columns that make the case are read.
struct ReevaluationBatch {
    /// An encounter's current decision: what a new one is compared with, and what it supersedes.
    struct CurrentDecision {
        var id: UUID
        var decision: String
        var ruleSetDigest: String
    }

    var encounters: [Encounter] = []
    var filings: [UUID: [BenefitFilingRecord]] = [:]
    var evidence: [UUID: [EvidenceRecord]] = [:]
    var steps: [UUID: [StepRecord]] = [:]
    var current: [UUID: CurrentDecision] = [:]

    static let flagColumns = [
        "immediate_victim_or_witness", "pending_criminal_case", "crime_reported", "wishes_to_report", "detained", "outside_united_states",
        "law_enforcement_interest", "exceptional_circumstances", "aggravating_factors", "expedite_in_agency_interest", "convicted_237a2",
    ]

    /// The next `limit` open encounters after `cursor`, in id order, with their records.
    static func load(after cursor: UUID?, limit: Int, on database: any Database) async throws -> ReevaluationBatch {
        guard let sql = database as? any SQLDatabase else { preconditionFailure("Safeguard's databases speak SQL") }
        var batch = ReevaluationBatch()
        var query = sql.select().columns(["id", "person_id", "office", "action", "as_of", "victim_indicia"] + flagColumns)
            .from(Encounter.schema).where("status", .equal, Encounter.open)
        if let cursor { query = query.where("id", .greaterThan, cursor) }
        for row in try await query.orderBy("id").limit(limit).all() {
            let encounter = Encounter()
            encounter.id = try row.decode(column: "id", as: UUID.self)
            encounter.$person.id = try row.decode(column: "person_id", as: UUID.self)
            encounter.office = try row.decode(column: "office", as: String.self)
            encounter.action = try row.decode(column: "action", as: String.self)
            encounter.asOf = try row.decode(column: "as_of", as: String.self)
            encounter.victimIndicia = try row.decode(column: "victim_indicia", as: [String].self)
            let flags = try flagColumns.map { try row.decode(column: $0, as: Bool.self) }
            (encounter.immediateVictimOrWitness, encounter.pendingCriminalCase, encounter.crimeReported, encounter.wishesToReport) = (flags[0], flags[1], flags[2], flags[3])
            (encounter.detained, encounter.outsideUnitedStates, encounter.lawEnforcementInterest, encounter.exceptionalCircumstances) = (flags[4], flags[5], flags[6], flags[7])
            (encounter.aggravatingFactors, encounter.expediteInAgencyInterest, encounter.convicted237a2) = (flags[8], flags[9], flags[10])
            batch.encounters.append(encounter)
        }
        guard !batch.encounters.isEmpty else { return batch }
        let ids = batch.encounters.map { $0.id! }
        let people = Array(Set(batch.encounters.map { $0.$person.id }))

        for row in try await sql.select().columns("person_id", "type", "role", "status", "verified_at").from(BenefitFilingRecord.schema)
            .where("person_id", .in, people).all() {
            let filing = BenefitFilingRecord()
            filing.type = try row.decode(column: "type", as: String.self)
            filing.role = try row.decode(column: "role", as: String.self)
            filing.status = try row.decode(column: "status", as: String.self)
            filing.verifiedAt = try row.decode(column: "verified_at", as: Date?.self)
            batch.filings[try row.decode(column: "person_id", as: UUID.self), default: []].append(filing)
        }
        for row in try await sql.select().columns("encounter_id", "label", "source", "adverse").from(EvidenceRecord.schema)
            .where("encounter_id", .in, ids).all() {
            let encounterID = try row.decode(column: "encounter_id", as: UUID.self)
            batch.evidence[encounterID, default: []].append(EvidenceRecord(
                encounterID: encounterID, label: try row.decode(column: "label", as: String.self),
                source: try row.decode(column: "source", as: String.self), adverse: try row.decode(column: "adverse", as: Bool.self)
            ))
        }
        for row in try await sql.select().columns("encounter_id", "step").from(StepRecord.schema).where("encounter_id", .in, ids).all() {
            let step = StepRecord()
            step.step = try row.decode(column: "step", as: String.self)
            batch.steps[try row.decode(column: "encounter_id", as: UUID.self), default: []].append(step)
        }
        for row in try await sql.select().columns("id", "encounter_id", "decision", "rule_set_digest").from(DecisionRecord.schema)
            .where("encounter_id", .in, ids).where("superseded_by", .is, SQLLiteral.null).all() {
            batch.current[try row.decode(column: "encounter_id", as: UUID.self)] = CurrentDecision(
                id: try row.decode(column: "id", as: UUID.self), decision: try row.decode(column: "decision", as: String.self),
                ruleSetDigest: try row.decode(column: "rule_set_digest", as: String.self)
            )
        }
        return batch
    }

    /// Marks each old decision superseded by its new one, in one statement:
    /// `UPDATE … FROM (VALUES (old, new), …)`, which SQLite and PostgreSQL both read.
    static func supersede(_ pairs: [(old: UUID, new: UUID)], on database: any Database) async throws {
        guard !pairs.isEmpty, let sql = database as? any SQLDatabase else { return }
        let values = SQLList(pairs.map { SQLGroupExpression([SQLBind($0.old), SQLBind($0.new)]) })
        try await sql.raw("""
            UPDATE \(ident: DecisionRecord.schema) SET superseded_by = v.column2 FROM (VALUES \(values)) AS v WHERE \(ident: DecisionRecord.schema).id = v.column1
            """).run()
    }
}
