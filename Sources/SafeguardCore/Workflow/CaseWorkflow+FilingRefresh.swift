import FluentKit
import FluentSQL
import Foundation
import PolicyEngine
import SQLKit

/// Keeping known filings current: a filing verified once may have been approved or denied since.
extension CaseWorkflow {
    /// What a refresh of known filings found.
    public struct FilingRefresh: Sendable, Equatable {
        /// Filings asked about.
        public var asked = 0
        /// Filings whose type or status changed, their people's open encounters decided again.
        public var changed = 0
        /// Filings as they were (their answer and time renewed).
        public var unchanged = 0
        /// Filings the source no longer knows, or answered for in words not recognised: left as
        /// they were, for a person to look at.
        public var unsettled = 0
        /// Why the run stopped before its end: the source failed (unreachable, its limit reached,
        /// the credentials refused), which is no filing's doing.
        public var stoppedBy: String?

        public init() {}
    }

    /// Asks `source` again for the known filings of people with an open encounter, verified or
    /// last asked about before `cutoff` (the longest unasked first, at most `limit`), and stores what changed: the source's
    /// type and status (contradicted when its form differs), its answer, who and when; the
    /// person's open encounters are decided again (a denial ends what a pending filing owed; an
    /// approval changes it). A receipt the source no longer knows, or an answer not recognised,
    /// changes nothing: a verified filing is not taken away by a lookup. Continued Presence, and
    /// a final denial or a revocation (which no status shows), are left alone. Each lookup and
    /// each change is recorded in the audit chain under `actor`. A failure of the source stops
    /// the run (`FilingRefresh.stoppedBy`). On SQLite inside `serve`, each filing's writes take a
    /// turn of `turns`; the source is asked outside them.
    public func refreshKnownFilings(verifiedBefore cutoff: Date, limit: Int, through source: any FilingStatusSource, by actor: Actor,
                                    on database: any Database, turns: (any WriteTurns)? = nil) async throws -> FilingRefresh {
        let sql = try CaseRecords.sqlDatabase(database)
        // People with an open encounter by a subquery: their ids could be more than a statement binds.
        let lastAsked = SQLFunction("COALESCE", args: SQLIdentifier("source_asked_at"), SQLIdentifier("verified_at"))
        let rows = try await sql.select().column("id").column("person_id").column("receipt_number").from(BenefitFilingRecord.schema)
            .where("verified_at", .isNot, SQLLiteral.null).where(lastAsked, .lessThan, SQLBind(cutoff)).where("receipt_number", .isNot, SQLLiteral.null)
            .where("type", .notEqual, BenefitType.continuedPresence.spelling)
            .where("status", .notIn, [BenefitStatus.deniedFinal.spelling, BenefitStatus.revoked.spelling])
            .where(SQLRaw("EXISTS (SELECT 1 FROM \(Encounter.schema) e WHERE e.person_id = \(BenefitFilingRecord.schema).person_id AND e.status = '\(Encounter.open)')"))
            .orderBy(lastAsked).limit(limit).all()
        var refresh = FilingRefresh()
        for row in rows {
            let (id, person, receipt) = (try row.decode(column: "id", as: UUID.self), try row.decode(column: "person_id", as: UUID.self),
                                         try row.decode(column: "receipt_number", as: String.self))
            guard ReceiptNumber.isValid(receipt) else {
                refresh.unsettled += 1
                continue
            }
            refresh.asked += 1
            try await audit.append([AuditEntry(actor, .read, "filing/\(id)", purpose: nil, subject: person)], taking: turns, on: database)
            let lookup: FilingLookup
            do {
                lookup = try await source.status(of: receipt)
            } catch let failure as FilingSourceFailure {
                refresh.stoppedBy = failure.description
                return refresh
            }
            guard case .found(let answer) = lookup, let type = answer.benefit, let status = answer.status else {
                let now = clock.now
                try await turns.run { try await sql.update(BenefitFilingRecord.schema).set("source_asked_at", to: now).where("id", .equal, id).run() }
                refresh.unsettled += 1
                continue
            }
            let changed = try await turns.run {
                try await database.transaction { database in
                    try await renew(id, as: type, answer.role, status, answer: answer.raw, from: source.name, by: actor, on: database)
                }
            }
            if changed { refresh.changed += 1 } else { refresh.unchanged += 1 }
        }
        return refresh
    }

    /// Stores a known filing's renewed answer; whether its type, role or status changed.
    private func renew(_ filingID: UUID, as type: BenefitType, _ role: BenefitRole?, _ status: BenefitStatus, answer: String, from source: String,
                       by actor: Actor, on database: any Database) async throws -> Bool {
        guard let filing = try await BenefitFilingRecord.find(filingID, on: database), filing.isVerified else { return false }
        // The role as the source tells it (by the form), or as it stood.
        let role = role?.spelling ?? filing.role
        let changed = (filing.type, filing.role, filing.status) != (type.spelling, role, status.spelling)
        try await VersionClaim.advance(BenefitFilingRecord.schema, id: filingID, from: filing.version, on: database)
        if (filing.type, filing.role) != (type.spelling, role) { filing.verificationOutcome = VerificationOutcome.contradicted.rawValue }
        (filing.type, filing.role, filing.status, filing.verificationAnswer) = (type.spelling, role, status.spelling, answer)
        let now = clock.now
        (filing.verificationSource, filing.verifiedBy, filing.verifiedAt, filing.sourceAskedAt, filing.version) = (source, actor.userID, now, now, filing.version + 1)
        try await filing.update(on: database)
        // The encounters before the audit head, as every writer of an encounter takes them.
        if changed { try await filingsChanged(of: filing.$person.id, by: actor, on: database) }
        try await audit.append(AuditEntry(actor, .write, "filing/\(filingID)", purpose: nil, subject: filing.$person.id), on: database)
        return changed
    }
}
