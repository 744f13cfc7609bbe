/// Reads the members of one JSON object strictly, for the case decoder and for request bodies:
/// each getter reports a wrong type, a null or a missing required member with the member's path,
/// and `rejectUnknownMembers` reports every member not in `known`.
public struct JSONObjectReader {
    public let path: String
    private let members: [JSONMember]
    /// The member names this object may have; any other is reported as unknown.
    private let known: [String]

    public init?(_ value: JSONValue, path: String, known: [String], errors: inout [FieldError]) {
        guard case .object(let members) = value else {
            errors.append(FieldError(path: path, message: "expected an object, found \(value.kindName)"))
            return nil
        }
        self.path = path
        self.members = members
        self.known = known
        // Most objects are small, and comparing pairs is then cheaper than hashing; a wide one (a
        // hostile body can hold a hundred thousand members) is checked through a set.
        if members.count <= 32 {
            for (index, member) in members.enumerated() where members[..<index].contains(where: { $0.key == member.key }) {
                errors.append(FieldError(path: childPath(member.key), message: "duplicate member"))
            }
        } else {
            var seen = Set<String>(minimumCapacity: members.count)
            for member in members where !seen.insert(member.key).inserted {
                errors.append(FieldError(path: childPath(member.key), message: "duplicate member"))
            }
        }
    }

    public func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member's value, or nil when absent. An explicit null is an error, reported here.
    public func member(_ key: String, required: Bool = false, errors: inout [FieldError]) -> JSONValue? {
        guard let value = members.first(where: { $0.key == key })?.value else {
            if required { errors.append(FieldError(path: childPath(key), message: "required field is missing")) }
            return nil
        }
        if case .null = value {
            errors.append(FieldError(path: childPath(key), message: "null is not allowed; omit the field instead"))
            return nil
        }
        return value
    }

    public func bool(_ key: String, required: Bool = false, errors: inout [FieldError]) -> Bool? {
        guard let value = member(key, required: required, errors: &errors) else { return nil }
        guard case .bool(let flag) = value else {
            errors.append(FieldError(path: childPath(key), message: "expected true or false, found \(value.kindName)"))
            return nil
        }
        return flag
    }

    public func string(
        _ key: String, required: Bool = false, minLength: Int = 0, maxLength: Int, errors: inout [FieldError]
    ) -> String? {
        guard let value = member(key, required: required, errors: &errors) else { return nil }
        return Self.string(value, path: childPath(key), minLength: minLength, maxLength: maxLength, errors: &errors)
    }

    public static func string(_ value: JSONValue, path: String, minLength: Int, maxLength: Int, errors: inout [FieldError]) -> String? {
        guard case .string(let text) = value else {
            errors.append(FieldError(path: path, message: "expected a string, found \(value.kindName)"))
            return nil
        }
        // SQLite's C interface ends a text at a NUL and PostgreSQL refuses one: a value that would
        // be stored cut short, or not at all, is refused whole.
        guard !text.unicodeScalars.contains("\u{0}") else {
            errors.append(FieldError(path: path, message: "must not contain a NUL character (U+0000)"))
            return nil
        }
        let length = text.unicodeScalars.count
        guard length >= minLength, length <= maxLength else {
            errors.append(FieldError(
                path: path,
                message: length < minLength ? "must not be empty" : "longer than \(maxLength) characters"
            ))
            return nil
        }
        return text
    }

    public func date(_ key: String, required: Bool = false, errors: inout [FieldError]) -> CalendarDate? {
        guard let value = member(key, required: required, errors: &errors) else { return nil }
        guard case .string(let text) = value else {
            errors.append(FieldError(path: childPath(key), message: "expected a date YYYY-MM-DD, found \(value.kindName)"))
            return nil
        }
        guard let date = CalendarDate(text) else {
            errors.append(FieldError(path: childPath(key), message: "'\(text)' is not a valid date YYYY-MM-DD"))
            return nil
        }
        return date
    }

    public func enumeration<E: ContractEnum>(_ key: String, required: Bool = false, errors: inout [FieldError]) -> E? {
        guard let value = member(key, required: required, errors: &errors) else { return nil }
        return Self.enumeration(value, path: childPath(key), errors: &errors)
    }

    public static func enumeration<E: ContractEnum>(_ value: JSONValue, path: String, errors: inout [FieldError]) -> E? {
        guard case .string(let text) = value else {
            errors.append(FieldError(path: path, message: "expected \(E.expectation), found \(value.kindName)"))
            return nil
        }
        guard let result = E(spelling: text) else {
            errors.append(FieldError(path: path, message: "'\(text)' is not a valid \(E.vocabularyName); expected \(E.expectation)"))
            return nil
        }
        return result
    }

    /// A list whose items are unique values of a vocabulary.
    public func enumerationSet<E: ContractEnum>(_ key: String, errors: inout [FieldError]) -> EnumSet<E> {
        var result = EnumSet<E>()
        _ = list(key, maxCount: E.allCases.count * 2, errors: &errors) { value, path, errors -> E? in
            guard let element: E = Self.enumeration(value, path: path, errors: &errors) else { return nil }
            if !result.insert(element) {
                errors.append(FieldError(path: path, message: "duplicate '\(element.spelling)'; the list's items must be unique"))
            }
            return element
        }
        return result
    }

    public func list<Element>(
        _ key: String, maxCount: Int, errors: inout [FieldError],
        element decode: (JSONValue, String, inout [FieldError]) -> Element?
    ) -> [Element]? {
        guard let value = member(key, errors: &errors) else { return nil }
        let listPath = childPath(key)
        guard case .array(let items) = value else {
            errors.append(FieldError(path: listPath, message: "expected an array, found \(value.kindName)"))
            return nil
        }
        guard items.count <= maxCount else {
            errors.append(FieldError(path: listPath, message: "more than \(maxCount) items"))
            return nil
        }
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for (offset, item) in items.enumerated() {
            let itemPath = "\(listPath)[\(offset)]"
            if case .null = item {
                errors.append(FieldError(path: itemPath, message: "null is not allowed"))
            } else if let element = decode(item, itemPath, &errors) {
                result.append(element)
            }
        }
        return result
    }

    public func rejectUnknownMembers(errors: inout [FieldError]) {
        rejectMembers(notIn: known, errors: &errors)
    }

    /// Reports every member whose name is not in `names`.
    public func rejectMembers(notIn names: [String], errors: inout [FieldError]) {
        for member in members where !names.contains(member.key) {
            errors.append(FieldError(path: childPath(member.key), message: "unknown field"))
        }
    }
}
