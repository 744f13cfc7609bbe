import Crypto
import Foundation
@testable import SafeguardCore
import SafeguardTestSupport
import Testing

/// Random tamperings (from a seed: `SAFEGUARD_TEST_SEED` replays them) of a chain of thousands of records, each of them found, and the
/// untouched chain clean: changed bytes, deletions, insertions, reorderings, truncations, a
/// rewritten tail (hashes recomputed by someone without the key) and rollbacks to an earlier state.
@Suite struct AuditTamperTests {
    /// A chain as stored: its records, the head row of each partition (signed with every commit
    /// that moved it), and the periodically signed heads.
    struct Chain {
        var records: [AuditRecord]
        var heads: [String: SignedHead]
        var signed: [SignedHead]
    }

    static let key = Curve25519.Signing.PrivateKey()
    static let partitions = ["NYC", "LAX"]

    /// `count` records over two partitions, heads signed every 1,000 records of a partition.
    static func chain(count: Int, generator: inout SeededGenerator) throws -> Chain {
        var records: [AuditRecord] = []
        var heads: [String: SignedHead] = [:]
        var signed: [SignedHead] = []
        let start = Date(timeIntervalSince1970: 1_790_000_000)
        for index in 0..<count {
            let partition = partitions[Int.random(in: 0...3, using: &generator) == 0 ? 1 : 0]
            let previous = heads[partition].map { ($0.sequence, $0.hash) } ?? (0, AuditRecord.genesisHash)
            let entry = AuditEntry(actorID: UUID(), username: "user-\(index % 37)", role: "officer", office: partition,
                                   action: AuditEntry.Action.allCases[index % 5], object: "encounter/\(UUID())", outcome: .success,
                                   purpose: index % 3 == 0 ? .lawEnforcement : nil, subject: index % 2 == 0 ? UUID() : nil)
            let record = AuditRecord(partition: partition, sequence: previous.0 + 1, recordedAt: start.addingTimeInterval(Double(index)),
                                     entry: entry, previousHash: previous.1)
            records.append(record)
            heads[partition] = try SignedHead(partition: partition, sequence: record.sequence, hash: record.hash, signedAt: start, key: key)
            if record.sequence % 1000 == 0 {
                signed.append(try SignedHead(partition: partition, sequence: record.sequence, hash: record.hash, signedAt: start, key: key))
            }
        }
        // As the verifier reads them: partition by partition, in sequence order.
        records.sort { ($0.partition, $0.sequence) < ($1.partition, $1.sequence) }
        return Chain(records: records, heads: heads, signed: signed)
    }

    static func verify(_ chain: Chain, exported: [SignedHead]) -> AuditVerifier.Report {
        var verifier = AuditVerifier(key: key.publicKey, signedHeads: chain.signed, exportedHeads: exported)
        for record in chain.records { verifier.check(record) }
        return verifier.finish(heads: chain.heads)
    }

