import FluentKit

/// Which offices' records a user reaches: the one office rule of every read and every list. Case
/// records are their office's, save to the roles that span offices (admins, auditors, analysts);
/// hotline records (calls, registrations) stay with the office that took them, for everyone.
public enum OfficeScope: Sendable {
    case caseRecords, hotline
}

extension Actor {
    /// Whether this user reaches a record of `office`.
    public func reaches(office: String, in scope: OfficeScope = .caseRecords) -> Bool {
        (scope == .caseRecords && role.spansOffices) || office == self.office
    }
}

extension QueryBuilder {
    /// The records of this query (of a model with an `office` field) that `actor` reaches.
    public func reachable(by actor: Actor, in scope: OfficeScope = .caseRecords) -> Self {
        scope == .caseRecords && actor.role.spansOffices ? self : filter("office", .equal, actor.office)
    }
}
