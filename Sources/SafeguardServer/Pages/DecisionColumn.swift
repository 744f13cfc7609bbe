import PolicyEngine
import SafeguardCore

/// A decision as a page shows it: the disposition, the steps owed with who may record each,
/// duties and options, and every reason with its citation and quoted passage. Built from the
/// decision as disclosed (`Disclosure.decision`), so a part withheld under § 1367 shows the marker.
/// Everything is in plain words (`PageWords`, the rule set's names and rule descriptions); the
/// codes stay in the JSON and on the policies page.
struct DecisionColumn: Encodable {
    struct OwedStep: Encodable {
        var step: String
        var recordedBy: String
    }

    struct Reason: Encodable {
        var withheld: String?
        var rule: String?
        var effect: String?
        var document: String?
        var passage: String?
        var quote: String?
        var authority: String?
    }

    /// What the column shows, e.g. "As the records stand" or "On 2025-02-01".
    var heading: String
    /// The disposition's code, for its colour.
    var dispositionCode: String
    var disposition: String
    /// What the disposition allows, in words: never a finding that the person is removable.
    var dispositionMeaning: String
    var policies: [String]
    var steps: [OwedStep]
    /// The duties and options, or the withheld marker in their place.
    var duties: [String]
    var options: [String]
    var reasons: [Reason]
    /// Said in place of the reasons when no rule fired.
    var noRuleFired: String

    init(heading: String, decision: JSONValue, ruleSet: RuleSet) {
        self.heading = heading
        func member(_ key: String, of value: JSONValue) -> JSONValue? {
            guard case .object(let members) = value else { return nil }
            return members.first { $0.key == key }?.value
        }
        func text(_ key: String, of value: JSONValue) -> String? {
            if case .string(let text)? = member(key, of: value) { text } else { nil }
        }
        func strings(_ key: String) -> [String] {
            switch member(key, of: decision) {
            case .array(let items)?: items.compactMap { if case .string(let text) = $0 { text } else { nil } }
            case .string(let marker)?: [marker]
            default: []
            }
        }
        dispositionCode = text("disposition", of: decision) ?? ""
        let disposition = Disposition(spelling: dispositionCode)
        self.disposition = disposition?.label ?? dispositionCode
        dispositionMeaning = disposition?.meaning ?? ""
        let names = Dictionary(uniqueKeysWithValues: ruleSet.documents.map { ($0.id, $0.name) })
        policies = strings("policies").map { names[$0] ?? $0 }
        noRuleFired = Decision.noRuleFiredExplanation(asOf: text("asOf", of: decision) ?? "", policies: policies)
        steps = strings("requiredSteps").map { spelling in
            let step = Step(spelling: spelling)
            return OwedStep(step: step?.label ?? spelling, recordedBy: step.map(Entitlements.recorders(of:)) ?? "")
        }
        duties = strings("duties").map { Duty(spelling: $0)?.label ?? $0 }
        options = strings("options").map { ReliefOption(spelling: $0)?.label ?? $0 }
        guard case .array(let items)? = member("reasons", of: decision) else { reasons = []; return }
        reasons = items.map { item in
            if case .string(let marker) = item { return Reason(withheld: marker) }
            let citation = member("citation", of: item) ?? .null
            let quote = text("quote", of: citation)
            let rule = text("rule", of: item).flatMap(ruleSet.rule(id:))
            return Reason(rule: rule?.description ?? text("rule", of: item), effect: rule?.effects.plainSummary ?? text("effect", of: item),
                          document: text("document", of: citation),
                          passage: text("passage", of: citation), quote: quote?.isEmpty == true ? nil : quote,
                          authority: text("authority", of: item))
        }
    }
}
