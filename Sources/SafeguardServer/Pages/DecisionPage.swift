import PolicyEngine
import SafeguardCore

/// An encounter's page: who the person is and what is on file, what to do next as a task list,
/// the decision on the records as they are now, and the forms of the steps, the facts and the
/// action this user may record. In plain words throughout; protected parts (filings, indicia,
/// evidence) show the § 1367 marker to a reader not entitled to them.
struct DecisionPage: Encodable {
    /// A filing a benefit verification may check.
    struct FilingChoice: Encodable {
        var id: String
        var label: String
    }

    /// The benefit-verification forms: the person's unanswered claims to choose from, or the
    /// marker when filings are withheld from this user; and, when a filing-status source is
    /// configured, the form that asks it.
    struct Verification: Encodable {
        var filings: [FilingChoice]
        var withheld: String?
        var source: SourceForm?
    }

    /// "Verify with USCIS": the source by its name (which says when it is a simulator) and the
    /// claims it can answer (`CaseWorkflow.mayAskSource`).
    struct SourceForm: Encodable {
        var name: String
        var filings: [FilingChoice]
    }

    /// A filing on file ("U visa (principal), pending, receipt …"), and where it stands.
    struct FilingLine: Encodable {
        var filing: String
        /// Verified in the source's records, a bare claim, or answered otherwise.
        var standing: String
        var verified: Bool
        /// Which way it was verified: answered by the source, or checked by hand in a named system.
        var way: String?
    }

    /// A piece of information the case rests on, and whether § 1367(a)(1) sets it aside.
    struct EvidenceLine: Encodable {
        var label: String
        var source: String
        var adverse: Bool
        var excluded: Bool
    }

    /// What is on file: the person and the protected parts (or the marker in their place).
    struct Summary: Encodable {
        var name: String
        var aNumber: String
        var dateOfBirth: String
        var country: String
        var office: String
        /// The facts stated as true, in words.
        var facts: [String]
        /// Nil when withheld (then `withheld` says so).
        var indicia: [String]?
        var filings: [FilingLine]?
        var evidence: [EvidenceLine]?
        var withheld: String?
    }

    /// One line of the task list: a step the policies ask for, who records it, whether it is done,
    /// and the form on this page when this user records it.
    struct Task: Encodable {
        var step: String
        var recordedBy: String
        var done: Bool
        var form: String?
    }

    var frame: PageController.Frame
    var flash: Flash?
    var encounterID: String
    var version: Int
    var action: String
    var asOf: String
    var status: String
    var open: Bool
    var summary: Summary
    var tasks: [Task] = []
    /// The decision, as the one column of the shared decision view.
    var decisions: [DecisionColumn]
    /// Whether this user may record the action now (the decision is to go ahead), and why not otherwise.
    var mayRecordAction = false
    var actionBlocked: String?
    /// The owed steps this user may record from the page (benefit verification apart), by code and words.
    var stepsToRecord: [FormChoice] = []
    /// The benefit-verification form, whenever this user may record one.
    var verification: Verification?
    /// The facts, when this user may change them.
    var facts: [FactQuestion] = []
    /// The steps recorded so far, as shown to this user.
    var recorded: [StepView] = []

    init(frame: PageController.Frame, flash: Flash?, encounter: Encounter, summary: Summary, decision: JSONValue, ruleSet: RuleSet) {
        (self.frame, self.flash, self.summary) = (frame, flash, summary)
        encounterID = encounter.id?.uuidString ?? ""
        version = encounter.version
        action = Action(spelling: encounter.action)?.label ?? encounter.action
        (asOf, status, open) = (encounter.asOf, encounter.status, encounter.status == Encounter.open)
        decisions = [DecisionColumn(heading: "Decision", decision: decision, ruleSet: ruleSet)]
    }
}
