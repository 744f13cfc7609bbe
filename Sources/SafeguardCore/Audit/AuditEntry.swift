import Foundation

/// What one audit record says: who did what to which record, with what outcome and for what
/// purpose. It never holds a protected value: records are named by kind and id only.
public struct AuditEntry: Sendable, Equatable {
    public enum Action: String, Sendable, CaseIterable {
        case login, read, write, export
        /// A refusal: no access, no entitlement, or a step the policies do not allow.
        case denial
    }

    public enum Outcome: String, Sendable, CaseIterable {
        case success, failure, denied
    }

    /// The user, or nil when there is none (a sign-in under an unknown username).
    public var actorID: UUID?
    /// The username given; for a failed sign-in, the name that was tried.
    public var username: String
    public var role: String
    public var office: String
    public var action: Action
    /// The record, as `kind/id` (`encounter/…`, `person/…`), or what was acted on (`session`, `audit-head`).
    public var object: String
    public var outcome: Outcome
    /// The purpose the user stated, when the action needed one.
    public var purpose: Purpose?
    /// The person the record is about, when it is about one (a person, their filings, encounters,
    /// steps, decisions and follow-ups): one search then answers "who looked at this person".
    public var subject: UUID?

    public init(actorID: UUID?, username: String, role: String, office: String, action: Action, object: String,
                outcome: Outcome, purpose: Purpose? = nil, subject: UUID? = nil) {
        self.actorID = actorID
        self.username = Self.storable(username)
        self.role = role
        self.office = office
        self.action = action
        self.object = Self.storable(object)
        self.outcome = outcome
        self.purpose = purpose
        self.subject = subject
    }

    /// An entry for what an actor did, about `subject` when it concerns a person.
    public init(_ actor: Actor, _ action: Action, _ object: String, _ outcome: Outcome = .success, purpose: Purpose? = nil,
                subject: UUID? = nil) {
        self.init(actorID: actor.userID, username: actor.username, role: actor.role.rawValue, office: actor.office,
                  action: action, object: object, outcome: outcome, purpose: purpose, subject: subject)
    }

    /// An entry for what an operator did at the command line (a backup, an export of heads),
    /// under the name of the account that ran it.
    public static func byOperator(_ action: Action, _ object: String, subject: UUID? = nil) -> AuditEntry {
        AuditEntry(actorID: nil, username: "operator:" + ProcessInfo.processInfo.userName, role: "operator", office: "",
                   action: action, object: object, outcome: .success, subject: subject)
    }

    /// The text as the chain can store and read back unchanged: SQLite's C interface ends a text
    /// at a NUL (the record would no longer match its hash) and PostgreSQL refuses one, so a NUL
    /// that a caller put in a username or a path is recorded as U+FFFD.
    static func storable(_ text: String) -> String {
        text.unicodeScalars.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    }
}
