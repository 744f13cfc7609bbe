import FluentKit
import PolicyEngine
import Foundation

/// What a registration states.
public struct RegistrationInput: Sendable {
    public var detaineeReference: DetaineeReference
    public var detaineeID: String
    public var registrantName: String
    public var relationship: String
    public var language: NoticeLanguage
    public var consent: Bool
    public var channels: [(kind: ChannelKind, address: String)]
    /// Needed with a voice channel: the digits that confirm a voice notice.
    public var voicePIN: String?

    public init(detaineeReference: DetaineeReference, detaineeID: String, registrantName: String, relationship: String, language: NoticeLanguage,
                consent: Bool, channels: [(kind: ChannelKind, address: String)], voicePIN: String? = nil) {
        self.detaineeReference = detaineeReference
        self.detaineeID = detaineeID
        self.registrantName = registrantName
        self.relationship = relationship
        self.language = language
        self.consent = consent
        self.channels = channels
        self.voicePIN = voicePIN
    }
}

/// Registrations for victim notification: taken by hotline specialists, each channel confirmed
/// once, changed or withdrawn at any time. A withdrawal cancels every notice not yet sent, in the
/// same transaction; the workers claim notices of active registrations only.
public struct RegistrationBook: Sendable {
    public static let relationships = ["victim", "witness"]
    let audit: AuditChain
    let clock: any WallClock

    public init(audit: AuditChain, clock: any WallClock = SystemClock()) {
        self.audit = audit
        self.clock = clock
    }

    public static func requireHotlineRole(_ actor: Actor) throws {
        guard actor.role == .hotlineSpecialist else { throw WorkflowError.forbidden("\(actor.role.wordsWithArticle) may not keep victim-notification registrations") }
    }

