/// A sub-expression compiled for a whole population: a kernel that computes one column over a
/// domain's rows, or a constant folded when the policies load.
enum ColumnarValue {
    case bools(PopulationDomain, Kernel<Bitset>)
    /// `int`, `date` (`yyyymmdd`) and vocabulary values (their ordinal).
    case scalars(ValueType, PopulationDomain, Kernel<[Int32]>)
    /// Per-row sets of vocabulary values as bit masks, with the element type.
    case sets(ValueType, PopulationDomain, Kernel<[UInt64]>)
    case constantBool(Bool)
    case constantScalar(ValueType, Int)
    case constantSet(ValueType, UInt64)
    case constantScalars(ValueType, [Int])
    /// The case, its subject, or a list element bound to a variable.
    case object(ObjectKind, PopulationDomain)
    /// A list of objects: `subject.benefits` or `information`.
    case rows(ObjectKind, PopulationDomain.Table)

    var type: ValueType {
        switch self {
        case .bools, .constantBool: .bool
        case .scalars(let type, _, _), .constantScalar(let type, _): type
        case .sets(let element, _, _), .constantSet(let element, _), .constantScalars(let element, _): .list(element)
        case .object(let kind, _): .object(kind)
        case .rows(let kind, _): .list(.object(kind))
        }
    }

    /// The rows the value has an entry for; nil for a constant.
    var domain: PopulationDomain? {
        switch self {
        case .bools(let domain, _), .scalars(_, let domain, _), .sets(_, let domain, _), .object(_, let domain): domain
        case .rows, .constantBool, .constantScalar, .constantSet, .constantScalars: nil
        }
    }
}

/// One evaluation of a population: its columns, and the values of definitions already computed
/// (`hasKnownLiveFiling` is read by many rules and computed once).
final class PopulationRun {
    let columns: PopulationColumns
    var definitions: [String: Bitset] = [:]

    init(columns: PopulationColumns) {
        self.columns = columns
    }
}

typealias Kernel<Value> = @Sendable (PopulationRun) -> Value
