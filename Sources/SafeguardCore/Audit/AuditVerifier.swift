import Crypto

/// Checks an audit chain record by record, in one pass, and says where it breaks: a record
/// changed (its hash no longer covers it), a record removed, inserted or moved (the sequence or
/// the link to the previous hash breaks), a tail cut off (the head row or a signed head names a
/// record that is not there, or its signature does not hold), or a database restored to an older
/// state than an exported head.
public struct AuditVerifier {
    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var partition: String
        public var sequence: Int?
        public var message: String
        public var description: String { "\(partition)" + (sequence.map { " #\($0)" } ?? "") + ": " + message }
    }

    public struct Report: Sendable {
        public var records = 0
        public var partitions = 0
        public var signedHeads = 0
        public var problems: [Problem] = []
        public var isClean: Bool { problems.isEmpty }
    }

    private let key: Curve25519.Signing.PublicKey
    /// The heads a valid periodic or exported signature names: a head row that is one of them is
    /// pinned even without a signature of its own (rows written before every commit signed them).
    private var pinned: Set<String> = []
    private var report = Report()
    /// What signed and exported heads say each partition holds at a sequence: the hash and who says so.
    private var expected: [String: [Int: (hash: String, source: String)]] = [:]
    private var current: (partition: String, sequence: Int, hash: String)?
    private var last: [String: (sequence: Int, hash: String)] = [:]

    /// - Parameters:
    ///   - key: the audit key's public half; every signature must verify with it.
    ///   - signedHeads: the heads signed in the database.
    ///   - exportedHeads: heads kept outside the database (`safeguard audit head`), if any.
    public init(key: Curve25519.Signing.PublicKey, signedHeads: [SignedHead], exportedHeads: [SignedHead] = []) {
        self.key = key
        for (heads, source) in [(signedHeads, "signed head"), (exportedHeads, "exported head")] {
            for head in heads {
                if head.isValid(for: key) {
                    expected[head.partition, default: [:]][head.sequence] = (head.hash, source)
                    pinned.insert("\(head.partition) \(head.sequence) \(head.hash)")
                } else {
                    report.problems.append(Problem(partition: head.partition, sequence: head.sequence,
                                                   message: "the \(source) for this record has no valid signature of the audit key"))
                }
            }
            if source == "signed head" { report.signedHeads = heads.count }
        }
    }

    /// The next record, in partition and sequence order.
    public mutating func check(_ record: AuditRecord) {
        report.records += 1
        if current?.partition != record.partition {
            if let current { last[current.partition] = (current.sequence, current.hash) }
            current = (record.partition, 0, AuditRecord.genesisHash)
            report.partitions += 1
        }
        let (partition, previousSequence, previousHash) = current!
        func problem(_ message: String) { report.problems.append(Problem(partition: partition, sequence: record.sequence, message: message)) }
        if record.sequence > previousSequence + 1 {
            let missing = previousSequence + 1 == record.sequence - 1 ? "record \(previousSequence + 1) is" : "records \(previousSequence + 1)–\(record.sequence - 1) are"
            problem("\(missing) missing before this one (deleted)")
        } else if record.sequence <= previousSequence {
            problem("this record comes after record \(previousSequence) (inserted, duplicated or moved)")
        }
        if record.previousHash != previousHash {
            problem("the link to the record before is broken: that record was changed, removed, inserted or moved")
        }
        if record.computedHash != record.hash {
            problem("this record was changed: its contents do not match its hash")
        }
        if let claim = expected[partition]?.removeValue(forKey: record.sequence), claim.hash != record.hash {
            problem("this record differs from the \(claim.source) for it")
        }
        current = (partition, record.sequence, record.hash)
    }

    /// The verdict, given the head row of every partition, signed with every commit that moved it.
    public mutating func finish(heads: [String: SignedHead]) -> Report {
        if let current { last[current.partition] = (current.sequence, current.hash) }
        for partition in Set(heads.keys).union(last.keys).union(expected.keys).sorted() {
            let end = last[partition] ?? (0, AuditRecord.genesisHash)
            if let head = heads[partition] {
                if !head.isValid(for: key), !pinned.contains("\(partition) \(head.sequence) \(head.hash)") {
                    report.problems.append(Problem(partition: partition, sequence: head.sequence,
                                                   message: "the chain's head has no valid signature of the audit key: records up to it were rewritten or removed"))
                }
                if head.sequence > end.sequence {
                    report.problems.append(Problem(partition: partition, sequence: end.sequence,
                                                   message: "the chain ends here but its head names record \(head.sequence): the tail was cut off"))
                } else if head.sequence < end.sequence {
                    report.problems.append(Problem(partition: partition, sequence: end.sequence,
                                                   message: "records after \(head.sequence) were added outside the chain's head"))
                } else if head.hash != end.hash {
                    report.problems.append(Problem(partition: partition, sequence: end.sequence, message: "this last record differs from the chain's head"))
                }
            } else {
                report.problems.append(Problem(partition: partition, sequence: nil, message: "the partition has records but no head"))
            }
            for (sequence, claim) in (expected[partition] ?? [:]).sorted(by: { $0.key < $1.key }) {
                report.problems.append(Problem(partition: partition, sequence: sequence, message: claim.source == "exported head"
                    ? "the exported head names this record but the chain ends at \(end.sequence): the database is older than that head, or its tail was cut off"
                    : "a signed head names this record but the chain ends at \(end.sequence): its tail was cut off"))
            }
        }
        return report
    }
}
