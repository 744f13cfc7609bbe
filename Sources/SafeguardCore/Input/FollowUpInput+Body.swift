import PolicyEngine

/// A follow-up to file: `{"kind", "recipient", "justification"}`.
public struct FollowUpInput: Sendable {
    public var kind: FollowUpKind
    public var recipient: String
    public var justification: String

    public init(body: JSONValue) throws(WorkflowError) {
        var reader = BodyReader(body)
        let kind: FollowUpKind? = reader.choice("kind", required: true)
        let recipient = reader.string("recipient", required: true, maxLength: 200)
        let justification = reader.string("justification", required: true, maxLength: 4000)
        try reader.finish()
        guard let kind, let recipient, let justification else { throw WorkflowError.invalid(reader.problems) }
        (self.kind, self.recipient, self.justification) = (kind, recipient, justification)
    }
}

extension FollowUpStatus {
    /// A follow-up's new status: `{"status"}`.
    public init(body: JSONValue) throws(WorkflowError) {
        var reader = BodyReader(body)
        let status: FollowUpStatus? = reader.choice("status", required: true, maxLength: 20)
        try reader.finish()
        guard let status else { throw WorkflowError.invalid(reader.problems) }
        self = status
    }
}
