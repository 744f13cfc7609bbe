import FluentKit
import Foundation
import PolicyEngine
import SQLKit

/// The case workflow: an encounter's facts derived from its records, decisions computed and
/// stored, steps recorded by the people entitled to them, and the gate before an enforcement action.
///
/// Every write appends its audit record in the same transaction.
public struct CaseWorkflow: Sendable {
    public let ruleSet: RuleSet
    public let audit: AuditChain
    public let metrics: WorkflowMetrics
    /// When verifications and actions are recorded, and the day open encounters are decided on
    /// (the audit chain keeps its own clock).
    public let calendar: CaseCalendar
    /// Opens the encounters of writers that hold no write turn together (`openEncounter`).
    let openings = GroupCommit<Opening, Opened>()
    /// Reads the encounters and the steps that readers ask for at once together (`show`, `steps`).
    let batchedEncounterReads = ReadBatch<UUID, EncounterRead>()
    let batchedStepReads = ReadBatch<UUID, (Encounter, [StepRecord])>()

    /// How often people may ask the filing-status source (`verifyAtSource`).
    public let sourceAsks: SourceAskAllowance

    public var clock: any WallClock { calendar.clock }

    public init(ruleSet: RuleSet, audit: AuditChain, calendar: CaseCalendar = CaseCalendar(), metrics: WorkflowMetrics = WorkflowMetrics()) {
        self.ruleSet = ruleSet
        self.audit = audit
        self.calendar = calendar
        self.metrics = metrics
        sourceAsks = SourceAskAllowance(clock: calendar.clock)
    }

    /// This workflow on another clock, its audit chain too: the demo seeds its history by moving
    /// the clock to each day it opens an encounter on, never by naming a past day.
    public func on(_ clock: any WallClock) -> CaseWorkflow {
        CaseWorkflow(ruleSet: ruleSet, audit: AuditChain(key: audit.key, signingInterval: audit.signingInterval, refusalsPerMinute: audit.refusals.perMinute,
                                                                     queueBound: audit.queueBound, clock: clock),
                     calendar: CaseCalendar(clock: clock, timeZone: calendar.timeZone), metrics: metrics)
    }

    // MARK: Reading

    /// An encounter the actor may see: one of the actor's office unless the role spans offices.
    public func encounter(_ id: UUID, for actor: Actor, on database: any Database) async throws -> Encounter {
        try await Self.reached(PlainModelReads.find(Encounter.self, id, on: database), id, by: actor)
    }

    /// A verification answers a claim: a filing already known, or already answered, is not undone
    /// by another officer's check (that would drop a protected filing).
    static func requireUnanswered(_ filing: BenefitFilingRecord, _ filingID: UUID) throws {
        guard !filing.isVerified, filing.verificationOutcome == nil else {
            throw WorkflowError.conflict("filing \(filingID) was already verified (\(filing.verificationOutcome ?? VerificationOutcome.confirmed.rawValue)); a verification answers an unanswered claim")
        }
    }

    /// The encounter read, when there is one and the actor reaches it; not found otherwise.
    static func reached(_ encounter: Encounter?, _ id: UUID, by actor: Actor) throws -> Encounter {
        guard let encounter, actor.reaches(office: encounter.office) else { throw WorkflowError.notFound("encounter \(id)") }
        return encounter
    }

    /// The encounter, read once this transaction holds its turn (`VersionClaim.hold`): a writer
    /// that reads it first would find it stale after a concurrent writer, or decide on old facts.
    func encounterInTurn(_ id: UUID, for actor: Actor, on database: any Database) async throws -> Encounter {
        try await VersionClaim.hold(Encounter.schema, id: id, on: database)
        return try await encounter(id, for: actor, on: database)
    }

    /// The case the engine decides, from the records (see `CaseRecords`).
    public func facts(for encounter: Encounter, on database: any Database) async throws -> CaseFacts {
        let id = try encounter.requireID()
        guard let facts = try await CaseRecords.facts(of: [encounter], on: database)[id] else { throw WorkflowError.notFound("encounter \(id)") }
        return decided(facts, of: encounter)
    }

