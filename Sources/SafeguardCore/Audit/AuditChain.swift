import Crypto
import FluentKit
import Foundation
import SQLKit

/// The tamper-evident audit log: one hash chain per partition (the actor's office), so that
/// appends from different offices do not wait for each other. Each record's hash covers the one
/// before it. The head row is signed with the audit key by every commit that moves it, so no
/// record is ever unpinned; besides, every `signingInterval` records and whenever `signHeads`
/// runs (the server does every five minutes), the head is kept in the signed heads, from which an
/// operator exports heads to keep outside the database (only those catch a rollback of the whole
/// database to a state that was signed at the time).
///
/// `append` runs inside the caller's transaction: the record commits with the change it records,
/// or neither does. The partition's head row is claimed with a conditional `UPDATE … RETURNING`,
/// which row-locks it on PostgreSQL until the transaction ends, so appends to one partition from
/// several servers take turns and the chain never forks.
public struct AuditChain: Sendable {
    public let key: Curve25519.Signing.PrivateKey
    public let signingInterval: Int
    /// When records are recorded and heads signed.
    public let clock: any WallClock
    /// How many refusals of one caller a minute are recorded (`appendRefusal`).
    public let refusals: RefusalAllowance

    public init(key: Curve25519.Signing.PrivateKey, signingInterval: Int = 1000, refusalsPerMinute: Int = RefusalAllowance.defaultPerMinute,
                clock: any WallClock = SystemClock()) {
        self.key = key
        self.clock = clock
        self.signingInterval = max(1, signingInterval)
        refusals = RefusalAllowance(perMinute: refusalsPerMinute, clock: clock)
    }

    static let records = "audit_records", heads = "audit_heads", signatures = "audit_signatures"
    static let recordColumns = [
        "partition", "sequence", "recorded_at", "actor_id", "username", "role", "office", "action", "object", "outcome", "purpose",
        "subject", "previous_hash", "hash",
    ]

    /// Appends a record of `entry`, in the transaction `database` is in (or a new one).
    public func append(_ entry: AuditEntry, on database: any Database) async throws {
        try await append([entry], on: database)
    }

    /// Appends records of `entries`, in order, in the transaction `database` is in (or a new
    /// one): one claim of each partition's head and one multi-row insert, however many there are.
    public func append(_ entries: [AuditEntry], on database: any Database) async throws {
        guard !entries.isEmpty else { return }
        try await database.transaction { database in
            let sql = try CaseRecords.sqlDatabase(database)
            let byPartition = Dictionary(grouping: entries) { $0.office.isEmpty ? "system" : $0.office }
            // Partitions in a fixed order, so that two writers never wait for each other's heads in a cycle.
            for (partition, entries) in byPartition.sorted(by: { $0.key < $1.key }) {
                try await sql.insert(into: Self.heads).columns("partition", "sequence", "hash")
                    .values(SQLBind(partition), SQLBind(0), SQLBind(AuditRecord.genesisHash)).ignoringConflicts(with: ["partition"]).run()
                guard let head = try await sql.raw("""
                    UPDATE \(ident: Self.heads) SET sequence = sequence + \(bind: entries.count) WHERE partition = \(bind: partition) RETURNING sequence, hash
                    """).first() else { preconditionFailure("the head row was just ensured") }
                var sequence = try head.decode(column: "sequence", as: Int.self) - entries.count
                var previous = try head.decode(column: "hash", as: String.self)
                let now = clock.now
                var rows = BulkInsert(into: Self.records, columns: Self.recordColumns)
                var signed: [SignedHead] = []
                for entry in entries {
                    sequence += 1
                    let record = AuditRecord(partition: partition, sequence: sequence, recordedAt: now, entry: entry, previousHash: previous)
                    rows.append(record.columnValues)
                    if sequence % signingInterval == 0 {
                        signed.append(try SignedHead(partition: partition, sequence: sequence, hash: record.hash, signedAt: now, key: key))
                    }
                    previous = record.hash
                }
                try await rows.run(on: database)
                // The head is signed with every commit that moves it: a record after the last
                // periodic signature is pinned too, and cannot be rewritten without the key.
                try await storeHead(try SignedHead(partition: partition, sequence: sequence, hash: previous, signedAt: now, key: key), on: sql)
                for head in signed { try await store(head, on: sql) }
            }
        }
    }

    /// Signs the head of every partition that moved since its last signature; returns how many it signed.
    @discardableResult
    public func signHeads(on database: any Database) async throws -> Int {
        try await database.transaction { database in
            let sql = try CaseRecords.sqlDatabase(database)
            let latest = try await Self.signedHeads(on: sql).reduce(into: [String: Int]()) { $0[$1.partition] = max($0[$1.partition] ?? 0, $1.sequence) }
            var signed = 0
            for row in try await sql.select().columns("partition", "sequence", "hash").from(Self.heads).all() {
                let partition = try row.decode(column: "partition", as: String.self), sequence = try row.decode(column: "sequence", as: Int.self)
                guard sequence > 0, sequence > latest[partition] ?? 0 else { continue }
                try await store(SignedHead(partition: partition, sequence: sequence, hash: try row.decode(column: "hash", as: String.self),
                                           signedAt: clock.now, key: key), on: sql)
                signed += 1
            }
            return signed
        }
    }

