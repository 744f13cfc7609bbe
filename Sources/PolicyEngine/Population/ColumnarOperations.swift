/// The operators of the condition language over columns. Constants fold; a case column meeting a
/// list-row column is spread over the rows of each case first.
enum ColumnarOperations {
    static func not(_ value: ColumnarValue) throws(ConditionError) -> ColumnarValue {
        switch value {
        case .constantBool(let constant): return .constantBool(!constant)
        case .bools(let domain, let column): return .bools(domain) { ~column($0) }
        default: throw ConditionError(offset: 0, message: "'!' needs a bool")
        }
    }

    static func logical(_ op: BinaryOperator, _ lhs: ColumnarValue, _ rhs: ColumnarValue, at offset: Int) throws(ConditionError) -> ColumnarValue {
        let isAnd = op == .and
        switch (lhs, rhs) {
        case (.constantBool(let a), .constantBool(let b)):
            return .constantBool(isAnd ? a && b : a || b)
        case (.constantBool(let constant), let other), (let other, .constantBool(let constant)):
            // true && x = x, false || x = x; false && x = false, true || x = true.
            return constant == isAnd ? other : .constantBool(constant)
        default:
            let domain = try common(lhs, rhs, at: offset)
            let a = try bits(lhs, in: domain, at: offset), b = try bits(rhs, in: domain, at: offset)
            return isAnd ? .bools(domain) { a($0) & b($0) } : .bools(domain) { a($0) | b($0) }
        }
    }

    static func comparison(_ op: BinaryOperator, _ lhs: ColumnarValue, _ rhs: ColumnarValue, at offset: Int) throws(ConditionError) -> ColumnarValue {
        switch (lhs, rhs) {
        case (.constantScalar(_, let a), .constantScalar(_, let b)):
            return .constantBool(compare(op, a, b))
        case (.constantScalar(_, let constant), .scalars(_, let domain, let column)):
            return compareColumn(column, in: domain, mirrored(op), Int32(truncatingIfNeeded: constant))
        case (.scalars(_, let domain, let column), .constantScalar(_, let constant)):
            return compareColumn(column, in: domain, op, Int32(truncatingIfNeeded: constant))
        case (.scalars, .scalars):
            let domain = try common(lhs, rhs, at: offset)
            let a = try scalars(lhs, in: domain, at: offset), b = try scalars(rhs, in: domain, at: offset)
            return .bools(domain) { run in
                let left = a(run), right = b(run)
                return Bitset(count: left.count) { compare(op, Int(left[$0]), Int(right[$0])) }
            }
        case (.bools, .bools), (.bools, .constantBool), (.constantBool, .bools), (.constantBool, .constantBool):
            guard op == .equal || op == .notEqual else { break }
            // a != b is a XOR b; a == b is its negation.
            let difference = try exclusiveOr(lhs, rhs, at: offset)
            return op == .notEqual ? difference : try not(difference)
        default:
            break
        }
        throw ColumnarCompiler.unsupported("'\(op.rawValue)' between a \(lhs.type) and a \(rhs.type)", at: offset)
    }

    static func membership(_ lhs: ColumnarValue, _ rhs: ColumnarValue, at offset: Int) throws(ConditionError) -> ColumnarValue {
        switch (lhs, rhs) {
        case (.constantScalar(_, let value), .constantSet(_, let mask)):
            return .constantBool(mask & 1 << UInt64(value) != 0)
        case (.constantScalar(_, let value), .constantScalars(_, let list)):
            return .constantBool(list.contains(value))
        case (.scalars(_, let domain, let column), .constantSet(_, let mask)):
            return .bools(domain) { run in Bitset(column(run)) { isMember($0, of: mask) } }
        case (.scalars(_, let domain, let column), .constantScalars(_, let list)):
            let members = list.map { Int32(truncatingIfNeeded: $0) }
            return .bools(domain) { run in Bitset(column(run)) { members.contains($0) } }
        case (.constantScalar(_, let value), .sets(_, let domain, let column)):
            return .bools(domain) { run in Bitset(column(run)) { $0 >> UInt64(value) & 1 != 0 } }
        case (.scalars, .sets):
            let domain = try common(lhs, rhs, at: offset)
            let a = try scalars(lhs, in: domain, at: offset), b = try sets(rhs, in: domain, at: offset)
            return .bools(domain) { run in
                let values = a(run), sets = b(run)
                return Bitset(count: values.count) { sets[$0] >> UInt64(values[$0]) & 1 != 0 }
            }
        default:
            throw ColumnarCompiler.unsupported("'in' between a \(lhs.type) and a \(rhs.type)", at: offset)
        }
    }

