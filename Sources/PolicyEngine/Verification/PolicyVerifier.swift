import Foundation
import Synchronization

/// Checks a rule set over a bounded space of facts (no filing, one or two; every type, role, status
/// and verification; every flag the rules or invariants read; each action; a date inside each
/// period and on each boundary; facts nothing reads held fixed) against two kinds of invariant:
/// those the policy files state (`invariants:`, each checked where its policy is in force), and the
/// engine's own, which hold whatever the policies (completed steps are never owed; every outcome
/// has a rule behind it).
public struct PolicyVerifier: Sendable {
    public struct Violation: Sendable, CustomStringConvertible {
        public var invariant: String
        public var facts: CaseFacts
        public var detail: String
        public var description: String { "\(invariant): \(detail)\n  case: \(facts.json.serialized())" }
    }

    public struct Report: Sendable {
        public var casesChecked: Int
        public var violations: [Violation]
        /// For each invariant of the policy files, in file order: on how many cases of the space its
        /// policy was in force and its `when` held, so that it was put to the test.
        public var premisesHeld: [(invariant: String, cases: Int)]
        /// Invariants whose `when` never held in the space checked: they tested nothing.
        public var vacuous: [String] { premisesHeld.filter { $0.cases == 0 }.map(\.invariant) }
    }

    public let ruleSet: RuleSet
    /// Every invariant of the policy files, in evaluation order of their documents.
    let invariants: [Invariant]
    /// For each document (parallel to `ruleSet.documents`), the indices of its invariants in `invariants`.
    private let invariantsOfDocument: [Range<Int>]

    public init(ruleSet: RuleSet) {
        self.ruleSet = ruleSet
        invariants = ruleSet.documents.flatMap(\.invariants)
        var start = 0
        invariantsOfDocument = ruleSet.documents.map { document in
            defer { start += document.invariants.count }
            return start..<(start + document.invariants.count)
        }
    }

    // MARK: The space

    /// A day inside each stretch of unchanged policies, and each first and last day of a document
    /// with the days just outside it.
    public var dates: [CalendarDate] {
        var days = Set(ruleSet.stretches.map(\.representativeDay))
        for document in ruleSet.documents {
            if let start = document.inForceFrom { days.formUnion([start, start.previousDay]) }
            if let end = document.inForceThrough { days.formUnion([end, end.nextDay]) }
        }
        return days.sorted()
    }

    var filings: [BenefitFiling] {
        let roles: [BenefitRole] = ruleSet.fieldUsage.reads("subject.benefits[].role") ? BenefitRole.allCases : [.principal]
        var result: [BenefitFiling] = []
        for type in BenefitType.allCases {
            for role in roles {
                for status in BenefitStatus.allCases {
                    for verified in [false, true] {
                        result.append(BenefitFiling(type: type, role: role, status: status, verified: verified))
                    }
                }
            }
        }
        return result
    }

    /// No filing, each single filing, and each unordered pair.
    var filingSets: [[BenefitFiling]] {
        let singles = filings
        var sets: [[BenefitFiling]] = [[]] + singles.map { [$0] }
        for first in singles.indices {
            for second in first..<singles.count { sets.append([singles[first], singles[second]]) }
        }
        return sets
    }

    /// The boolean facts that some rule reads.
    var flags: [@Sendable (inout CaseFacts) -> Void] {
        let all: [(String, @Sendable (inout CaseFacts) -> Void)] = [
            ("subject.immediateVictimOrWitness", { $0.subject.immediateVictimOrWitness = true }),
            ("subject.pendingCriminalCase", { $0.subject.pendingCriminalCase = true }),
            ("subject.crimeReported", { $0.subject.crimeReported = true }),
            ("subject.wishesToReport", { $0.subject.wishesToReport = true }),
            ("subject.detained", { $0.subject.detained = true }),
            ("subject.outsideUnitedStates", { $0.subject.outsideUnitedStates = true }),
            ("lawEnforcementInterest", { $0.lawEnforcementInterest = true }),
            ("exceptionalCircumstances", { $0.exceptionalCircumstances = true }),
            ("aggravatingFactors", { $0.aggravatingFactors = true }),
            ("expediteInAgencyInterest", { $0.expediteInAgencyInterest = true }),
            ("convicted237a2", { $0.convicted237a2 = true }),
        ]
        return all.filter { ruleSet.fieldUsage.reads($0.0) }.map(\.1)
    }

