import FluentKit
import Foundation

/// A person who works in Safeguard, with one role and one office.
public final class User: Model, @unchecked Sendable {
    public static let schema = "users"

    @ID(key: .id) public var id: UUID?
    @Field(key: "username") public var username: String
    @Field(key: "display_name") public var displayName: String
    @Field(key: "role") public var role: String
    @Field(key: "office") public var office: String
    /// A bcrypt hash; no password is ever stored.
    @Field(key: "password_hash") public var passwordHash: String
    @Field(key: "disabled") public var disabled: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] { [$id, $username, $displayName, $role, $office, $passwordHash, $disabled, $createdAt] }

    public init() {}

    public init(username: String, displayName: String, role: Role, office: String, passwordHash: String) {
        self.username = username
        self.displayName = displayName
        self.role = role.rawValue
        self.office = office
        self.passwordHash = passwordHash
        disabled = false
    }

    /// The user as an actor, or nil when disabled or the stored role is unknown.
    public var actor: Actor? {
        guard !disabled, let id, let role = Role(rawValue: role) else { return nil }
        return Actor(userID: id, username: username, role: role, office: office)
    }
}
