import FluentKit

/// Reading the audit log, its verification and the aggregate figures: each such read is itself
/// recorded in the chain, under the reader.
extension AuditChain {
    /// A page of the audit log that `search` selects, newest first: the records integrated so
    /// far (a server integrates what requests queue within a fraction of a second).
    public func search(_ search: AuditSearch, offset: Int, limit: Int, by reader: Reader,
                       on database: any Database) async throws -> (records: [AuditRecord], total: Int) {
        let page = try await search.run(offset: offset, limit: limit, on: database)
        try await reader.record([("audit-log", nil, true)], in: self, on: database)
        return page
    }

    /// The whole chain checked against this chain's key.
    public func verify(by reader: Reader, on database: any Database) async throws -> AuditVerifier.Report {
        let report = try await Self.verify(key: key.publicKey, on: database)
        try await reader.record([("audit-chain", nil, true)], in: self, on: database)
        return report
    }
}

extension CaseWorkflow {
    /// The aggregate figures (groups under `CaseStatistics.smallestCount` left out).
    public func statistics(by reader: Reader, on database: any Database) async throws -> CaseStatistics {
        let figures = try await CaseStatistics.compute(on: database, ruleSet: ruleSet)
        try await reader.record([("statistics", nil, true)], in: audit, on: database)
        return figures
    }
}
