import Crypto
import FluentKit
import FluentSQL
import Foundation
import PolicyEngine
import SQLKit

/// Turns passwords into stored hashes and checks them; the server layer provides bcrypt.
/// Hashing is slow on purpose, so implementations do it off the caller's thread.
public protocol PasswordHashing: Sendable {
    func hash(_ password: String) async throws -> String
    func verify(_ password: String, against hash: String) async throws -> Bool
}

/// Users and their API tokens. There are no default users and no built-in credentials.
public struct UserDirectory: Sendable {
    public let hasher: any PasswordHashing
    /// When tokens are revoked.
    public let clock: any WallClock
    /// The tokens looked up a moment ago (`RecentTokens`).
    public let recentTokens: RecentTokens
    public static let minimumPasswordLength = 12
    /// A token bought with a password lasts a working day; one an operator issues for a system
    /// (`users token`) lasts 90 days unless told otherwise, and is rotated by issuing the next one
    /// before revoking the old (`users tokens revoke --keep-newest`).
    public static let signInTokenLifetime: Duration = .seconds(8 * 3600)
    public static let issuedTokenLifetime: Duration = .seconds(90 * 86_400)

    /// - Parameter tokenRecheck: how long a token found live is taken as live (`RecentTokens`).
    public init(hasher: any PasswordHashing, clock: any WallClock = SystemClock(), tokenRecheck: Duration = .seconds(1)) {
        self.hasher = hasher
        self.clock = clock
        recentTokens = RecentTokens(lifetime: tokenRecheck, clock: clock)
    }

    public func add(username: String, displayName: String, role: Role, office: String, password: String, on database: any Database) async throws -> User {
        var problems: [FieldError] = []
        if username.range(of: "^[a-z][a-z0-9._-]{1,63}$", options: .regularExpression) == nil {
            problems.append(FieldError(path: "username", message: "2 to 64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter"))
        }
        if office.trimmingCharacters(in: .whitespaces).isEmpty { problems.append(FieldError(path: "office", message: "must not be empty")) }
        if password.count < Self.minimumPasswordLength {
            problems.append(FieldError(path: "password", message: "at least \(Self.minimumPasswordLength) characters"))
        }
        guard problems.isEmpty else { throw WorkflowError.invalid(problems) }
        if try await User.query(on: database).filter(\.$username == username).first() != nil {
            throw WorkflowError.conflict("user '\(username)' already exists")
        }
        let user = User(username: username, displayName: displayName.isEmpty ? username : displayName, role: role, office: office,
                        passwordHash: try await hasher.hash(password))
        try await user.create(on: database)
        return user
    }

    public func user(named username: String, on database: any Database) async throws -> User {
        guard let user = try await User.query(on: database).filter(\.$username == username).first() else {
            throw WorkflowError.notFound("user '\(username)'")
        }
        return user
    }

    /// Disables the user and revokes every token of theirs.
    public func disable(username: String, on database: any Database) async throws {
        let user = try await user(named: username, on: database)
        try await database.transaction { database in
            user.disabled = true
            try await user.update(on: database)
            try await APIToken.query(on: database).filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil)
                .set(\.$revokedAt, to: clock.now).update()
        }
        recentTokens.forgetAll()
    }

    /// Issues a new bearer token for the user, valid for `lifetime`; the token is returned once and
    /// only its hash kept.
    public func issueToken(for username: String, lifetime: Duration, on database: any Database) async throws -> (token: String, expiresAt: Date) {
        let user = try await user(named: username, on: database)
        guard !user.disabled else { throw WorkflowError.conflict("user '\(username)' is disabled") }
        let token = "sg_" + SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let expiresAt = clock.now.addingTimeInterval(lifetime.seconds)
        try await APIToken(userID: user.requireID(), tokenHash: Self.digest(token), expiresAt: expiresAt).create(on: database)
        return (token, expiresAt)
    }

    /// Revokes the user's live tokens, all of them or all but the newest (rotation: the system
    /// already uses the newest); returns how many.
    @discardableResult
    public func revokeTokens(of username: String, keepingNewest: Bool, on database: any Database) async throws -> Int {
        let user = try await user(named: username, on: database)
        let revoked = try await database.transaction { database in
            var live = try await APIToken.query(on: database).filter(\.$user.$id == user.requireID()).filter(\.$revokedAt == nil).all()
                .filter { !isExpired(expiresAt: $0.expiresAt, createdAt: $0.createdAt) }
            // The newest is the one issued last (its creation stamp: only the order counts here).
            if keepingNewest, let newest = live.max(by: { ($0.createdAt ?? .distantPast) < ($1.createdAt ?? .distantPast) }) {
                live.removeAll { $0 === newest }
            }
            for token in live {
                token.revokedAt = clock.now
                try await token.update(on: database)
            }
            return live.count
        }
        recentTokens.forgetAll()
        return revoked
    }

    private func isExpired(expiresAt: Date?, createdAt: Date?) -> Bool {
        Self.expiry(expiresAt: expiresAt, createdAt: createdAt) <= clock.now
    }

    /// When a token stops working: its expiry, or for one issued before tokens had one, the
    /// issued lifetime after its creation.
    private static func expiry(expiresAt: Date?, createdAt: Date?) -> Date {
        expiresAt ?? createdAt.map { $0.addingTimeInterval(issuedTokenLifetime.seconds) } ?? .distantPast
    }

    /// The actor a bearer token stands for, or nil for an unknown, expired, revoked or disabled one.
    public func actor(forToken token: String, on database: any Database) async throws -> Actor? {
        let digest = Self.digest(token)
        if let actor = recentTokens.actor(forDigest: digest) { return actor }
        let lookup = recentTokens.beginLookup()
        // Every API request asks this: one statement, written out (Fluent's join would name and
        // quote every column of both models, which cost more than the lookup).
        guard let row = try await CaseRecords.sqlDatabase(database).raw("""
            SELECT u.*, t.expires_at AS token_expires_at, t.created_at AS token_created_at FROM \(ident: APIToken.schema) t
            JOIN \(ident: User.schema) u ON u.id = t.user_id WHERE t.token_hash = \(bind: digest) AND t.revoked_at IS NULL LIMIT 1
            """).first()
        else { return nil }
        let expiry = Self.expiry(expiresAt: try row.decode(column: "token_expires_at", as: Date?.self),
                                 createdAt: try row.decode(column: "token_created_at", as: Date?.self))
        guard expiry > clock.now, let actor = try row.decode(fluentModel: User.self).actor else { return nil }
        recentTokens.remember(actor, forDigest: digest, tokenExpiresAt: expiry, foundBy: lookup)
        return actor
    }

    /// The actor for a username and password, or nil when they do not match an enabled user.
    public func actor(username: String, password: String, on database: any Database) async throws -> Actor? {
        guard let user = try await User.query(on: database).filter(\.$username == username).first() else {
            // Hashing costs what checking does, so the time a sign-in takes does not tell which usernames exist.
            _ = try await hasher.hash(password)
            return nil
        }
        guard try await hasher.verify(password, against: user.passwordHash) else { return nil }
        return user.actor
    }

    static func digest(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }
}
