import Foundation

/// A follow-up as one user sees it: its kind, recipient and justification tell of the person's
/// case, so they are withheld from a user not shown the person's protected data.
public struct FollowUpView: Codable, Sendable {
    public var id: UUID
    public var encounterId: UUID
    public var kind: String
    public var recipient: String
    public var justification: String
    public var status: String
    public var version: Int

    public init(_ followUp: FollowUp, shown: Bool) throws {
        id = try followUp.requireID()
        encounterId = followUp.$encounter.id
        kind = shown ? followUp.kind : Disclosure.marker
        recipient = shown ? followUp.recipient : Disclosure.marker
        justification = shown ? followUp.justification : Disclosure.marker
        (status, version) = (followUp.status, followUp.version)
    }
}
