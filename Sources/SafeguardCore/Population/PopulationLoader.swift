import FluentKit
import Foundation
import PolicyEngine

/// A synthetic population for capacity tests and benchmarks: people, each with one open
/// encounter whose records (filings, evidence, steps) make one case of the engine's
/// `CaseGenerator`, so the population covers the whole fact space. Deterministic for a seed.
/// Written in batches, each one transaction of multi-row inserts; no decision is computed.
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
    public func load(encounters count: Int, seed: UInt64, by actor: Actor, progress: @Sendable (Int) -> Void = { _ in },
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
                try await write(cases, numberedFrom: first, by: actor, on: database)
            }
            done += size
            progress(done)
        }
    }

    private func write(_ cases: [CaseFacts], numberedFrom first: Int, by actor: Actor, on database: any Database) async throws {
        var people: [Person] = [], filings: [BenefitFilingRecord] = [], encounters: [Encounter] = []
        var evidence: [EvidenceRecord] = [], steps: [StepRecord] = []
        for (offset, facts) in cases.enumerated() {
            let number = first + offset
            let person = Person(id: UUID(), aNumber: String(format: "A%09d", Self.firstANumber + number), givenName: "Synthetic",
                                familyName: "Person \(number)", dateOfBirth: "1990-01-01", country: "GT")
            people.append(person)
            for (index, benefit) in facts.subject.benefits.enumerated() {
                let filing = BenefitFilingRecord(personID: person.id!, type: benefit.type, role: benefit.role, status: benefit.status,
                                                 receiptNumber: String(format: "SYN%010d", number * 4 + index), filedOn: nil)
                filing.id = UUID()
                if benefit.verified {
                    filing.verificationSource = "synthetic population"
                    filing.verifiedBy = actor.userID
                    filing.verifiedAt = Date()
                }
                filings.append(filing)
            }
            let encounter = Encounter(personID: person.id!, office: Self.offices[number % Self.offices.count], action: facts.action,
                                      asOf: facts.asOf, openedBy: actor.userID)
            encounter.id = UUID()
            let subject = facts.subject
            encounter.victimIndicia = subject.victimIndicia.spellings
            encounter.immediateVictimOrWitness = subject.immediateVictimOrWitness
            encounter.pendingCriminalCase = subject.pendingCriminalCase
            encounter.crimeReported = subject.crimeReported
            encounter.wishesToReport = subject.wishesToReport
            encounter.detained = subject.detained
            encounter.outsideUnitedStates = subject.outsideUnitedStates
            encounter.lawEnforcementInterest = facts.lawEnforcementInterest
            encounter.exceptionalCircumstances = facts.exceptionalCircumstances
            encounter.aggravatingFactors = facts.aggravatingFactors
            encounter.expediteInAgencyInterest = facts.expediteInAgencyInterest
            encounter.convicted237a2 = facts.convicted237a2
            encounters.append(encounter)
            for item in facts.information {
                evidence.append(EvidenceRecord(encounterID: encounter.id!, label: item.id, source: item.source.spelling, adverse: item.adverse))
            }
            for step in facts.stepsCompleted {
                steps.append(StepRecord(encounterID: encounter.id!, step: step.spelling, recordedBy: actor.userID, recordedRole: actor.role.rawValue,
                                        summary: "Synthetic record.", counterpart: "Synthetic population"))
            }
        }
        // Parents before children, for the foreign keys.
        try await people.create(on: database)
        if !filings.isEmpty { try await filings.create(on: database) }
        try await encounters.create(on: database)
        if !evidence.isEmpty { try await evidence.create(on: database) }
        if !steps.isEmpty { try await steps.create(on: database) }
    }
}
