import FluentKit
import Foundation
import PolicyEngine
import SQLKit

/// A voice notice is delivered when the registrant enters their PIN during a call: the voice
/// gateway relays the digits. Until then the call is placed again (`NotificationWorker`). A PIN of
/// four digits falls to 10,000 tries, so a notice locks after `triesPerNotice` wrong PINs (an
/// alert, `DeliveryAlerts.lockedNotices`, until a hotline specialist unlocks it,
/// `RegistrationBook.unlockVoiceNotice`), and a caller relaying too many wrong PINs across notices
/// is held back (`PINThrottle`, 429). Every wrong PIN is recorded in a transaction of its own, so
/// the refusal never rolls back its own record.
public struct VoiceConfirmation: Sendable {
    public static let triesPerNotice = 3
    let audit: AuditChain
    let pins: VoicePIN
    let throttle: PINThrottle

    public init(audit: AuditChain, throttle: PINThrottle) {
        self.audit = audit
        pins = VoicePIN(auditKey: audit.key)
        self.throttle = throttle
    }

    /// Marks the notice delivered if the PIN is the registration's; a wrong PIN counts toward
    /// the notice's lock and the caller's throttle, and changes nothing else.
    public func confirm(_ notificationID: UUID, pin: String, by actor: Actor, on database: any Database) async throws {
        guard actor.role == .integration else { throw WorkflowError.forbidden("a \(actor.role.rawValue) may not relay voice confirmations") }
        if let wait = await throttle.retryAfter(caller: actor.username) { throw WorkflowError.throttled(retryAfter: wait) }
        guard let notice = try await OutboxNotification.find(notificationID, on: database), notice.channelKind == ChannelKind.voice.rawValue,
              let registration = try await Registration.find(notice.$registration.id, on: database) else {
            throw WorkflowError.notFound("voice notification \(notificationID)")
        }
        let object = "notification/\(notificationID)"
        guard Self.confirmable.contains(notice.status), notice.calls > 0 else {
            try await audit.append(AuditEntry(actor, .write, object, .denied), on: database)
            throw notice.status == NotificationStatus.pinLocked.rawValue ? Self.locked(notificationID)
                : WorkflowError.conflict("notification \(notificationID) is \(notice.status), not awaiting confirmation")
        }
        guard pins.matches(pin, stored: registration.voicePINHash) else {
            let failures = try await database.transaction { database in
                let failures = try await CaseRecords.sqlDatabase(database).raw("""
                    UPDATE \(ident: OutboxNotification.schema) SET pin_failures = pin_failures + 1, \
                    status = CASE WHEN pin_failures + 1 >= \(bind: Self.triesPerNotice) THEN \(bind: NotificationStatus.pinLocked.rawValue) ELSE status END \
                    WHERE id = \(bind: notificationID) RETURNING pin_failures
                    """).first()?.decode(column: "pin_failures", as: Int.self) ?? 0
                try await audit.append(AuditEntry(actor, .write, object, .denied), on: database)
                return failures
            }
            await throttle.recordFailure(caller: actor.username)
            if failures >= Self.triesPerNotice { throw Self.locked(notificationID) }
            throw WorkflowError.invalid([FieldError(path: "pin", message: "not the registrant's PIN")])
        }
        try await database.transaction { database in
            // Only while still confirmable: a notice locked meanwhile by wrong PINs stays locked.
            let delivered = try await CaseRecords.sqlDatabase(database).update(OutboxNotification.schema)
                .set("status", to: NotificationStatus.delivered.rawValue).set("delivered_at", to: audit.clock.now.timeIntervalSince1970)
                .set("lease_owner", to: SQLLiteral.null).set("lease_until", to: SQLLiteral.null)
                .where("id", .equal, notificationID).where("status", .in, Self.confirmable).returning("id").all()
            guard !delivered.isEmpty else { throw WorkflowError.conflict("notification \(notificationID) is no longer awaiting confirmation") }
            try await audit.append(AuditEntry(actor, .write, object), on: database)
        }
    }

    static let confirmable = [NotificationStatus.awaitingConfirmation.rawValue, NotificationStatus.sending.rawValue]

    static func locked(_ id: UUID) -> WorkflowError {
        .conflict("notification \(id) is locked after \(triesPerNotice) wrong PINs; a hotline specialist unlocks it")
    }
}
