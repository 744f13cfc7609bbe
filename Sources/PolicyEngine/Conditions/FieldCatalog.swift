/// The names conditions may read on each object of the case facts, for messages and for the
/// record of which facts the rules read.
enum FieldCatalog {
    static func fields(of kind: ObjectKind) -> [String] {
        switch kind {
        case .facts:
            ["asOf", "action", "subject", "lawEnforcementInterest", "exceptionalCircumstances", "aggravatingFactors",
             "expediteInAgencyInterest", "information", "convicted237a2", "stepsCompleted"]
        case .subject:
            ["benefits", "victimIndicia", "immediateVictimOrWitness", "pendingCriminalCase", "crimeReported",
             "wishesToReport", "detained", "outsideUnitedStates"]
        case .benefit: ["type", "role", "status", "verified"]
        case .information: ["id", "source", "adverse"]
        case .decision: ["disposition", "requiredSteps", "duties", "options", "discretionaryFactors", "excludedInformation"]
        case .factor: ["factor", "weight"]
        }
    }

    /// The contract's path of a field of the facts: `subject.detained`, `subject.benefits[].status`,
    /// `information[].source`; nil for the decision's fields, which are no facts.
    static func path(of field: String, in kind: ObjectKind) -> String? {
        switch kind {
        case .facts: field
        case .subject: "subject.\(field)"
        case .benefit: "subject.benefits[].\(field)"
        case .information: "information[].\(field)"
        case .decision, .factor: nil
        }
    }
}
