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
/// head. One integrator works on a partition at a time: the head row is claimed (on SQLite by an
/// update, which takes the write lock; on PostgreSQL by `FOR UPDATE SKIP LOCKED`, so that a
/// second server passes the partition by instead of waiting, and takes it over when the first
/// one's connection dies). Each leaf carries a MAC under a key derived from the audit key, so a
/// row written into the queue without it is rejected, never signed into the chain.
public struct AuditChain: Sendable {
    public let key: Curve25519.Signing.PrivateKey
    public let signingInterval: Int
    /// When records are recorded and heads signed.
    public let clock: any WallClock
    /// How many refusals of one caller a minute are recorded (`appendRefusal`).
    public let refusals: RefusalAllowance
    /// How long a queued record may wait for its integration before it is an alert (`queue`).
    public let queueBound: TimeInterval
    /// The key of the queued leaves' MACs, derived from the audit key: every process that
    /// queues holds it, nobody without the audit key can forge a leaf.
    let leafKey: SymmetricKey
    /// Writes the leaves of concurrent appends outside transactions together (`append(_:taking:on:)`).
    let groupCommit = GroupCommit<[AuditEntry], Void>()

    public init(key: Curve25519.Signing.PrivateKey, signingInterval: Int = 1000, refusalsPerMinute: Int = RefusalAllowance.defaultPerMinute,
                queueBound: TimeInterval = 5, clock: any WallClock = SystemClock()) {
        self.key = key
        self.clock = clock
        self.queueBound = queueBound
        leafKey = HKDF<SHA256>.deriveKey(inputKeyMaterial: SymmetricKey(data: key.rawRepresentation), salt: Data("safeguard".utf8),
                                         info: Data("audit leaf".utf8), outputByteCount: 32)
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

    /// Queues records of `entries`, in order, in the transaction `database` is in (or atomically
    /// on their own): one multi-row insert, whatever their partitions, claiming no head.
    public func append(_ entries: [AuditEntry], on database: any Database) async throws {
        guard !entries.isEmpty else { return }
        try await Self.write(leaves(of: entries), on: database)
    }

    /// Queues records of `entries` for a caller that holds no write turn (an API read),
    /// taking `turns` if there are any. Outside a transaction, the records of callers that append
    /// at once are written together, one statement and one commit in one turn, and each caller
    /// returns once its own are durable (`GroupCommit`). The leaves are made in the turn that
    /// writes them, so that on one server they are queued in the order they are integrated.
    public func append(_ entries: [AuditEntry], taking turns: (any WriteTurns)?, on database: any Database) async throws {
        guard !entries.isEmpty else { return }
        if let turns, !database.inTransaction {
            try await groupCommit.write(entries, taking: turns, on: database) { appends, database in
                try await Self.write(appends.flatMap { leaves(of: $0) }, on: database)
                return appends.map { _ in .success(()) }
            }
        } else {
            try await turns.run { try await append(entries, on: database) }
        }
    }

    /// The leaves of one append, under one batch name.
    func leaves(of entries: [AuditEntry]) -> [AuditLeaf] {
        let now = clock.now
        // Appends of one process within one millisecond keep their order; a UUID keeps batches apart across processes.
        let batch = String(format: "%016ld-", Self.appends.add(1, ordering: .relaxed).newValue) + UUID().uuidString
        return entries.enumerated().map { AuditLeaf($1, batch: batch, ordinal: $0, at: now, key: leafKey) }
    }

    /// Writes leaves into the queue, all or none.
    static func write(_ leaves: [AuditLeaf], on database: any Database) async throws {
        var rows = BulkInsert(into: queue, columns: AuditLeaf.columns)
        for leaf in leaves { rows.append(leaf.columnValues) }
        try await rows.runAtomically(on: database)
    }

    /// The partitions with leaves waiting.
    public func queuedPartitions(on database: any Database) async throws -> [String] {
        try await CaseRecords.sqlDatabase(database).select().distinct().column("partition").from(Self.queue).where("rejected", .equal, false)
            .orderBy("partition").all().map { try $0.decode(column: "partition", as: String.self) }
    }

    /// Integrates every queued leaf into its partition's chain, `batchSize` leaves a transaction;
    /// a partition another integrator holds now is left to it. A partition that fails does not
    /// hold the others back: the first failure is thrown once every partition was tried.
    /// Returns how many were integrated.
    @discardableResult
    public func integrate(batchSize: Int = 2000, on database: any Database) async throws -> Int {
        var (integrated, failure) = (0, (any Error)?.none)
        for partition in try await queuedPartitions(on: database) {
            do {
                while let count = try await integrate(partition: partition, batchSize: batchSize, on: database), count > 0 {
                    integrated += count
                    if count < batchSize { break }
                }
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        return integrated
    }

    /// Integrates up to `batchSize` of the partition's queued leaves, oldest first, in one
    /// transaction; nil when another integrator holds the partition. A leaf whose MAC does not
    /// hold (written into the queue without the audit key) is marked rejected, never integrated,
    /// and its rejection is recorded in the chain in its place.
    public func integrate(partition: String, batchSize: Int, on database: any Database) async throws -> Int? {
        try await database.transaction { database in
            let sql = try CaseRecords.sqlDatabase(database)
            try await sql.insert(into: Self.heads).columns("partition", "sequence", "hash")
                .values(SQLBind(partition), SQLBind(0), SQLBind(AuditRecord.genesisHash)).ignoringConflicts(with: ["partition"]).run()
            // The claim: from here until commit no other integrator moves this head. PostgreSQL
            // passes a head another server holds by; SQLite's update takes the write lock.
            let claim: SQLQueryString = sql.dialect.name == "postgresql"
                ? "SELECT sequence, hash FROM \(ident: Self.heads) WHERE partition = \(bind: partition) FOR UPDATE SKIP LOCKED"
                : "UPDATE \(ident: Self.heads) SET sequence = sequence WHERE partition = \(bind: partition) RETURNING sequence, hash"
            guard let head = try await sql.raw(claim).first() else { return nil }
            let leaves = try await sql.select().columns(AuditLeaf.columns).from(Self.queue).where("partition", .equal, partition)
                .where("rejected", .equal, false).orderBy("queued_at").orderBy("batch").orderBy("ordinal").limit(batchSize).all()
                .map(AuditLeaf.init(row:))
            guard !leaves.isEmpty else { return 0 }
            var sequence = try head.decode(column: "sequence", as: Int.self)
            var previous = try head.decode(column: "hash", as: String.self)
            let now = clock.now
            var rows = BulkInsert(into: Self.records, columns: Self.recordColumns)
            var signed: [SignedHead] = []
            var rejected: [String] = []
            for var leaf in leaves {
                if !leaf.isAuthentic(leafKey) {
                    rejected.append(leaf.leaf)
                    leaf = AuditLeaf(Self.rejection(of: leaf), batch: leaf.batch, ordinal: leaf.ordinal, at: now, key: leafKey)
                }
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
            // above waits for the next batch. A rejected leaf stays, marked, for an operator.
            let integrated = leaves.map(\.leaf).filter { !rejected.contains($0) }
            for chunk in stride(from: 0, to: integrated.count, by: 500).map({ integrated[$0..<min($0 + 500, integrated.count)] }) {
                try await sql.delete(from: Self.queue).where("leaf", .in, Array(chunk)).run()
            }
            if !rejected.isEmpty { try await sql.update(Self.queue).set("rejected", to: SQLBind(true)).where("leaf", .in, rejected).run() }
            // The head is signed with every integration that moves it: a record after the last
            // periodic signature is pinned too, and cannot be rewritten without the key.
            try await storeHead(try SignedHead(partition: partition, sequence: sequence, hash: previous, signedAt: now, key: key), on: sql)
            for head in signed { try await store(head, on: sql) }
            return leaves.count
        }
    }

    /// The record that takes a rejected leaf's place: the system refused it, naming only the leaf.
    static func rejection(of leaf: AuditLeaf) -> AuditEntry {
        AuditEntry(actorID: nil, username: "safeguard", role: "system", office: leaf.partition == "system" ? "" : leaf.partition, action: .denial,
                   object: "audit-leaf/\(leaf.leaf)", outcome: .denied)
    }

    /// What waits to be integrated: how many leaves, how many of them were queued longer than
    /// `queueBound` ago (none unless no sequencer runs, or it fails), and how many were rejected
    /// (written without the audit key): the last two are alerts.
    public func queue(on database: any Database) async throws -> AuditQueueState {
        let cutoff = clock.now.addingTimeInterval(-queueBound).formatted(AuditRecord.timeFormat)
        let row = try await CaseRecords.sqlDatabase(database).raw("""
            SELECT COUNT(CASE WHEN NOT rejected THEN 1 END) AS queued, COUNT(CASE WHEN NOT rejected AND queued_at < \(bind: cutoff) THEN 1 END) AS stale,
            COUNT(CASE WHEN rejected THEN 1 END) AS rejected FROM \(ident: Self.queue)
            """).first()
        return AuditQueueState(queued: try row?.decode(column: "queued", as: Int.self) ?? 0, stale: try row?.decode(column: "stale", as: Int.self) ?? 0,
                               rejected: try row?.decode(column: "rejected", as: Int.self) ?? 0)
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
