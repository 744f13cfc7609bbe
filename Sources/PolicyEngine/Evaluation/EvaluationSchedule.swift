/// What evaluation needs of a rule: its matcher and its effects as bit masks, without the texts
/// that would cost a copy per case.
struct RuleProgram: Sendable {
    let matcher: RuleMatcher
    let refrain: Bool
    let steps: UInt64
    let duties: UInt64
    let options: UInt64
    let factors: [DiscretionaryFactor]
    let excludeItems: Bool

    init(_ rule: Rule) {
        matcher = rule.matcher
        refrain = rule.effects.refrain
        steps = rule.effects.steps.bits
        duties = rule.effects.duties.bits
        options = rule.effects.options.bits
        factors = rule.effects.factors
        excludeItems = rule.effects.excludeItems
    }
}

/// The documents in force and the rules to apply, worked out once per stretch of days in which
/// they do not change, so that deciding a case looks its date up instead of filtering documents.
struct EvaluationSchedule: Sendable {
    struct Period: Sendable {
        /// First day as `yyyymmdd`; `Int.min` for the open start.
        let start: Int
        let documents: [Int]
        let rules: [Int]
    }

    let periods: [Period]

    init(documents: [PolicyDocument]) {
        var starts: Set<Int> = [Int.min]
        for document in documents {
            if let first = document.inForceFrom { starts.insert(first.ordinal) }
            if let last = document.inForceThrough { starts.insert(last.nextDay.ordinal) }
        }
        var ruleOffsets: [Int] = []
        var offset = 0
        for document in documents {
            ruleOffsets.append(offset)
            offset += document.rules.count
        }
        periods = starts.sorted().map { start in
            let inForce = documents.indices.filter { index in
                let document = documents[index]
                let afterStart = document.inForceFrom.map { start != Int.min && $0.ordinal <= start } ?? true
                let beforeEnd = document.inForceThrough.map { start <= $0.ordinal } ?? true
                return afterStart && beforeEnd
            }
            let rules = inForce.flatMap { ruleOffsets[$0]..<ruleOffsets[$0] + documents[$0].rules.count }
            return Period(start: start, documents: inForce, rules: rules)
        }
    }

    /// The period that holds the date: the last one starting on or before it.
    @inline(__always)
    func period(on date: CalendarDate) -> Period {
        let ordinal = date.ordinal
        var low = 0, high = periods.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if periods[middle].start <= ordinal { low = middle } else { high = middle - 1 }
        }
        return periods[low]
    }
}
