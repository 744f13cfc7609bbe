import Foundation
import PolicyEngine

extension CustodyEventInput {
    /// `{"feedEventId", "kind", "detaineeReference", "detaineeId", "occurredAt", "details"?}`.
    public init(body: JSONValue) throws(WorkflowError) {
        var reader = BodyReader(body)
        let feedEventID = reader.string("feedEventId", required: true, minLength: 1, maxLength: 200)
        let kind: CustodyEventKind? = reader.choice("kind", required: true)
        let reference: DetaineeReference? = reader.choice("detaineeReference", required: true)
        let detaineeID = reader.string("detaineeId", required: true, minLength: 1, maxLength: 64)
        let occurredAt = reader.string("occurredAt", required: true, minLength: 10, maxLength: 40)
        if let occurredAt, (try? Date(occurredAt, strategy: .iso8601)) == nil, CalendarDate(occurredAt) == nil {
            reader.report("occurredAt", "'\(occurredAt)' is not an ISO 8601 date or time")
        }
        let details = reader.string("details", maxLength: 1000) ?? ""
        try reader.finish()
        guard let feedEventID, let kind, let reference, let detaineeID, let occurredAt else {
            throw WorkflowError.invalid(reader.problems)
        }
        self.init(feedEventID: feedEventID, kind: kind, detaineeReference: reference, detaineeID: detaineeID, occurredAt: occurredAt, details: details)
    }
}

extension RegistrationInput {
    /// `{"detaineeReference", "detaineeId", "registrantName", "relationship", "language", "consent",
    /// "channels"?, "voicePin"?}`.
    public init(body: JSONValue) throws(WorkflowError) {
        var reader = BodyReader(body)
        let reference: DetaineeReference? = reader.choice("detaineeReference", required: true)
        let detaineeID = reader.string("detaineeId", required: true, maxLength: 64)
        let name = reader.string("registrantName", required: true, maxLength: 200)
        let relationship = reader.string("relationship", required: true, maxLength: 16)
        let language: NoticeLanguage? = reader.choice("language", required: true)
        let consent = reader.bool("consent", required: true)
        let channels = reader.list("channels", maxCount: 10, element: Self.channel)
        let pin = reader.string("voicePin", maxLength: 8)
        try reader.finish()
        guard let reference, let detaineeID, let name, let relationship, let language, let consent else {
            throw WorkflowError.invalid(reader.problems)
        }
        self.init(detaineeReference: reference, detaineeID: detaineeID, registrantName: name, relationship: relationship, language: language,
                  consent: consent, channels: channels ?? [], voicePIN: pin)
    }

    /// A channel: `{"kind": "sms" | "email" | "voice", "address"}`.
    static func channel(_ value: JSONValue, path: String, errors: inout [FieldError]) -> (kind: ChannelKind, address: String)? {
        var reader = BodyReader(value, path: path)
        let kind: ChannelKind? = reader.choice("kind", required: true, maxLength: 16)
        let address = reader.string("address", required: true, minLength: 1, maxLength: 254)
        errors += reader.problems
        guard let kind, let address else { return nil }
        return (kind, address)
    }
}

/// A change of a registration: `{"language"?, "addChannel"?}`.
public struct RegistrationChange: Sendable {
    public var language: NoticeLanguage?
    public var addChannel: (kind: ChannelKind, address: String)?

    public init(body: JSONValue) throws(WorkflowError) {
        var reader = BodyReader(body)
        language = reader.choice("language")
        var channelErrors: [FieldError] = []
        addChannel = reader.member("addChannel").flatMap { RegistrationInput.channel($0, path: "addChannel", errors: &channelErrors) }
        for error in channelErrors { reader.report(error) }
        try reader.finish()
    }
}

extension VoiceConfirmation {
    /// The digits a registrant entered during a call: `{"pin"}`.
    public static func pin(body: JSONValue) throws(WorkflowError) -> String {
        var reader = BodyReader(body)
        let pin = reader.string("pin", required: true, minLength: 1, maxLength: 16)
        try reader.finish()
        guard let pin else { throw WorkflowError.invalid(reader.problems) }
        return pin
    }
}
