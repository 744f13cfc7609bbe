import FluentKit
import Foundation
import PolicyEngine

/// A synthetic population for capacity tests and benchmarks: people, each with one open
/// encounter whose records (filings, evidence, steps) make one case of the engine's
/// `CaseGenerator`, so the population covers the whole fact space. Deterministic for a seed.
/// Written in batches, each one transaction of multi-row inserts (`BulkInsert`); no decision is computed.
public struct PopulationLoader: Sendable {
    public let ruleSet: RuleSet
    public let batchSize: Int

    public init(ruleSet: RuleSet, batchSize: Int = 500) {
        self.ruleSet = ruleSet
        self.batchSize = max(1, batchSize)
    }

    /// Synthetic A-numbers start here, above those of the demonstration data.
    static let firstANumber = 400_000_000
    static let offices = ["NYC", "LAX", "CHI", "HOU", "MIA"]

    /// Adds `count` people and open encounters, recorded as opened by `actor`.
    /// - Parameter progress: called after each batch with the encounters added so far.
    /// Each person and encounter added gets its audit record in `audit`.
    public func load(encounters count: Int, seed: UInt64, by actor: Actor, audit: AuditChain, progress: @Sendable (Int) -> Void = { _ in },
                     on database: any Database) async throws {
        // Numbering continues after the people already there, so that loading twice adds rather than collides.
        let existing = try await Person.query(on: database).count()
        var generator = CaseGenerator(seed: seed, ruleSet: ruleSet)
        var done = 0
        while done < count {
            let size = min(batchSize, count - done)
            let cases = (0..<size).map { _ in generator.next() }
            let first = existing + done
            try await database.transaction { database in
                try await write(cases, numberedFrom: first, by: actor, audit: audit, on: database)
            }
            done += size
            progress(done)
        }
    }

    private func write(_ cases: [CaseFacts], numberedFrom first: Int, by actor: Actor, audit: AuditChain, on database: any Database) async throws {
        let now = audit.clock.now
        var entries: [AuditEntry] = []
        var people = BulkInsert(into: Person.schema, columns: [
            "id", "a_number", "given_name", "family_name", "date_of_birth", "country", "office", "version", "created_at", "updated_at",
        ])
        var filings = BulkInsert(into: BenefitFilingRecord.schema, columns: [
            "id", "person_id", "type", "role", "status", "receipt_number", "verification_source", "verified_by", "verified_at", "version", "created_at",
        ])
        var encounters = BulkInsert(into: Encounter.schema, columns: ["id", "person_id", "office", "action", "as_of", "victim_indicia"]
            + CaseRecords.flagColumns + ["status", "opened_by", "version", "created_at", "updated_at"])
        var evidence = BulkInsert(into: EvidenceRecord.schema, columns: ["id", "encounter_id", "label", "source", "adverse", "created_at"])
        var steps = BulkInsert(into: StepRecord.schema, columns: [
            "id", "encounter_id", "step", "recorded_by", "recorded_role", "summary", "counterpart", "recorded_at",
        ])
        for (offset, facts) in cases.enumerated() {
            let number = first + offset
            let personID = UUID(), encounterID = UUID(), office = Self.offices[number % Self.offices.count]
            entries += [AuditEntry(actor, .write, "person/\(personID)", subject: personID),
                        AuditEntry(actor, .write, "encounter/\(encounterID)", subject: personID)]
            people.append([personID, String(format: "A%09d", Self.firstANumber + number), "Synthetic", "Person \(number)", "1990-01-01", "GT", office, 1, now, now])
            for (index, benefit) in facts.subject.benefits.enumerated() {
                let verified = benefit.verified
                filings.append([UUID(), personID, benefit.type.spelling, benefit.role.spelling, benefit.status.spelling,
                                String(format: "SYN%010d", number * 4 + index), verified ? "synthetic population" : nil,
                                verified ? actor.userID : nil, verified ? now : nil, 1, now])
            }
            let subject = facts.subject
            let flags = [
                subject.immediateVictimOrWitness, subject.pendingCriminalCase, subject.crimeReported, subject.wishesToReport, subject.detained,
                subject.outsideUnitedStates, facts.lawEnforcementInterest, facts.exceptionalCircumstances, facts.aggravatingFactors,
                facts.expediteInAgencyInterest, facts.convicted237a2,
            ]
            encounters.append([encounterID, personID, office, facts.action.spelling, facts.asOf.description,
                               subject.victimIndicia.spellings] + flags + [Encounter.open, actor.userID, 1, now, now])
            for item in facts.information {
                evidence.append([UUID(), encounterID, item.id, item.source.spelling, item.adverse, now])
            }
            for step in facts.stepsCompleted {
                steps.append([UUID(), encounterID, step.spelling, actor.userID, actor.role.rawValue, "Synthetic record.", "Synthetic population", now])
            }
        }
        // Parents before children, for the foreign keys.
        for insert in [people, filings, encounters, evidence, steps] { try await insert.run(on: database) }
        try await audit.append(entries, on: database)
    }
}
