import Foundation

/// A call as one user sees it: what the caller said and who they are are shown only to a
/// specialist assisting victims (`Disclosure`).
public struct CallView: Codable, Sendable {
    public var id: UUID
    public var office: String
    public var category: String
    public var narrative: String
    public var callerName: String?
    public var callerContact: String?
    public var followUp: String
    public var referral: String?
    public var status: String
    public var createdAt: Date?
    public var version: Int

    public init(_ call: HotlineCall, shown: Bool) throws {
        id = try call.requireID()
        (office, category, status, version, createdAt, referral) = (call.office, call.category, call.status, call.version, call.createdAt, call.referral)
        func protected(_ value: String?) -> String? { value.map { shown ? $0 : Disclosure.marker } }
        narrative = protected(call.narrative) ?? ""
        callerName = protected(call.callerName)
        callerContact = protected(call.callerContact)
        followUp = protected(call.followUp) ?? ""
    }
}

/// A registration as one user sees it: the registrant's name and addresses are shown only to a
/// specialist assisting victims.
public struct RegistrationView: Codable, Sendable {
    public struct Channel: Codable, Sendable {
        public var id: UUID
        public var kind: String
        public var address: String
        public var confirmedAt: Date?
    }

    public var id: UUID
    public var office: String
    public var detaineeReference: String
    public var detaineeId: String
    public var registrantName: String
    public var relationship: String
    public var language: String
    public var consent: Bool
    public var status: String
    public var withdrawnAt: Date?
    public var channels: [Channel]
    public var version: Int

    public init(_ registration: Registration, channels: [RegistrationChannel], shown: Bool) throws {
        id = try registration.requireID()
        (office, detaineeReference, detaineeId) = (registration.office, registration.detaineeReference, registration.detaineeID)
        registrantName = shown ? registration.registrantName : Disclosure.marker
        (relationship, language, consent, status, withdrawnAt, version) = (registration.relationship, registration.language, registration.consent,
                                                                          registration.status, registration.withdrawnAt, registration.version)
        self.channels = try channels.map { Channel(id: try $0.requireID(), kind: $0.kind, address: shown ? $0.address : Disclosure.marker,
                                                   confirmedAt: $0.confirmedAt) }
    }
}