    /// Whether a vocabulary value is in a set of them (a bit mask), without a branch: a value
    /// outside 0..<64 is in no set.
    @inline(__always)
    private static func isMember(_ value: Int32, of mask: UInt64) -> Bool {
        (mask &>> UInt64(truncatingIfNeeded: value)) & UInt64(UInt32(bitPattern: value) < 64 ? 1 : 0) != 0
    }

    static func size(_ value: ColumnarValue, at offset: Int) throws(ConditionError) -> ColumnarValue {
        switch value {
        case .constantSet(_, let mask): return .constantScalar(.int, mask.nonzeroBitCount)
        case .constantScalars(_, let list): return .constantScalar(.int, list.count)
        case .sets(_, let domain, let column):
            return .scalars(.int, domain) { run in column(run).map { Int32($0.nonzeroBitCount) } }
        case .rows(_, let table):
            return .scalars(.int, .cases) { run in
                let start = run.columns.listRows(table).start
                return (0..<run.columns.count).map { start[$0 + 1] - start[$0] }
            }
        default:
            throw ColumnarCompiler.unsupported("size() of a \(value.type)", at: offset)
        }
    }

    /// The rows of the domain's cases where `condition` holds for some row of `domain` (a list
    /// bound to a variable); a condition that does not read the variable holds where the case has rows.
    static func anyRow(_ condition: ColumnarValue, of domain: PopulationDomain, at offset: Int) throws(ConditionError) -> ColumnarValue {
        let table = domain.table
        let hasRows: ColumnarValue = .bools(.cases) { run in
            let start = run.columns.listRows(table).start
            return Bitset(count: run.columns.count) { start[$0] != start[$0 + 1] }
        }
        switch condition {
        case .constantBool(let constant):
            return constant ? hasRows : .constantBool(false)
        case .bools(let over, let column) where over == domain:
            return .bools(.cases) { run in
                // Set bits are few: visit them rather than every case's range.
                var cases = Bitset(count: run.columns.count)
                let owner = run.columns.listRows(table).owner
                column(run).forEachSetRow { cases[Int(owner[$0])] = true }
                return cases
            }
        case .bools:
            // The condition reads only outer values: it holds for some row where it holds and rows exist.
            return try logical(.and, condition, hasRows, at: offset)
        default:
            throw ConditionError(offset: offset, message: "a comprehension's condition must be a bool")
        }
    }

    // MARK: Helpers

    private static func compare(_ op: BinaryOperator, _ a: Int, _ b: Int) -> Bool {
        switch op {
        case .equal: a == b
        case .notEqual: a != b
        case .less: a < b
        case .lessOrEqual: a <= b
        case .greater: a > b
        default: a >= b
        }
    }

    /// The operator that gives the same answer with its operands swapped.
    private static func mirrored(_ op: BinaryOperator) -> BinaryOperator {
        switch op {
        case .less: .greater
        case .lessOrEqual: .greaterOrEqual
        case .greater: .less
        case .greaterOrEqual: .lessOrEqual
        default: op
        }
    }