    /// The case as the engine decides it: an open encounter is about an action contemplated now,
    /// so it is decided as of today whatever day it names; a closed one as of the day its action
    /// was recorded, under which the gate decided it.
    func decided(_ facts: CaseFacts, of encounter: Encounter) -> CaseFacts {
        var facts = facts
        if encounter.status == Encounter.open {
            facts.asOf = calendar.today
        } else if let recorded = encounter.actionRecordedAt {
            facts.asOf = calendar.day(of: recorded)
        }
        return facts
    }

    // MARK: Opening

    /// Opens an encounter in the writer's office, with its evidence, and decides it at once.
    /// Returns it with its view as the writer sees it, made from what was stored (the purpose the
    /// writer stated goes into the audit record). A writer that holds no write turn (an API
    /// request) opens it together with those opened at the same moment (`GroupCommit`).
    public func openEncounter(_ input: EncounterInput, by writer: Reader, on database: any Database) async throws -> (encounter: Encounter, view: EncounterView) {
        try Entitlements.requireEnforcementRole(writer.actor, for: "open encounters")
        if input.information.count > CaseDecoder.maximumInformationItems {
            throw WorkflowError.invalid([FieldError(path: "information", message: "at most \(CaseDecoder.maximumInformationItems) items")])
        }
        if Set(input.information.map(\.id)).count != input.information.count {
            throw WorkflowError.invalid([FieldError(path: "information", message: "ids must be unique")])
        }
        // Other days are for analysis, where nothing is stored (the decisions endpoint, what-if, compare).
        let today = calendar.today
        if input.asOf < today {
            throw WorkflowError.invalid([FieldError(path: "asOf", message: "'\(input.asOf)' is before today (\(today)): an encounter is about an action contemplated now")])
        }
        if CaseCalendar.yearAfter(today) < input.asOf {
            throw WorkflowError.invalid([FieldError(path: "asOf", message: "'\(input.asOf)' is more than a year after today (\(today))")])
        }
        let opening = Opening(input: input, writer: writer)
        let opened = if let turns = writer.turns, !database.inTransaction {
            try await openings.write(opening, taking: turns, on: database) { try await open($0, on: $1) }
        } else {
            try await writer.turns.run { try await open([opening], on: database)[0].get() }
        }
        let shown = try await shown([opened.encounter], to: writer, on: database)[0]
        let view = try EncounterView(opened.encounter, facts: Disclosure.facts(opened.stored.facts.json, shown: shown),
                                     decision: DecisionView(opened.stored.record, shown: shown, ruleSet: ruleSet))
        return (opened.encounter, view)
    }

    /// An encounter to open: what its writer stated.
    struct Opening: Sendable {
        let input: EncounterInput
        let writer: Reader
    }

    /// An encounter opened, and its decision as stored.
    struct Opened: Sendable {
        let encounter: Encounter
        let stored: StoredDecision
    }

    /// Opens encounters in one transaction, a statement for each table whatever their number: an
    /// encounter whose person does not exist fails alone.
    private func open(_ openings: [Opening], on database: any Database) async throws -> [Result<Opened, any Error>] {
        try await database.transaction { database in
            let named = Set(openings.map(\.input.personID))
            let people = Set(try await Person.query(on: database).filter(\.$id ~~ named).all(\.$id))
            var (encounters, evidence, decidings) = ([Encounter](), [EvidenceRecord](), [Deciding]())
            var outcomes: [Result<Encounter, any Error>] = []
            for opening in openings {
                let (input, actor) = (opening.input, opening.writer.actor)
                guard people.contains(input.personID) else {
                    outcomes.append(.failure(WorkflowError.invalid([FieldError(path: "personId", message: "no person \(input.personID)")])))
                    continue
                }
                let encounter = Encounter(personID: input.personID, office: actor.office, action: input.action, asOf: input.asOf, openedBy: actor.userID)
                let id = UUID()
                encounter.id = id
                encounter.victimIndicia = input.victimIndicia.spellings
                for fact in input.facts { fact.set(true, in: encounter) }
                evidence += input.information.map { EvidenceRecord(encounterID: id, label: $0.id, source: $0.source.spelling, adverse: $0.adverse) }
                encounters.append(encounter)
                decidings.append(Deciding(encounter: encounter, actor: actor, recording: [
                    AuditEntry(actor, .write, "encounter/\(id)", purpose: opening.writer.purpose, subject: input.personID),
                ]))
                outcomes.append(.success(encounter))
            }
            try await encounters.createInStatements(on: database)
            try await evidence.createInStatements(on: database)
            var stored = try await storeDecisions(decidings, replacing: false, on: database).makeIterator()
            return outcomes.map { outcome in outcome.map { Opened(encounter: $0, stored: stored.next()!) } }
        }
    }

