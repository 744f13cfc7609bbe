/// One thing wrong with a case, and where: `subject.benefits[0].type: …`.
public struct FieldError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field's path in the contract's notation; empty for the document as a whole.
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Everything wrong with a case: all errors found, not just the first.
public struct CaseInputError: Error, Sendable, CustomStringConvertible {
    public var errors: [FieldError]

    public init(_ errors: [FieldError]) {
        self.errors = errors
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
