import FluentKit
import Foundation
import PolicyEngine

/// Reading encounters: each read reaches only the reader's offices, shows a protected person's
/// data only to those entitled, and is recorded in the audit chain.
extension CaseWorkflow {
    /// One encounter, its read recorded. The encounters read at once are read together
    /// (`ReadBatch`), whoever reads them: each reader is then checked alone.
    public func show(encounter id: UUID, to reader: Reader, on database: any Database) async throws -> EncounterView {
        try Entitlements.requireCaseReadingRole(reader.actor)
        let inHand = try await reachedFirst(id, by: reader.actor, on: database) {
            try await batchedEncounterReads.read(id, alone: reader.readsAlone, on: database) { try await self.encounterReads(of: $0, on: $1) }
        }
        let encounter = try Self.reached(inHand?.encounter, id, by: reader.actor)
        guard let inHand else { throw WorkflowError.notFound("encounter \(id)") }
        let shown = try await shown([encounter], to: reader, on: database)[0]
        try await reader.record([("encounter/\(id)", encounter.$person.id, shown)], in: audit, on: database)
        return try view(of: inHand, shown: shown)
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
        let inHand = try await reachedFirst(encounterID, by: reader.actor, on: database) {
            try await batchedStepReads.read(encounterID, alone: reader.readsAlone, on: database) { try await Self.stepReads(of: $0, on: $1) }
        }
        let encounter = try Self.reached(inHand?.0, encounterID, by: reader.actor)
        let steps = inHand?.1 ?? []
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

    /// What `read` reads of an encounter, read before the actor's reach is checked: when it
    /// fails (a record that cannot be read), the failure is told only to an actor who reaches the
    /// encounter; any other is told it is not found, as when reading it alone.
    private func reachedFirst<Value>(_ id: UUID, by actor: Actor, on database: any Database,
                                     _ read: () async throws -> Value) async throws -> Value {
        do {
            return try await read()
        } catch {
            _ = try await encounter(id, for: actor, on: database)
            throw error
        }
    }

    /// The encounters, each with its person's protected data shown or not.
    private func views(of encounters: [Encounter], shown: [Bool], on database: any Database) async throws -> [EncounterView] {
        let reads = try await encounterReads(of: encounters, on: database)
        return try zip(encounters, shown).map { encounter, shown in
            let id = try encounter.requireID()
            guard let read = reads[id] else { throw WorkflowError.notFound("encounter \(id)") }
            return try view(of: read, shown: shown)
        }
    }

    private func view(of read: EncounterRead, shown: Bool) throws -> EncounterView {
        try EncounterView(read.encounter, facts: Disclosure.facts(decided(read.facts, of: read.encounter).json, shown: shown),
                          decision: try read.decision.map { try DecisionView($0, shown: shown, ruleSet: ruleSet) })
    }

    /// The encounters with these ids as a read shows them.
    func encounterReads(of ids: [UUID], on database: any Database) async throws -> [UUID: EncounterRead] {
        try await encounterReads(of: PlainModelReads.all(Encounter.self, where: "id", in: ids, on: database), on: database)
    }

    /// The encounters as a read shows them: their cases and decisions in one statement per
    /// table, not one per encounter.
    private func encounterReads(of encounters: [Encounter], on database: any Database) async throws -> [UUID: EncounterRead] {
        let facts = try await CaseRecords.facts(of: encounters, on: database)
        let decisions = try await currentDecisions(of: try encounters.map { try $0.requireID() }, on: database)
        var reads: [UUID: EncounterRead] = [:]
        for encounter in encounters {
            let id = try encounter.requireID()
            if let facts = facts[id] { reads[id] = EncounterRead(encounter: encounter, facts: facts, decision: decisions[id]) }
        }
        return reads
    }

    /// The encounters with these ids, each with its steps, oldest first.
    private static func stepReads(of ids: [UUID], on database: any Database) async throws -> [UUID: (Encounter, [StepRecord])] {
        let encounters = try await PlainModelReads.all(Encounter.self, where: "id", in: ids, on: database)
        let steps = Dictionary(grouping: try await StepRecord.query(on: database).filter(\.$encounter.$id ~~ ids).sort(\.$recordedAt).all(),
                               by: { $0.$encounter.id })
        return Dictionary(uniqueKeysWithValues: try encounters.map { (try $0.requireID(), ($0, steps[try $0.requireID()] ?? [])) })
    }
}

/// An encounter as a read shows it: its record, its case's facts as stored, its current decision.
struct EncounterRead: Sendable {
    let encounter: Encounter
    let facts: CaseFacts
    let decision: DecisionRecord?
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
