import Foundation
import PolicyEngine
import Synchronization

/// A request body read strictly and declaratively: a body's members are exactly those its type
/// reads (no separate list to drift from the reads), and every problem — a wrong type, a missing
/// or null member, a duplicate, an unknown member — is collected with its path; `finish` throws
/// them all at once as `WorkflowError.invalid`.
public struct BodyReader {
    private let object: JSONObjectReader?
    private let path: String
    private var names: [String] = []
    private var errors: [FieldError] = []

    /// For the tests that hold the OpenAPI document to the body types: while set, every member a
    /// reader reads is noted in it, with its object's path (`addChannel.kind`).
    @TaskLocal public static var memberLog: MemberLog?

    /// The members read while a `memberLog` was set.
    public final class MemberLog: Sendable {
        private let names = Mutex<Set<String>>([])

        public init() {}

        public var read: Set<String> { names.withLock { $0 } }

        func note(_ name: String) { _ = names.withLock { $0.insert(name) } }
    }

    /// - Parameter path: where the object sits in the body, for an object inside another ("" for the body).
    public init(_ body: JSONValue, path: String = "") {
        var errors: [FieldError] = []
        object = JSONObjectReader(body, path: path, known: [], errors: &errors)
        self.path = path
        self.errors = errors
    }

    private mutating func note(_ key: String) {
        names.append(key)
        Self.memberLog?.note(path.isEmpty ? key : "\(path).\(key)")
    }

    /// The member's value, unread, for a type that reads it itself; nil when absent (a null is reported).
    public mutating func member(_ key: String) -> JSONValue? {
        note(key)
        return object?.member(key, errors: &errors)
    }

    public mutating func bool(_ key: String, required: Bool = false) -> Bool? {
        note(key)
        return object?.bool(key, required: required, errors: &errors)
    }

    public mutating func string(_ key: String, required: Bool = false, minLength: Int = 0, maxLength: Int) -> String? {
        note(key)
        return object?.string(key, required: required, minLength: minLength, maxLength: maxLength, errors: &errors)
    }

    /// A string a person reads as written (a name, a country): no control or format characters
    /// (the bidirectional embeddings, overrides and isolates, zero-width characters), no line or
    /// paragraph separators, nothing private or unassigned: nothing that makes text display as
    /// something other than what it is.
    public mutating func plainText(_ key: String, required: Bool = false, minLength: Int = 0, maxLength: Int) -> String? {
        guard let text = string(key, required: required, minLength: minLength, maxLength: maxLength) else { return nil }
        if let character = text.unicodeScalars.first(where: { Self.isDisguising($0) }) {
            report(key, String(format: "contains the control character U+%04X", character.value))
            return nil
        }
        return text
    }

    static func isDisguising(_ scalar: Unicode.Scalar) -> Bool {
        [.control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator].contains(scalar.properties.generalCategory)
    }

    public mutating func date(_ key: String, required: Bool = false) -> CalendarDate? {
        note(key)
        return object?.date(key, required: required, errors: &errors)
    }

    /// A record's id.
    public mutating func id(_ key: String, required: Bool = false) -> UUID? {
        guard let text = string(key, required: required, maxLength: 36) else { return nil }
        guard let id = UUID(uuidString: text) else {
            report(key, "not a record id")
            return nil
        }
        return id
    }

    public mutating func enumeration<E: ContractEnum>(_ key: String, required: Bool = false) -> E? {
        note(key)
        return object?.enumeration(key, required: required, errors: &errors)
    }

    /// One of a fixed list of choices, by its raw value.
    public mutating func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, required: Bool = false, maxLength: Int = 64) -> Choice?
        where Choice.RawValue == String {
        guard let text = string(key, required: required, maxLength: maxLength) else { return nil }
        guard let choice = Choice(rawValue: text) else {
            report(key, "'\(text)' is not one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return choice
    }

    /// A list whose items are unique values of a vocabulary; empty when absent.
    public mutating func enumerationSet<E: ContractEnum>(_ key: String) -> EnumSet<E> {
        note(key)
        return object?.enumerationSet(key, errors: &errors) ?? EnumSet()
    }

    public mutating func list<Element>(_ key: String, maxCount: Int,
                                       element decode: (JSONValue, String, inout [FieldError]) -> Element?) -> [Element]? {
        note(key)
        return object?.list(key, maxCount: maxCount, errors: &errors, element: decode)
    }

    /// Reports a problem of a member that was read well but does not hold.
    public mutating func report(_ key: String, _ message: String) {
        errors.append(FieldError(path: path.isEmpty ? key : "\(path).\(key)", message: message))
    }

    /// Reports a problem found by a reader of a member's value.
    public mutating func report(_ error: FieldError) {
        errors.append(error)
    }

    /// Every problem found, every member the type did not read among them.
    public var problems: [FieldError] {
        var errors = errors
        object?.rejectMembers(notIn: names, errors: &errors)
        return errors
    }

    /// Throws every problem found (`problems`).
    public func finish() throws(WorkflowError) {
        let problems = problems
        guard problems.isEmpty else { throw WorkflowError.invalid(problems) }
    }
}
