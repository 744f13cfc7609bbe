import FluentKit
import Foundation
import PolicyEngine

/// People and their benefit filings: the one place they are read and written. A person is kept by
/// the office that created the record (`PersonReach`); only that office's case-record roles change
/// it. Every read and write is recorded in the audit chain, a write with its change, and a change
/// only from the version the writer read. A filing is a claim until a benefit verification
/// confirms it (`CaseWorkflow.recordStep`).
public struct PersonBook: Sendable {
    /// Where a change of a person's filings re-decides their open encounters.
    let workflow: CaseWorkflow
    var audit: AuditChain { workflow.audit }
    /// Reads the people that readers ask for at once together (`person`).
    private let batchedReads = ReadBatch<UUID, Person>()

    public init(workflow: CaseWorkflow) {
        self.workflow = workflow
    }

    public static func requireCaseRecordRole(_ actor: Actor) throws {
        guard Entitlements.caseRecordRoles.contains(actor.role) else {
            throw WorkflowError.forbidden("\(actor.role.wordsWithArticle) may not change people or filings")
        }
    }

    // MARK: Reading

    /// The person and how the actor reaches them; a person the actor does not reach is not found.
    func reach(_ id: UUID, by actor: Actor, on database: any Database) async throws -> (person: Person, reach: PersonReach) {
        try await reach(PlainModelReads.find(Person.self, id, on: database), id, by: actor, on: database)
    }

    private func reach(_ person: Person?, _ id: UUID, by actor: Actor, on database: any Database) async throws -> (person: Person, reach: PersonReach) {
        guard let person else { throw WorkflowError.notFound("person \(id)") }
        if actor.reaches(office: person.office) { return (person, .keeper) }
        let statuses = try await Encounter.query(on: database).filter(\.$person.$id == id).filter(\.$office == actor.office).all(\.$status)
        guard !statuses.isEmpty else { throw WorkflowError.notFound("person \(id)") }
        return (person, .caseOffice(openEncounter: statuses.contains(Encounter.open)))
    }

    /// One person's identity, its read recorded.
    public func person(_ id: UUID, to reader: Reader, on database: any Database) async throws -> Person {
        try Entitlements.requireCaseReadingRole(reader.actor)
        let inHand = try await batchedReads.read(id, alone: reader.readsAlone, on: database) { ids, database in
            Dictionary(uniqueKeysWithValues: try await PlainModelReads.all(Person.self, where: "id", in: ids, on: database).map { (try $0.requireID(), $0) })
        }
        let person = try await reach(inHand, id, by: reader.actor, on: database).person
        try await reader.record([("person/\(id)", id, true)], in: audit, on: database)
        return person
    }

    /// A page of the people the reader's office keeps, by family name; or, given an A-number,
    /// the one person with it whichever office keeps them (another office's way to find a person
    /// for an encounter; identity only). Each search and each person listed is recorded.
    public func list(aNumber: String?, offset: Int, limit: Int, to reader: Reader, on database: any Database) async throws -> (people: [Person], total: Int) {
        try Entitlements.requireCaseReadingRole(reader.actor)
        var query = Person.query(on: database)
        var reads: [(object: String, subject: UUID?, shown: Bool)] = []
        if let aNumber {
            guard Person.isANumber(aNumber) else {
                throw WorkflowError.invalid([FieldError(path: "aNumber", message: "'\(aNumber.prefix(20))' is not an A-number: 'A' and 8 or 9 digits")])
            }
            query = query.filter(\.$aNumber == aNumber)
            // The search is about the person it found, whether or not the page asked for lists them (the total tells).
            reads.append(("a-number/\(aNumber)", try await query.copy().first()?.requireID(), true))
        } else {
            query = query.reachable(by: reader.actor)
        }
        let total = try await query.count()
        let people = try await query.sort(\.$familyName).sort(\.$id).range(offset..<offset + limit).all()
        reads += try people.map { ("person/\(try $0.requireID())", try $0.requireID(), true) }
        try await reader.record(reads, in: audit, on: database)
        return (people, total)
    }

    /// The person's filings, oldest first, to a reader entitled to them (role and purpose), for
    /// every person alike; `nil`, recorded as withheld, to anyone else, so that withholding tells
    /// nothing of who is protected. Another office reads them only while its encounter is open.
    public func filings(of personID: UUID, to reader: Reader, on database: any Database) async throws -> [BenefitFilingRecord]? {
        try Entitlements.requireCaseReadingRole(reader.actor)
        let (person, reach) = try await reach(personID, by: reader.actor, on: database)
        guard reach.readsFilings else {
            throw WorkflowError.forbidden("the filings of a person kept by \(person.office) are shown to another office only while an encounter of its own on the person is open")
        }
        guard reader.disclosure.entitled else {
            try await reader.record([("person/\(personID)", personID, false)], in: audit, on: database)
            return nil
        }
        let filings = try await BenefitFilingRecord.query(on: database).filter(\.$person.$id == personID).sort(\.$createdAt).all()
        try await reader.record(filings.map { ("filing/\(try $0.requireID())", personID, true) }, in: audit, on: database)
        return filings
    }

