import PolicyEngine
import SafeguardCore

/// A fact of a case as a form asks it: a checkbox with its question in plain words, ticked
/// when `checked`; `recorded` is the answer on record, for the forms that change a recorded case.
struct FactQuestion: Encodable {
    var field: String
    var question: String
    var checked: Bool
    var recorded: String?

    /// Every fact an officer states, ticked as `checked` says.
    static func all(checked: (EncounterFact) -> Bool, recorded: ((EncounterFact) -> Bool)? = nil) -> [FactQuestion] {
        EncounterFact.allCases.map { fact in
            FactQuestion(field: fact.field, question: fact.question, checked: checked(fact), recorded: recorded.map { $0(fact) ? "yes" : "no" })
        }
    }
}
