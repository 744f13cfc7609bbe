/// Reads the contract's case JSON into `CaseFacts`, strictly: unknown fields, explicit nulls,
/// values outside an enumeration, malformed dates and duplicates in unique lists are all errors,
/// each with the path of the field, and all of them are reported together.
public enum CaseDecoder {
    public static let maximumBenefits = 50
    public static let maximumInformationItems = 1000
    public static let maximumIdentifierLength = 200

    static let caseKeys = [
        "caseId", "asOf", "action", "subject", "lawEnforcementInterest", "exceptionalCircumstances", "aggravatingFactors",
        "expediteInAgencyInterest", "information", "convicted237a2", "stepsCompleted",
    ]
    static let subjectKeys = [
        "benefits", "victimIndicia", "immediateVictimOrWitness", "pendingCriminalCase", "crimeReported", "wishesToReport",
        "detained", "outsideUnitedStates",
    ]
    static let filingKeys = ["type", "role", "status", "verified"]
    static let informationKeys = ["id", "source", "adverse"]

    public static func decode(json bytes: some Collection<UInt8>) throws(CaseInputError) -> CaseFacts {
        // Well-formed cases take the fast path; anything it does not accept gets the strict one.
        if let facts = bytes.withContiguousStorageIfAvailable(FastCaseReader.read) ?? nil { return facts }
        let value: JSONValue
        do {
            value = try JSONParser.parse(bytes)
        } catch {
            throw CaseInputError([FieldError(path: "", message: "malformed JSON at \(error)")])
        }
        return try decode(value)
    }

    public static func decode(_ value: JSONValue) throws(CaseInputError) -> CaseFacts {
        var errors: [FieldError] = []
        let facts = decodeCase(value, errors: &errors)
        if let facts, errors.isEmpty { return facts }
        throw CaseInputError(errors)
    }

    private static func decodeCase(_ value: JSONValue, errors: inout [FieldError]) -> CaseFacts? {
        guard let root = ObjectReader(value, path: "", known: caseKeys, errors: &errors) else { return nil }
        let caseId = root.string("caseId", maxLength: maximumIdentifierLength, errors: &errors)
        let asOf = root.date("asOf", required: true, errors: &errors)
        let action: Action? = root.enumeration("action", required: true, errors: &errors)
        var subject = Subject()
        if let subjectValue = root.member("subject", errors: &errors),
           let reader = ObjectReader(subjectValue, path: "subject", known: subjectKeys, errors: &errors) {
            subject.benefits = reader.list("benefits", maxCount: maximumBenefits, errors: &errors) { value, path, errors -> BenefitFiling? in
                guard let filing = ObjectReader(value, path: path, known: filingKeys, errors: &errors) else { return nil }
                let type: BenefitType? = filing.enumeration("type", required: true, errors: &errors)
                let role: BenefitRole? = filing.enumeration("role", required: true, errors: &errors)
                let status: BenefitStatus? = filing.enumeration("status", required: true, errors: &errors)
                let verified = filing.bool("verified", required: true, errors: &errors)
                filing.rejectUnknownMembers(errors: &errors)
                guard let type, let role, let status, let verified else { return nil }
                return BenefitFiling(type: type, role: role, status: status, verified: verified)
            } ?? []
            subject.victimIndicia = reader.enumerationSet("victimIndicia", errors: &errors)
            subject.immediateVictimOrWitness = reader.bool("immediateVictimOrWitness", errors: &errors) ?? false
            subject.pendingCriminalCase = reader.bool("pendingCriminalCase", errors: &errors) ?? false
            subject.crimeReported = reader.bool("crimeReported", errors: &errors) ?? false
            subject.wishesToReport = reader.bool("wishesToReport", errors: &errors) ?? false
            subject.detained = reader.bool("detained", errors: &errors) ?? false
            subject.outsideUnitedStates = reader.bool("outsideUnitedStates", errors: &errors) ?? false
            reader.rejectUnknownMembers(errors: &errors)
        }
        let lawEnforcementInterest = root.bool("lawEnforcementInterest", errors: &errors) ?? false
        let exceptionalCircumstances = root.bool("exceptionalCircumstances", errors: &errors) ?? false
        let aggravatingFactors = root.bool("aggravatingFactors", errors: &errors) ?? false
        let expediteInAgencyInterest = root.bool("expediteInAgencyInterest", errors: &errors) ?? false
        let information = root.list("information", maxCount: maximumInformationItems, errors: &errors) { value, path, errors -> InformationItem? in
            guard let item = ObjectReader(value, path: path, known: informationKeys, errors: &errors) else { return nil }
            let id = item.string("id", required: true, minLength: 1, maxLength: maximumIdentifierLength, errors: &errors)
            let source: InformationSource? = item.enumeration("source", required: true, errors: &errors)
            let adverse = item.bool("adverse", required: true, errors: &errors)
            item.rejectUnknownMembers(errors: &errors)
            guard let id, let source, let adverse else { return nil }
            return InformationItem(id: id, source: source, adverse: adverse)
        } ?? []
        let convicted237a2 = root.bool("convicted237a2", errors: &errors) ?? false
        let stepsCompleted: EnumSet<Step> = root.enumerationSet("stepsCompleted", errors: &errors)
        root.rejectUnknownMembers(errors: &errors)
        guard let asOf, let action else { return nil }
        return CaseFacts(
            caseId: caseId, asOf: asOf, action: action, subject: subject,
            lawEnforcementInterest: lawEnforcementInterest, exceptionalCircumstances: exceptionalCircumstances,
            aggravatingFactors: aggravatingFactors, expediteInAgencyInterest: expediteInAgencyInterest,
            information: information, convicted237a2: convicted237a2, stepsCompleted: stepsCompleted
        )
    }
}

