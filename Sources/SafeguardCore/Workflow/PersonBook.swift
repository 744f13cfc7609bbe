import FluentKit
import Foundation
import PolicyEngine

/// People and their benefit filings: the one place they are written. Only the roles that keep
/// case records write them; every write commits with its audit record, and a change only from
/// the version the writer read. A filing is a claim until a benefit verification confirms it
/// (`CaseWorkflow.recordStep`).
public struct PersonBook: Sendable {
    let audit: AuditChain

    public init(audit: AuditChain) {
        self.audit = audit
    }

    public static func requireCaseRecordRole(_ actor: Actor) throws {
        guard Entitlements.caseRecordRoles.contains(actor.role) else {
            throw WorkflowError.forbidden("a \(actor.role.rawValue) may not change people or filings")
        }
    }

    public func person(_ id: UUID, on database: any Database) async throws -> Person {
        guard let person = try await Person.find(id, on: database) else { throw WorkflowError.notFound("person \(id)") }
        return person
    }

    /// The person's filings, oldest first, as the reader sees them; each read recorded.
    public func filings(of personID: UUID, to reader: Reader, on database: any Database) async throws -> (filings: [BenefitFilingRecord], shown: Bool) {
        try Entitlements.requireCaseReadingRole(reader.actor)
        _ = try await person(personID, on: database)
        let filings = try await BenefitFilingRecord.query(on: database).filter(\.$person.$id == personID).sort(\.$createdAt).all()
        let shown = try await reader.disclosure.shows(personID, on: database)
        try await reader.record(filings.map { ("filing/\(try $0.requireID())", shown) }, in: audit, on: database)
        return (filings, shown)
    }

    /// Adds the person, whose A-number no one else may have.
    public func add(_ person: Person, by actor: Actor, purpose: Purpose?, on database: any Database) async throws -> Person {
        try Self.requireCaseRecordRole(actor)
        person.version = 1
        try await database.transaction { database in
            if try await Person.query(on: database).filter(\.$aNumber == person.aNumber).first() != nil {
                throw WorkflowError.conflict("a person with A-number \(person.aNumber) already exists")
            }
            try await person.create(on: database)
            try await audit.append(AuditEntry(actor, .write, "person/\(try person.requireID())", purpose: purpose), on: database)
        }
        return person
    }

    /// Changes the person read at `expectedVersion` with `change`, which may refuse the change.
    public func change(_ id: UUID, expectedVersion: Int, by actor: Actor, purpose: Purpose?, on database: any Database,
                       _ change: @escaping @Sendable (Person) throws -> Void) async throws -> Person {
        try Self.requireCaseRecordRole(actor)
        return try await database.transaction { database in
            let person = try await person(id, on: database)
            try change(person)
            try await VersionClaim.advance(Person.schema, id: id, from: expectedVersion, on: database)
            person.version = expectedVersion + 1
            try await person.update(on: database)
            try await audit.append(AuditEntry(actor, .write, "person/\(id)", purpose: purpose), on: database)
            return person
        }
    }

    /// Adds a claimed filing to the person.
    public func addFiling(_ filing: BenefitFilingRecord, by actor: Actor, purpose: Purpose?, on database: any Database) async throws -> BenefitFilingRecord {
        try Self.requireCaseRecordRole(actor)
        try await database.transaction { database in
            _ = try await person(filing.$person.id, on: database)
            try await filing.create(on: database)
            try await audit.append(AuditEntry(actor, .write, "filing/\(try filing.requireID())", purpose: purpose), on: database)
        }
        return filing
    }
}
