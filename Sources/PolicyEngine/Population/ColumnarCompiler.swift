/// Turns a condition, already type-checked by `ConditionCompiler` when the policies loaded, into
/// column operations over a population: `&&` becomes an AND of bitsets, `f.type == 'U'` one pass
/// over the filings' type column, `benefits.exists(f, …)` an OR over each case's rows.
///
/// What it cannot run as columns — strings (`item.id`), comprehensions over vocabulary lists, a
/// condition pairing the rows of two lists — it refuses with the construct named.
struct ColumnarCompiler {
    let definitions: [String: Definition]
    let parameters: [String: Parameter]
    let bindings: BindingCounter
    var variables: [String: ColumnarValue] = [:]

    // swiftlint:disable:next cyclomatic_complexity
    func compile(_ expression: Expression, hint: ValueType? = nil) throws(ConditionError) -> ColumnarValue {
        switch expression.kind {
        case .boolLiteral(let value):
            return .constantBool(value)
        case .intLiteral(let value):
            return .constantScalar(.int, value)
        case .stringLiteral(let text):
            guard case .enumeration(let vocabulary) = hint, let ordinal = vocabulary.ordinal(of: text) else {
                throw Self.unsupported("a string value", at: expression.offset)
            }
            return .constantScalar(.enumeration(vocabulary), ordinal)
        case .identifier(let name):
            if let bound = variables[name] { return bound }
            if let definition = definitions[name] { return try expand(definition, arguments: [], at: expression.offset) }
            return try field(name, of: .facts, in: .cases, at: expression.offset)
        case .member(let target, let name):
            if case .identifier("params") = target.kind, variables["params"] == nil {
                guard let parameter = parameters[name] else {
                    throw ConditionError(offset: expression.offset, message: "unknown parameter 'params.\(name)'")
                }
                return try Self.constant(parameter, at: expression.offset)
            }
            guard case .object(let kind, let domain) = try compile(target) else {
                throw ConditionError(offset: expression.offset, message: "'.\(name)' of a value without fields")
            }
            return try field(name, of: kind, in: domain, at: expression.offset)
        case .call(let target, let name, let arguments):
            return try call(target, name, arguments, at: expression.offset)
        case .list(let elements):
            return try listLiteral(elements, hint: hint, at: expression.offset)
        case .not(let operand):
            return try ColumnarOperations.not(compile(operand))
        case .negate(let operand):
            switch try compile(operand) {
            case .constantScalar(.int, let value): return .constantScalar(.int, -value)
            case .scalars(.int, let domain, let column): return .scalars(.int, domain) { run in column(run).map { -$0 } }
            default: throw Self.unsupported("'-' on this value", at: expression.offset)
            }
        case .binary(let op, let left, let right):
            return try binary(op, left, right, at: expression.offset)
        }
    }

    static func unsupported(_ what: String, at offset: Int) -> ConditionError {
        ConditionError(offset: offset, message: "the population evaluator cannot run \(what) as columns")
    }

    // MARK: Facts

