import Foundation

/// A filing as one user sees it: of a protected person, to a user not shown the person's
/// protected data, only its id, its person, its version and the marker.
public struct FilingView: Codable, Sendable {
    public var id: UUID
    public var personId: UUID
    public var withheld: String?
    public var type: String?
    public var role: String?
    public var status: String?
    public var receiptNumber: String?
    public var filedOn: String?
    public var verified: Bool?
    public var verificationSource: String?
    public var verifiedAt: Date?
    /// What the last verification found (`VerificationOutcome`); `not-found` counts for nothing.
    public var verificationOutcome: String?
    /// The source's answer a verification at the source rests on, as received.
    public var verificationAnswer: String?
    public var version: Int

    public init(_ filing: BenefitFilingRecord, shown: Bool) throws {
        id = try filing.requireID()
        personId = filing.$person.id
        version = filing.version
        guard shown else {
            withheld = Disclosure.marker
            return
        }
        (type, role, status, receiptNumber, filedOn) = (filing.type, filing.role, filing.status, filing.receiptNumber, filing.filedOn)
        (verified, verificationSource, verifiedAt) = (filing.isVerified, filing.verificationSource, filing.verifiedAt)
        (verificationOutcome, verificationAnswer) = (filing.verificationOutcome, filing.verificationAnswer)
    }
}
