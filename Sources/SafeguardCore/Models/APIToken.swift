import FluentKit
import Foundation

/// A bearer token for the API. Only its SHA-256 is stored; the token itself is shown once. It
/// ends when it expires or is revoked.
public final class APIToken: Model, @unchecked Sendable {
    public static let schema = "api_tokens"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "user_id") public var user: User
    @Field(key: "token_hash") public var tokenHash: String
    @OptionalField(key: "revoked_at") public var revokedAt: Date?
    /// nil for a token issued before tokens expired: it ends a default lifetime after its creation.
    @OptionalField(key: "expires_at") public var expiresAt: Date?
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] { [$id, $user, $tokenHash, $revokedAt, $expiresAt, $createdAt] }

    public init() {}

    public init(userID: UUID, tokenHash: String, expiresAt: Date) {
        $user.id = userID
        self.tokenHash = tokenHash
        self.expiresAt = expiresAt
    }
}
