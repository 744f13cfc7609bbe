import Crypto
import Foundation

/// The Ed25519 key that signs audit heads, kept in a file of its own (64 hex digits), readable
/// by its owner only. Servers sharing a database share the file.
public enum AuditKey {
    public struct Problem: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads the key at `path`, creating it first when there is no file there.
    public static func loadOrCreate(at path: String) throws -> Curve25519.Signing.PrivateKey {
        if FileManager.default.fileExists(atPath: path) { return try load(at: path) }
        let key = Curve25519.Signing.PrivateKey()
        guard FileManager.default.createFile(atPath: path, contents: Data((key.rawRepresentation.hexString + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw Problem(description: "\(path): cannot create the audit key file")
        }
        return key
    }

    public static func load(at path: String) throws -> Curve25519.Signing.PrivateKey {
        try read(at: path, as: "an audit key", Curve25519.Signing.PrivateKey.init(rawRepresentation:))
    }

    /// Reads a public key written as 64 hex digits (what `publicKeyText` gives).
    public static func loadPublicKey(at path: String) throws -> Curve25519.Signing.PublicKey {
        try read(at: path, as: "a public key", Curve25519.Signing.PublicKey.init(rawRepresentation:))
    }

    /// A key of 32 bytes written as 64 hex digits.
    private static func read<Key>(at path: String, as what: String, _ make: (Data) throws -> Key) throws -> Key {
        guard let data = FileManager.default.contents(atPath: path) else { throw Problem(description: "\(path): cannot read the file") }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.utf8.count == 64, let bytes = SignedHead.bytes(fromHex: text), let key = try? make(bytes) else {
            throw Problem(description: "\(path): not \(what) (64 hexadecimal digits)")
        }
        return key
    }

    /// The public half, as 64 hex digits: what an auditor needs to verify the chain.
    public static func publicKeyText(_ key: Curve25519.Signing.PrivateKey) -> String {
        key.publicKey.rawRepresentation.hexString
    }
}
