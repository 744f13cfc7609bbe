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
        }
    }

    /// The contract's path of a field: `subject.detained`, `subject.benefits[].status`, `information[].source`.
    static func path(of field: String, in kind: ObjectKind) -> String {
        switch kind {
        case .facts: field
        case .subject: "subject.\(field)"
        case .benefit: "subject.benefits[].\(field)"
        case .information: "information[].\(field)"
        }
    }
}
