import Crypto
import Foundation
import PolicyEngine
import SQLKit

/// An audit record as a request queues it (`AuditChain.append`): the entry and when it was
/// recorded, as the text the record will hold, waiting for the sequencer to give it its place in
/// its partition's chain (`AuditChain.integrate`).
struct AuditLeaf: Sendable, Equatable {
    /// Unique: what the sequencer deletes once the leaf is a record.
    var leaf: String
    var partition: String
    var queuedAt: String
    /// The append it came from (ordered among the appends of its process), and its place there.
    var batch: String
    var ordinal: Int
    var actorID: String?
    var username: String
    var role: String
    var office: String
    var action: String
    var object: String
    var outcome: String
    var purpose: String?
    var subject: String?
    /// HMAC-SHA256 of the rest, under `AuditChain.leafKey`: a row written into the queue by
    /// anyone without the audit key is never integrated.
    var mac = ""

    static let columns = ["leaf", "partition", "queued_at", "batch", "ordinal", "actor_id", "username", "role", "office", "action", "object", "outcome",
                          "purpose", "subject", "mac"]

    init(_ entry: AuditEntry, batch: String, ordinal: Int, at time: Date, key: SymmetricKey) {
        leaf = "\(batch)/\(ordinal)"
        partition = AuditChain.partition(of: entry)
        queuedAt = time.formatted(AuditRecord.timeFormat)
        self.batch = batch
        self.ordinal = ordinal
        actorID = entry.actorID?.uuidString
        (username, role, office, action, object) = (entry.username, entry.role, entry.office, entry.action.rawValue, entry.object)
        (outcome, purpose, subject) = (entry.outcome.rawValue, entry.purpose?.rawValue, entry.subject?.uuidString)
        mac = authentication(key)
    }

    init(row: any SQLRow) throws {
        leaf = try row.decode(column: "leaf", as: String.self)
        partition = try row.decode(column: "partition", as: String.self)
        queuedAt = try row.decode(column: "queued_at", as: String.self)
        batch = try row.decode(column: "batch", as: String.self)
        ordinal = try row.decode(column: "ordinal", as: Int.self)
        actorID = try row.decode(column: "actor_id", as: String?.self)
        username = try row.decode(column: "username", as: String.self)
        role = try row.decode(column: "role", as: String.self)
        office = try row.decode(column: "office", as: String.self)
        action = try row.decode(column: "action", as: String.self)
        object = try row.decode(column: "object", as: String.self)
        outcome = try row.decode(column: "outcome", as: String.self)
        purpose = try row.decode(column: "purpose", as: String?.self)
        subject = try row.decode(column: "subject", as: String?.self)
        mac = try row.decode(column: "mac", as: String.self)
    }

    /// The values of `columns`, in order.
    var columnValues: [(any Encodable & Sendable)?] {
        [leaf, partition, queuedAt, batch, ordinal, actorID, username, role, office, action, object, outcome, purpose, subject, mac]
    }

    /// The MAC of every other field (a JSON array in a fixed order: no two leaves share a form).
    func authentication(_ key: SymmetricKey) -> String {
        var canonical: [UInt8] = [UInt8(ascii: "[")]
        canonical.appendCanonicalFields([leaf, partition, queuedAt, batch, String(ordinal), actorID, username, role, office, action, object, outcome, purpose, subject])
        canonical[canonical.count - 1] = UInt8(ascii: "]")
        return Data(HMAC<SHA256>.authenticationCode(for: canonical, using: key)).hexString
    }

    /// Whether the leaf is one this service queued, unchanged, in the partition of its office.
    func isAuthentic(_ key: SymmetricKey) -> Bool {
        let expected = Array(authentication(key).utf8), given = Array(mac.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
            && partition == (office.isEmpty ? "system" : office)
    }
}

extension AuditRecord {
    /// The leaf as the record at `sequence` after `previousHash`, hashed; recorded when it was queued.
    init(_ leaf: AuditLeaf, sequence: Int, previousHash: String) {
        self.init(partition: leaf.partition, sequence: sequence, recordedAt: leaf.queuedAt, actorID: leaf.actorID, username: leaf.username,
                  role: leaf.role, office: leaf.office, action: leaf.action, object: leaf.object, outcome: leaf.outcome, purpose: leaf.purpose,
                  subject: leaf.subject, previousHash: previousHash, hash: "")
        hash = computedHash
    }
}

/// What waits in the audit queue (`AuditChain.queue`).
public struct AuditQueueState: Sendable, Equatable {
    /// Leaves waiting to be integrated.
    public var queued: Int
    /// Of them, those queued longer than the bound ago: no sequencer integrates them.
    public var stale: Int
    /// Leaves whose MAC did not hold: written into the queue without the audit key.
    public var rejected: Int
}
