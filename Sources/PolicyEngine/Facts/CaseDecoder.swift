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

    /// One `information[]` item `{id, source, adverse}`, also for other inputs that carry evidence.
    public static func informationItem(_ value: JSONValue, path: String, errors: inout [FieldError]) -> InformationItem? {
        guard let item = JSONObjectReader(value, path: path, known: informationKeys, errors: &errors) else { return nil }
        let id = item.string("id", required: true, minLength: 1, maxLength: maximumIdentifierLength, errors: &errors)
        let source: InformationSource? = item.enumeration("source", required: true, errors: &errors)
        let adverse = item.bool("adverse", required: true, errors: &errors)
        item.rejectUnknownMembers(errors: &errors)
        guard let id, let source, let adverse else { return nil }
        return InformationItem(id: id, source: source, adverse: adverse)
    }

    private static func decodeCase(_ value: JSONValue, errors: inout [FieldError]) -> CaseFacts? {
        guard let root = JSONObjectReader(value, path: "", known: caseKeys, errors: &errors) else { return nil }
        let caseId = root.string("caseId", maxLength: maximumIdentifierLength, errors: &errors)
        let asOf = root.date("asOf", required: true, errors: &errors)
        let action: Action? = root.enumeration("action", required: true, errors: &errors)
        var subject = Subject()
        if let subjectValue = root.member("subject", errors: &errors),
           let reader = JSONObjectReader(subjectValue, path: "subject", known: subjectKeys, errors: &errors) {
            subject.benefits = reader.list("benefits", maxCount: maximumBenefits, errors: &errors) { value, path, errors -> BenefitFiling? in
                guard let filing = JSONObjectReader(value, path: path, known: filingKeys, errors: &errors) else { return nil }
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
        let information = root.list("information", maxCount: maximumInformationItems, errors: &errors, element: informationItem) ?? []
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
