import Fluent
import SafeguardCore
import Vapor

extension Request {
    /// What this request may see of these people's records: a person's protected data is shown
    /// unless the person is protected (`ProtectedData`) and the user is not entitled to it for
    /// the purpose stated (`Disclosure`).
    func disclosure(ofPeople personIDs: [UUID]) async throws -> PeopleDisclosure {
        let protected = try await ProtectedData.protectedPeople(among: personIDs, on: db)
        return PeopleDisclosure(protected: protected, entitled: Disclosure(actor: try actor, purpose: try purpose).entitled)
    }

    /// Whether this request sees one person's protected data.
    func showsProtectedData(of personID: UUID) async throws -> Bool {
        try await disclosure(ofPeople: [personID]).shows(personID)
    }

    /// Records a read of `object`, about a person whose protected data was shown or withheld.
    func auditRead(_ object: String, shown: Bool) async throws {
        try await auditReads([(object, shown)])
    }

    /// Records the reads of a page of records at once: one claim of the audit head and one
    /// insert, however many there are.
    func auditReads(_ reads: [(object: String, shown: Bool)]) async throws {
        let actor = try actor
        let purpose = try purpose
        try await appendAudit(reads.map { AuditEntry(actor, .read, $0.object, $0.shown ? .success : .denied, purpose: purpose) })
    }
}

/// For a set of people: whose protected data a request is shown.
struct PeopleDisclosure {
    let protected: Set<UUID>
    let entitled: Bool

    func shows(_ personID: UUID) -> Bool { entitled || !protected.contains(personID) }
}