    /// One random tampering, and its name for the failure message.
    static func tamper(_ chain: Chain, generator: inout SeededGenerator) -> (Chain, String) {
        var chain = chain
        let index = Int.random(in: 0..<chain.records.count, using: &generator)
        switch Int.random(in: 0..<8, using: &generator) {
        case 0:
            // One changed character in one field.
            var record = chain.records[index]
            if Int.random(in: 0..<4, using: &generator) == 0 {
                // The person a record is about, taken away or given to one about nobody.
                record.subject = record.subject == nil ? UUID().uuidString : nil
                chain.records[index] = record
                return (chain, "changed the subject of record \(index)")
            }
            let fields: [WritableKeyPath<AuditRecord, String>] = [\.recordedAt, \.username, \.role, \.office, \.action, \.object, \.outcome, \.hash, \.previousHash]
            let field = fields.randomElement(using: &generator)!
            var characters = Array(record[keyPath: field])
            let position = Int.random(in: 0..<characters.count, using: &generator)
            characters[position] = characters[position] == "x" ? "y" : "x"
            record[keyPath: field] = String(characters)
            chain.records[index] = record
            return (chain, "changed character in record \(index)")
        case 1:
            chain.records.remove(at: index)
            return (chain, "deleted record \(index)")
        case 2:
            chain.records.insert(chain.records[Int.random(in: 0..<chain.records.count, using: &generator)], at: index)
            return (chain, "inserted a copy at \(index)")
        case 3:
            let other = index == 0 ? 1 : index - 1
            guard chain.records[other].partition == chain.records[index].partition else { return tamper(chain, generator: &generator) }
            chain.records.swapAt(index, other)
            return (chain, "swapped records \(other) and \(index)")
        case 4:
            let cut = Int.random(in: 1...50, using: &generator)
            chain.records.removeLast(cut)
            return (chain, "cut off the last \(cut) records")
        case 5:
            // A purpose added to a record, with the record's own hash recomputed (no key needed for that).
            var record = chain.records[index]
            record.purpose = record.purpose == nil ? "audit" : nil
            record.hash = record.computedHash
            chain.records[index] = record
            return (chain, "changed record \(index) and its hash")
        case 6:
            // A changed record and every hash after it recomputed, head row included: only signatures
            // (and exported heads) can tell.
            var position = index
            let partition = chain.records[index].partition
            chain.records[position].object = "encounter/forged"
            var previous = chain.records[position].previousHash
            while position < chain.records.count, chain.records[position].partition == partition {
                chain.records[position].previousHash = previous
                chain.records[position].hash = chain.records[position].computedHash
                previous = chain.records[position].hash
                position += 1
            }
            // Without the key, the head row keeps a signature of what it said before.
            let old = chain.heads[partition]!
            chain.heads[partition] = SignedHead(partition: partition, sequence: chain.records[position - 1].sequence, hash: previous,
                                                signedAt: old.signedAt, signature: old.signature)
            return (chain, "rewrote the chain of \(partition) from record \(index)")
        default:
            // A rollback: the whole database as it was when a partition was shorter, consistent in itself.
            let partition = chain.records[index].partition
            let keep = chain.records[index].sequence
            // Rolling back to the last record would change nothing.
            guard keep < chain.heads[partition]!.sequence else { return tamper(chain, generator: &generator) }
            chain.records.removeAll { $0.partition == partition && $0.sequence > keep }
            chain.signed.removeAll { $0.partition == partition && $0.sequence > keep }
            // Restored as it was, the head row carries the valid signature of that day.
            let last = chain.records.last { $0.partition == partition }!
            chain.heads[partition] = try! SignedHead(partition: partition, sequence: last.sequence, hash: last.hash, signedAt: Date(), key: key)
            return (chain, "rolled \(partition) back to record \(keep)")
        }
    }

    /// Tamperings in every run; docs/reliability.md's full run makes 1,000 (`SAFEGUARD_TAMPERINGS`).
    static let tamperings = ProcessInfo.processInfo.environment["SAFEGUARD_TAMPERINGS"].flatMap { Int($0) } ?? 300

    @Test func everyOneOfManyRandomTamperingsIsFound() async throws {
        var generator = SeededGenerator()
        let chain = try Self.chain(count: 4_000, generator: &generator)
        // The heads an operator exported at the end, kept outside the database.
        let exported = try Self.partitions.map { partition in
            let head = chain.heads[partition]!
            return try SignedHead(partition: partition, sequence: head.sequence, hash: head.hash, signedAt: Date(), key: Self.key)
        }
        let clean = Self.verify(chain, exported: exported)
        #expect(clean.isClean, "\(clean.problems.prefix(3))")
        #expect(clean.records == 4_000 && clean.partitions == 2)
        // The tamperings, made and verified on every core, each lane its share from a seed of its own.
        let lanes = ProcessInfo.processInfo.activeProcessorCount
        let missed = await onOwnThreads(lanes: lanes) { lane in
            var generator = SeededGenerator(seed: SeededGenerator.runSeed &+ UInt64(lane + 1))
            return stride(from: lane, to: Self.tamperings, by: lanes).compactMap { _ in
                let (tampered, what) = Self.tamper(chain, generator: &generator)
                return Self.verify(tampered, exported: exported).isClean ? what : nil
            }
        }.flatMap { $0 }
        #expect(missed.isEmpty, "not found: \(missed.prefix(5)) (replay: \(generator.replay))")
    }

    @Test func aHeadSignedWithAnotherKeyIsRejected() throws {
        var generator = SeededGenerator()
        var chain = try Self.chain(count: 2_500, generator: &generator)
        let forged = chain.signed[0]
        chain.signed[0] = try SignedHead(partition: forged.partition, sequence: forged.sequence, hash: forged.hash, signedAt: Date(),
                                         key: Curve25519.Signing.PrivateKey())
        let report = Self.verify(chain, exported: [])
        #expect(report.problems.map(\.description) == [
            "\(forged.partition) #\(forged.sequence): the signed head for this record has no valid signature of the audit key",
        ])
    }
}
