import FluentKit
import Foundation
import PolicyEngine

/// Reading encounters: each read reaches only the reader's offices, shows a protected person's
/// data only to those entitled, and is recorded in the audit chain.
extension CaseWorkflow {
    /// One encounter, its read recorded.
    public func show(encounter id: UUID, to reader: Reader, on database: any Database) async throws -> EncounterView {
        let (encounter, shown) = try await read(encounter: id, to: reader, on: database)
        return try await views(of: [encounter], shown: [shown], on: database)[0]
    }

    /// One encounter's record and whether the reader sees its person's protected data, its read
    /// recorded: for a page that shows the encounter its own way.
    public func read(encounter id: UUID, to reader: Reader, on database: any Database) async throws -> (encounter: Encounter, shown: Bool) {
        try Entitlements.requireCaseReadingRole(reader.actor)
        let encounter = try await encounter(id, for: reader.actor, on: database)
        let shown = try await shown([encounter], to: reader, on: database)[0]
        try await reader.record([("encounter/\(id)", encounter.$person.id, shown)], in: audit, on: database)
        return (encounter, shown)
    }

    /// A page of the encounters the reader reaches, newest first, optionally only those of one
    /// status; each read recorded. Returns the page and how many there are in all.
    public func list(encounters status: String?, offset: Int, limit: Int, to reader: Reader,
                     on database: any Database) async throws -> (views: [EncounterView], total: Int) {
        try Entitlements.requireCaseReadingRole(reader.actor)
        if let status, ![Encounter.open, Encounter.actionRecorded].contains(status) {
            throw WorkflowError.invalid([FieldError(path: "status", message: "'\(status)' is not 'open' or 'action-recorded'")])
        }
        var query = Encounter.query(on: database).reachable(by: reader.actor)
        if let status { query = query.filter(\.$status == status) }
        let total = try await query.count()
        let encounters = try await query.sort(\.$createdAt, .descending).sort(\.$id).range(offset..<offset + limit).all()
        let shown = try await shown(encounters, to: reader, on: database)
        try await reader.record(zip(encounters, shown).map { ("encounter/\(try $0.requireID())", $0.$person.id, $1) }, in: audit, on: database)
        return (try await views(of: encounters, shown: shown, on: database), total)
    }

    /// The steps recorded on an encounter, oldest first, as the reader sees them; each read recorded.
    public func steps(of encounterID: UUID, to reader: Reader, on database: any Database) async throws -> [StepView] {
        try Entitlements.requireCaseReadingRole(reader.actor)
        let encounter = try await encounter(encounterID, for: reader.actor, on: database)
        let steps = try await StepRecord.query(on: database).filter(\.$encounter.$id == encounterID).sort(\.$recordedAt).all()
        let shown = try await shown([encounter], to: reader, on: database)[0]
        try await reader.record(steps.map { ("step/\(try $0.requireID())", encounter.$person.id, shown) }, in: audit, on: database)
        return try steps.map { try StepView($0, shown: shown) }
    }

    /// An encounter just written, as its writer sees it (the write's own audit record covers it).
    public func view(of encounter: Encounter, to reader: Reader, on database: any Database) async throws -> EncounterView {
        try await views(of: [encounter], shown: shown([encounter], to: reader, on: database), on: database)[0]
    }

    /// The decision just stored, as its writer sees it.
    public func view(of record: DecisionRecord, to reader: Reader, on database: any Database) async throws -> DecisionView {
        try DecisionView(record, shown: try await shows(encounter: record.$encounter.id, to: reader, on: database), ruleSet: ruleSet)
    }

    /// Whether the reader sees the protected data of the person an encounter they reach is about.
    public func shows(encounter encounterID: UUID, to reader: Reader, on database: any Database) async throws -> Bool {
        try await shown([encounter(encounterID, for: reader.actor, on: database)], to: reader, on: database)[0]
    }

