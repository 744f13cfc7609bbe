import FluentKit
import Foundation
import PolicyEngine

/// Verifying a claimed filing at its source (USCIS's Case Status API): the source's answer, not an
/// officer's word, says whether the filing is on record as claimed.
extension CaseWorkflow {
    /// What a verification at the source came to.
    public enum SourceVerification: Sendable {
        /// The benefit verification recorded, with its outcome (`VerificationOutcome`).
        case recorded(StepRecord)
        /// An answer Safeguard does not recognise (a related form, a status text not known): no
        /// outcome, the filing still unverified, the source's words to be shown.
        case unrecognised(formType: String, statusText: String)
    }

    /// Asks `source` for the filing's receipt number and records the benefit verification its
    /// answer makes (`recordStep`, which decides the encounter again): on record as claimed →
    /// confirmed; with another form or status → contradicted, as the source gives it (a status
    /// never shows a final denial); no such receipt → not found. The answer is kept on the filing.
    /// What the step would refuse for this reader, encounter or claim is refused before the source
    /// is asked (its answers are counted), and the asking is recorded. A reader that holds no
    /// write turn takes one for the step only, not while the source answers. Without a source,
    /// `FilingSourceFailure.notConfigured`, once the reader's checks have passed; asked too often,
    /// `WorkflowError.tooOften` (`SourceAskAllowance`). Continued
    /// Presence (granted by ICE), and the finality of a denial or a revocation, are not in USCIS's
    /// case status: they are verified by hand.
    public func verifyAtSource(filing filingID: UUID, on encounterID: UUID, through source: (any FilingStatusSource)?,
                               by reader: Reader, on database: any Database) async throws -> SourceVerification {
        let actor = reader.actor
        guard reader.disclosure.entitled, Entitlements.roles(for: .benefitVerification).contains(actor.role) else {
            throw WorkflowError.forbidden("a benefit verification is recorded by an officer or supervisor stating the purpose that entitles them (law enforcement)")
        }
        // What `recordStep` would refuse is refused before the source is asked: its answers are counted.
        let encounter = try await encounter(encounterID, for: actor, on: database)
        guard encounter.status == Encounter.open else { throw WorkflowError.conflict("the enforcement action of encounter \(encounterID) is already recorded") }
        guard let filing = try await BenefitFilingRecord.find(filingID, on: database), filing.$person.id == encounter.$person.id else {
            throw WorkflowError.invalid([FieldError(path: "filingId", message: "no filing \(filingID) of this encounter's person")])
        }
        try Self.requireUnanswered(filing, filingID)
        if let reason = Self.whySourceCannotAnswer(filing) { throw WorkflowError.conflict(reason) }
        guard let claimedType = BenefitType(spelling: filing.type), let claimedRole = BenefitRole(spelling: filing.role),
              let claimedStatus = BenefitStatus(spelling: filing.status), let receipt = filing.receiptNumber else {
            preconditionFailure("whySourceCannotAnswer lets through only filings in the vocabulary, with a receipt number")
        }
        guard let source else { throw FilingSourceFailure.notConfigured }
        try sourceAsks.take(filing: filingID, by: actor.userID)
        try await reader.record([("filing/\(filingID)", encounter.$person.id, true)], in: audit, on: database)
        let input: StepInput
        switch try await source.status(of: receipt) {
        case .notFound(let raw):
            input = StepInput(step: .benefitVerification, summary: "\(source.name): no such receipt number", counterpart: source.name,
                              filingID: filingID, outcome: .notFound, sourceAnswer: raw)
        case .found(let answer):
            guard let type = answer.benefit, let status = answer.status else {
                return .unrecognised(formType: answer.formType, statusText: answer.statusText)
            }
            let asClaimed = type == claimedType && (answer.role ?? claimedRole) == claimedRole && status == claimedStatus
            input = StepInput(step: .benefitVerification, summary: "\(source.name): \(answer.formType), \(answer.statusText)", counterpart: source.name,
                              filingID: filingID, outcome: asClaimed ? .confirmed : .contradicted,
                              sourceType: asClaimed ? nil : type, sourceStatus: asClaimed ? nil : status, sourceRole: asClaimed ? nil : answer.role,
                              sourceAnswer: answer.raw)
        }
        // Another office confirms a claim but does not take one away (`recordStep`): told so
        // plainly, not refused as if it had reached too far (it may read this filing).
        if input.outcome != .confirmed, let person = try await Person.find(encounter.$person.id, on: database), !actor.reaches(office: person.office) {
            throw WorkflowError.conflict("the source does not confirm the claim as stated; only the office that keeps the person's record (\(person.office)) records that")
        }
        // The source was asked without the write turn (it may take seconds); the step takes one.
        return .recorded(try await reader.turns.run { try await recordStep(input, on: encounterID, by: actor, purpose: reader.purpose, on: database) })
    }

    /// Whether the source can answer for the filing (the pages offer only these).
    public static func mayAskSource(_ filing: BenefitFilingRecord) -> Bool { whySourceCannotAnswer(filing) == nil }

    /// Why the source cannot answer for the filing, or nil when it can.
    static func whySourceCannotAnswer(_ filing: BenefitFilingRecord) -> String? {
        guard let type = BenefitType(spelling: filing.type), BenefitRole(spelling: filing.role) != nil,
              let status = BenefitStatus(spelling: filing.status) else {
            return "the filing holds a type, role or status not in the contract's vocabulary"
        }
        guard type != .continuedPresence else { return "Continued Presence is granted by ICE and is not in USCIS's records: verify it by hand" }
        // A status text shows a denial, never that it is final (appeals are not seen there), nor a revocation.
        guard ![.deniedFinal, .revoked].contains(status) else {
            return "a final denial or a revocation is not in the case status USCIS publishes: verify it by hand, from the decision or the court's record"
        }
        guard let receipt = filing.receiptNumber, ReceiptNumber.isValid(receipt) else {
            return "the filing has no receipt number the source can look up (three capital letters and ten digits)"
        }
        return nil
    }
}