    // MARK: Facts

    /// Changes the facts an officer states of an open encounter read at `expectedVersion` (flags
    /// set or cleared; the victim indicia when given) and decides it again, in one transaction:
    /// the change and its decision commit together, or neither does.
    public func changeFacts(_ change: FactChange, of encounterID: UUID, expectedVersion: Int, by actor: Actor, purpose: Purpose?,
                            on database: any Database) async throws -> Encounter {
        try Entitlements.requireEnforcementRole(actor, for: "change encounters")
        return try await database.transaction { database in
            let encounter = try await encounterInTurn(encounterID, for: actor, on: database)
            guard encounter.status == Encounter.open else { throw WorkflowError.conflict("the enforcement action of encounter \(encounterID) is already recorded") }
            try await VersionClaim.advance(Encounter.schema, id: encounterID, from: expectedVersion, on: database)
            let changed = change.facts.contains { fact, value in encounter[keyPath: fact.keyPath] != value }
                || change.victimIndicia.map { $0.spellings != encounter.victimIndicia } ?? false
            if change.facts[.exceptionalCircumstances] == true, !encounter.exceptionalCircumstances {
                encounter.circumstancesAssertedBy = actor.userID
            }
            for (fact, value) in change.facts { fact.set(value, in: encounter) }
            if let indicia = change.victimIndicia { encounter.victimIndicia = indicia.spellings }
            encounter.version = expectedVersion + 1
            // The steps recorded so far rested on the old facts: owed again where still required.
            if changed { encounter.factsVersion = encounter.version }
            try await encounter.update(on: database)
            _ = try await storeDecision(for: encounter, by: actor, on: database,
                                        recording: [AuditEntry(actor, .write, "encounter/\(encounterID)", purpose: purpose, subject: encounter.$person.id)])
            return encounter
        }
    }

    // MARK: Decisions

    /// Decides an open encounter again, on the records as they are now; only the roles that work
    /// the case do, and a closed encounter keeps the decision its action was recorded under. The
    /// decision is stored, superseding the one before.
    public func decide(_ encounterID: UUID, by actor: Actor, on database: any Database) async throws -> DecisionRecord {
        try Entitlements.requireEnforcementRole(actor, for: "decide encounters")
        return try await database.transaction { database in
            let encounter = try await encounterInTurn(encounterID, for: actor, on: database)
            guard encounter.status == Encounter.open else {
                throw WorkflowError.conflict("the enforcement action of encounter \(encounterID) is recorded; its decision stands")
            }
            return try await storeDecision(for: encounter, by: actor, on: database).record
        }
    }

    /// The encounter's current decision, if one was computed.
    public func currentDecision(of encounterID: UUID, on database: any Database) async throws -> DecisionRecord? {
        try await currentDecisions(of: [encounterID], on: database)[encounterID]
    }