    /// Whether the reader sees each encounter's person's protected data: when entitled (role and
    /// purpose, the same for every person), and, for a person another office keeps, only while
    /// the encounter is open (`PersonReach`): a closed encounter keeps no window on another
    /// office's filings, which its facts are drawn from as they are now.
    func shown(_ encounters: [Encounter], to reader: Reader, on database: any Database) async throws -> [Bool] {
        guard reader.disclosure.entitled else { return encounters.map { _ in false } }
        let closedPeople = Set(encounters.filter { $0.status != Encounter.open }.map { $0.$person.id })
        guard !closedPeople.isEmpty, !reader.actor.role.spansOffices else { return encounters.map { _ in true } }
        let people = try await Person.query(on: database).filter(\.$id ~~ closedPeople).all()
        let kept = Set(try people.filter { reader.actor.reaches(office: $0.office) }.map { try $0.requireID() })
        return encounters.map { $0.status == Encounter.open || kept.contains($0.$person.id) }
    }

    /// The encounters, each with its person's protected data shown or not: their cases and
    /// decisions in one statement per table, not one per encounter.
    private func views(of encounters: [Encounter], shown: [Bool], on database: any Database) async throws -> [EncounterView] {
        let ids = try encounters.map { try $0.requireID() }
        let facts = try await CaseRecords.facts(of: encounters, on: database)
        let decisions = try await currentDecisions(of: ids, on: database)
        return try zip(encounters, shown).map { encounter, shown in
            let id = try encounter.requireID()
            guard let caseFacts = facts[id] else { throw WorkflowError.notFound("encounter \(id)") }
            return try EncounterView(encounter, facts: Disclosure.facts(decided(caseFacts, of: encounter).json, shown: shown),
                                     decision: try decisions[id].map { try DecisionView($0, shown: shown, ruleSet: ruleSet) })
        }
    }
}

extension CaseWorkflow {
    /// One line of a user's queue: an open encounter, its person, its case as decided now, and
    /// the steps owed now that the user's role records.
    public struct QueueLine: Sendable {
        public let encounter: Encounter
        public let person: Person
        public let facts: CaseFacts
        public let disposition: Disposition
        public let owed: [Step]
    }

    /// The open encounters the actor reaches, newest first (at most `limit`), each with its person
    /// and decided as the gate would decide it now, with what the actor's role owes on it. Nothing
    /// is recorded: a page records the lines it shows (`recordListed`).
    public func queue(for actor: Actor, limit: Int, on database: any Database) async throws -> [QueueLine] {
        try Entitlements.requireCaseReadingRole(actor)
        let encounters = try await Encounter.query(on: database).filter(\.$status == Encounter.open).reachable(by: actor)
            .sort(\.$createdAt, .descending).limit(limit).all()
        let cases = try await CaseRecords.facts(of: encounters, on: database)
        let people = try await Person.query(on: database).filter(\.$id ~~ Set(encounters.map { $0.$person.id })).all()
        let byID = Dictionary(uniqueKeysWithValues: try people.map { (try $0.requireID(), $0) })
        return try encounters.compactMap { encounter in
            guard let stored = cases[try encounter.requireID()], let person = byID[encounter.$person.id] else { return nil }
            let facts = decided(stored, of: encounter)
            let decision = ruleSet.evaluate(facts)
            let owed = decision.requiredSteps.filter { Entitlements.roles(for: $0).contains(actor.role) }
            return QueueLine(encounter: encounter, person: person, facts: facts, disposition: decision.disposition, owed: Array(owed))
        }
    }

    /// Records the reads of the queue's lines a page shows, each encounter once, about its person
    /// (the lines show who the person is and the decision, no protected fact).
    public func recordListed(_ lines: [QueueLine], to reader: Reader, on database: any Database) async throws {
        var seen = Set<UUID>()
        let shown = try lines.filter { seen.insert(try $0.encounter.requireID()).inserted }
        try await reader.record(shown.map { ("encounter/\(try $0.encounter.requireID())", $0.encounter.$person.id, true) }, in: audit, on: database)
    }

    /// A step just recorded, as its writer sees it.
    public func view(of step: StepRecord, to reader: Reader, on database: any Database) async throws -> StepView {
        try StepView(step, shown: try await shows(encounter: step.$encounter.id, to: reader, on: database))
    }
}
