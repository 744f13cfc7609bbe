extension RuleSet {
    /// Decides one case: every document in force on `facts.asOf`, rule by rule in evaluation order.
    ///
    /// The combination rule: `refrain` if any rule in force directs it; otherwise
    /// `proceed-after-steps` while a step that a rule requires is not in `stepsCompleted`;
    /// otherwise `proceed`.
    public func evaluate(_ facts: CaseFacts, in scope: EvaluationScope) -> Decision {
        scope.facts = facts
        let period = schedule.period(on: facts.asOf)
        var decision = Decision(
            asOf: facts.asOf, policies: period.documents, disposition: .proceed, requiredSteps: EnumSet(),
            duties: EnumSet(), options: EnumSet(), discretionaryFactors: [], excludedInformation: [], reasons: [],
            ruleSetDigest: digest
        )
        decision.reasons.reserveCapacity(period.rules.count)
        var refrain = false
        var steps: UInt64 = 0, duties: UInt64 = 0, options: UInt64 = 0
        for ruleIndex in period.rules {
            let program = programs[ruleIndex]
            guard let items = program.matcher.match(scope) else { continue }
            decision.reasons.append(Decision.Firing(rule: ruleIndex, items: items))
            refrain = refrain || program.refrain
            steps |= program.steps
            duties |= program.duties
            options |= program.options
            for factor in program.factors where !decision.discretionaryFactors.contains(factor) {
                decision.discretionaryFactors.append(factor)
            }
            if program.excludeItems {
                for item in items where !decision.excludedInformation.contains(item) {
                    decision.excludedInformation.append(item)
                }
            }
        }
        decision.duties = EnumSet(bits: duties)
        decision.options = EnumSet(bits: options)
        decision.requiredSteps = EnumSet(bits: steps).subtracting(facts.stepsCompleted)
        decision.disposition = refrain ? .refrain : decision.requiredSteps.isEmpty ? .proceed : .proceedAfterSteps
        return decision
    }

    /// Decides one case with a scope of its own.
    public func evaluate(_ facts: CaseFacts) -> Decision {
        evaluate(facts, in: makeScope())
    }

    /// The ids of the documents in force on a date, in evaluation order.
    public func policiesInForce(on date: CalendarDate) -> [PolicyDocument] {
        documents.filter { $0.isInForce(on: date) }
    }
}

extension RuleMatcher {
    /// nil when the rule does not fire; otherwise the items it matched (empty for a whole-case rule).
    @inline(__always)
    func match(_ scope: EvaluationScope) -> [String]? {
        switch self {
        case .whole(let condition):
            return condition(scope) ? [] : nil
        case .eachInformationItem(let slot, let condition):
            var matched: [String] = []
            for item in scope.facts.information {
                scope.items[slot] = item
                if condition(scope) { matched.append(item.id) }
            }
            return matched.isEmpty ? nil : matched
        case .eachBenefit(let slot, let condition):
            var matched: [String] = []
            for (index, filing) in scope.facts.subject.benefits.enumerated() {
                scope.benefits[slot] = filing
                if condition(scope) { matched.append("subject.benefits[\(index)]") }
            }
            return matched.isEmpty ? nil : matched
        }
    }
}
