import FluentKit
import SQLKit
import Foundation
import PolicyEngine

/// The cases the engine decides, read from the records: the encounter, the person's filings (a
/// filing is *verified* once a benefit verification confirmed it), the evidence and the steps
/// recorded. Nothing is typed twice. One statement per table for any number of encounters, and
/// rows are decoded column by column into the engine's values: at a million encounters, Fluent's
/// reflective model decoding would cost more than deciding.
public enum CaseRecords {
    static let flagColumns = [
        "immediate_victim_or_witness", "pending_criminal_case", "crime_reported", "wishes_to_report", "detained", "outside_united_states",
        "law_enforcement_interest", "exceptional_circumstances", "aggravating_factors", "expedite_in_agency_interest", "convicted_237a2",
    ]
    static let encounterColumns = ["id", "person_id", "office", "action", "as_of", "victim_indicia", "facts_version"] + flagColumns

    /// The case of each encounter given, by encounter id: the encounters as the caller read (or
    /// just wrote) them, the rest of their records read here.
    static func facts(of encounters: [Encounter], on database: any Database) async throws -> [UUID: CaseFacts] {
        let cases = try encounters.map { encounter in
            let id = try encounter.requireID()
            var facts = try baseFacts(id: id, asOf: encounter.asOf, action: encounter.action, victimIndicia: encounter.victimIndicia)
            for fact in EncounterFact.allCases { facts[keyPath: fact.caseKeyPath] = encounter[keyPath: fact.keyPath] }
            return EncounterCase(id: id, person: encounter.$person.id, office: encounter.office, facts: facts, factsVersion: encounter.factsVersion)
        }
        return Dictionary(try await completed(cases, on: sqlDatabase(database)).map { ($0.id, $0.facts) }, uniquingKeysWith: { first, _ in first })
    }

    /// The next `limit` open encounters after `cursor` (all of them from the start when nil), in id order, with their cases.
    static func openCases(after cursor: UUID?, limit: Int, on database: any Database) async throws -> [OpenCase] {
        let sql = try sqlDatabase(database)
        var query = sql.select().columns(encounterColumns).from(Encounter.schema).where("status", .equal, Encounter.open)
        if let cursor { query = query.where("id", .greaterThan, cursor) }
        return try await cases(of: query.orderBy("id").limit(limit).all(), on: sql)
    }

    /// The open encounters among `encounterIDs`, in id order, with their cases.
    static func openCases(among encounterIDs: [UUID], on database: any Database) async throws -> [OpenCase] {
        guard !encounterIDs.isEmpty else { return [] }
        let sql = try sqlDatabase(database)
        return try await cases(of: sql.select().columns(encounterColumns).from(Encounter.schema).where("status", .equal, Encounter.open)
            .where("id", .in, encounterIDs).orderBy("id").all(), on: sql)
    }

    public static func sqlDatabase(_ database: any Database) throws -> any SQLDatabase {
        guard let sql = database as? any SQLDatabase else { preconditionFailure("Safeguard's databases speak SQL") }
        return sql
    }

    /// An encounter's case, the person it is about and the office that opened it.
    typealias OpenCase = (id: UUID, person: UUID, office: String, facts: CaseFacts)

    /// An encounter's own facts, before its person's filings, its evidence and its steps are added.
    private struct EncounterCase {
        let id: UUID
        let person: UUID
        let office: String
        var facts: CaseFacts
        let factsVersion: Int
    }

    /// The case of an encounter from its stored values, its flags all unset.
    private static func baseFacts(id: UUID, asOf asOfText: String, action actionText: String, victimIndicia: [String]) throws -> CaseFacts {
        guard let asOf = CalendarDate(asOfText), let action = Action(spelling: actionText) else {
            throw WorkflowError.conflict("encounter \(id) holds an invalid date or action")
        }
        return CaseFacts(caseId: id.uuidString, asOf: asOf, action: action,
                         subject: Subject(victimIndicia: EnumSet(victimIndicia.compactMap { VictimIndicium(spelling: $0) })))
    }

    private static func cases(of encounterRows: [any SQLRow], on sql: any SQLDatabase) async throws -> [OpenCase] {
        let cases = try encounterRows.map { row in
            let id = try row.decode(column: "id", as: UUID.self)
            var facts = try baseFacts(id: id, asOf: row.decode(column: "as_of", as: String.self), action: row.decode(column: "action", as: String.self),
                                      victimIndicia: row.decode(column: "victim_indicia", as: [String].self))
            let flags = try flagColumns.map { try row.decode(column: $0, as: Bool.self) }
            (facts.subject.immediateVictimOrWitness, facts.subject.pendingCriminalCase, facts.subject.crimeReported) = (flags[0], flags[1], flags[2])
            (facts.subject.wishesToReport, facts.subject.detained, facts.subject.outsideUnitedStates) = (flags[3], flags[4], flags[5])
            (facts.lawEnforcementInterest, facts.exceptionalCircumstances, facts.aggravatingFactors) = (flags[6], flags[7], flags[8])
            (facts.expediteInAgencyInterest, facts.convicted237a2) = (flags[9], flags[10])
            return EncounterCase(id: id, person: try row.decode(column: "person_id", as: UUID.self), office: try row.decode(column: "office", as: String.self), facts: facts,
                                 factsVersion: try row.decode(column: "facts_version", as: Int.self))
        }
        return try await completed(cases, on: sql)
    }

