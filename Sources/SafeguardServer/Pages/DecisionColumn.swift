import PolicyEngine
import SafeguardCore

/// A decision as a page shows it: the disposition, the steps owed with who may record each,
/// duties and options, and every reason with its citation and quoted passage. Built from the
/// decision as disclosed (`Disclosure.decision`), so a part withheld under § 1367 shows the marker.
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

    init(heading: String, decision: JSONValue) {
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
        disposition = text("disposition", of: decision) ?? ""
        dispositionMeaning = Disposition(spelling: disposition)?.meaning ?? ""
        policies = strings("policies")
        noRuleFired = Decision.noRuleFiredExplanation(asOf: text("asOf", of: decision) ?? "", policies: policies)
        steps = strings("requiredSteps").map { spelling in
            OwedStep(step: spelling, recordedBy: Step(spelling: spelling).map { Entitlements.roles(for: $0).map(\.rawValue).sorted().joined(separator: ", ") } ?? "")
        }
        duties = strings("duties")
        options = strings("options")
        guard case .array(let items)? = member("reasons", of: decision) else { reasons = []; return }
        reasons = items.map { item in
            if case .string(let marker) = item { return Reason(withheld: marker) }
            let citation = member("citation", of: item) ?? .null
            let quote = text("quote", of: citation)
            return Reason(rule: text("rule", of: item), effect: text("effect", of: item), document: text("document", of: citation),
                          passage: text("passage", of: citation), quote: quote?.isEmpty == true ? nil : quote,
                          authority: text("authority", of: item))
        }
    }
}