    /// The current decision of each encounter named that has one, by encounter id.
    public func currentDecisions(of encounterIDs: [UUID], on database: any Database) async throws -> [UUID: DecisionRecord] {
        let records = try await PlainModelReads.all(DecisionRecord.self, where: "encounter_id", in: encounterIDs, whereNull: "superseded_by", on: database)
        return Dictionary(records.map { ($0.$encounter.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// A person's filings changed (one added, or answered by a verification): the facts of their
    /// open encounters, whichever office's, with them. The steps recorded on those rested on the
    /// old facts (`Encounter.factsVersion`), a writer that read one before finds it changed, and
    /// each is decided again and stored.
    func filingsChanged(of personID: UUID, by actor: Actor, on database: any Database) async throws {
        try await filingsChanged(of: holdOpenEncounters(of: personID, on: database), by: actor, on: database)
    }

    /// `filingsChanged(of:by:)` for open encounters whose turns the caller took already
    /// (`holdOpenEncounters`): a verification, which takes them before its own encounter's.
    private func filingsChanged(of held: [UUID], by actor: Actor, on database: any Database) async throws {
        for id in held {
            guard let encounter = try await Encounter.find(id, on: database), encounter.status == Encounter.open else { continue }
            encounter.version += 1
            encounter.factsVersion = encounter.version
            try await encounter.update(on: database)
            _ = try await storeDecision(for: encounter, by: actor, on: database)
        }
    }

    /// Takes the turns of the person's open encounters, in id order, and returns their ids: every
    /// writer that changes the person's filings takes them first, before any decision or audit
    /// record, so that no writer waits in a cycle with another.
    private func holdOpenEncounters(of personID: UUID, on database: any Database) async throws -> [UUID] {
        let open = try await Encounter.query(on: database).filter(\.$person.$id == personID).filter(\.$status == Encounter.open).all(\.$id)
        let ids = open.compactMap { $0 }.sorted { $0.uuidString < $1.uuidString }
        for id in ids { try await VersionClaim.hold(Encounter.schema, id: id, on: database) }
        return ids
    }

    /// A decision stored, with what it decided and the facts it decided on.
    typealias StoredDecision = (record: DecisionRecord, decision: Decision, facts: CaseFacts)

    /// An encounter to decide and store the decision of: who decides, and the audit entries of
    /// their own write, recorded with the decision's in one append.
    struct Deciding {
        let encounter: Encounter
        let actor: Actor
        var recording: [AuditEntry] = []
    }

    /// - Parameter replacing: false for an encounter just opened, which has no decision to supersede.
    /// - Parameter recording: audit entries of the caller's own write, recorded with the decision's in one append.
    private func storeDecision(for encounter: Encounter, by actor: Actor, on database: any Database, replacing: Bool = true,
                               recording entries: [AuditEntry] = []) async throws -> StoredDecision {
        try await storeDecisions([Deciding(encounter: encounter, actor: actor, recording: entries)], replacing: replacing, on: database)[0]
    }

    /// Decides encounters on their records and stores the decisions: the records read and the
    /// decisions inserted a statement a table for all of them (a decision superseded, one each).
    private func storeDecisions(_ decidings: [Deciding], replacing: Bool, on database: any Database) async throws -> [StoredDecision] {
        guard !decidings.isEmpty else { return [] }
        let ids = try decidings.map { try $0.encounter.requireID() }
        let cases = try await CaseRecords.facts(of: decidings.map(\.encounter), on: database)
        var (stored, entries) = ([StoredDecision](), [AuditEntry]())
        for (deciding, id) in zip(decidings, ids) {
            guard let caseFacts = cases[id] else { throw WorkflowError.notFound("encounter \(id)") }
            let facts = decided(caseFacts, of: deciding.encounter)
            let decision = ruleSet.evaluate(facts)
            metrics.decided(decision.disposition)
            let record = record(of: decision, facts: facts, encounterID: id, computedBy: deciding.actor.userID)
            record.id = UUID()
            stored.append((record, decision, facts))
            entries += deciding.recording + [AuditEntry(deciding.actor, .write, "decision/\(try record.requireID())", subject: deciding.encounter.$person.id)]
        }
        // The old decisions first, only if still current (a re-evaluation batch may have written
        // beside this writer's turn); then the new ones: one current decision at every moment.
        if replacing {
            let previous = try await currentDecisions(of: ids, on: database)
            for (id, record) in zip(ids, stored.map(\.record)) {
                guard let current = previous[id] else { continue }
                let marked = try await CaseRecords.sqlDatabase(database).update(DecisionRecord.schema).set("superseded_by", to: record.id)
                    .where("id", .equal, try current.requireID()).where("superseded_by", .is, SQLLiteral.null).returning("id").all()
                guard !marked.isEmpty else { throw WorkflowError.conflict("the encounter was decided again meanwhile; nothing was changed; try again") }
            }
        }
        try await stored.map(\.record).createInStatements(on: database)
        try await audit.append(entries, on: database)
        return stored
    }

    /// The stored form of a decision.
    func record(of decision: Decision, facts: CaseFacts, encounterID: UUID, computedBy: UUID) -> DecisionRecord {
        DecisionRecord(
            encounterID: encounterID, asOf: facts.asOf.description, disposition: decision.disposition.spelling,
            requiredSteps: decision.requiredSteps, ruleSetDigest: decision.ruleSetDigest, facts: facts.json.serialized(),
            decision: decision.json(in: ruleSet, caseId: facts.caseId).serialized(), computedBy: computedBy
        )
    }

    // MARK: Steps

    /// What a step record says.
    public struct StepInput: Sendable {
        public var step: Step
        public var summary: String
        public var counterpart: String
        /// For a benefit verification: the filing checked, what the source's records say of it, and
        /// for `contradicted` the type and status they give, and the role where they tell it (the
        /// form of a derivative differs from the principal's).
        public var filingID: UUID?
        public var outcome: VerificationOutcome?
        public var sourceType: BenefitType?
        public var sourceStatus: BenefitStatus?
        public var sourceRole: BenefitRole?
        /// For a benefit verification made at a filing-status source: its answer, as received.
        public var sourceAnswer: String?
        /// For an OPLA consultation: whether OPLA found a legal limitation (`summary` says which).
        public var advice: ConsultationAdvice?
        /// The evidence (labels) an adverse step rests on (`SourceProhibition`).
        public var basis: [String]
        /// An exceptional-circumstances approval declined: `summary` says why; the step stays owed.
        public var declined: Bool

        public init(step: Step, summary: String, counterpart: String, filingID: UUID? = nil, outcome: VerificationOutcome? = nil,
                    sourceType: BenefitType? = nil, sourceStatus: BenefitStatus? = nil, sourceRole: BenefitRole? = nil, sourceAnswer: String? = nil,
                    advice: ConsultationAdvice? = nil, basis: [String] = [], declined: Bool = false) {
            self.step = step
            self.summary = summary
            self.counterpart = counterpart
            self.filingID = filingID
            self.outcome = outcome
            (self.sourceType, self.sourceStatus, self.sourceRole, self.sourceAnswer, self.advice) = (sourceType, sourceStatus, sourceRole, sourceAnswer, advice)
            self.basis = basis
            self.declined = declined
        }
    }

    /// Records a step done for an encounter, by a role entitled to it. A benefit verification
    /// answers for the one filing it names (`VerificationOutcome`): confirmed or contradicted, the
    /// filing becomes known as the source gives it, recording the system, the person and the time;
    /// not found, it counts for nothing further. The verification owed is done only once no live
    /// claim is left unanswered (`CaseRecords`), so a check of another filing never stands in for
    /// it. The encounter is decided again, so that its current decision says what is still owed.
    public func recordStep(_ input: StepInput, on encounterID: UUID, by actor: Actor, purpose: Purpose?, on database: any Database) async throws -> StepRecord {
        // A verification reads the person's filings and answers one: § 1367 data, to a user entitled by role and purpose only.
        if input.step == .benefitVerification, !Disclosure(actor: actor, purpose: purpose).entitled {
            throw WorkflowError.forbidden("a benefit verification reads and answers the person's filings: state the purpose that entitles you (law enforcement)")
        }
        let entitled = Entitlements.roles(for: input.step)
        guard entitled.contains(actor.role) else {
            throw WorkflowError.forbidden(
                "\(actor.role.wordsWithArticle) may not record \(input.step.spelling); it is recorded by: \(entitled.map(\.rawValue).sorted().joined(separator: ", "))"
            )
        }
        var problems: [FieldError] = []
        if input.summary.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append(FieldError(path: "summary", message: "must not be empty")) }
        if input.counterpart.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append(FieldError(path: "counterpart", message: "must not be empty")) }
        if input.step == .benefitVerification {
            if input.filingID == nil { problems.append(FieldError(path: "filingId", message: "a benefit verification names the filing checked")) }
            if input.outcome == nil {
                problems.append(FieldError(path: "outcome", message: "a benefit verification says what the records say: confirmed, not-found or contradicted"))
            }
            if input.outcome == .contradicted {
                if input.sourceType == nil { problems.append(FieldError(path: "sourceType", message: "a contradicted filing is stated as the source gives it: its type")) }
                if input.sourceStatus == nil { problems.append(FieldError(path: "sourceStatus", message: "a contradicted filing is stated as the source gives it: its status")) }
                if input.sourceStatus == .deniedFinal {
                    problems.append(FieldError(path: "sourceStatus", message: "a status alone does not show a final denial: an appeal is not seen there"))
                }
            } else if input.sourceType != nil || input.sourceStatus != nil || input.sourceRole != nil {
                let path = input.sourceType != nil ? "sourceType" : input.sourceStatus != nil ? "sourceStatus" : "sourceRole"
                problems.append(FieldError(path: path, message: "only a contradicted filing states the source's type, status and role"))
            }
        } else if input.filingID != nil || input.outcome != nil || input.sourceAnswer != nil {
            problems.append(FieldError(path: input.filingID != nil || input.outcome == nil ? "filingId" : "outcome", message: "only a benefit verification names a filing"))
        }
        if input.step == .oplaConsultation, input.advice == nil {
            problems.append(FieldError(path: "advice", message: "an OPLA consultation says what OPLA advised: no-legal-limitation or legal-limitation"))
        } else if input.step != .oplaConsultation, input.advice != nil {
            problems.append(FieldError(path: "advice", message: "only an OPLA consultation records advice"))
        }
        if !input.basis.isEmpty, !SourceProhibition.adverseSteps.contains(input.step) {
            problems.append(FieldError(path: "basis", message: "only an adverse step (\(SourceProhibition.adverseSteps.spellings.joined(separator: ", "))) names a basis"))
        }
        if input.declined, input.step != .exceptionalCircumstancesApproval {
            problems.append(FieldError(path: "declined", message: "only an exceptional-circumstances-approval is declined"))
        }
        if input.declined, !input.basis.isEmpty {
            problems.append(FieldError(path: "basis", message: "a declined approval rests on nothing adverse"))
        }
        guard problems.isEmpty else { throw WorkflowError.invalid(problems) }
        return try await database.transaction { database in
            // A verification changes the person's filings: the turns of all their open encounters first.
            let held = input.filingID == nil ? [] : try await holdOpenEncounters(of: encounter(encounterID, for: actor, on: database).$person.id, on: database)
            let encounter = try await encounterInTurn(encounterID, for: actor, on: database)
            guard encounter.status == Encounter.open else { throw WorkflowError.conflict("the enforcement action of encounter \(encounterID) is already recorded") }
            // Separation of duties (NIST SP 800-53 AC-5): who opened the encounter, or asserted its
            // exceptional circumstances by a change, does not approve them.
            if input.step == .exceptionalCircumstancesApproval, !input.declined, [encounter.openedBy, encounter.circumstancesAssertedBy].contains(actor.userID) {
                throw WorkflowError.forbidden("the exceptional circumstances of an encounter are approved by someone other than the one who opened it or asserted them")
            }
            if !input.basis.isEmpty {
                let facts = try await facts(for: encounter, on: database)
                try SourceProhibition.check(input.basis, facts: facts, decision: ruleSet.evaluate(facts))
            }
            try await VersionClaim.advance(Encounter.schema, id: encounterID, from: encounter.version, on: database)
            encounter.version += 1
            if let filingID = input.filingID {
                guard let filing = try await BenefitFilingRecord.find(filingID, on: database), filing.$person.id == encounter.$person.id else {
                    throw WorkflowError.invalid([FieldError(path: "filingId", message: "no filing \(filingID) of this encounter's person")])
                }
                try Self.requireUnanswered(filing, filingID)
                // Another office, on an encounter of its own, confirms a claim but does not take one
                // away: not-found and contradicted, which can end the person's protection in every
                // office's encounters, are the keeping office's to record.
                if input.outcome != .confirmed, let person = try await Person.find(encounter.$person.id, on: database),
                   !actor.reaches(office: person.office) {
                    throw WorkflowError.forbidden("only the office that keeps the person's record (\(person.office)) records that a filing was not found or contradicted")
                }
                try await VersionClaim.advance(BenefitFilingRecord.schema, id: filingID, from: filing.version, on: database)
                filing.verificationOutcome = input.outcome?.rawValue
                filing.verificationAnswer = input.sourceAnswer
                if input.outcome == .contradicted, let type = input.sourceType, let status = input.sourceStatus {
                    (filing.type, filing.status) = (type.spelling, status.spelling)
                    if let role = input.sourceRole { filing.role = role.spelling }
                }
                if input.outcome != .notFound {
                    (filing.verificationSource, filing.verifiedBy, filing.verifiedAt) = (input.counterpart, actor.userID, clock.now)
                } else {
                    (filing.verificationSource, filing.verifiedBy, filing.verifiedAt) = (nil, nil, nil)
                }
                filing.version += 1
                try await filing.update(on: database)
                // The filings are facts of this encounter too: the steps recorded before rested on the claim.
                encounter.factsVersion = encounter.version
                try await encounter.update(on: database)
                try await filingsChanged(of: held.filter { $0 != encounterID }, by: actor, on: database)
            }
            let record = StepRecord(
                encounterID: encounterID, encounterVersion: encounter.version, step: input.step.spelling, recordedBy: actor.userID, recordedRole: actor.role.rawValue,
                summary: input.summary, counterpart: input.counterpart, filingID: input.filingID, outcome: input.outcome, advice: input.advice,
                declined: input.declined
            )
            record.basis = input.basis.isEmpty ? nil : input.basis
            if input.step == .oplaConsultation { record.factsDigest = try await facts(for: encounter, on: database).factsDigest }
            try await record.create(on: database)
            let person = encounter.$person.id
            try await audit.append([AuditEntry(actor, .write, "step/\(try record.requireID())", purpose: purpose, subject: person)]
                + (input.filingID.map { [AuditEntry(actor, .write, "filing/\($0)", purpose: purpose, subject: person)] } ?? []), on: database)
            // The current decision says what is still owed once this step is done.
            _ = try await storeDecision(for: encounter, by: actor, on: database)
            return record
        }
    }

    // MARK: The gate

    /// Records the enforcement action, only when the decision recomputed now, with the steps
    /// completed, is `proceed`, and its basis does not rest only on excluded information. The
    /// decision it rests on is stored.
    /// A refusal names the rules behind it, save those that would reveal a protected person's data
    /// to a user who does not see it (`Disclosure`), and is recorded in the audit chain as a denial.
    /// - Parameters:
    ///   - expectedVersion: the encounter version the caller read (`If-Match`), if given.
    ///   - basis: the evidence (labels) the action rests on, if the officer names it.
    ///   - purpose: the purpose the actor stated, for the audit record and the refusal's wording.
    public func recordEnforcementAction(_ encounterID: UUID, expectedVersion: Int?, basis: [String] = [], by actor: Actor, purpose: Purpose?,
                                        on database: any Database) async throws -> Encounter {
        try Entitlements.requireEnforcementRole(actor, for: "record an enforcement action")
        do {
            return try await recordAction(encounterID, expectedVersion: expectedVersion, basis: basis, by: actor, purpose: purpose, on: database)
        } catch WorkflowError.gateRefused(let refusal) {
            // The refusal's transaction was rolled back: its record is written after it. (Callers
            // pass a database outside any transaction: inside one, this record would share its fate.)
            // Past the actor's allowance, 429 instead, as for every refusal.
            let object = "encounter/\(encounterID)"
            let entry = AuditEntry(actor, .denial, object, .denied, purpose: purpose, subject: try await AuditSubject.person(of: object, on: database))
            if let wait = try await audit.appendRefusal(entry, by: RefusalAllowance.caller(actor), on: database) { throw WorkflowError.throttled(retryAfter: wait) }
            throw WorkflowError.gateRefused(refusal)
        }
    }

    private func recordAction(_ encounterID: UUID, expectedVersion: Int?, basis: [String], by actor: Actor, purpose: Purpose?,
                              on database: any Database) async throws -> Encounter {
        try await database.transaction { database in
            let encounter = try await encounterInTurn(encounterID, for: actor, on: database)
            guard encounter.status == Encounter.open else { throw WorkflowError.conflict("the enforcement action of encounter \(encounterID) is already recorded") }
            // The approvals and OPLA's advice on the encounter, oldest first, in one read.
            let judgements = try await StepRecord.query(on: database).filter(\.$encounter.$id == encounterID)
                .filter(\.$step ~~ [Step.exceptionalCircumstancesApproval.spelling, Step.oplaConsultation.spelling])
                .sort(\.$encounterVersion).sort(\.$recordedAt).sort(\.$id).all()
            // Separation of duties: who approved the exceptional circumstances does not record the action.
            if judgements.contains(where: { $0.step == Step.exceptionalCircumstancesApproval.spelling && !$0.declined && $0.recordedBy == actor.userID }) {
                throw WorkflowError.forbidden("the one who approved the exceptional circumstances does not also record the action")
            }
            // With `If-Match`, a version other than the one the caller read is stale.
            try await VersionClaim.advance(Encounter.schema, id: encounterID, from: expectedVersion ?? encounter.version, on: database)
            let facts = try await facts(for: encounter, on: database)
            let decision = ruleSet.evaluate(facts)
            guard decision.disposition == .proceed else {
                metrics.refused(decision.disposition)
                let shown = Disclosure(actor: actor, purpose: purpose).entitled
                throw WorkflowError.gateRefused(shown ? refusal(decision) : refusal(decision).withholding(in: ruleSet))
            }
            // A legal limitation OPLA found stands whether or not the policies in force still ask for a consultation.
            let consultations = judgements.filter { $0.step == Step.oplaConsultation.spelling }
                .map { ConsultationAdvice.Consulted(advice: $0.outcome, encounterVersion: $0.encounterVersion, factsDigest: $0.factsDigest) }
            if ConsultationAdvice.limitationStands(consultations, factsVersion: encounter.factsVersion) {
                metrics.refused(.proceedAfterSteps)
                throw WorkflowError.gateRefused(GateRefusal(disposition: .proceedAfterSteps, requiredSteps: [Step.oplaConsultation.spelling], rules: []))
            }
            do {
                try SourceProhibition.check(basis, facts: facts, decision: decision)
            } catch WorkflowError.sourceProhibited where !Disclosure(actor: actor, purpose: purpose).entitled {
                // Which statements are excluded is § 1367 data like the statements themselves.
                throw WorkflowError.sourceProhibited([Disclosure.marker])
            }
            _ = try await storeDecision(for: encounter, by: actor, on: database)
            encounter.status = Encounter.actionRecorded
            encounter.actionRecordedBy = actor.userID
            encounter.actionRecordedAt = clock.now
            encounter.actionBasis = basis.isEmpty ? nil : basis
            encounter.version = (expectedVersion ?? encounter.version) + 1
            try await encounter.update(on: database)
            try await audit.append(AuditEntry(actor, .write, "encounter/\(encounterID)", purpose: purpose, subject: encounter.$person.id), on: database)
            return encounter
        }
    }

    func refusal(_ decision: Decision) -> GateRefusal {
        let owed = decision.requiredSteps
        let rules = decision.reasons.map { ruleSet.rules[$0.rule] }.filter { rule in
            rule.effects.refrain || !rule.effects.steps.intersection(owed).isEmpty
        }
        return GateRefusal(disposition: decision.disposition, requiredSteps: owed.spellings, rules: rules.map(\.id))
    }
}
