import Crypto
import FluentKit
import Foundation
import SQLKit
import Synchronization

/// The tamper-evident audit log: one hash chain per partition (the actor's office). Each
/// record's hash covers the one before it. The head row is signed with the audit key by every
/// integration that moves it, so no integrated record is ever unpinned; besides, every
/// `signingInterval` records and whenever `signHeads` runs (the server does every five minutes),
/// the head is kept in the signed heads, from which an operator exports heads to keep outside the
/// database (only those catch a rollback of the whole database to a state that was signed then).
///
/// As transparency logs do, a request only queues its records (`append`), in its own
/// transaction: a record commits with what it records, or neither does, and no request waits on
/// another's audit append or on a partition's head. A sequencer (`integrate`, run by the server
/// within `AuditIntegration`'s bound and by every command before it exits) then gives queued
/// leaves their place in their partition's chain in batches, hashes the links and signs the new
/// head. One integrator works on a partition at a time: the head row is claimed by an update
/// (the write lock on SQLite; on PostgreSQL a transaction-scoped advisory lock first, so that a
/// second server passes the partition by instead of waiting, and takes it over when the first
/// one's connection dies).
public struct AuditChain: Sendable {
    public let key: Curve25519.Signing.PrivateKey
    public let signingInterval: Int
    /// When records are recorded and heads signed.
    public let clock: any WallClock
    /// How many refusals of one caller a minute are recorded (`appendRefusal`).
    public let refusals: RefusalAllowance
    /// How long a queued record may wait for its integration before it is an alert (`queue`).
    public let queueBound: TimeInterval

    public init(key: Curve25519.Signing.PrivateKey, signingInterval: Int = 1000, refusalsPerMinute: Int = RefusalAllowance.defaultPerMinute,
                queueBound: TimeInterval = 5, clock: any WallClock = SystemClock()) {
        self.key = key
        self.clock = clock
        self.queueBound = queueBound
        self.signingInterval = max(1, signingInterval)
        refusals = RefusalAllowance(perMinute: refusalsPerMinute, clock: clock)
    }

    static let records = "audit_records", heads = "audit_heads", signatures = "audit_signatures", queue = "audit_queue"
    static let recordColumns = [
        "partition", "sequence", "recorded_at", "actor_id", "username", "role", "office", "action", "object", "outcome", "purpose",
        "subject", "previous_hash", "hash",
    ]

    /// Appends made by this process so far: the order of batches queued at the same instant.
    private static let appends = Atomic<Int>(0)

    /// The partition an entry's record goes to: its actor's office.
    static func partition(of entry: AuditEntry) -> String {
        entry.office.isEmpty ? "system" : entry.office
    }

    /// Queues a record of `entry`, in the transaction `database` is in (or a new one).
    public func append(_ entry: AuditEntry, on database: any Database) async throws {
        try await append([entry], on: database)
    }

    /// Queues records of `entries`, in order, in the transaction `database` is in (or a new one):
    /// one multi-row insert, whatever their partitions, claiming no head.
    public func append(_ entries: [AuditEntry], on database: any Database) async throws {
        guard !entries.isEmpty else { return }
        let now = clock.now
        // Appends of one process within one millisecond keep their order; a UUID keeps batches apart across processes.
        let batch = String(format: "%016d-", Self.appends.add(1, ordering: .relaxed).newValue) + UUID().uuidString
        var rows = BulkInsert(into: Self.queue, columns: AuditLeaf.columns)
        for (ordinal, entry) in entries.enumerated() { rows.append(AuditLeaf(entry, batch: batch, ordinal: ordinal, at: now).columnValues) }
        let leaves = rows
        try await database.transaction { try await leaves.run(on: $0) }
    }

    /// Integrates every queued leaf into its partition's chain, `batchSize` leaves a transaction;
    /// a partition another integrator holds now is left to it. Returns how many were integrated.
    @discardableResult
    public func integrate(batchSize: Int = 2000, on database: any Database) async throws -> Int {
        let sql = try CaseRecords.sqlDatabase(database)
        var integrated = 0
        for row in try await sql.select().distinct().column("partition").from(Self.queue).orderBy("partition").all() {
            let partition = try row.decode(column: "partition", as: String.self)
            while let count = try await integrate(partition: partition, batchSize: batchSize, on: database), count > 0 {
                integrated += count
                if count < batchSize { break }
            }
        }
        return integrated
    }

