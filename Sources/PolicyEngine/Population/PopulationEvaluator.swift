/// Decides a whole population at once from columns: each rule's condition is compiled to column
/// operations, its firings kept as a bitset over the cases, and the combination rule applied to
/// those bitsets. It answers what `RuleSet.evaluate` answers — disposition, steps still owed,
/// duties, relief, the rules that fired — without the per-item reasons, and a differential
/// test holds the two together case by case.
public struct PopulationEvaluator: Sendable {
    public let ruleSet: RuleSet
    private let conditions: [Kernel<Bitset>?]

    /// Compiles every rule; a rule the evaluator cannot run as columns is an error naming it.
    public init(ruleSet: RuleSet) throws(PolicyLoadError) {
        self.ruleSet = ruleSet
        var conditions: [Kernel<Bitset>?] = []
        var problems: [PolicyProblem] = []
        let bindings = BindingCounter()
        for rule in ruleSet.rules {
            do {
                conditions.append(try Self.compile(rule, definitions: ruleSet.definitions, bindings: bindings))
            } catch {
                problems.append(PolicyProblem(location: rule.location, message: "rule '\(rule.id)': \(error.message)"))
            }
        }
        guard problems.isEmpty else { throw PolicyLoadError(problems) }
        self.conditions = conditions
    }

    /// The cases where the rule's condition holds, whatever the date; nil for a rule that never fires.
    private static func compile(_ rule: Rule, definitions: [String: Definition], bindings: BindingCounter) throws(ConditionError) -> Kernel<Bitset>? {
        let compiler = ColumnarCompiler(definitions: definitions, parameters: rule.parsed.parameters, bindings: bindings)
        let value: ColumnarValue
        if let loop = rule.parsed.loop {
            value = try compiler.forEach(loop.variable, in: loop.list, when: rule.parsed.when)
        } else {
            value = try compiler.compile(rule.parsed.when)
        }
        switch value {
        case .constantBool(let fires):
            guard fires else { return nil }
            return { run in Bitset(count: run.columns.count, filled: true) }
        case .bools(let domain, let column) where domain == .cases:
            return column
        default:
            throw ConditionError(offset: rule.parsed.when.offset, message: "a rule's condition must be a bool of the case")
        }
    }

    public func evaluate(_ columns: PopulationColumns) -> PopulationOutcomes {
        let run = PopulationRun(columns: columns)
        let periods = ruleSet.schedule.periods
        // The cases dated within each period of unchanged policies.
        let periodCases = periods.indices.map { index in
            let start = periods[index].start
            let end = index + 1 < periods.count ? periods[index + 1].start : Int.max
            return Bitset(count: columns.count) { start <= Int(columns.asOf[$0]) && Int(columns.asOf[$0]) < end }
        }
        var outcomes = PopulationOutcomes(count: columns.count, rules: ruleSet.rules.count)
        var refrain = Bitset(count: columns.count)
        for (index, program) in ruleSet.programs.enumerated() {
            guard let condition = conditions[index] else { continue }
            var inForce = Bitset(count: columns.count)
            for (period, cases) in zip(periods, periodCases) where period.rules.contains(index) { inForce = inForce | cases }
            guard !inForce.isEmpty else { continue }
            let fired = condition(run) & inForce
            outcomes.fired[index] = fired
            if program.refrain { refrain = refrain | fired }
            outcomes.accumulate(program, over: fired)
        }
        outcomes.settle(stepsCompleted: columns.stepsCompleted, refrain: refrain)
        return outcomes
    }
}

/// What a population's decisions come to, case by case, in columns.
public struct PopulationOutcomes: Sendable {
    public private(set) var dispositions: [Disposition]
    /// Steps still owed (required and not completed), as `EnumSet<Step>` bits.
    public private(set) var requiredSteps: [UInt64]
    public private(set) var duties: [UInt64]
    public private(set) var options: [UInt64]
    /// For each rule of the rule set, the cases where it fired.
    public internal(set) var fired: [Bitset]

    init(count: Int, rules: Int) {
        dispositions = Array(repeating: .proceed, count: count)
        requiredSteps = Array(repeating: 0, count: count)
        duties = Array(repeating: 0, count: count)
        options = Array(repeating: 0, count: count)
        fired = Array(repeating: Bitset(count: count), count: rules)
    }

    mutating func accumulate(_ program: RuleProgram, over cases: Bitset) {
        guard program.steps | program.duties | program.options != 0 else { return }
        cases.forEachSetRow { row in
            requiredSteps[row] |= program.steps
            duties[row] |= program.duties
            options[row] |= program.options
        }
    }

    /// The combination rule: refrain where a refrain rule fired, else after steps while any is owed.
    mutating func settle(stepsCompleted: [UInt64], refrain: Bitset) {
        for row in dispositions.indices {
            requiredSteps[row] &= ~stepsCompleted[row]
            dispositions[row] = refrain[row] ? .refrain : requiredSteps[row] == 0 ? .proceed : .proceedAfterSteps
        }
    }

    /// Counts of cases by disposition.
    public var dispositionCounts: [Disposition: Int] {
        dispositions.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }
}

extension PopulationOutcomes {
    /// How the outcome of one case differs from the per-case engine's decision, or nil when it
    /// agrees on the disposition, the steps owed, the duties, the relief and the rules that fired.
    public func difference(at row: Int, from decision: Decision) -> String? {
        if dispositions[row] != decision.disposition {
            return "disposition \(dispositions[row].spelling), the engine says \(decision.disposition.spelling)"
        }
        if requiredSteps[row] != decision.requiredSteps.bits { return "required steps differ" }
        if duties[row] != decision.duties.bits { return "duties differ" }
        if options[row] != decision.options.bits { return "relief options differ" }
        let firedHere = fired.indices.filter { fired[$0][row] }
        let firedThere = decision.reasons.map(\.rule)
        if firedHere != firedThere { return "rules fired \(firedHere), the engine's \(firedThere)" }
        return nil
    }
}
