import PolicyEngine
import SafeguardCore
import Vapor

/// One case, stated on a form as the encounter form states one, evaluated on two days side by
/// side: which policies govern each day and what changes between them. A GET: nothing is stored,
/// and nothing is read from records.
struct DateComparisonPage: Encodable {
    struct Query: Content {
        var first: String?
        var second: String?
        var action: String?
        var facts: [String]?
        var indicia: [String]?
        /// The filing on file, if any: its kind ("none" or empty for no filing), role and status.
        var filingType: String?
        var filingRole: String?
        var filingStatus: String?
        /// "yes" when the filing is verified in records.
        var filingVerified: String?

        /// A known U petitioner arrested: the case whose outcome the 2021 and 2025 changes turn on.
        static let sample = Query(first: "2021-08-01", second: "2025-03-01", action: Action.arrest.spelling, filingType: BenefitType.u.spelling,
                                  filingRole: BenefitRole.principal.spelling, filingStatus: BenefitStatus.pending.spelling, filingVerified: "yes")
    }

    var frame: PageController.Frame
    var first: String
    var second: String
    var actions: [FormChoice]
    var facts: [FactQuestion]
    var indicia: [FormChoice]
    var filingTypes: [FormChoice]
    var filingRoles: [FormChoice]
    var filingStatuses: [FormChoice]
    var filingVerified: Bool
    var errors: [String] = []
    var columns: [DecisionColumn] = []
    var changes: [String] = []

    /// - Parameter query: the form as sent; the sample case when the form was not sent yet.
    init(frame: PageController.Frame, query sent: Query, ruleSet: RuleSet) {
        let query = sent.first == nil && sent.second == nil ? Query.sample : sent
        self.frame = frame
        (first, second) = (query.first ?? "", query.second ?? "")
        func choices<Vocabulary: ContractEnum>(_ type: Vocabulary.Type, selected: String?) -> [FormChoice] {
            Vocabulary.allCases.map { FormChoice(value: $0.spelling, label: $0.label.sentenceCased, selected: $0.spelling == selected) }
        }
        actions = choices(Action.self, selected: query.action)
        facts = FactQuestion.all(checked: { query.facts?.contains($0.field) ?? false })
        indicia = VictimIndicium.allCases.map { FormChoice(value: $0.spelling, label: $0.label.sentenceCased, selected: query.indicia?.contains($0.spelling) ?? false) }
        filingTypes = [FormChoice(value: "none", label: "No filing", selected: (query.filingType ?? "none") == "none")]
            + choices(BenefitType.self, selected: query.filingType)
        filingRoles = choices(BenefitRole.self, selected: query.filingRole)
        filingStatuses = choices(BenefitStatus.self, selected: query.filingStatus)
        filingVerified = query.filingVerified == "yes"

        let firstDay = CalendarDate(first), secondDay = CalendarDate(second)
        if firstDay == nil { errors.append("First date: '\(first.prefix(20))' is not a date (YYYY-MM-DD)") }
        if secondDay == nil { errors.append("Second date: '\(second.prefix(20))' is not a date (YYYY-MM-DD)") }
        guard let facts = facts(from: query, on: firstDay ?? secondDay), let firstDay, let secondDay else { return }
        var onFirst = facts, onSecond = facts
        onFirst.asOf = firstDay
        onSecond.asOf = secondDay
        let before = ruleSet.evaluate(onFirst), after = ruleSet.evaluate(onSecond)
        columns = [DecisionColumn(heading: "On \(firstDay)", decision: before.json(in: ruleSet), ruleSet: ruleSet),
                   DecisionColumn(heading: "On \(secondDay)", decision: after.json(in: ruleSet), ruleSet: ruleSet)]
        changes = DecisionDiff(before: before, after: after, in: ruleSet).plainLines(in: ruleSet).map(\.text)
    }

    /// The case the form states on `day`, or nil with `errors` saying which field could not be read.
    private mutating func facts(from query: Query, on day: CalendarDate?) -> CaseFacts? {
        let action = query.action.flatMap(Action.init(spelling:))
        if action == nil { errors.append("Action: choose the action") }
        var benefits: [BenefitFiling] = []
        if let spelling = query.filingType, spelling != "none", !spelling.isEmpty {
            if let type = BenefitType(spelling: spelling), let role = query.filingRole.flatMap(BenefitRole.init(spelling:)),
               let status = query.filingStatus.flatMap(BenefitStatus.init(spelling:)) {
                benefits.append(BenefitFiling(type: type, role: role, status: status, verified: query.filingVerified == "yes"))
            } else {
                errors.append("Filing: choose its kind, whether principal or derivative, and its status")
            }
        }
        var indicia = EnumSet<VictimIndicium>()
        for spelling in query.indicia ?? [] {
            if let indicium = VictimIndicium(spelling: spelling) { indicia.insert(indicium) } else { errors.append("Signs of victimisation: one ticked is not a sign of this form") }
        }
        let stated = Set((query.facts ?? []).compactMap(EncounterFact.init(rawValue:)))
        if stated.count != Set(query.facts ?? []).count { errors.append("Facts: one ticked is not a fact of this form") }
        guard let action, let day, errors.isEmpty else { return nil }
        var facts = CaseFacts(asOf: day, action: action,
                              subject: Subject(benefits: benefits, victimIndicia: indicia))
        for fact in stated { facts[keyPath: fact.caseKeyPath] = true }
        return facts
    }
}
