/// Type-checks a parsed condition against the case facts, the file's parameters, the shared
/// definitions and the variables in scope, and turns it into closures.
struct ConditionCompiler {
    let definitions: [String: Definition]
    let parameters: [String: Parameter]
    let slots: SlotCounter
    let usage: FieldUsage
    var variables: [String: Compiled] = [:]
    /// Definitions being expanded, to refuse recursion.
    var expanding: [String] = []
    /// True for an invariant's expectation, the one place that reads `decision`.
    var readsDecision = false
    /// Shared with the compilers of the definitions it expands.
    var budget = ExpansionBudget()

    init(definitions: [String: Definition], parameters: [String: Parameter], slots: SlotCounter, usage: FieldUsage) {
        self.definitions = definitions
        self.parameters = parameters
        self.slots = slots
        self.usage = usage
    }

    func condition(_ expression: Expression) throws(ConditionError) -> CompiledCondition {
        let compiled = try compile(expression)
        guard case .bool(let run) = compiled else {
            throw ConditionError(offset: expression.offset, message: "a condition must be a bool, this is a \(compiled.type)")
        }
        return CompiledCondition(run: run)
    }

    func compile(_ expression: Expression, hint: ValueType? = nil) throws(ConditionError) -> Compiled {
        switch expression.kind {
        case .boolLiteral(let value):
            return .bool { _ in value }
        case .intLiteral(let value):
            return .scalar(.int, { _ in value })
        case .stringLiteral(let text):
            if case .enumeration(let vocabulary) = hint {
                return try enumerationLiteral(text, vocabulary, at: expression.offset)
            }
            return .string { _ in text }
        case .identifier(let name):
            return try identifier(name, at: expression.offset)
        case .member(let target, let name):
            return try member(target, name, at: expression.offset)
        case .call(let target, let name, let arguments):
            return try call(target, name, arguments, at: expression.offset)
        case .list(let elements):
            return try listLiteral(elements, hint: hint, at: expression.offset)
        case .not(let operand):
            let run = try bool(operand, "'!'")
            return .bool { !run($0) }
        case .negate(let operand):
            let value = try compile(operand)
            guard case .scalar(.int, let run) = value else {
                throw ConditionError(offset: operand.offset, message: "'-' applies to an int, not a \(value.type)")
            }
            return .scalar(.int, { -run($0) })
        case .binary(let op, let left, let right):
            return try binary(op, left, right, at: expression.offset)
        }
    }

    private func bool(_ expression: Expression, _ context: String) throws(ConditionError) -> Getter<Bool> {
        let compiled = try compile(expression)
        guard case .bool(let run) = compiled else {
            throw ConditionError(offset: expression.offset, message: "\(context) needs a bool, this is a \(compiled.type)")
        }
        return run
    }

    private func enumerationLiteral(_ text: String, _ vocabulary: Vocabulary, at offset: Int) throws(ConditionError) -> Compiled {
        guard let ordinal = vocabulary.ordinal(of: text) else {
            throw ConditionError(
                offset: offset,
                message: "'\(text)' is not a value of \(vocabulary.typeName); expected one of \(vocabulary.spellings.map { "'\($0)'" }.joined(separator: ", "))"
            )
        }
        return .scalar(.enumeration(vocabulary), { _ in ordinal })
    }

    // MARK: Names

    private func identifier(_ name: String, at offset: Int) throws(ConditionError) -> Compiled {
        if let bound = variables[name] { return bound }
        if name == "params" {
            throw ConditionError(offset: offset, message: "'params' needs a parameter name: params.NAME")
        }
        if let definition = definitions[name] {
            return try expand(definition, arguments: [], at: offset)
        }
        if name == "decision" {
            guard readsDecision else {
                throw ConditionError(offset: offset, message: "'decision' can be read only in an invariant's 'expect'")
            }
            return .object(.decision)
        }
        return try field(name, of: .facts, at: offset)
    }

