import Crypto
import Foundation
import PolicyEngine

/// A partition's head at one moment, signed with the audit key (Ed25519): whoever keeps a signed
/// head can later show that the chain still holds that record, unchanged, at that place.
public struct SignedHead: Sendable, Equatable {
    public var partition: String
    public var sequence: Int
    public var hash: String
    public var signedAt: String
    /// Ed25519 signature of `message`, in hex.
    public var signature: String

    /// What is signed: the head's fields as a JSON array.
    public var message: String {
        JSONValue.array([.string(partition), .number(String(sequence)), .string(hash), .string(signedAt)]).serialized()
    }

    public func isValid(for key: Curve25519.Signing.PublicKey) -> Bool {
        guard let bytes = Self.bytes(fromHex: signature) else { return false }
        return key.isValidSignature(bytes, for: Data(message.utf8))
    }

    public var json: JSONValue {
        .object([
            JSONMember(key: "partition", value: .string(partition)), JSONMember(key: "sequence", value: .number(String(sequence))),
            JSONMember(key: "hash", value: .string(hash)), JSONMember(key: "signedAt", value: .string(signedAt)),
            JSONMember(key: "signature", value: .string(signature)),
        ])
    }

    /// Reads a head exported as `json`; nil when a field is missing or malformed.
    public init?(json: JSONValue) {
        guard case .object(let members) = json else { return nil }
        func text(_ key: String) -> String? {
            guard case .string(let value)? = members.first(where: { $0.key == key })?.value else { return nil }
            return value
        }
        guard let partition = text("partition"), let hash = text("hash"), let signedAt = text("signedAt"), let signature = text("signature"),
              case .number(let number)? = members.first(where: { $0.key == "sequence" })?.value, let sequence = Int(number) else { return nil }
        self.init(partition: partition, sequence: sequence, hash: hash, signedAt: signedAt, signature: signature)
    }

    public init(partition: String, sequence: Int, hash: String, signedAt: String, signature: String) {
        (self.partition, self.sequence, self.hash, self.signedAt, self.signature) = (partition, sequence, hash, signedAt, signature)
    }

    /// Signs the head with `key`.
    init(partition: String, sequence: Int, hash: String, signedAt: Date, key: Curve25519.Signing.PrivateKey) throws {
        self.init(partition: partition, sequence: sequence, hash: hash, signedAt: signedAt.formatted(AuditRecord.timeFormat), signature: "")
        signature = try key.signature(for: Data(message.utf8)).hexString
    }

    static func bytes(fromHex text: String) -> Data? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes = Data(capacity: digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let byte = UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }
}