    /// The newest signed head of every partition, after signing the heads that moved: what an
    /// operator keeps outside the database to detect a later rollback.
    public func exportHeads(on database: any Database) async throws -> [SignedHead] {
        try await signHeads(on: database)
        let all = try await Self.signedHeads(on: CaseRecords.sqlDatabase(database))
        return Dictionary(grouping: all, by: \.partition).values.compactMap { $0.max { $0.sequence < $1.sequence } }
            .sorted { $0.partition < $1.partition }
    }

    /// Writes a partition's head row with its signature.
    private func storeHead(_ head: SignedHead, on sql: any SQLDatabase) async throws {
        try await sql.update(Self.heads).set("hash", to: SQLBind(head.hash)).set("signed_at", to: SQLBind(head.signedAt))
            .set("signature", to: SQLBind(head.signature)).where("partition", .equal, head.partition).run()
    }

    private func store(_ head: SignedHead, on sql: any SQLDatabase) async throws {
        try await sql.insert(into: Self.signatures).columns("partition", "sequence", "hash", "signed_at", "signature")
            .values(SQLBind(head.partition), SQLBind(head.sequence), SQLBind(head.hash), SQLBind(head.signedAt), SQLBind(head.signature)).run()
    }

    // MARK: Reading

    /// Every record of the chain, partition by partition in sequence order, `batchSize` rows per query.
    static func forEachRecord(on database: any Database, batchSize: Int = 10_000, _ body: (AuditRecord) throws -> Void) async throws {
        let sql = try CaseRecords.sqlDatabase(database)
        var after: (partition: String, sequence: Int)?
        while true {
            var query = sql.select().columns(recordColumns).from(records)
            if let after {
                query = query.where { group in
                    group.where("partition", .greaterThan, after.partition)
                        .orWhere { $0.where("partition", .equal, after.partition).where("sequence", .greaterThan, after.sequence) }
                }
            }
            let rows = try await query.orderBy("partition").orderBy("sequence").limit(batchSize).all()
            for row in rows {
                let record = try Self.record(from: row)
                try body(record)
                after = (record.partition, record.sequence)
            }
            if rows.count < batchSize { return }
        }
    }

    static func record(from row: any SQLRow) throws -> AuditRecord {
        try AuditRecord(
            partition: row.decode(column: "partition", as: String.self), sequence: row.decode(column: "sequence", as: Int.self),
            recordedAt: row.decode(column: "recorded_at", as: String.self), actorID: row.decode(column: "actor_id", as: String?.self),
            username: row.decode(column: "username", as: String.self), role: row.decode(column: "role", as: String.self),
            office: row.decode(column: "office", as: String.self), action: row.decode(column: "action", as: String.self),
            object: row.decode(column: "object", as: String.self), outcome: row.decode(column: "outcome", as: String.self),
            purpose: row.decode(column: "purpose", as: String?.self), subject: row.decode(column: "subject", as: String?.self),
            previousHash: row.decode(column: "previous_hash", as: String.self),
            hash: row.decode(column: "hash", as: String.self)
        )
    }

    /// The head row of every partition, with the signature of its last commit (empty on a row
    /// that carries none, which then does not verify).
    static func heads(on database: any Database) async throws -> [String: SignedHead] {
        var heads: [String: SignedHead] = [:]
        for row in try await CaseRecords.sqlDatabase(database).select().columns("partition", "sequence", "hash", "signed_at", "signature").from(Self.heads).all() {
            let partition = try row.decode(column: "partition", as: String.self)
            heads[partition] = SignedHead(partition: partition, sequence: try row.decode(column: "sequence", as: Int.self),
                                          hash: try row.decode(column: "hash", as: String.self),
                                          signedAt: try row.decode(column: "signed_at", as: String?.self) ?? "",
                                          signature: try row.decode(column: "signature", as: String?.self) ?? "")
        }
        return heads
    }

    static func signedHeads(on sql: any SQLDatabase) async throws -> [SignedHead] {
        try await sql.select().columns("partition", "sequence", "hash", "signed_at", "signature").from(signatures)
            .orderBy("partition").orderBy("sequence").all().map { row in
                try SignedHead(partition: row.decode(column: "partition", as: String.self), sequence: row.decode(column: "sequence", as: Int.self),
                               hash: row.decode(column: "hash", as: String.self), signedAt: row.decode(column: "signed_at", as: String.self),
                               signature: row.decode(column: "signature", as: String.self))
            }
    }
}

extension AuditChain {
    /// Verifies every partition of the chain against the audit key's public half and, when
    /// given, heads exported earlier.
    public static func verify(key: Curve25519.Signing.PublicKey, exportedHeads: [SignedHead] = [],
                              on database: any Database) async throws -> AuditVerifier.Report {
        var verifier = AuditVerifier(key: key, signedHeads: try await signedHeads(on: CaseRecords.sqlDatabase(database)), exportedHeads: exportedHeads)
        try await forEachRecord(on: database) { verifier.check($0) }
        return verifier.finish(heads: try await heads(on: database))
    }
}
