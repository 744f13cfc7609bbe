import FluentKit
import PolicyEngine
import Foundation

/// What a hotline specialist records of a call. There is no immigration status among them.
public struct CallInput: Sendable {
    public var category: CallCategory
    public var narrative: String
    public var callerName: String?
    public var callerContact: String?
    public var followUp: String
    public var referral: String?

    public init(category: CallCategory, narrative: String, callerName: String? = nil, callerContact: String? = nil, followUp: String,
                referral: String? = nil) {
        self.category = category
        self.narrative = narrative
        self.callerName = callerName
        self.callerContact = callerContact
        self.followUp = followUp
        self.referral = referral
    }
}

/// Calls to the hotline, taken and kept by hotline specialists of the office.
public struct HotlineIntake: Sendable {
    let audit: AuditChain

    public init(audit: AuditChain) {
        self.audit = audit
    }

    public func record(_ input: CallInput, by actor: Actor, on database: any Database) async throws -> HotlineCall {
        try RegistrationBook.requireHotlineRole(actor)
        var problems: [FieldError] = []
        if input.narrative.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append(FieldError(path: "narrative", message: "must not be empty")) }
        if input.followUp.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { problems.append(FieldError(path: "followUp", message: "must not be empty")) }
        guard problems.isEmpty else { throw WorkflowError.invalid(problems) }
        return try await database.transaction { database in
            let call = HotlineCall(office: actor.office, category: input.category, narrative: input.narrative, callerName: input.callerName,
                                   callerContact: input.callerContact, followUp: input.followUp, referral: input.referral, takenBy: actor.userID)
            try await call.create(on: database)
            try await audit.append(AuditEntry(actor, .write, "call/\(try call.requireID())"), on: database)
            return call
        }
    }

    /// A call of the actor's office.
    public func call(_ id: UUID, for actor: Actor, on database: any Database) async throws -> HotlineCall {
        try RegistrationBook.requireHotlineRole(actor)
        guard let call = try await HotlineCall.find(id, on: database), actor.reaches(office: call.office, in: .hotline) else { throw WorkflowError.notFound("call \(id)") }
        return call
    }

    /// Moves the call on: a referral (to an agency or field office) or its closing, with what
    /// happens next, with the version read (`If-Match`).
    public func update(_ id: UUID, expectedVersion: Int, status: CallStatus?, referral: String?, followUp: String?, by actor: Actor,
                       on database: any Database) async throws -> HotlineCall {
        if status == .referred, referral?.isEmpty ?? true {
            throw WorkflowError.invalid([FieldError(path: "referral", message: "a referred call names the agency or office")])
        }
        return try await database.transaction { database in
            let call = try await call(id, for: actor, on: database)
            try await VersionClaim.advance(HotlineCall.schema, id: id, from: expectedVersion, on: database)
            if let status { call.status = status.rawValue }
            if let referral { call.referral = referral }
            if let followUp { call.followUp = followUp }
            call.version = expectedVersion + 1
            try await call.update(on: database)
            try await audit.append(AuditEntry(actor, .write, "call/\(id)"), on: database)
            return call
        }
    }
}
