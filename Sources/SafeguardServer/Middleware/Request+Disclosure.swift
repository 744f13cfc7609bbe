import Fluent
import SafeguardCore
import Vapor

extension Request {
    /// What this request may see of these people's records (`PeopleDisclosure`).
    func disclosure(ofPeople personIDs: [UUID]) async throws -> PeopleDisclosure {
        try await Disclosure(actor: try actor, purpose: try purpose).people(personIDs, on: db)
    }

    /// Whether this request sees one person's protected data.
    func showsProtectedData(of personID: UUID) async throws -> Bool {
        try await Disclosure(actor: try actor, purpose: try purpose).shows(personID, on: db)
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
