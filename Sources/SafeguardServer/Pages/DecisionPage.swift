import PolicyEngine
import SafeguardCore

/// An encounter's decision as the officer reads it: the disposition, the steps owed with who may
/// record each, duties and options, and every reason with its citation and quoted passage. A part
/// withheld under § 1367 shows the marker.
struct DecisionPage: Encodable {
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
    }

    var frame: PageController.Frame
    var encounterID: String
    var action: String
    var asOf: String
    var status: String
    var disposition: String
    var steps: [OwedStep]
    /// The duties and options, or the withheld marker in their place.
    var duties: [String]
    var options: [String]
    var reasons: [Reason]
    /// What the last form on the page did, if anything.
    var message: String?
    var mayRecordAction = false
    /// The owed steps this user may record from the page.
    var stepsToRecord: [String] = []

    init(frame: PageController.Frame, encounter: Encounter, decision: JSONValue, ruleSet: RuleSet) {
        self.frame = frame
        encounterID = encounter.id?.uuidString ?? ""
        (action, asOf, status) = (encounter.action, encounter.asOf, encounter.status)
        func member(_ key: String) -> JSONValue? {
            guard case .object(let members) = decision else { return nil }
            return members.first { $0.key == key }?.value
        }
        func strings(_ key: String) -> [String] {
            switch member(key) {
            case .array(let items)?: items.compactMap { if case .string(let text) = $0 { text } else { nil } }
            case .string(let marker)?: [marker]
            default: []
            }
        }
        if case .string(let text)? = member("disposition") { disposition = text } else { disposition = "" }
        steps = strings("requiredSteps").map { spelling in
            OwedStep(step: spelling, recordedBy: Step(spelling: spelling).map { Entitlements.roles(for: $0).map(\.rawValue).sorted().joined(separator: ", ") } ?? "")
        }
        duties = strings("duties")
        options = strings("options")
        guard case .array(let items)? = member("reasons") else { reasons = []; return }
        reasons = items.map { item in
            guard case .object(let fields) = item else {
                if case .string(let marker) = item { return Reason(withheld: marker) }
                return Reason()
            }
            func text(_ key: String, in fields: [JSONMember]) -> String? {
                guard case .string(let value)? = fields.first(where: { $0.key == key })?.value else { return nil }
                return value
            }
            let citation: [JSONMember] = { if case .object(let c)? = fields.first(where: { $0.key == "citation" })?.value { c } else { [] } }()
            return Reason(rule: text("rule", in: fields), effect: text("effect", in: fields), document: text("document", in: citation),
                          passage: text("passage", in: citation), quote: text("quote", in: citation))
        }
    }
}