    // swiftlint:disable:next cyclomatic_complexity
    private func field(_ name: String, of kind: ObjectKind, in domain: PopulationDomain, at offset: Int) throws(ConditionError) -> ColumnarValue {
        let value: ColumnarValue? = switch (kind, name) {
        case (.facts, "asOf"): .scalars(.date, domain) { $0.columns.asOf }
        case (.facts, "action"): .scalars(.enumeration(Action.vocabulary), domain) { $0.columns.action }
        case (.facts, "subject"): .object(.subject, domain)
        case (.facts, "information"): .rows(.information, .information)
        case (.facts, "stepsCompleted"): .sets(.enumeration(Step.vocabulary), domain) { $0.columns.stepsCompleted }
        case (.subject, "benefits"): .rows(.benefit, .benefits)
        case (.subject, "victimIndicia"): .sets(.enumeration(VictimIndicium.vocabulary), domain) { $0.columns.victimIndicia }
        case (.facts, _), (.subject, _):
            Self.flag(kind == .subject ? "subject.\(name)" : name, in: domain)
        case (.benefit, "type"): .scalars(.enumeration(BenefitType.vocabulary), domain) { $0.columns.benefitType }
        case (.benefit, "role"): .scalars(.enumeration(BenefitRole.vocabulary), domain) { $0.columns.benefitRole }
        case (.benefit, "status"): .scalars(.enumeration(BenefitStatus.vocabulary), domain) { $0.columns.benefitStatus }
        case (.benefit, "verified"): .bools(domain) { $0.columns.benefitVerified }
        case (.information, "source"): .scalars(.enumeration(InformationSource.vocabulary), domain) { $0.columns.informationSource }
        case (.information, "adverse"): .bools(domain) { $0.columns.informationAdverse }
        case (.information, "id"): throw Self.unsupported("an information item's id (a string)", at: offset)
        default: nil
        }
        guard let value else { throw ConditionError(offset: offset, message: "unknown field '\(name)' of \(kind.rawValue)") }
        return value
    }

    private static func flag(_ path: String, in domain: PopulationDomain) -> ColumnarValue? {
        guard let index = PopulationColumns.flagPaths.firstIndex(of: path) else { return nil }
        return .bools(domain) { $0.columns.flags[index] }
    }

    /// A parameter's value, folded: parameters are constants of their file.
    private static func constant(_ parameter: Parameter, at offset: Int) throws(ConditionError) -> ColumnarValue {
        let probe = EvaluationScope.blank(slots: 0)
        switch parameter.constant {
        case .bool(let value): return .constantBool(value(probe))
        case .scalar(let type, let value): return .constantScalar(type, value(probe))
        case .list(let element, .enumSet(let mask)): return .constantSet(element, mask(probe))
        case .list(let element, .scalars(let values)): return .constantScalars(element, values(probe))
        default: throw unsupported("the parameter 'params.\(parameter.name)' of type \(parameter.type)", at: offset)
        }
    }

    // MARK: Calls

    private func call(_ target: Expression?, _ name: String, _ arguments: [Expression], at offset: Int) throws(ConditionError) -> ColumnarValue {
        switch (target, name) {
        case (let target?, "exists"), (let target?, "all"):
            return try comprehension(over: target, arguments, all: name == "all", at: offset)
        case (let target?, "size"):
            return try ColumnarOperations.size(compile(target), at: offset)
        case (nil, "size") where arguments.count == 1:
            return try ColumnarOperations.size(compile(arguments[0]), at: offset)
        case (nil, "date"):
            guard arguments.count == 1, case .stringLiteral(let text) = arguments[0].kind, let date = CalendarDate(text) else {
                throw ConditionError(offset: offset, message: "date() takes one string literal 'YYYY-MM-DD'")
            }
            return .constantScalar(.date, date.ordinal)
        case (nil, _):
            guard let definition = definitions[name] else {
                throw ConditionError(offset: offset, message: "unknown function or definition '\(name)'")
            }
            return try expand(definition, arguments: arguments, at: offset)
        default:
            throw ConditionError(offset: offset, message: "unknown method '\(name)'")
        }
    }

    private func expand(_ definition: Definition, arguments: [Expression], at offset: Int) throws(ConditionError) -> ColumnarValue {
        var inner = ColumnarCompiler(definitions: definitions, parameters: definition.fileParameters, bindings: bindings)
        for (argument, parameter) in zip(arguments, definition.parameters) {
            inner.variables[parameter.name] = try compile(argument, hint: parameter.type)
        }
        let value: ColumnarValue
        do {
            value = try inner.compile(definition.body)
        } catch {
            throw ConditionError(offset: offset, message: "in '\(definition.name)' (\(definition.location)): \(error.message)")
        }
        // A definition without parameters reads only the case: compute it once per run.
        guard arguments.isEmpty, case .bools(let domain, let column) = value, domain == .cases else { return value }
        let name = definition.name
        return .bools(.cases) { run in
            if let known = run.definitions[name] { return known }
            let computed = column(run)
            run.definitions[name] = computed
            return computed
        }
    }

