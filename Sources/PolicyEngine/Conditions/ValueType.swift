import Foundation

/// A contract vocabulary as the condition language sees it: a type whose values are its spellings.
public struct Vocabulary: Hashable, Sendable {
    /// The type's name in conditions and parameter declarations, e.g. `benefit-status`.
    public let typeName: String
    public let spellings: [String]

    init<E: ContractEnum>(_ type: E.Type) {
        typeName = E.vocabularyName.replacingOccurrences(of: " ", with: "-")
        spellings = E.spellings
    }

    func ordinal(of spelling: String) -> Int? { spellings.firstIndex(of: spelling) }

    static let all: [Vocabulary] = [
        Vocabulary(Action.self), Vocabulary(BenefitType.self), Vocabulary(BenefitRole.self),
        Vocabulary(BenefitStatus.self), Vocabulary(VictimIndicium.self), Vocabulary(InformationSource.self),
        Vocabulary(Step.self), Vocabulary(Duty.self), Vocabulary(ReliefOption.self), Vocabulary(FactorWeight.self),
        Vocabulary(Disposition.self),
    ]
}

extension ContractEnum {
    static var vocabulary: Vocabulary { Vocabulary(Self.self) }
}

/// The objects that conditions can read fields of: the case facts and, in an invariant's
/// expectation only, the decision.
public enum ObjectKind: String, Sendable, Hashable {
    case facts = "case"
    case subject
    case benefit
    case information = "information item"
    case decision
    case factor = "discretionary factor"
}

/// The static type of a condition's sub-expression; every condition is checked against these
/// when the policies load.
public indirect enum ValueType: Hashable, Sendable, CustomStringConvertible {
    case bool, int, string, date
    case enumeration(Vocabulary)
    case object(ObjectKind)
    case list(ValueType)

    public var description: String {
        switch self {
        case .bool: "bool"
        case .int: "int"
        case .string: "string"
        case .date: "date"
        case .enumeration(let vocabulary): vocabulary.typeName
        case .object(let kind): kind.rawValue
        case .list(let element): "list<\(element)>"
        }
    }

    /// Parses a type as written in a parameter declaration: `bool`, `int`, `string`, `date`,
    /// a vocabulary such as `benefit-status`, or `list<…>` of one of those.
    public init?(declaration text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("list<"), trimmed.hasSuffix(">") {
            guard let element = ValueType(declaration: String(trimmed.dropFirst(5).dropLast())), !element.isList else { return nil }
            self = .list(element)
            return
        }
        switch trimmed {
        case "bool": self = .bool
        case "int": self = .int
        case "string": self = .string
        case "date": self = .date
        default:
            guard let vocabulary = Vocabulary.all.first(where: { $0.typeName == trimmed }) else { return nil }
            self = .enumeration(vocabulary)
        }
    }

    var isList: Bool {
        if case .list = self { return true }
        return false
    }
}
