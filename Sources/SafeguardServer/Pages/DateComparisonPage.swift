import PolicyEngine
import Vapor

/// One case, typed in as the contract's JSON, evaluated on two days side by side: which policies
/// govern each day and what changes between them.
struct DateComparisonPage: Encodable {
    struct Query: Content {
        var `case`: String?
        var first: String?
        var second: String?
    }

    /// A known U petitioner arrested: the case whose outcome the 2021 and 2025 changes turn on.
    static let sampleCase = """
    {
      "asOf": "2023-05-01",
      "action": "arrest",
      "subject": {
        "benefits": [{"type": "U", "role": "principal", "status": "pending", "verified": true}]
      }
    }
    """

    var frame: PageController.Frame
    var caseText: String
    var first: String
    var second: String
    var errors: [String] = []
    var columns: [DecisionColumn] = []
    var changes: [String] = []

    init(frame: PageController.Frame, query: Query, ruleSet: RuleSet) {
        self.frame = frame
        caseText = query.case ?? Self.sampleCase
        first = query.first ?? "2021-08-01"
        second = query.second ?? "2025-03-01"
        let firstDay = CalendarDate(first), secondDay = CalendarDate(second)
        if firstDay == nil { errors.append("First date: '\(first)' is not a date (YYYY-MM-DD)") }
        if secondDay == nil { errors.append("Second date: '\(second)' is not a date (YYYY-MM-DD)") }
        var facts: CaseFacts?
        do {
            facts = try CaseDecoder.decode(json: Array(caseText.utf8))
        } catch {
            errors += error.errors.map { "Case \($0.description)" }
        }
        guard let facts, let firstDay, let secondDay else { return }
        var onFirst = facts, onSecond = facts
        onFirst.asOf = firstDay
        onSecond.asOf = secondDay
        let before = ruleSet.evaluate(onFirst), after = ruleSet.evaluate(onSecond)
        columns = [DecisionColumn(heading: "On \(firstDay)", decision: before.json(in: ruleSet), ruleSet: ruleSet),
                   DecisionColumn(heading: "On \(secondDay)", decision: after.json(in: ruleSet), ruleSet: ruleSet)]
        changes = DecisionDiff(before: before, after: after, in: ruleSet).plainLines(in: ruleSet).map(\.text)
    }
}
