import PolicyEngine

extension CallInput {
    /// `{"category", "narrative", "callerName"?, "callerContact"?, "followUp", "referral"?}`.
    public init(body: JSONValue) throws(WorkflowError) {
        var reader = BodyReader(body)
        let category: CallCategory? = reader.choice("category", required: true)
        let narrative = reader.string("narrative", required: true, maxLength: 8000)
        let callerName = reader.string("callerName", maxLength: 200)
        let callerContact = reader.string("callerContact", maxLength: 200)
        let followUp = reader.string("followUp", required: true, maxLength: 4000)
        let referral = reader.string("referral", minLength: 1, maxLength: 200)
        try reader.finish()
        guard let category, let narrative, let followUp else { throw WorkflowError.invalid(reader.problems) }
        self.init(category: category, narrative: narrative, callerName: callerName, callerContact: callerContact, followUp: followUp, referral: referral)
    }
}

/// How a call moves on: `{"status"?, "referral"?, "followUp"?}`.
public struct CallChange: Sendable {
    public var status: CallStatus?
    public var referral: String?
    public var followUp: String?

    public init(body: JSONValue) throws(WorkflowError) {
        var reader = BodyReader(body)
        status = reader.choice("status")
        referral = reader.string("referral", minLength: 1, maxLength: 200)
        followUp = reader.string("followUp", minLength: 1, maxLength: 4000)
        try reader.finish()
    }
}
