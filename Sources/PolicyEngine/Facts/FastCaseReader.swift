/// The fast path of case decoding: reads the common, well-formed case straight from its bytes into
/// `CaseFacts`, without building a JSON tree. It accepts a strict subset of what `CaseDecoder`
/// accepts (ASCII strings without escapes, no duplicates, no nulls, every value of its expected
/// type) and gives up on anything else, so that the strict path decides and words the errors.
/// A differential test holds the two to the same results.
struct FastCaseReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    private init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static func read(_ bytes: UnsafeBufferPointer<UInt8>) -> CaseFacts? {
        var reader = FastCaseReader(bytes)
        guard let facts = reader.readCase() else { return nil }
        reader.skipWhitespace()
        return reader.index == bytes.count ? facts : nil
    }

    private static func utf8(_ words: [String]) -> [[UInt8]] { words.map { Array($0.utf8) } }
    private static let caseKeys = utf8(CaseDecoder.caseKeys)
    private static let subjectKeys = utf8(CaseDecoder.subjectKeys)
    private static let filingKeys = utf8(CaseDecoder.filingKeys)
    private static let informationKeys = utf8(CaseDecoder.informationKeys)

    // MARK: Objects of the case

    private mutating func readCase() -> CaseFacts? {
        var facts = CaseFacts(asOf: CalendarDate(year: 2000, month: 1, day: 1)!, action: .arrest)
        var asOf: CalendarDate?
        var action: Action?
        let complete = readObject(keys: Self.caseKeys) { reader, key in
            switch key {
            case 0: guard let text = reader.readASCIIString(maxLength: CaseDecoder.maximumIdentifierLength) else { return false }
                facts.caseId = text
            case 1: asOf = reader.readDate(); return asOf != nil
            case 2: action = reader.readVocabulary(); return action != nil
            case 3: guard let subject = reader.readSubject() else { return false }
                facts.subject = subject
            case 4: return reader.readBool(into: &facts.lawEnforcementInterest)
            case 5: return reader.readBool(into: &facts.exceptionalCircumstances)
            case 6: return reader.readBool(into: &facts.aggravatingFactors)
            case 7: return reader.readBool(into: &facts.expediteInAgencyInterest)
            case 8: guard let items = reader.readArray(maxCount: CaseDecoder.maximumInformationItems, { $0.readInformationItem() }) else { return false }
                facts.information = items
            case 9: return reader.readBool(into: &facts.convicted237a2)
            default: guard let steps: EnumSet<Step> = reader.readVocabularySet() else { return false }
                facts.stepsCompleted = steps
            }
            return true
        }
        guard complete, let asOf, let action else { return nil }
        facts.asOf = asOf
        facts.action = action
        return facts
    }

    private mutating func readSubject() -> Subject? {
        var subject = Subject()
        let complete = readObject(keys: Self.subjectKeys) { reader, key in
            switch key {
            case 0: guard let filings = reader.readArray(maxCount: CaseDecoder.maximumBenefits, { $0.readFiling() }) else { return false }
                subject.benefits = filings
            case 1: guard let indicia: EnumSet<VictimIndicium> = reader.readVocabularySet() else { return false }
                subject.victimIndicia = indicia
            case 2: return reader.readBool(into: &subject.immediateVictimOrWitness)
            case 3: return reader.readBool(into: &subject.pendingCriminalCase)
            case 4: return reader.readBool(into: &subject.crimeReported)
            case 5: return reader.readBool(into: &subject.wishesToReport)
            case 6: return reader.readBool(into: &subject.detained)
            default: return reader.readBool(into: &subject.outsideUnitedStates)
            }
            return true
        }
        return complete ? subject : nil
    }

    private mutating func readFiling() -> BenefitFiling? {
        var type: BenefitType?, role: BenefitRole?, status: BenefitStatus?
        var verified = false, hasVerified = false
        let complete = readObject(keys: Self.filingKeys) { reader, key in
            switch key {
            case 0: type = reader.readVocabulary(); return type != nil
            case 1: role = reader.readVocabulary(); return role != nil
            case 2: status = reader.readVocabulary(); return status != nil
            default: hasVerified = true; return reader.readBool(into: &verified)
            }
        }
        guard complete, let type, let role, let status, hasVerified else { return nil }
        return BenefitFiling(type: type, role: role, status: status, verified: verified)
    }

    private mutating func readInformationItem() -> InformationItem? {
        var id: String?, source: InformationSource?
        var adverse = false, hasAdverse = false
        let complete = readObject(keys: Self.informationKeys) { reader, key in
            switch key {
            case 0: id = reader.readASCIIString(maxLength: CaseDecoder.maximumIdentifierLength); return id?.isEmpty == false
            case 1: source = reader.readVocabulary(); return source != nil
            default: hasAdverse = true; return reader.readBool(into: &adverse)
            }
        }
        guard complete, let id, let source, hasAdverse else { return nil }
        return InformationItem(id: id, source: source, adverse: adverse)
    }

    // MARK: JSON pieces

    private mutating func skipWhitespace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    private mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Reads an object whose keys are all in `keys`, each at most once, calling `member` with the
    /// key's index to read its value.
    private mutating func readObject(keys: [[UInt8]], _ member: (inout FastCaseReader, Int) -> Bool) -> Bool {
        guard take(UInt8(ascii: "{")) else { return false }
        if take(UInt8(ascii: "}")) { return true }
        var seen: UInt64 = 0
        repeat {
            guard let name = readRawString() else { return false }
            guard let key = keys.firstIndex(where: { $0.elementsEqual(name) }), seen & (1 << key) == 0 else { return false }
            seen |= 1 << key
            guard take(UInt8(ascii: ":")) else { return false }
            skipWhitespace()
            guard member(&self, key) else { return false }
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "}"))
    }

    private mutating func readArray<Element>(maxCount: Int, _ element: (inout FastCaseReader) -> Element?) -> [Element]? {
        guard take(UInt8(ascii: "[")) else { return nil }
        var result: [Element] = []
        if take(UInt8(ascii: "]")) { return result }
        repeat {
            skipWhitespace()
            guard result.count < maxCount, let value = element(&self) else { return nil }
            result.append(value)
        } while take(UInt8(ascii: ","))
        return take(UInt8(ascii: "]")) ? result : nil
    }

    /// The bytes of a string of printable ASCII without escapes.
    private mutating func readRawString() -> UnsafeBufferPointer<UInt8>? {
        guard take(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return UnsafeBufferPointer(rebasing: bytes[start..<index - 1])
            }
            guard byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\\") else { return nil }
            index += 1
        }
        return nil
    }

    private mutating func readASCIIString(maxLength: Int) -> String? {
        guard let raw = readRawString(), raw.count <= maxLength else { return nil }
        return String(decoding: raw, as: UTF8.self)
    }

    private mutating func readDate() -> CalendarDate? {
        readRawString().flatMap { CalendarDate(utf8: $0) }
    }

    private mutating func readVocabulary<E: ContractEnum>() -> E? {
        guard let raw = readRawString() else { return nil }
        return E.spellings.firstIndex { $0.utf8.count == raw.count && $0.utf8.elementsEqual(raw) }.flatMap { E(rawValue: UInt8($0)) }
    }

    private mutating func readVocabularySet<E: ContractEnum>() -> EnumSet<E>? {
        var set = EnumSet<E>()
        var duplicate = false
        guard readArray(maxCount: E.allCases.count, { reader -> E? in
            let value: E? = reader.readVocabulary()
            if let value, !set.insert(value) { duplicate = true }
            return value
        }) != nil, !duplicate else { return nil }
        return set
    }

    private mutating func readBool(into flag: inout Bool) -> Bool {
        if bytes.count - index >= 4, bytes[index] == UInt8(ascii: "t"), bytes[index + 1] == UInt8(ascii: "r"),
           bytes[index + 2] == UInt8(ascii: "u"), bytes[index + 3] == UInt8(ascii: "e") {
            index += 4
            flag = true
            return true
        }
        if bytes.count - index >= 5, bytes[index] == UInt8(ascii: "f"), bytes[index + 1] == UInt8(ascii: "a"),
           bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "s"), bytes[index + 4] == UInt8(ascii: "e") {
            index += 5
            flag = false
            return true
        }
        return false
    }
}
