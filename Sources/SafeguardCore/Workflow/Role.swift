import Foundation

/// What a user does in Safeguard. Each user has one role and one office.
public enum Role: String, Codable, CaseIterable, Sendable {
    case officer
    case supervisor
    case oplaAttorney = "opla-attorney"
    case hotlineSpecialist = "hotline-specialist"
    case analyst
    case auditor
    case admin
    /// A system, not a person: the custody feed, and the voice gateway relaying PIN confirmations.
    case integration

    /// Roles that see records of every office; the others see their own office's.
    public var spansOffices: Bool { self == .admin || self == .auditor || self == .analyst }
}

/// The authenticated person behind a request or a command.
public struct Actor: Sendable, Equatable {
    public var userID: UUID
    public var username: String
    public var role: Role
    public var office: String

    public init(userID: UUID, username: String, role: Role, office: String) {
        self.userID = userID
        self.username = username
        self.role = role
        self.office = office
    }
}