    private func member(_ target: Expression, _ name: String, at offset: Int) throws(ConditionError) -> Compiled {
        if case .identifier("params") = target.kind, variables["params"] == nil {
            guard let parameter = parameters[name] else {
                let known = parameters.keys.sorted().joined(separator: ", ")
                throw ConditionError(offset: offset, message: "unknown parameter 'params.\(name)'; this file declares: \(known.isEmpty ? "none" : known)")
            }
            return parameter.constant
        }
        let base = try compile(target)
        guard case .object(let access) = base else {
            throw ConditionError(offset: offset, message: "'.\(name)': a \(base.type) has no fields")
        }
        return try field(name, of: access, at: offset)
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private func field(_ name: String, of access: ObjectAccess, at offset: Int) throws(ConditionError) -> Compiled {
        let compiled: Compiled?
        switch access {
        case .facts:
            compiled = switch name {
            case "asOf": .scalar(.date, { $0.facts.asOf.ordinal })
            case "action": .scalar(.enumeration(Action.vocabulary), { Int($0.facts.action.rawValue) })
            case "subject": .object(.subject)
            case "lawEnforcementInterest": .bool { $0.facts.lawEnforcementInterest }
            case "exceptionalCircumstances": .bool { $0.facts.exceptionalCircumstances }
            case "aggravatingFactors": .bool { $0.facts.aggravatingFactors }
            case "expediteInAgencyInterest": .bool { $0.facts.expediteInAgencyInterest }
            case "information": .list(.object(.information), .information { $0.facts.information })
            case "convicted237a2": .bool { $0.facts.convicted237a2 }
            case "stepsCompleted": .list(.enumeration(Step.vocabulary), .enumSet { $0.facts.stepsCompleted.bits })
            default: nil
            }
        case .subject:
            compiled = switch name {
            case "benefits": .list(.object(.benefit), .benefits { $0.facts.subject.benefits })
            case "victimIndicia": .list(.enumeration(VictimIndicium.vocabulary), .enumSet { $0.facts.subject.victimIndicia.bits })
            case "immediateVictimOrWitness": .bool { $0.facts.subject.immediateVictimOrWitness }
            case "pendingCriminalCase": .bool { $0.facts.subject.pendingCriminalCase }
            case "crimeReported": .bool { $0.facts.subject.crimeReported }
            case "wishesToReport": .bool { $0.facts.subject.wishesToReport }
            case "detained": .bool { $0.facts.subject.detained }
            case "outsideUnitedStates": .bool { $0.facts.subject.outsideUnitedStates }
            default: nil
            }
        case .benefit(let filing):
            compiled = switch name {
            case "type": .scalar(.enumeration(BenefitType.vocabulary), { Int(filing($0).type.rawValue) })
            case "role": .scalar(.enumeration(BenefitRole.vocabulary), { Int(filing($0).role.rawValue) })
            case "status": .scalar(.enumeration(BenefitStatus.vocabulary), { Int(filing($0).status.rawValue) })
            case "verified": .bool { filing($0).verified }
            default: nil
            }
        case .information(let item):
            compiled = switch name {
            case "id": .string { item($0).id }
            case "source": .scalar(.enumeration(InformationSource.vocabulary), { Int(item($0).source.rawValue) })
            case "adverse": .bool { item($0).adverse }
            default: nil
            }
        case .decision:
            compiled = switch name {
            case "disposition": .scalar(.enumeration(Disposition.vocabulary), { Int($0.decision!.disposition.rawValue) })
            case "requiredSteps": .list(.enumeration(Step.vocabulary), .enumSet { $0.decision!.requiredSteps.bits })
            case "duties": .list(.enumeration(Duty.vocabulary), .enumSet { $0.decision!.duties.bits })
            case "options": .list(.enumeration(ReliefOption.vocabulary), .enumSet { $0.decision!.options.bits })
            case "discretionaryFactors": .list(.object(.factor), .factors { $0.decision!.discretionaryFactors })
            case "excludedInformation": .list(.string, .strings { $0.decision!.excludedInformation })
            default: nil
            }
        case .factor(let factor):
            compiled = switch name {
            case "factor": .string { factor($0).factor }
            case "weight": .scalar(.enumeration(FactorWeight.vocabulary), { Int(factor($0).weight.rawValue) })
            default: nil
            }
        }
        guard let compiled else {
            let known = FieldCatalog.fields(of: access.kind).joined(separator: ", ")
            let what = access.kind == .facts ? "unknown name '\(name)'" : "unknown field '\(name)' of \(access.kind.rawValue)"
            throw ConditionError(offset: offset, message: "\(what); known fields: \(known)")
        }
        if let path = FieldCatalog.path(of: name, in: access.kind) { usage.record(path) }
        return compiled
    }

    // MARK: Calls

    private func call(_ target: Expression?, _ name: String, _ arguments: [Expression], at offset: Int) throws(ConditionError) -> Compiled {
        if let target {
            switch name {
            case "exists", "all": return try comprehension(name, over: target, arguments, at: offset)
            case "size":
                guard arguments.isEmpty else { throw ConditionError(offset: offset, message: "'.size()' takes no arguments") }
                return try size(of: target, at: offset)
            default:
                throw ConditionError(offset: offset, message: "unknown method '\(name)'; available: exists, all, size")
            }
        }
        switch name {
        case "size":
            guard arguments.count == 1 else { throw ConditionError(offset: offset, message: "size() takes one argument") }
            return try size(of: arguments[0], at: offset)
        case "date":
            guard arguments.count == 1, case .stringLiteral(let text) = arguments[0].kind else {
                throw ConditionError(offset: offset, message: "date() takes one string literal 'YYYY-MM-DD'")
            }
            guard let date = CalendarDate(text) else {
                throw ConditionError(offset: arguments[0].offset, message: "'\(text)' is not a valid date YYYY-MM-DD")
            }
            let ordinal = date.ordinal
            return .scalar(.date, { _ in ordinal })
        default:
            guard let definition = definitions[name] else {
                throw ConditionError(offset: offset, message: "unknown function or definition '\(name)'")
            }
            return try expand(definition, arguments: arguments, at: offset)
        }
    }

    private func size(of expression: Expression, at offset: Int) throws(ConditionError) -> Compiled {
        let compiled = try compile(expression)
        switch compiled {
        case .string(let text): return .scalar(.int, { text($0).unicodeScalars.count })
        case .list(_, let access):
            switch access {
            case .benefits(let list): return .scalar(.int, { list($0).count })
            case .information(let list): return .scalar(.int, { list($0).count })
            case .factors(let list): return .scalar(.int, { list($0).count })
            case .enumSet(let mask): return .scalar(.int, { mask($0).nonzeroBitCount })
            case .scalars(let list): return .scalar(.int, { list($0).count })
            case .strings(let list): return .scalar(.int, { list($0).count })
            }
        default:
            throw ConditionError(offset: offset, message: "size() applies to a list or a string, not a \(compiled.type)")
        }
    }

    private func expand(_ definition: Definition, arguments: [Expression], at offset: Int) throws(ConditionError) -> Compiled {
        guard !expanding.contains(definition.name) else {
            throw ConditionError(offset: offset, message: "definition '\(definition.name)' refers to itself through \(expanding.joined(separator: " → "))")
        }
        guard arguments.count == definition.parameters.count else {
            throw ConditionError(
                offset: offset,
                message: "'\(definition.name)' takes \(definition.parameters.count) argument(s), given \(arguments.count)"
            )
        }
        try budget.spend(at: offset)
        var inner = ConditionCompiler(definitions: definitions, parameters: definition.fileParameters, slots: slots, usage: usage)
        inner.expanding = expanding + [definition.name]
        inner.budget = budget
        for (argument, parameter) in zip(arguments, definition.parameters) {
            let value = try compile(argument, hint: parameter.type)
            guard value.type == parameter.type else {
                throw ConditionError(
                    offset: argument.offset,
                    message: "'\(definition.name)' expects a \(parameter.type) for '\(parameter.name)', given a \(value.type)"
                )
            }
            inner.variables[parameter.name] = value
        }
        do {
            return try inner.compile(definition.body)
        } catch {
            // The definition was checked on its own when it loaded; an error here concerns this use of it.
            throw ConditionError(offset: offset, message: "in '\(definition.name)' (\(definition.location)): \(error.message)")
        }
    }

    private func comprehension(_ name: String, over target: Expression, _ arguments: [Expression], at offset: Int) throws(ConditionError) -> Compiled {
        guard arguments.count == 2, case .identifier(let variable) = arguments[0].kind else {
            throw ConditionError(offset: offset, message: "'.\(name)' takes a variable name and a condition: .\(name)(x, condition)")
        }
        guard variables[variable] == nil, definitions[variable] == nil, variable != "params" else {
            throw ConditionError(offset: arguments[0].offset, message: "variable '\(variable)' hides a name already in scope")
        }
        let list = try compile(target)
        guard case .list(_, let access) = list else {
            throw ConditionError(offset: target.offset, message: "'.\(name)' applies to a list, not a \(list.type)")
        }
        let slot = slots.next()
        var inner = self
        inner.variables[variable] = Self.boundElement(of: list, slot: slot)
        let predicate = try inner.bool(arguments[1], "the condition of '.\(name)'")
        let wantAll = name == "all"
        return .bool(Self.iterate(access, slot: slot, predicate: predicate, all: wantAll))
    }

    /// The value a comprehension variable over `list` stands for.
    static func boundElement(of list: Compiled, slot: Int) -> Compiled {
        guard case .list(let element, let access) = list else { preconditionFailure("not a list") }
        switch access {
        case .benefits: return .object(.benefit { $0.benefits[slot] })
        case .information: return .object(.information { $0.items[slot] })
        case .factors: return .object(.factor { $0.factors[slot] })
        case .enumSet, .scalars: return .scalar(element, { $0.scalars[slot] })
        case .strings: return .string { $0.strings[slot] }
        }
    }

    /// Runs `predicate` over the elements of a list with each bound to `slot`: true when any holds
    /// (`exists`) or when all hold (`all`).
    static func iterate(_ access: ListAccess, slot: Int, predicate: @escaping Getter<Bool>, all: Bool) -> Getter<Bool> {
        switch access {
        case .benefits(let list): return iterate(list, bind: { $0.benefits[slot] = $1 }, predicate: predicate, all: all)
        case .information(let list): return iterate(list, bind: { $0.items[slot] = $1 }, predicate: predicate, all: all)
        case .factors(let list): return iterate(list, bind: { $0.factors[slot] = $1 }, predicate: predicate, all: all)
        case .scalars(let list): return iterate(list, bind: { $0.scalars[slot] = $1 }, predicate: predicate, all: all)
        case .strings(let list): return iterate(list, bind: { $0.strings[slot] = $1 }, predicate: predicate, all: all)
        case .enumSet(let mask):
            return { scope in
                var remaining = mask(scope)
                while remaining != 0 {
                    scope.scalars[slot] = remaining.trailingZeroBitCount
                    remaining &= remaining - 1
                    if predicate(scope) != all { return !all }
                }
                return all
            }
        }
    }

    private static func iterate<Element>(
        _ list: @escaping Getter<[Element]>, bind: @escaping @Sendable (EvaluationScope, Element) -> Void,
        predicate: @escaping Getter<Bool>, all: Bool
    ) -> Getter<Bool> {
        { scope in
            for element in list(scope) {
                bind(scope, element)
                if predicate(scope) != all { return !all }
            }
            return all
        }
    }

    // MARK: Lists and operators

    private func listLiteral(_ elements: [Expression], hint: ValueType?, at offset: Int) throws(ConditionError) -> Compiled {
        var elementType: ValueType? = nil
        if case .list(let hinted) = hint { elementType = hinted }
        var compiled: [Compiled] = []
        for element in elements {
            let value = try compile(element, hint: elementType)
            if let elementType, value.type != elementType {
                throw ConditionError(offset: element.offset, message: "a list holds values of one type: expected \(elementType), found \(value.type)")
            }
            elementType = value.type
            compiled.append(value)
        }
        guard let elementType else {
            throw ConditionError(offset: offset, message: "cannot tell the type of an empty list here")
        }
        return try Self.list(of: compiled, elementType: elementType, at: offset)
    }

    /// A list built from element expressions; constant elements fold into a constant list.
    static func list(of elements: [Compiled], elementType: ValueType, at offset: Int) throws(ConditionError) -> Compiled {
        let probe = EvaluationScope.blank(slots: 0)
        switch elementType {
        case .enumeration:
            var mask: UInt64 = 0
            for case .scalar(_, let value) in elements { mask |= 1 << UInt64(value(probe)) }
            let constant = mask
            return .list(elementType, .enumSet { _ in constant })
        case .int, .date:
            let values = elements.compactMap { element -> Int? in
                guard case .scalar(_, let value) = element else { return nil }
                return value(probe)
            }
            return .list(elementType, .scalars { _ in values })
        case .string:
            let values = elements.compactMap { element -> String? in
                guard case .string(let value) = element else { return nil }
                return value(probe)
            }
            return .list(elementType, .strings { _ in values })
        default:
            throw ConditionError(offset: offset, message: "list literals hold ints, dates, strings or vocabulary values, not \(elementType)")
        }
    }

    private func binary(_ op: BinaryOperator, _ left: Expression, _ right: Expression, at offset: Int) throws(ConditionError) -> Compiled {
        switch op {
        case .and:
            let lhs = try bool(left, "'&&'"), rhs = try bool(right, "'&&'")
            return .bool { lhs($0) && rhs($0) }
        case .or:
            let lhs = try bool(left, "'||'"), rhs = try bool(right, "'||'")
            return .bool { lhs($0) || rhs($0) }
        case .in:
            return try membership(left, right)
        case .equal, .notEqual, .less, .lessOrEqual, .greater, .greaterOrEqual:
            return try comparison(op, left, right)
        }
    }

    private func operands(_ left: Expression, _ right: Expression, rightIsList: Bool = false) throws(ConditionError) -> (Compiled, Compiled) {
        try typedOperands(left, right, rightIsList: rightIsList, type: \.type) { expression, hint throws(ConditionError) in
            try compile(expression, hint: hint)
        }
    }

    private func comparison(_ op: BinaryOperator, _ left: Expression, _ right: Expression) throws(ConditionError) -> Compiled {
        let (lhs, rhs) = try operands(left, right)
        guard lhs.type == rhs.type else {
            throw ConditionError(offset: right.offset, message: "cannot compare a \(lhs.type) with a \(rhs.type) using '\(op.rawValue)'")
        }
        let ordered = op != .equal && op != .notEqual
        switch (lhs, rhs) {
        case (.scalar(let type, let a), .scalar(_, let b)):
            if ordered, case .enumeration = type {
                throw ConditionError(offset: left.offset, message: "'\(op.rawValue)' orders ints and dates, not \(type)")
            }
            switch op {
            case .equal: return .bool { a($0) == b($0) }
            case .notEqual: return .bool { a($0) != b($0) }
            case .less: return .bool { a($0) < b($0) }
            case .lessOrEqual: return .bool { a($0) <= b($0) }
            case .greater: return .bool { a($0) > b($0) }
            default: return .bool { a($0) >= b($0) }
            }
        case (.bool(let a), .bool(let b)) where !ordered:
            return op == .equal ? .bool { a($0) == b($0) } : .bool { a($0) != b($0) }
        case (.string(let a), .string(let b)) where !ordered:
            return op == .equal ? .bool { a($0) == b($0) } : .bool { a($0) != b($0) }
        default:
            throw ConditionError(offset: left.offset, message: "'\(op.rawValue)' does not apply to a \(lhs.type)")
        }
    }

    private func membership(_ left: Expression, _ right: Expression) throws(ConditionError) -> Compiled {
        let (lhs, rhs) = try operands(left, right, rightIsList: true)
        guard case .list(let elementType, let access) = rhs else {
            throw ConditionError(offset: right.offset, message: "'in' needs a list on its right, this is a \(rhs.type)")
        }
        guard lhs.type == elementType else {
            throw ConditionError(offset: left.offset, message: "'in' looks for a \(lhs.type) in a list of \(elementType)")
        }
        switch (lhs, access) {
        case (.scalar(_, let value), .enumSet(let mask)):
            return .bool { mask($0) & (1 << UInt64(value($0))) != 0 }
        case (.scalar(_, let value), .scalars(let list)):
            return .bool { list($0).contains(value($0)) }
        case (.string(let value), .strings(let list)):
            return .bool { list($0).contains(value($0)) }
        default:
            throw ConditionError(offset: left.offset, message: "'in' does not apply to a \(lhs.type); use .exists(x, …)")
        }
    }
}
