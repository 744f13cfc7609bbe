import PolicyEngine
import SafeguardCore
import Vapor

/// "What changes if…": an encounter's decision on its records beside the decision with some
/// facts flipped, another day, another action or steps taken as done, and the changes in words.
struct WhatIfPage: Encodable {
    /// The changes asked for, from the page's form (a GET: nothing is stored).
    struct Query: Content {
        var asOf: String?
        var action: String?
        /// Facts to flip (`EncounterFact` names).
        var flip: [String]?
        /// Steps to take as done.
        var done: [String]?

        /// The recorded case with the changes applied; a field that does not parse changes nothing.
        func apply(to recorded: CaseFacts) -> CaseFacts {
            var facts = recorded
            if let day = asOf.flatMap({ CalendarDate($0) }) { facts.asOf = day }
            if let action = action.flatMap(Action.init(spelling:)) { facts.action = action }
            for fact in (flip ?? []).compactMap(EncounterFact.init(rawValue:)) { facts[keyPath: fact.caseKeyPath].toggle() }
            for step in (done ?? []).compactMap(Step.init(spelling:)) { facts.stepsCompleted.insert(step) }
            return facts
        }
    }

    var frame: PageController.Frame
    var encounterID: String
    var asOf: String
    var actions: [FormChoice]
    var facts: [FactQuestion]
    var steps: [FormChoice]
    var columns: [DecisionColumn]
    /// What differs, one line each; for a user not entitled, only the disposition and the steps.
    var changes: [String]
    var errors: [String]

    init(frame: PageController.Frame, encounterID: String, recorded: CaseFacts, changed: CaseFacts, query: Query, shown: Bool, ruleSet: RuleSet) {
        self.frame = frame
        self.encounterID = encounterID
        asOf = changed.asOf.description
        actions = Action.allCases.map { FormChoice(value: $0.spelling, label: $0.label, selected: $0 == changed.action) }
        let flipped = Set(query.flip ?? [])
        facts = FactQuestion.all(checked: { flipped.contains($0.field) }, recorded: { recorded[keyPath: $0.caseKeyPath] })
        let before = ruleSet.evaluate(recorded), after = ruleSet.evaluate(changed)
        steps = Step.allCases.filter { !recorded.stepsCompleted.contains($0) }.map { FormChoice(value: $0.spelling, label: $0.label, selected: changed.stepsCompleted.contains($0)) }
        func column(_ heading: String, _ decision: Decision) -> DecisionColumn {
            DecisionColumn(heading: heading, decision: Disclosure.decision(decision.json(in: ruleSet), shown: shown, ruleSet: ruleSet), ruleSet: ruleSet)
        }
        columns = [column("As the records stand (\(recorded.asOf), \(recorded.action.label))", before),
                   column("If… (\(changed.asOf), \(changed.action.label))", after)]
        let lines = DecisionDiff(before: before, after: after, in: ruleSet).plainLines(in: ruleSet)
        if shown {
            changes = lines.map(\.text)
        } else {
            // The marker whether or not anything was left out, so that its presence tells nothing.
            changes = lines.filter { $0.part != .other }.map(\.text) + ["Other changes: \(Disclosure.marker)"]
        }
        errors = []
        if let text = query.asOf, CalendarDate(text) == nil { errors.append("Date: '\(text)' is not a date (YYYY-MM-DD)") }
        if let text = query.action, Action(spelling: text) == nil { errors.append("Action: '\(text)' is not an action") }
        for field in query.flip ?? [] where EncounterFact(rawValue: field) == nil { errors.append("Flip: '\(field)' is not a fact") }
        for spelling in query.done ?? [] where Step(spelling: spelling) == nil { errors.append("Steps: '\(spelling)' is not a step") }
    }
}