    private static func compareColumn(_ column: @escaping Kernel<[Int32]>, in domain: PopulationDomain, _ op: BinaryOperator, _ constant: Int32) -> ColumnarValue {
        // One closure per operator keeps the comparison out of the inner loop.
        switch op {
        case .equal: .bools(domain) { run in let v = column(run); return Bitset(v) { $0 == constant } }
        case .notEqual: .bools(domain) { run in let v = column(run); return Bitset(v) { $0 != constant } }
        case .less: .bools(domain) { run in let v = column(run); return Bitset(v) { $0 < constant } }
        case .lessOrEqual: .bools(domain) { run in let v = column(run); return Bitset(v) { $0 <= constant } }
        case .greater: .bools(domain) { run in let v = column(run); return Bitset(v) { $0 > constant } }
        default: .bools(domain) { run in let v = column(run); return Bitset(v) { $0 >= constant } }
        }
    }

    private static func exclusiveOr(_ lhs: ColumnarValue, _ rhs: ColumnarValue, at offset: Int) throws(ConditionError) -> ColumnarValue {
        if case .constantBool(let a) = lhs, case .constantBool(let b) = rhs { return .constantBool(a != b) }
        let domain = try common(lhs, rhs, at: offset)
        let a = try bits(lhs, in: domain, at: offset), b = try bits(rhs, in: domain, at: offset)
        return .bools(domain) { a($0) ^ b($0) }
    }

    /// The domain two operands meet in: the same one, or a list's rows when the other is the cases.
    private static func common(_ lhs: ColumnarValue, _ rhs: ColumnarValue, at offset: Int) throws(ConditionError) -> PopulationDomain {
        switch (lhs.domain, rhs.domain) {
        case (let a?, let b?) where a == b: return a
        case (let a?, PopulationDomain.cases?), (PopulationDomain.cases?, let a?): return a
        case (let a?, nil), (nil, let a?): return a
        case (nil, nil): return .cases
        default: throw ColumnarCompiler.unsupported("a condition that pairs the rows of two lists", at: offset)
        }
    }

    /// A boolean operand as a column over `domain`: constants filled, case columns spread over rows.
    private static func bits(_ value: ColumnarValue, in domain: PopulationDomain, at offset: Int) throws(ConditionError) -> Kernel<Bitset> {
        switch value {
        case .constantBool(let constant):
            return { Bitset(count: $0.columns.rows(of: domain), filled: constant) }
        case .bools(let from, let column) where from == domain:
            return column
        case .bools(let from, let column) where from == .cases:
            let table = domain.table
            return { run in
                let source = column(run), owner = run.columns.listRows(table).owner
                return Bitset(count: owner.count) { source[Int(owner[$0])] }
            }
        default:
            throw ColumnarCompiler.unsupported("a bool of another list here", at: offset)
        }
    }

    private static func scalars(_ value: ColumnarValue, in domain: PopulationDomain, at offset: Int) throws(ConditionError) -> Kernel<[Int32]> {
        guard case .scalars(_, let from, let column) = value else { throw ColumnarCompiler.unsupported("a \(value.type) here", at: offset) }
        return try spread(column, from: from, to: domain, at: offset)
    }

    private static func sets(_ value: ColumnarValue, in domain: PopulationDomain, at offset: Int) throws(ConditionError) -> Kernel<[UInt64]> {
        guard case .sets(_, let from, let column) = value else { throw ColumnarCompiler.unsupported("a \(value.type) here", at: offset) }
        return try spread(column, from: from, to: domain, at: offset)
    }

    private static func spread<Element>(
        _ column: @escaping Kernel<[Element]>, from: PopulationDomain, to domain: PopulationDomain, at offset: Int
    ) throws(ConditionError) -> Kernel<[Element]> {
        if from == domain { return column }
        guard from == .cases else { throw ColumnarCompiler.unsupported("a value of another list here", at: offset) }
        let table = domain.table
        return { run in
            let source = column(run)
            return run.columns.listRows(table).owner.map { source[Int($0)] }
        }
    }
}
