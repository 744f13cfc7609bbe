/// A problem in a condition, at a character offset within the condition's text.
public struct ConditionError: Error, Equatable, Sendable {
    /// Offset in Unicode scalars from the start of the condition.
    public var offset: Int
    public var message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }
}
