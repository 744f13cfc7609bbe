/// A type-checked sub-expression turned into a closure of the matching Swift type, so that
/// evaluation neither re-parses nor checks types.
enum Compiled {
    case bool(Getter<Bool>)
    /// `int`, `date` (as `yyyymmdd`) and vocabulary values (as their ordinal).
    case scalar(ValueType, Getter<Int>)
    case string(Getter<String>)
    case object(ObjectAccess)
    /// A list, with its element type.
    case list(ValueType, ListAccess)

    var type: ValueType {
        switch self {
        case .bool: .bool
        case .scalar(let type, _): type
        case .string: .string
        case .object(let access): .object(access.kind)
        case .list(let element, _): .list(element)
        }
    }
}

enum ObjectAccess {
    case facts
    case subject
    case benefit(Getter<BenefitFiling>)
    case information(Getter<InformationItem>)
    case decision
    case factor(Getter<DiscretionaryFactor>)

    var kind: ObjectKind {
        switch self {
        case .facts: .facts
        case .subject: .subject
        case .benefit: .benefit
        case .information: .information
        case .decision: .decision
        case .factor: .factor
        }
    }
}

enum ListAccess {
    case benefits(Getter<[BenefitFiling]>)
    case information(Getter<[InformationItem]>)
    case factors(Getter<[DiscretionaryFactor]>)
    /// A list of unique vocabulary values, as a bit mask over their ordinals.
    case enumSet(Getter<UInt64>)
    case scalars(Getter<[Int]>)
    case strings(Getter<[String]>)
}

/// A boolean condition ready to run.
public struct CompiledCondition: Sendable {
    let run: Getter<Bool>

    @inline(__always)
    func callAsFunction(_ scope: EvaluationScope) -> Bool { run(scope) }
}