    /// The encounters' cases completed with their people's filings, their evidence and their
    /// steps: one statement per table for any number of encounters.
    private static func completed(_ encounters: [EncounterCase], on sql: any SQLDatabase) async throws -> [OpenCase] {
        guard !encounters.isEmpty else { return [] }
        let factsVersions = Dictionary(encounters.map { ($0.id, $0.factsVersion) }, uniquingKeysWith: { first, _ in first })
        let ids = encounters.map(\.id)
        let people = Array(Set(encounters.map(\.person)))

        var benefits: [UUID: [BenefitFiling]] = [:]
        // A filing the source's records did not find counts for nothing further.
        for row in try await sql.select().columns("person_id", "type", "role", "status", "verified_at", "verification_outcome").from(BenefitFilingRecord.schema)
            .where("person_id", .in, people).all() {
            if try row.decode(column: "verification_outcome", as: String?.self) == VerificationOutcome.notFound.rawValue { continue }
            // A stored value outside the vocabulary is no filing the engine knows.
            guard let type = BenefitType(spelling: try row.decode(column: "type", as: String.self)),
                  let role = BenefitRole(spelling: try row.decode(column: "role", as: String.self)),
                  let status = BenefitStatus(spelling: try row.decode(column: "status", as: String.self)) else { continue }
            let verified = try row.decode(column: "verified_at", as: Date?.self) != nil
            benefits[try row.decode(column: "person_id", as: UUID.self), default: []]
                .append(BenefitFiling(type: type, role: role, status: status, verified: verified))
        }
        var information: [UUID: [InformationItem]] = [:]
        for row in try await sql.select().columns("encounter_id", "label", "source", "adverse").from(EvidenceRecord.schema)
            .where("encounter_id", .in, ids).all() {
            guard let source = InformationSource(spelling: try row.decode(column: "source", as: String.self)) else { continue }
            information[try row.decode(column: "encounter_id", as: UUID.self), default: []].append(InformationItem(
                id: try row.decode(column: "label", as: String.self), source: source, adverse: try row.decode(column: "adverse", as: Bool.self)
            ))
        }
        var steps: [UUID: EnumSet<Step>] = [:]
        var consultations: [UUID: [ConsultationAdvice.Consulted]] = [:]
        for row in try await sql.select().columns("encounter_id", "step", "outcome", "encounter_version", "facts_digest").from(StepRecord.schema)
            .where("encounter_id", .in, ids).where("declined", .equal, false).orderBy("encounter_version").orderBy("recorded_at").orderBy("id").all() {
            // A benefit verification is done by the filings' state, never by a record: it is owed
            // while a live claim is unanswered, whatever other filing was checked.
            guard let step = Step(spelling: try row.decode(column: "step", as: String.self)), step != .benefitVerification else { continue }
            let encounterID = try row.decode(column: "encounter_id", as: UUID.self)
            let encounterVersion = try row.decode(column: "encounter_version", as: Int.self)
            // A step recorded before the facts last changed rested on other facts: owed again.
            if encounterVersion > factsVersions[encounterID] ?? 0 {
                steps[encounterID, default: EnumSet()].insert(step)
            }
            if step == .oplaConsultation {
                consultations[encounterID, default: []].append(.init(advice: try row.decode(column: "outcome", as: String?.self), encounterVersion: encounterVersion,
                                                                     factsDigest: try row.decode(column: "facts_digest", as: String?.self)))
            }
        }
        // A legal limitation that stands keeps the consultation owed.
        for (encounterID, consulted) in consultations where ConsultationAdvice.limitationStands(consulted, factsVersion: factsVersions[encounterID] ?? 0) {
            steps[encounterID] = steps[encounterID]?.subtracting(EnumSet([.oplaConsultation]))
        }
        return encounters.map { encounter in
            var facts = encounter.facts
            facts.subject.benefits = benefits[encounter.person] ?? []
            // In label order, compared as Swift compares (a database's collation may differ).
            facts.information = (information[encounter.id] ?? []).sorted { $0.id < $1.id }
            facts.stepsCompleted = steps[encounter.id] ?? EnumSet()
            return (encounter.id, encounter.person, encounter.office, facts)
        }
    }
}