    /// What is wrong with a registration, field by field.
    static func problems(_ input: RegistrationInput) -> [FieldError] {
        var problems: [FieldError] = []
        if input.detaineeID.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldError(path: "detaineeId", message: "must not be empty")) }
        if input.detaineeReference == .aNumber, input.detaineeID.range(of: "^A[0-9]{8,9}$", options: .regularExpression) == nil {
            problems.append(FieldError(path: "detaineeId", message: "'\(input.detaineeID)' is not an A-number: 'A' and 8 or 9 digits"))
        }
        if input.registrantName.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldError(path: "registrantName", message: "must not be empty")) }
        if !relationships.contains(input.relationship) {
            problems.append(FieldError(path: "relationship", message: "'\(input.relationship)' is not one of \(relationships.joined(separator: ", "))"))
        }
        if !input.consent { problems.append(FieldError(path: "consent", message: "the registrant must agree to be contacted")) }
        if input.channels.isEmpty { problems.append(FieldError(path: "channels", message: "at least one channel")) }
        for (index, channel) in input.channels.enumerated() {
            if let problem = ChannelAddress.problem(channel.address, kind: channel.kind) { problems.append(FieldError(path: "channels[\(index)].address", message: problem)) }
        }
        let needsPIN = input.channels.contains { $0.kind == .voice }
        if needsPIN, input.voicePIN?.range(of: "^[0-9]{4,8}$", options: .regularExpression) == nil {
            problems.append(FieldError(path: "voicePin", message: "a voice channel needs a PIN of 4 to 8 digits"))
        } else if !needsPIN, input.voicePIN != nil {
            problems.append(FieldError(path: "voicePin", message: "only a voice channel takes a PIN"))
        }
        return problems
    }


    public func register(_ input: RegistrationInput, by actor: Actor, on database: any Database) async throws -> Registration {
        try Self.requireHotlineRole(actor)
        let problems = Self.problems(input)
        guard problems.isEmpty else { throw WorkflowError.invalid(problems) }
        return try await database.transaction { database in
            let registration = Registration()
            registration.id = UUID()
            registration.office = actor.office
            registration.detaineeReference = input.detaineeReference.rawValue
            registration.detaineeID = input.detaineeID
            registration.registrantName = input.registrantName
            registration.relationship = input.relationship
            registration.language = input.language.rawValue
            registration.consent = input.consent
            registration.status = Registration.active
            registration.voicePINHash = try input.voicePIN.map { VoicePIN(auditKey: audit.key).stored($0, of: try registration.requireID()) }
            registration.createdBy = actor.userID
            registration.version = 1
            try await registration.create(on: database)
            for channel in input.channels {
                try await RegistrationChannel(registrationID: try registration.requireID(), kind: channel.kind, address: channel.address).create(on: database)
            }
            try await audit.append(AuditEntry(actor, .write, "registration/\(try registration.requireID())"), on: database)
            return registration
        }
    }

    /// A registration of the actor's office.
    public func registration(_ id: UUID, for actor: Actor, on database: any Database) async throws -> Registration {
        try Self.requireHotlineRole(actor)
        guard let registration = try await Registration.find(id, on: database), actor.reaches(office: registration.office, in: .hotline) else {
            throw WorkflowError.notFound("registration \(id)")
        }
        return registration
    }

    /// Records that the registrant answered on the channel: from now on it gets notices.
    public func confirmChannel(_ channelID: UUID, of registrationID: UUID, by actor: Actor, on database: any Database) async throws -> RegistrationChannel {
        try await database.transaction { database in
            let registration = try await registration(registrationID, for: actor, on: database)
            guard registration.status == Registration.active else { throw WorkflowError.conflict("registration \(registrationID) is withdrawn") }
            guard let channel = try await RegistrationChannel.find(channelID, on: database), channel.$registration.id == registrationID else {
                throw WorkflowError.notFound("channel \(channelID)")
            }
            guard channel.confirmedAt == nil else { throw WorkflowError.conflict("channel \(channelID) is already confirmed") }
            channel.confirmedAt = clock.now
            channel.confirmedBy = actor.userID
            try await channel.update(on: database)
            try await audit.append(AuditEntry(actor, .write, "registration/\(registrationID)"), on: database)
            return channel
        }
    }

    /// Changes the language, or adds a channel (unconfirmed), with the version read (`If-Match`).
    public func update(_ registrationID: UUID, expectedVersion: Int, language: NoticeLanguage?, addChannel: (kind: ChannelKind, address: String)?,
                       by actor: Actor, on database: any Database) async throws -> Registration {
        if let addChannel, let problem = ChannelAddress.problem(addChannel.address, kind: addChannel.kind) {
            throw WorkflowError.invalid([FieldError(path: "addChannel.address", message: problem)])
        }
        return try await database.transaction { database in
            let registration = try await registration(registrationID, for: actor, on: database)
            guard registration.status == Registration.active else { throw WorkflowError.conflict("registration \(registrationID) is withdrawn") }
            if addChannel?.kind == .voice, registration.voicePINHash == nil {
                throw WorkflowError.invalid([FieldError(path: "addChannel.kind", message: "a voice channel needs the registration's PIN; register anew")])
            }
            try await VersionClaim.advance(Registration.schema, id: registrationID, from: expectedVersion, on: database)
            if let language { registration.language = language.rawValue }
            registration.version = expectedVersion + 1
            try await registration.update(on: database)
            if let addChannel {
                try await RegistrationChannel(registrationID: registrationID, kind: addChannel.kind, address: addChannel.address).create(on: database)
            }
            try await audit.append(AuditEntry(actor, .write, "registration/\(registrationID)"), on: database)
            return registration
        }
    }

    /// Unlocks a voice notice locked after wrong PINs (`VoiceConfirmation`), for a registration of
    /// the specialist's office: the call is placed again, with as many tries as at first.
    public func unlockVoiceNotice(_ notificationID: UUID, by actor: Actor, on database: any Database) async throws {
        try await database.transaction { database in
            guard let notice = try await OutboxNotification.find(notificationID, on: database) else { throw WorkflowError.notFound("notification \(notificationID)") }
            _ = try await registration(notice.$registration.id, for: actor, on: database)
            let unlocked = try await CaseRecords.sqlDatabase(database).update(OutboxNotification.schema)
                .set("status", to: NotificationStatus.awaitingConfirmation.rawValue).set("pin_failures", to: 0)
                // Called again at once, with a retry window of its own: the time it was locked is not held against it.
                .set("next_attempt_at", to: clock.now.timeIntervalSince1970).set("first_attempt_at", to: clock.now.timeIntervalSince1970)
                .where("id", .equal, notificationID).where("status", .equal, NotificationStatus.pinLocked.rawValue).returning("id").all()
            guard !unlocked.isEmpty else { throw WorkflowError.conflict("notification \(notificationID) is not locked") }
            try await audit.append(AuditEntry(actor, .write, "notification/\(notificationID)"), on: database)
        }
    }

    /// Withdraws the registration: every notice not yet delivered is cancelled with it, and none
    /// is claimed after (the workers claim for active registrations only).
    public func withdraw(_ registrationID: UUID, by actor: Actor, on database: any Database) async throws -> Registration {
        try await database.transaction { database in
            // The turn first, so that a concurrent withdrawal is found done rather than stale.
            try await VersionClaim.hold(Registration.schema, id: registrationID, on: database)
            let registration = try await registration(registrationID, for: actor, on: database)
            guard registration.status == Registration.active else { return registration }
            try await VersionClaim.advance(Registration.schema, id: registrationID, from: registration.version, on: database)
            registration.status = Registration.withdrawn
            registration.withdrawnAt = clock.now
            registration.version += 1
            try await registration.update(on: database)
            try await CaseRecords.sqlDatabase(database).update(OutboxNotification.schema)
                .set("status", to: NotificationStatus.cancelled.rawValue)
                .where("registration_id", .equal, registrationID)
                .where("status", .in, [NotificationStatus.pending, .sending, .awaitingConfirmation, .pinLocked].map(\.rawValue))
                .run()
            try await audit.append(AuditEntry(actor, .write, "registration/\(registrationID)"), on: database)
            return registration
        }
    }
}

/// The form of a channel's address: a phone number for SMS and voice, an email address for email.
enum ChannelAddress {
    static func problem(_ address: String, kind: ChannelKind) -> String? {
        switch kind {
        case .sms, .voice:
            address.range(of: "^\\+?[0-9]{7,15}$", options: .regularExpression) == nil ? "'\(address)' is not a phone number (7 to 15 digits, '+' first if international)" : nil
        case .email:
            address.range(of: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", options: .regularExpression) == nil ? "'\(address)' is not an email address" : nil
        }
    }
}