    /// Variations of the list facts other than filings, each tried against the core space with at
    /// most one filing: each single victim indicium, each single information item, each single
    /// completed step and all steps completed.
    var variations: [@Sendable (inout CaseFacts) -> Void] {
        var result: [@Sendable (inout CaseFacts) -> Void] = []
        if ruleSet.fieldUsage.reads("subject.victimIndicia") {
            for indicium in VictimIndicium.allCases { result.append { $0.subject.victimIndicia = EnumSet([indicium]) } }
        }
        if ruleSet.fieldUsage.paths.contains(where: { $0.hasPrefix("information") }) {
            for source in InformationSource.allCases {
                for adverse in [false, true] {
                    result.append { $0.information = [InformationItem(id: "item", source: source, adverse: adverse)] }
                }
            }
        }
        for step in Step.allCases { result.append { $0.stepsCompleted = EnumSet([step]) } }
        result.append { $0.stepsCompleted = EnumSet(Step.allCases) }
        return result
    }

    /// Every case of the space, in a fixed order, as chunks that can be checked in parallel.
    /// - Parameter sampleEvery: keep one case in this many (1 keeps all).
    public func run(sampleEvery: Int = 1) -> Report {
        let dates = dates, flags = flags, variations = variations
        let fullSets = filingSets
        let smallSets = Array(fullSets.prefix(1 + filings.count))
        // Work item: (date, action, variation or nil); each covers filing sets × flag combinations.
        let work: [(CalendarDate, Action, Int?)] = dates.flatMap { date in
            Action.allCases.flatMap { action in [(date, action, nil)] + variations.indices.map { (date, action, $0) } }
        }
        let results = Mutex((total: 0, violations: [Violation](), premises: [Int](repeating: 0, count: invariants.count)))
        DispatchQueue.concurrentPerform(iterations: work.count) { index in
            let (date, action, variation) = work[index]
            let scope = ruleSet.makeScope()
            var checked = 0
            var found: [Violation] = []
            var premises = [Int](repeating: 0, count: invariants.count)
            var counter = index
            for filingSet in variation == nil ? fullSets : smallSets {
                for mask in 0..<(1 << flags.count) {
                    counter &+= 1
                    guard sampleEvery == 1 || counter % sampleEvery == 0 else { continue }
                    var facts = CaseFacts(asOf: date, action: action, subject: Subject(benefits: filingSet))
                    for (bit, setFlag) in flags.enumerated() where mask & (1 << bit) != 0 { setFlag(&facts) }
                    if let variation { variations[variation](&facts) }
                    let decision = ruleSet.evaluate(facts, in: scope)
                    checked += 1
                    let violations = check(facts, decision, in: scope, countingPremisesIn: &premises)
                    if found.count < 20 { found += violations }
                }
            }
            results.withLock { results in
                results.total += checked
                results.violations += found
                for index in premises.indices { results.premises[index] += premises[index] }
            }
        }
        let (total, violations, premises) = results.withLock { ($0.total, $0.violations, $0.premises) }
        return Report(casesChecked: total, violations: violations, premisesHeld: Array(zip(invariants.map(\.id), premises)))
    }

    // MARK: Invariants

    /// Checks one decision: the invariants of every policy in force on its date, then the engine's.
    /// - Returns: what failed.
    public func check(_ facts: CaseFacts, _ decision: Decision, in scope: EvaluationScope) -> [Violation] {
        var premises = [Int](repeating: 0, count: invariants.count)
        return check(facts, decision, in: scope, countingPremisesIn: &premises)
    }

