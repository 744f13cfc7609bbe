/// What a compiled condition reads while it runs: the case facts, the decision when an invariant
/// checks it, and the values bound to the variables of comprehensions (`exists`, `all`) and of
/// `forEach` rules, one slot per variable.
///
/// One scope serves one evaluation at a time; it is reused across cases to keep evaluation free of
/// allocation.
public final class EvaluationScope {
    public internal(set) var facts: CaseFacts
    /// The decision of `facts`, set only while invariants are checked: only an invariant's
    /// expectation reads it.
    var decision: Decision?
    var benefits: [BenefitFiling]
    var items: [InformationItem]
    var factors: [DiscretionaryFactor]
    var scalars: [Int]
    var strings: [String]

    init(facts: CaseFacts, slots: Int) {
        self.facts = facts
        let filler = BenefitFiling(type: .t, role: .principal, status: .pending, verified: false)
        benefits = Array(repeating: filler, count: slots)
        items = Array(repeating: InformationItem(id: "", source: .independent, adverse: false), count: slots)
        factors = Array(repeating: DiscretionaryFactor(factor: "", weight: .positive), count: slots)
        scalars = Array(repeating: 0, count: slots)
        strings = Array(repeating: "", count: slots)
    }

    /// A scope over placeholder facts, before any case: for evaluation scopes and for reading
    /// constants.
    static func blank(slots: Int) -> EvaluationScope {
        EvaluationScope(facts: CaseFacts(asOf: CalendarDate(year: 2000, month: 1, day: 1)!, action: .arrest), slots: slots)
    }
}

typealias Getter<Value> = @Sendable (EvaluationScope) -> Value
