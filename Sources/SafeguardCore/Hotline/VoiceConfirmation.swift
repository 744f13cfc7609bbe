import FluentKit
import PolicyEngine
import Foundation
import SQLKit

/// A voice notice is delivered when the registrant enters their PIN during a call: the voice
/// gateway relays the digits. Until then the call is placed again (`NotificationWorker`).
public enum VoiceConfirmation {
    /// Marks the notice delivered if the PIN is the registration's. A wrong PIN changes nothing.
    public static func confirm(_ notificationID: UUID, pin: String, by actor: Actor, audit: AuditChain,
                               on database: any Database) async throws {
        guard actor.role == .integration else { throw WorkflowError.forbidden("a \(actor.role.rawValue) may not relay voice confirmations") }
        try await database.transaction { database in
            guard let notice = try await OutboxNotification.find(notificationID, on: database), notice.channelKind == ChannelKind.voice.rawValue,
                  let registration = try await Registration.find(notice.$registration.id, on: database) else {
                throw WorkflowError.notFound("voice notification \(notificationID)")
            }
            guard [NotificationStatus.awaitingConfirmation.rawValue, NotificationStatus.sending.rawValue].contains(notice.status), notice.calls > 0 else {
                throw WorkflowError.conflict("notification \(notificationID) is \(notice.status), not awaiting confirmation")
            }
            guard registration.voicePINHash == RegistrationBook.pinHash(pin) else {
                try await audit.append(AuditEntry(actor, .write, "notification/\(notificationID)", .denied), on: database)
                throw WorkflowError.invalid([FieldError(path: "pin", message: "not the registrant's PIN")])
            }
            try await CaseRecords.sqlDatabase(database).update(OutboxNotification.schema)
                .set("status", to: NotificationStatus.delivered.rawValue).set("delivered_at", to: audit.clock.now.timeIntervalSince1970)
                .set("lease_owner", to: SQLLiteral.null).set("lease_until", to: SQLLiteral.null)
                .where("id", .equal, notificationID).run()
            try await audit.append(AuditEntry(actor, .write, "notification/\(notificationID)"), on: database)
        }
    }
}
