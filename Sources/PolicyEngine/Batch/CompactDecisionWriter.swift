/// Writes the one-line form of a decision that `batch` prints (reasons as rule ids, no quotes,
/// no digest) straight into a byte buffer, with every id and vocabulary word encoded once.
struct CompactDecisionWriter: Sendable {
    private let ruleIDs: [[UInt8]]
    private let policyIDs: [[UInt8]]

    init(ruleSet: RuleSet) {
        ruleIDs = ruleSet.rules.map { Self.quoted($0.id) }
        policyIDs = ruleSet.documents.map { Self.quoted($0.id) }
    }

    private static func quoted(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        JSONValue.writeString(text, to: &bytes)
        return bytes
    }

    private static let steps = Step.spellings.map(quoted)
    private static let duties = Duty.spellings.map(quoted)
    private static let options = ReliefOption.spellings.map(quoted)
    private static let dispositions = Disposition.spellings.map(quoted)

    /// A decision on the comparison date, to note beside the decision.
    struct Comparison {
        var asOf: CalendarDate
        var disposition: Disposition
        var outcomeChanged: Bool
    }

    func write(_ decision: Decision, caseId: String?, comparison: Comparison?, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        if let caseId {
            output.append(contentsOf: #""caseId":"#.utf8)
            JSONValue.writeString(caseId, to: &output)
            output.append(UInt8(ascii: ","))
        }
        output.append(contentsOf: #""asOf":""#.utf8)
        Self.writeDate(decision.asOf, to: &output)
        output.append(contentsOf: #"","policies":"#.utf8)
        Self.writeList(decision.policies.map { policyIDs[$0] }, to: &output)
        output.append(contentsOf: #","disposition":"#.utf8)
        output.append(contentsOf: Self.dispositions[Int(decision.disposition.rawValue)])
        output.append(contentsOf: #","requiredSteps":"#.utf8)
        Self.writeList(decision.requiredSteps.map { Self.steps[Int($0.rawValue)] }, to: &output)
        output.append(contentsOf: #","duties":"#.utf8)
        Self.writeList(decision.duties.map { Self.duties[Int($0.rawValue)] }, to: &output)
        output.append(contentsOf: #","options":"#.utf8)
        Self.writeList(decision.options.map { Self.options[Int($0.rawValue)] }, to: &output)
        output.append(contentsOf: #","discretionaryFactors":["#.utf8)
        for (index, factor) in decision.discretionaryFactors.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            output.append(contentsOf: #"{"factor":"#.utf8)
            JSONValue.writeString(factor.factor, to: &output)
            output.append(contentsOf: #","weight":""#.utf8)
            output.append(contentsOf: factor.weight.spelling.utf8)
            output.append(contentsOf: #""}"#.utf8)
        }
        output.append(contentsOf: #"],"excludedInformation":["#.utf8)
        for (index, id) in decision.excludedInformation.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            JSONValue.writeString(id, to: &output)
        }
        output.append(contentsOf: #"],"reasons":"#.utf8)
        Self.writeList(decision.reasons.map { ruleIDs[$0.rule] }, to: &output)
        if let comparison {
            output.append(contentsOf: #","comparedTo":{"asOf":""#.utf8)
            Self.writeDate(comparison.asOf, to: &output)
            output.append(contentsOf: #"","disposition":"#.utf8)
            output.append(contentsOf: Self.dispositions[Int(comparison.disposition.rawValue)])
            output.append(contentsOf: #","outcomeChanged":"#.utf8)
            output.append(contentsOf: (comparison.outcomeChanged ? "true" : "false").utf8)
            output.append(UInt8(ascii: "}"))
        }
        output.append(contentsOf: "}\n".utf8)
    }

    private static func writeList(_ items: some Sequence<[UInt8]>, to output: inout [UInt8]) {
        output.append(UInt8(ascii: "["))
        var first = true
        for item in items {
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            output.append(contentsOf: item)
        }
        output.append(UInt8(ascii: "]"))
    }

    private static func writeDate(_ date: CalendarDate, to output: inout [UInt8]) {
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            while divisor > 0 {
                output.append(UInt8(48 + (value / divisor) % 10))
                divisor /= 10
            }
        }
        digits(date.year, 4)
        output.append(UInt8(ascii: "-"))
        digits(date.month, 2)
        output.append(UInt8(ascii: "-"))
        digits(date.day, 2)
    }
}
