import FluentKit
import Foundation
import PolicyEngine
import SQLKit

/// A voice notice is delivered when the registrant enters their PIN during a call: the voice
/// gateway relays the digits. Until then the call is placed again (`NotificationWorker`). A PIN of
/// four digits falls to 10,000 tries, so a notice locks after `triesPerNotice` wrong PINs (an
/// alert, `DeliveryAlerts.lockedNotices`, until a hotline specialist unlocks it,
/// `RegistrationBook.unlockVoiceNotice`), and a registration whose PIN was tried wrong too often
/// across its notices is held back (`PINThrottle`, 429): a custody event makes a notice, so new
/// notices must not mean new tries. Each try holds the notice's row from reading it to recording
/// what came of it, so tries at once are counted one after another; a refused try commits its own
/// audit record before the refusal is answered.
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

    /// What came of one try, recorded before it is answered.
    private enum Outcome {
        case delivered, wrong(failures: Int), locked, notAwaiting(String), throttled(TimeInterval)
    }

    /// Marks the notice delivered if the PIN is the registration's; a wrong PIN counts toward the
    /// notice's lock and the registration's throttle, and changes nothing else.
    public func confirm(_ notificationID: UUID, pin: String, by actor: Actor, on database: any Database) async throws {
        guard actor.role == .integration else { throw WorkflowError.forbidden("\(actor.role.wordsWithArticle) may not relay voice confirmations") }
        let object = "notification/\(notificationID)"
        let outcome: Outcome = try await database.transaction { database in
            // The notice's row first: a try beside this one waits, and then sees what this one recorded.
            try await CaseRecords.sqlDatabase(database).raw("UPDATE \(ident: OutboxNotification.schema) SET pin_failures = pin_failures WHERE id = \(bind: notificationID)").run()
            guard let notice = try await OutboxNotification.find(notificationID, on: database), notice.channelKind == ChannelKind.voice.rawValue,
                  let registration = try await Registration.find(notice.$registration.id, on: database) else {
                throw WorkflowError.notFound("voice notification \(notificationID)")
            }
            let registrationID = try registration.requireID()
            if let wait = await throttle.retryAfter(registration: registrationID) {
                try await audit.append(AuditEntry(actor, .write, object, .denied), on: database)
                return .throttled(wait)
            }
            guard Self.confirmable.contains(notice.status), notice.calls > 0 else {
                try await audit.append(AuditEntry(actor, .write, object, .denied), on: database)
                return notice.status == NotificationStatus.pinLocked.rawValue ? .locked : .notAwaiting(notice.status)
            }
            let sql = try CaseRecords.sqlDatabase(database)
            guard pins.matches(pin, of: registrationID, stored: registration.voicePINHash) else {
                await throttle.recordFailure(registration: registrationID)
                let failures = try await sql.raw("""
                    UPDATE \(ident: OutboxNotification.schema) SET pin_failures = pin_failures + 1, \
                    status = CASE WHEN pin_failures + 1 >= \(bind: Self.triesPerNotice) THEN \(bind: NotificationStatus.pinLocked.rawValue) ELSE status END \
                    WHERE id = \(bind: notificationID) RETURNING pin_failures
                    """).first()?.decode(column: "pin_failures", as: Int.self) ?? 0
                try await audit.append(AuditEntry(actor, .write, object, .denied), on: database)
                return .wrong(failures: failures)
            }
            try await sql.update(OutboxNotification.schema)
                .set("status", to: NotificationStatus.delivered.rawValue).set("delivered_at", to: audit.clock.now.timeIntervalSince1970)
                .set("lease_owner", to: SQLLiteral.null).set("lease_until", to: SQLLiteral.null)
                .where("id", .equal, notificationID).run()
            try await audit.append(AuditEntry(actor, .write, object), on: database)
            return .delivered
        }
        switch outcome {
        case .delivered: return
        case .wrong(let failures) where failures < Self.triesPerNotice:
            throw WorkflowError.invalid([FieldError(path: "pin", message: "not the registrant's PIN")])
        case .wrong, .locked:
            throw WorkflowError.conflict("notification \(notificationID) is locked after \(Self.triesPerNotice) wrong PINs; a hotline specialist unlocks it")
        case .notAwaiting(let status): throw WorkflowError.conflict("notification \(notificationID) is \(status), not awaiting confirmation")
        case .throttled(let wait): throw WorkflowError.throttled(retryAfter: wait)
        }
    }

    static let confirmable = [NotificationStatus.awaitingConfirmation.rawValue, NotificationStatus.sending.rawValue]
}
