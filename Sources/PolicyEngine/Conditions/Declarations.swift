/// A value that the policy texts leave open (or fix), declared in a policy file and read by its
/// conditions as `params.NAME`.
public struct Parameter: Sendable {
    public var name: String
    public var type: ValueType
    /// The value as written, for display.
    public var displayValue: String
    public var description: String
    /// True when the texts we hold do not give this value: Safeguard chose a default, to be confirmed.
    public var notInTexts: Bool
    let constant: Compiled

    init(name: String, type: ValueType, displayValue: String, description: String, notInTexts: Bool, constant: Compiled) {
        self.name = name
        self.type = type
        self.displayValue = displayValue
        self.description = description
        self.notInTexts = notInTexts
        self.constant = constant
    }
}

/// A named, typed condition fragment written once and used by any rule, such as what makes a
/// filing *known* or *live*. Calls are expanded inline when conditions compile.
public struct Definition: Sendable {
    public var name: String
    public var parameters: [(name: String, type: ValueType)]
    public var text: String
    public var description: String
    /// Where the definition's text starts, for error messages.
    public var location: SourceLocation
    let body: Expression
    /// The parameters of the file that declares the definition: its body reads those.
    let fileParameters: [String: Parameter]
}

/// A place in a policy file.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// Counts the variable slots that compiled conditions use, so a scope can hold them all.
final class SlotCounter: @unchecked Sendable {
    private(set) var count = 0

    func next() -> Int {
        defer { count += 1 }
        return count
    }
}

/// Records which facts the conditions read, so that a bounded enumeration can hold the others fixed.
public final class FieldUsage: @unchecked Sendable {
    public private(set) var paths: Set<String> = []

    func record(_ path: String) { paths.insert(path) }

    func record(contentsOf other: FieldUsage) { paths.formUnion(other.paths) }

    public func reads(_ path: String) -> Bool { paths.contains(path) }
}
