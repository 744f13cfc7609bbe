import PolicyEngine
import SafeguardCore

/// An encounter's page: the decision on the records as they are now, and the forms of the steps
/// and the action this user may record.
struct DecisionPage: Encodable {
    /// A filing a benefit verification may check.
    struct FilingChoice: Encodable {
        var id: String
        var label: String
    }

    /// The benefit-verification form: the person's filings to choose from, or the marker when
    /// they are withheld from this user.
    struct Verification: Encodable {
        var filings: [FilingChoice]
        var withheld: String?
    }

    var frame: PageController.Frame
    var encounterID: String
    var action: String
    var asOf: String
    var status: String
    /// The decision, as the one column of the shared decision view.
    var decisions: [DecisionColumn]
    /// What the last form on the page did, if anything.
    var message: String?
    var mayRecordAction = false
    /// The owed steps this user may record from the page (benefit verification apart).
    var stepsToRecord: [String] = []
    /// When a benefit verification is owed and this user may record it.
    var verification: Verification?
    /// The steps recorded so far, as shown to this user.
    var recorded: [StepView] = []

    init(frame: PageController.Frame, encounter: Encounter, decision: JSONValue) {
        self.frame = frame
        encounterID = encounter.id?.uuidString ?? ""
        (action, asOf, status) = (encounter.action, encounter.asOf, encounter.status)
        decisions = [DecisionColumn(heading: "Decision", decision: decision)]
    }

    var steps: [DecisionColumn.OwedStep] { decisions.first?.steps ?? [] }
}