/// Reads the members of one JSON object, remembering which were read so that the rest can be
/// reported as unknown.
private struct ObjectReader {
    let path: String
    private let members: [JSONMember]
    /// The member names this object may have; any other is reported as unknown.
    private let known: [String]

    init?(_ value: JSONValue, path: String, known: [String], errors: inout [FieldError]) {
        guard case .object(let members) = value else {
            errors.append(FieldError(path: path, message: "expected an object, found \(value.kindName)"))
            return nil
        }
        self.path = path
        self.members = members
        self.known = known
        // Objects are small: comparing pairs is cheaper than hashing.
        for (index, member) in members.enumerated() where members[..<index].contains(where: { $0.key == member.key }) {
            errors.append(FieldError(path: childPath(member.key), message: "duplicate member"))
        }
    }

    func childPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The member's value, or nil when absent. An explicit null is an error, reported here.
    func member(_ key: String, required: Bool = false, errors: inout [FieldError]) -> JSONValue? {
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

    func bool(_ key: String, required: Bool = false, errors: inout [FieldError]) -> Bool? {
        guard let value = member(key, required: required, errors: &errors) else { return nil }
        guard case .bool(let flag) = value else {
            errors.append(FieldError(path: childPath(key), message: "expected true or false, found \(value.kindName)"))
            return nil
        }
        return flag
    }

    func string(
        _ key: String, required: Bool = false, minLength: Int = 0, maxLength: Int, errors: inout [FieldError]
    ) -> String? {
        guard let value = member(key, required: required, errors: &errors) else { return nil }
        return Self.string(value, path: childPath(key), minLength: minLength, maxLength: maxLength, errors: &errors)
    }

    static func string(_ value: JSONValue, path: String, minLength: Int, maxLength: Int, errors: inout [FieldError]) -> String? {
        guard case .string(let text) = value else {
            errors.append(FieldError(path: path, message: "expected a string, found \(value.kindName)"))
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

    func date(_ key: String, required: Bool, errors: inout [FieldError]) -> CalendarDate? {
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

    func enumeration<E: ContractEnum>(_ key: String, required: Bool, errors: inout [FieldError]) -> E? {
        guard let value = member(key, required: required, errors: &errors) else { return nil }
        return Self.enumeration(value, path: childPath(key), errors: &errors)
    }

    static func enumeration<E: ContractEnum>(_ value: JSONValue, path: String, errors: inout [FieldError]) -> E? {
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
    func enumerationSet<E: ContractEnum>(_ key: String, errors: inout [FieldError]) -> EnumSet<E> {
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

    func list<Element>(
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

    func rejectUnknownMembers(errors: inout [FieldError]) {
        for member in members where !known.contains(member.key) {
            errors.append(FieldError(path: childPath(member.key), message: "unknown field"))
        }
    }
}
