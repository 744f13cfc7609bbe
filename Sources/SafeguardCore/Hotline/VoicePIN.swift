import Crypto
import FluentKit
import Foundation
import SQLKit

/// A registrant's voice PIN as stored: an HMAC-SHA256, under a key derived from the audit key
/// (a file outside the database, `AuditKey`), of the registration's id and the PIN's SHA-256. A
/// 4-digit PIN falls to 10,000 guesses whatever the hash, so a copy of the database alone must not
/// let anyone make them, nor show which registrants share a PIN; the SHA-256 inside lets a hash
/// stored before, unkeyed, be keyed in place (`rekeyUnkeyed`).
/// A new audit key file makes every stored PIN unmatchable: registrants then register theirs again.
public struct VoicePIN: Sendable {
    static let prefix = "hmac-sha256:"
    private let key: SymmetricKey

    public init(auditKey: Curve25519.Signing.PrivateKey) {
        key = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: auditKey.rawRepresentation), salt: Data("safeguard".utf8),
                                     info: Data("voice PIN".utf8), outputByteCount: 32)
    }

    /// What is stored for `pin` of the registration.
    func stored(_ pin: String, of registration: UUID) -> String { keyed(Self.digest(pin), of: registration) }

    /// Whether `pin` is the one stored for the registration, compared in constant time.
    func matches(_ pin: String, of registration: UUID, stored: String?) -> Bool {
        guard let stored, stored.hasPrefix(Self.prefix), let code = SignedHead.bytes(fromHex: String(stored.dropFirst(Self.prefix.count))) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: Self.message(Self.digest(pin), of: registration), using: key)
    }

    /// Keys every PIN hash stored unkeyed (a plain SHA-256, before PINs were keyed). Returns how many.
    @discardableResult
    public func rekeyUnkeyed(on database: any Database) async throws -> Int {
        let sql = try CaseRecords.sqlDatabase(database)
        let rows = try await sql.raw("""
            SELECT id, voice_pin_hash FROM \(ident: Registration.schema) WHERE voice_pin_hash IS NOT NULL AND voice_pin_hash NOT LIKE \(bind: Self.prefix + "%")
            """).all()
        for row in rows {
            let (id, digest) = (try row.decode(column: "id", as: UUID.self), try row.decode(column: "voice_pin_hash", as: String.self))
            try await sql.update(Registration.schema).set("voice_pin_hash", to: keyed(digest, of: id))
                .where("id", .equal, id).where("voice_pin_hash", .equal, digest).run()
        }
        return rows.count
    }

    private static func digest(_ pin: String) -> String { SHA256.hash(data: Data(pin.utf8)).hexString }

    private static func message(_ digest: String, of registration: UUID) -> Data { Data("\(registration.uuidString):\(digest)".utf8) }

    private func keyed(_ digest: String, of registration: UUID) -> String {
        Self.prefix + HMAC<SHA256>.authenticationCode(for: Self.message(digest, of: registration), using: key).hexString
    }
}
