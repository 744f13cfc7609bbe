import FluentKit
import Foundation
import SQLKit

/// A search of the audit log for auditors: by user, by record, by the person records are about,
/// and by time. Audit records hold no
/// protected value, so what it returns needs no redaction.
public struct AuditSearch: Sendable {
    public var username: String?
    /// A record (`encounter/…`), or the start of one (`encounter/` for every encounter).
    public var object: String?
    /// The person records are about: every read and write of their record, filings, encounters,
    /// steps, decisions and follow-ups, and every refusal of one.
    public var subject: UUID?
    /// UTC, ISO 8601 (`2026-11-23` or `2026-11-23T10:00:00Z`): records at or after it.
    public var from: String?
    /// Records before it.
    public var to: String?

    public init(username: String? = nil, object: String? = nil, subject: UUID? = nil, from: String? = nil, to: String? = nil) {
        (self.username, self.object, self.subject, self.from, self.to) = (username, object, subject, from, to)
    }

    /// One page of matching records, newest first, and how many match in all.
    public func run(offset: Int, limit: Int, on database: any Database) async throws -> (records: [AuditRecord], total: Int) {
        let sql = try CaseRecords.sqlDatabase(database)
        func filtered(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
            var query = query.from(AuditChain.records)
            if let username { query = query.where("username", .equal, username) }
            if let subject { query = query.where("subject", .equal, subject.uuidString) }
            if let object { query = object.hasSuffix("/") ? query.where("object", .like, object + "%") : query.where("object", .equal, object) }
            // The stored times are ISO 8601 in UTC, so text order is time order.
            if let from { query = query.where("recorded_at", .greaterThanOrEqual, from) }
            if let to { query = query.where("recorded_at", .lessThan, to) }
            return query
        }
        let total = try await filtered(sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")).first()?.decode(column: "n", as: Int.self) ?? 0
        var records: [AuditRecord] = []
        for row in try await filtered(sql.select().columns(AuditChain.recordColumns)).orderBy("recorded_at", .descending)
            .orderBy("partition").orderBy("sequence", .descending).offset(offset).limit(limit).all() {
            records.append(try AuditChain.record(from: row))
        }
        return (records, total)
    }
}
