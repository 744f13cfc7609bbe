/// A problem in a policy file, with its place: `file:line:column: message`.
public struct PolicyProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public var location: SourceLocation
    public var message: String

    public init(location: SourceLocation, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}

/// Every problem found while loading a folder of policy files. Loading stops with all of them.
public struct PolicyLoadError: Error, Sendable, CustomStringConvertible {
    public var problems: [PolicyProblem]

    public init(_ problems: [PolicyProblem]) {
        self.problems = problems
    }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
