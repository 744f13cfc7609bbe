import Crypto
import Foundation
import PolicyEngine

/// One link of the audit chain, as stored. Its fields are kept as the text the database holds, so
/// that verification judges exactly what is there (a tampered action need not be a valid one).
public struct AuditRecord: Sendable, Equatable {
    public var partition: String
    public var sequence: Int
    /// UTC, ISO 8601 with milliseconds: the text is what the hash covers.
    public var recordedAt: String
    public var actorID: String?
    public var username: String
    public var role: String
    public var office: String
    public var action: String
    public var object: String
    public var outcome: String
    public var purpose: String?
    /// The person the record is about (`AuditEntry.subject`), when it is about one.
    public var subject: String?
    public var previousHash: String
    public var hash: String

    /// The hash before the first record of a partition.
    public static let genesisHash = String(repeating: "0", count: 64)

    /// A new link after `previousHash`, hashed.
    init(partition: String, sequence: Int, recordedAt: Date, entry: AuditEntry, previousHash: String) {
        self.partition = partition
        self.sequence = sequence
        self.recordedAt = recordedAt.formatted(Self.timeFormat)
        actorID = entry.actorID?.uuidString
        username = entry.username
        role = entry.role
        office = entry.office
        action = entry.action.rawValue
        object = entry.object
        outcome = entry.outcome.rawValue
        purpose = entry.purpose?.rawValue
        subject = entry.subject?.uuidString
        self.previousHash = previousHash
        hash = ""
        hash = computedHash
    }

    public init(partition: String, sequence: Int, recordedAt: String, actorID: String?, username: String, role: String, office: String,
                action: String, object: String, outcome: String, purpose: String?, subject: String? = nil, previousHash: String, hash: String) {
        (self.partition, self.sequence, self.recordedAt, self.actorID) = (partition, sequence, recordedAt, actorID)
        (self.username, self.role, self.office, self.action, self.object) = (username, role, office, action, object)
        (self.outcome, self.purpose, self.subject, self.previousHash, self.hash) = (outcome, purpose, subject, previousHash, hash)
    }

    static let timeFormat = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)

    /// The canonical form the hash covers: the record's fields, the previous hash included, as a
    /// JSON array in a fixed order (so no two different records share a form). The subject, added
    /// to the chain later, closes the array only when there is one, so that every record written
    /// before it keeps its hash.
    public var canonical: [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(384)
        output.append(UInt8(ascii: "["))
        JSONValue.writeString(partition, to: &output)
        output.append(contentsOf: ",\(sequence),".utf8)
        output.appendCanonicalFields([recordedAt, actorID, username, role, office, action, object, outcome, purpose, previousHash])
        if let subject { output.appendCanonicalFields([subject]) }
        output[output.count - 1] = UInt8(ascii: "]")
        return output
    }

    /// The values of `AuditChain.recordColumns`, in order.
    var columnValues: [(any Encodable & Sendable)?] {
        [partition, sequence, recordedAt, actorID, username, role, office, action, object, outcome, purpose, subject, previousHash, hash]
    }

    /// SHA-256 of the canonical form, in hex.
    public var computedHash: String {
        SHA256.hash(data: canonical).hexString
    }
}

extension [UInt8] {
    /// Appends each field as a JSON string (`null` when nil), each followed by a comma: the body
    /// of a canonical array, whose last comma the writer turns into its closing bracket.
    mutating func appendCanonicalFields(_ fields: [String?]) {
        for field in fields {
            if let field { JSONValue.writeString(field, to: &self) } else { append(contentsOf: "null".utf8) }
            append(UInt8(ascii: ","))
        }
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, two digits a byte.
    var hexString: String {
        var digits: [UInt8] = []
        digits.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            digits.append(hexDigit(byte >> 4))
            digits.append(hexDigit(byte & 0xF))
        }
        return String(decoding: digits, as: UTF8.self)
    }
}

private func hexDigit(_ value: UInt8) -> UInt8 {
    value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10
}