    // MARK: Writing

    /// Adds the person, kept by the actor's office, whose A-number no one else may have.
    public func add(_ person: Person, by actor: Actor, purpose: Purpose?, on database: any Database) async throws -> Person {
        try Self.requireCaseRecordRole(actor)
        person.office = actor.office
        person.version = 1
        let taken: UUID? = try await database.transaction { database in
            if let holder = try await Person.query(on: database).filter(\.$aNumber == person.aNumber).first() { return try holder.requireID() }
            try await person.create(on: database)
            try await audit.append(AuditEntry(actor, .write, "person/\(try person.requireID())", purpose: purpose, subject: person.id), on: database)
            return nil
        }
        if let holder = taken {
            // The refusal tells that the A-number is on record, of whichever office: recorded as the search it amounts to.
            try await audit.append(AuditEntry(actor, .read, "a-number/\(person.aNumber)", purpose: purpose, subject: holder), on: database)
            throw WorkflowError.conflict("a person with A-number \(person.aNumber) already exists; find them by A-number")
        }
        return person
    }

    /// Changes the person read at `expectedVersion` with `change`, which may refuse the change.
    public func change(_ id: UUID, expectedVersion: Int, by actor: Actor, purpose: Purpose?, on database: any Database,
                       _ change: @escaping @Sendable (Person) throws -> Void) async throws -> Person {
        try Self.requireCaseRecordRole(actor)
        return try await database.transaction { database in
            let person = try await kept(id, by: actor, on: database)
            try change(person)
            try await VersionClaim.advance(Person.schema, id: id, from: expectedVersion, on: database)
            person.version = expectedVersion + 1
            try await person.update(on: database)
            try await audit.append(AuditEntry(actor, .write, "person/\(id)", purpose: purpose, subject: id), on: database)
            return person
        }
    }

    /// Adds a claimed filing to the person: the keeping office, or another with an encounter of
    /// its own on the person open, where the claim was made (a claim only adds protection: it is
    /// verified before it counts as known).
    public func addFiling(_ filing: BenefitFilingRecord, by actor: Actor, purpose: Purpose?, on database: any Database) async throws -> BenefitFilingRecord {
        try Self.requireCaseRecordRole(actor)
        try await database.transaction { database in
            let (person, reach) = try await reach(filing.$person.id, by: actor, on: database)
            guard reach.readsFilings else {
                throw WorkflowError.forbidden("a filing of a person kept by \(person.office) is added by another office only while an encounter of its own on the person is open")
            }
            // A case states at most so many (the contract's schema): the person's facts must stay one.
            guard try await BenefitFilingRecord.query(on: database).filter(\.$person.$id == filing.$person.id).count() < CaseDecoder.maximumBenefits else {
                throw WorkflowError.conflict("a person holds at most \(CaseDecoder.maximumBenefits) filings, the most a case states")
            }
            try await filing.create(on: database)
            // The encounters before the audit head, as every writer of an encounter takes them.
            try await workflow.filingsChanged(of: filing.$person.id, by: actor, on: database)
            try await audit.append(AuditEntry(actor, .write, "filing/\(try filing.requireID())", purpose: purpose, subject: filing.$person.id), on: database)
        }
        return filing
    }

    /// Gives the keeping of a person's record to another office, one with an officer or supervisor
    /// able to sign in: the person moved to its area, or a record stored before offices kept
    /// people has none. An operator's act at the command line, recorded in the audit chain with
    /// both offices; the person's version moves, so a writer that read the record before finds it
    /// changed. Encounters stay with the offices that opened them. Returns the office that kept
    /// the record until now.
    public func move(_ id: UUID, to office: String, on database: any Database) async throws -> String {
        try await database.transaction { database in
            let keepers = try await User.query(on: database).filter(\.$office == office).filter(\.$disabled == false)
                .filter(\.$role ~~ Entitlements.caseRecordRoles.map(\.rawValue)).count()
            guard keepers > 0 else {
                throw WorkflowError.invalid([FieldError(path: "office", message: "'\(office.prefix(40))' has no officer or supervisor who can sign in")])
            }
            guard let person = try await Person.find(id, on: database) else { throw WorkflowError.notFound("person \(id)") }
            let from = person.office
            guard from != office else { throw WorkflowError.conflict("person \(id) is already kept by \(office)") }
            try await VersionClaim.advance(Person.schema, id: id, from: person.version, on: database)
            (person.office, person.version) = (office, person.version + 1)
            try await person.update(on: database)
            try await audit.append(.byOperator(.write, "person/\(id)/kept-by/\(office)/until-now/\(from.isEmpty ? "no-office" : from)", subject: id), on: database)
            return from
        }
    }

    /// The person, when the actor's office keeps the record: nobody else changes who they are.
    private func kept(_ id: UUID, by actor: Actor, on database: any Database) async throws -> Person {
        let (person, reach) = try await reach(id, by: actor, on: database)
        guard reach == .keeper else {
            throw WorkflowError.forbidden("the record of person \(id) is kept by \(person.office); only that office changes it")
        }
        return person
    }
}
