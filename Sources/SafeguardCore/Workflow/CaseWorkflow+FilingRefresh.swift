import FluentKit
import Foundation
import PolicyEngine

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
        /// Filings the source no longer knows, or answered in words not recognised, or did not
        /// answer for: left as they were, for a person to look at.
        public var unsettled = 0

        public init() {}
    }

    /// Asks `source` again for the known filings of people with an open encounter, verified
    /// before `cutoff` (oldest first, at most `limit`), and stores what changed: the source's
    /// type and status (never a final denial, which no status shows), its answer and the time;
    /// the person's open encounters are decided again (a denial ends what a pending filing
    /// owed; an approval changes it). A receipt the source no longer knows, or an answer not
    /// recognised, changes nothing: a verified filing is not taken away by a lookup that failed.
    /// Continued Presence is not in the source and is left alone. Each change is recorded in the
    /// audit chain under `actor`.
    /// On SQLite inside `serve`, each filing's change takes a turn of `turns`; the source is asked
    /// outside them.
    public func refreshKnownFilings(verifiedBefore cutoff: Date, limit: Int, through source: any FilingStatusSource, by actor: Actor,
                                    on database: any Database, turns: (any WriteTurns)? = nil) async throws -> FilingRefresh {
        let open = try await Encounter.query(on: database).filter(\.$status == Encounter.open).all(\.$person.$id)
        guard !open.isEmpty else { return FilingRefresh() }
        let filings = try await BenefitFilingRecord.query(on: database)
            .filter(\.$verifiedAt < cutoff).filter(\.$receiptNumber != nil).filter(\.$type != BenefitType.continuedPresence.spelling)
            .filter(\.$person.$id ~~ Set(open)).sort(\.$verifiedAt).limit(limit).all()
        var refresh = FilingRefresh()
        for filing in filings {
            guard let receipt = filing.receiptNumber, ReceiptNumber.isValid(receipt) else { continue }
            refresh.asked += 1
            guard case .found(let answer)? = try? await source.status(of: receipt), let type = answer.benefit, let status = answer.status else {
                refresh.unsettled += 1
                continue
            }
            let id = try filing.requireID()
            let changed = try await turns.run {
                try await database.transaction { database in
                    try await renew(id, as: type, status, answer: answer.raw, from: source.name, by: actor, on: database)
                }
            }
            if changed { refresh.changed += 1 } else { refresh.unchanged += 1 }
        }
        return refresh
    }

    /// Stores a known filing's renewed answer; whether its type or status changed.
    private func renew(_ filingID: UUID, as type: BenefitType, _ status: BenefitStatus, answer: String, from source: String, by actor: Actor,
                       on database: any Database) async throws -> Bool {
        guard let filing = try await BenefitFilingRecord.find(filingID, on: database), filing.isVerified else { return false }
        let changed = (filing.type, filing.status) != (type.spelling, status.spelling)
        try await VersionClaim.advance(BenefitFilingRecord.schema, id: filingID, from: filing.version, on: database)
        (filing.type, filing.status, filing.verificationAnswer) = (type.spelling, status.spelling, answer)
        (filing.verificationSource, filing.verifiedAt, filing.version) = (source, clock.now, filing.version + 1)
        try await filing.update(on: database)
        // The encounters before the audit head, as every writer of an encounter takes them.
        if changed { try await filingsChanged(of: filing.$person.id, by: actor, on: database) }
        try await audit.append(AuditEntry(actor, .write, "filing/\(filingID)", purpose: nil, subject: filing.$person.id), on: database)
        return changed
    }
}
