import PolicyEngine

/// A username and password to sign in with: `{"username", "password"}`.
public struct SignInInput: Sendable {
    public var username: String
    public var password: String

    public init(username: String, password: String) {
        self.username = username
        self.password = password
    }

    public init(body: JSONValue) throws(WorkflowError) {
        var reader = BodyReader(body)
        let username = reader.string("username", required: true, minLength: 1, maxLength: 64)
        let password = reader.string("password", required: true, maxLength: 1024)
        try reader.finish()
        guard let username, let password else { throw WorkflowError.invalid(reader.problems) }
        self.init(username: username, password: password)
    }
}