    /// `list.exists(x, condition)` and `list.all(x, condition)`, over filings or information items.
    private func comprehension(over target: Expression, _ arguments: [Expression], all: Bool, at offset: Int) throws(ConditionError) -> ColumnarValue {
        guard arguments.count == 2, case .identifier(let variable) = arguments[0].kind else {
            throw ConditionError(offset: offset, message: "a comprehension takes a variable name and a condition")
        }
        guard case .rows(let kind, let table) = try compile(target) else {
            throw Self.unsupported("a comprehension over a list of values", at: offset)
        }
        let domain = PopulationDomain(table: table, binding: bindings.next())
        var inner = self
        inner.variables[variable] = .object(kind, domain)
        let condition = try inner.compile(arguments[1])
        guard all else { return try ColumnarOperations.anyRow(condition, of: domain, at: offset) }
        return try ColumnarOperations.not(ColumnarOperations.anyRow(ColumnarOperations.not(condition), of: domain, at: offset))
    }

    /// A rule's `forEach: x in LIST` and condition: the cases where some element matches.
    func forEach(_ variable: String, in list: Expression, when condition: Expression) throws(ConditionError) -> ColumnarValue {
        guard case .rows(let kind, let table) = try compile(list) else {
            throw ConditionError(offset: list.offset, message: "forEach ranges over information or subject.benefits")
        }
        let domain = PopulationDomain(table: table, binding: bindings.next())
        var inner = self
        inner.variables[variable] = .object(kind, domain)
        return try ColumnarOperations.anyRow(inner.compile(condition), of: domain, at: condition.offset)
    }

    // MARK: Lists and operators

    private func listLiteral(_ elements: [Expression], hint: ValueType?, at offset: Int) throws(ConditionError) -> ColumnarValue {
        var elementHint: ValueType? = nil
        if case .list(let hinted) = hint { elementHint = hinted }
        var values: [Int] = []
        var elementType: ValueType?
        for element in elements {
            guard case .constantScalar(let type, let value) = try compile(element, hint: elementHint ?? elementType) else {
                throw Self.unsupported("a list of computed values", at: element.offset)
            }
            elementType = type
            values.append(value)
        }
        guard let elementType else { throw ConditionError(offset: offset, message: "cannot tell the type of an empty list here") }
        if case .enumeration = elementType {
            return .constantSet(elementType, values.reduce(0) { $0 | 1 << UInt64($1) })
        }
        return .constantScalars(elementType, values)
    }

    private func binary(_ op: BinaryOperator, _ left: Expression, _ right: Expression, at offset: Int) throws(ConditionError) -> ColumnarValue {
        switch op {
        case .and, .or:
            return try ColumnarOperations.logical(op, compile(left), compile(right), at: offset)
        case .in:
            let (lhs, rhs) = try operands(left, right, rightIsList: true)
            return try ColumnarOperations.membership(lhs, rhs, at: offset)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            let (lhs, rhs) = try operands(left, right, rightIsList: false)
            return try ColumnarOperations.comparison(op, lhs, rhs, at: offset)
        }
    }

    private func operands(_ left: Expression, _ right: Expression, rightIsList: Bool) throws(ConditionError) -> (ColumnarValue, ColumnarValue) {
        try typedOperands(left, right, rightIsList: rightIsList, type: \.type) { expression, hint throws(ConditionError) in
            try compile(expression, hint: hint)
        }
    }
}

/// Numbers the comprehension variables, so that each ranges over a domain of its own.
final class BindingCounter: @unchecked Sendable {
    private var count = 0

    func next() -> Int {
        count += 1
        return count
    }
}