    /// Integrates up to `batchSize` of the partition's queued leaves, oldest first, in one
    /// transaction; nil when another integrator holds the partition.
    func integrate(partition: String, batchSize: Int, on database: any Database) async throws -> Int? {
        try await database.transaction { database in
            let sql = try CaseRecords.sqlDatabase(database)
            if sql.dialect.name == "postgresql" {
                let lock = "safeguard-audit/\(partition)"
                guard try await sql.raw("SELECT pg_try_advisory_xact_lock(hashtext(\(bind: lock))) AS held").first()?
                    .decode(column: "held", as: Bool.self) == true else { return nil }
            }
            try await sql.insert(into: Self.heads).columns("partition", "sequence", "hash")
                .values(SQLBind(partition), SQLBind(0), SQLBind(AuditRecord.genesisHash)).ignoringConflicts(with: ["partition"]).run()
            // The claim: from here until commit no other integrator moves this head.
            guard let head = try await sql.raw("""
                UPDATE \(ident: Self.heads) SET sequence = sequence WHERE partition = \(bind: partition) RETURNING sequence, hash
                """).first() else { preconditionFailure("the head row was just ensured") }
            let leaves = try await sql.select().columns(AuditLeaf.columns).from(Self.queue).where("partition", .equal, partition)
                .orderBy("queued_at").orderBy("batch").orderBy("ordinal").limit(batchSize).all().map(AuditLeaf.init(row:))
            guard !leaves.isEmpty else { return 0 }
            var sequence = try head.decode(column: "sequence", as: Int.self)
            var previous = try head.decode(column: "hash", as: String.self)
            let now = clock.now
            var rows = BulkInsert(into: Self.records, columns: Self.recordColumns)
            var signed: [SignedHead] = []
            for leaf in leaves {
                sequence += 1
                let record = AuditRecord(leaf, sequence: sequence, previousHash: previous)
                rows.append(record.columnValues)
                if sequence % signingInterval == 0 {
                    signed.append(try SignedHead(partition: partition, sequence: sequence, hash: record.hash, signedAt: now, key: key))
                }
                previous = record.hash
            }
            try await rows.run(on: database)
            // By name, never by range: a leaf queued earlier but committed after the select
            // above waits for the next batch.
            for chunk in stride(from: 0, to: leaves.count, by: 500).map({ leaves[$0..<min($0 + 500, leaves.count)] }) {
                try await sql.delete(from: Self.queue).where("leaf", .in, chunk.map(\.leaf)).run()
            }
            // The head is signed with every integration that moves it: a record after the last
            // periodic signature is pinned too, and cannot be rewritten without the key.
            try await storeHead(try SignedHead(partition: partition, sequence: sequence, hash: previous, signedAt: now, key: key), on: sql)
            for head in signed { try await store(head, on: sql) }
            return leaves.count
        }
    }

    /// What waits to be integrated: how many leaves, and how many of them were queued longer
    /// than `queueBound` ago (none unless no sequencer runs, or it fails: an alert).
    public func queue(on database: any Database) async throws -> (queued: Int, stale: Int) {
        let cutoff = clock.now.addingTimeInterval(-queueBound).formatted(AuditRecord.timeFormat)
        let row = try await CaseRecords.sqlDatabase(database).raw("""
            SELECT COUNT(*) AS queued, COUNT(CASE WHEN queued_at < \(bind: cutoff) THEN 1 END) AS stale FROM \(ident: Self.queue)
            """).first()
        return (try row?.decode(column: "queued", as: Int.self) ?? 0, try row?.decode(column: "stale", as: Int.self) ?? 0)
    }

    /// Writes a partition's head row with its sequence, hash and signature.
    private func storeHead(_ head: SignedHead, on sql: any SQLDatabase) async throws {
        try await sql.update(Self.heads).set("sequence", to: SQLBind(head.sequence)).set("hash", to: SQLBind(head.hash))
            .set("signed_at", to: SQLBind(head.signedAt)).set("signature", to: SQLBind(head.signature)).where("partition", .equal, head.partition).run()
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
        try await integrate(on: database)
        try await signHeads(on: database)
        let all = try await Self.signedHeads(on: CaseRecords.sqlDatabase(database))
        return Dictionary(grouping: all, by: \.partition).values.compactMap { $0.max { $0.sequence < $1.sequence } }
            .sorted { $0.partition < $1.partition }
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