    /// `check`, adding one to `premises[i]` for each policy invariant `i` whose `when` held: the
    /// space's run counts into one array per thread instead of returning a list per case.
    func check(_ facts: CaseFacts, _ decision: Decision, in scope: EvaluationScope, countingPremisesIn premises: inout [Int]) -> [Violation] {
        var violations: [Violation] = []
        scope.facts = facts
        scope.decision = decision
        defer { scope.decision = nil }
        for document in decision.policies {
            for index in invariantsOfDocument[document] where invariants[index].premise(scope) {
                let invariant = invariants[index]
                premises[index] += 1
                if !invariant.expectation(scope) {
                    violations.append(Violation(invariant: invariant.id, facts: facts, detail: "\(invariant.description) Decided: \(summary(of: decision))"))
                }
            }
        }
        if !decision.requiredSteps.subtracting(decision.requiredSteps.subtracting(facts.stepsCompleted)).isEmpty {
            violations.append(Violation(invariant: "completed steps are never owed", facts: facts, detail: "owed \(decision.requiredSteps.spellings)"))
        }
        violations += unexplained(facts, decision).map { Violation(invariant: "every outcome has a reason", facts: facts, detail: $0) }
        return violations
    }

    /// A decision's outcome in one line, for a violation's message.
    private func summary(of decision: Decision) -> String {
        let factors = decision.discretionaryFactors.map { "\($0.factor) (\($0.weight.spelling))" }
        return "disposition \(decision.disposition.spelling); steps \(decision.requiredSteps.spellings); duties \(decision.duties.spellings); "
            + "options \(decision.options.spellings); factors \(factors); excluded \(decision.excludedInformation)"
    }

    /// Parts of the decision that no fired rule accounts for.
    func unexplained(_ facts: CaseFacts, _ decision: Decision) -> [String] {
        let fired = decision.reasons.map { ruleSet.rules[$0.rule].effects }
        var missing: [String] = []
        if decision.disposition == .refrain, !fired.contains(where: \.refrain) { missing.append("refrain without a refrain rule") }
        if decision.disposition == .proceedAfterSteps, decision.requiredSteps.isEmpty { missing.append("proceed-after-steps with no step owed") }
        for step in decision.requiredSteps where !fired.contains(where: { $0.steps.contains(step) }) { missing.append("step \(step.spelling)") }
        for duty in decision.duties where !fired.contains(where: { $0.duties.contains(duty) }) { missing.append("duty \(duty.spelling)") }
        for option in decision.options where !fired.contains(where: { $0.options.contains(option) }) { missing.append("option \(option.spelling)") }
        for factor in decision.discretionaryFactors where !fired.contains(where: { $0.factors.contains(factor) }) {
            missing.append("factor \(factor.factor)")
        }
        if !decision.excludedInformation.isEmpty, !fired.contains(where: \.excludeItems) { missing.append("exclusion without a rule") }
        return missing
    }

    // MARK: Quotes

    /// Checks every quote that names a held text against that text, white space aside.
    /// - Returns: one message per quote that is not found verbatim or whose text is missing.
    public func checkQuotes(seedsDirectory: URL) -> (checked: Int, problems: [String]) {
        var problems: [String] = []
        var checked = 0
        var texts: [String: String] = [:]
        for rule in ruleSet.rules {
            guard let held = rule.citation.heldText else { continue }
            if texts[held] == nil {
                guard let data = FileManager.default.contents(atPath: seedsDirectory.appendingPathComponent(held).path) else {
                    problems.append("\(rule.location): \(rule.id) quotes '\(held)', which is not in \(seedsDirectory.path)")
                    continue
                }
                texts[held] = Self.collapsingWhiteSpace(String(decoding: data, as: UTF8.self))
            }
            checked += 1
            if !texts[held]!.contains(Self.collapsingWhiteSpace(rule.citation.quote)) {
                problems.append("\(rule.location): \(rule.id): the quote is not verbatim in \(held)")
            }
        }
        return (checked, problems)
    }

    /// Runs of white space as one space, trimmed.
    public static func collapsingWhiteSpace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
