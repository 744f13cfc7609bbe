import FluentKit
import Foundation
import PolicyEngine

extension CaseWorkflow {
    /// Files a follow-up, only when the encounter's decision now calls for it (the duty or the
    /// option is in the decision), with a recipient and a justification.
    public func fileFollowUp(_ kind: FollowUpKind, recipient: String, justification: String, on encounterID: UUID,
                             by actor: Actor, on database: any Database) async throws -> FollowUp {
        guard Entitlements.enforcementRoles.contains(actor.role) else {
            throw WorkflowError.forbidden("\(actor.role.wordsWithArticle) may not file follow-ups")
        }
        var problems: [FieldError] = []
        if recipient.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append(FieldError(path: "recipient", message: "must not be empty")) }
        if justification.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            problems.append(FieldError(path: "justification", message: "must say why, in the terms of the policy in force"))
        }
        guard problems.isEmpty else { throw WorkflowError.invalid(problems) }
        return try await database.transaction { database in
            let encounter = try await encounter(encounterID, for: actor, on: database)
            let decision = ruleSet.evaluate(try await facts(for: encounter, on: database))
            let called = decision.duties.spellings + decision.options.spellings
            guard called.contains(kind.decisionTerm) else {
                throw WorkflowError.conflict("the policies in force do not call for \(kind.decisionTerm) in encounter \(encounterID)")
            }
            let followUp = FollowUp(encounterID: encounterID, kind: kind, recipient: recipient, justification: justification, createdBy: actor.userID)
            try await followUp.create(on: database)
            try await audit.append(AuditEntry(actor, .write, "follow-up/\(try followUp.requireID())", subject: encounter.$person.id), on: database)
            return followUp
        }
    }

    /// Moves a follow-up on, only from the version the caller read and along the allowed path.
    public func moveFollowUp(_ id: UUID, to status: FollowUpStatus, expectedVersion: Int, by actor: Actor, on database: any Database) async throws -> FollowUp {
        guard Entitlements.enforcementRoles.contains(actor.role) else {
            throw WorkflowError.forbidden("\(actor.role.wordsWithArticle) may not change follow-ups")
        }
        return try await database.transaction { database in
            guard let followUp = try await FollowUp.find(id, on: database) else { throw WorkflowError.notFound("follow-up \(id)") }
            let encounter = try await encounter(followUp.$encounter.id, for: actor, on: database)
            try await VersionClaim.advance(FollowUp.schema, id: id, from: expectedVersion, on: database)
            guard let current = FollowUpStatus(rawValue: followUp.status), current.canMove(to: status) else {
                throw WorkflowError.conflict("a follow-up that is \(followUp.status) cannot become \(status.rawValue)")
            }
            followUp.status = status.rawValue
            followUp.version = expectedVersion + 1
            try await followUp.update(on: database)
            try await audit.append(AuditEntry(actor, .write, "follow-up/\(id)", subject: encounter.$person.id), on: database)
            return followUp
        }
    }
}

extension CaseWorkflow {
    /// The follow-ups filed on an encounter, oldest first, as the reader sees them; each read recorded.
    public func followUps(of encounterID: UUID, to reader: Reader, on database: any Database) async throws -> (followUps: [FollowUp], shown: Bool) {
        try Entitlements.requireCaseReadingRole(reader.actor)
        let encounter = try await encounter(encounterID, for: reader.actor, on: database)
        let shown = try await shown([encounter], to: reader, on: database)[0]
        let followUps = try await FollowUp.query(on: database).filter(\.$encounter.$id == encounterID).sort(\.$createdAt).all()
        try await reader.record(followUps.map { ("follow-up/\(try $0.requireID())", encounter.$person.id, shown) }, in: audit, on: database)
        return (followUps, shown)
    }
}
