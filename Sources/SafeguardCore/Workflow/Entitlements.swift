import PolicyEngine

/// Who may record what: the steps the policies require are done by the people entitled to them.
public enum Entitlements {
    /// The roles that may record a step.
    public static func roles(for step: Step) -> Set<Role> {
        switch step {
        case .oplaConsultation: [.oplaAttorney]
        // Approval of exceptional circumstances is at the FOD/SAC level: a supervisor.
        case .exceptionalCircumstancesApproval: [.supervisor]
        case .lawEnforcementDeconfliction: [.officer, .supervisor]
        case .benefitVerification: [.officer, .supervisor]
        }
    }

    /// The roles that may open encounters and record enforcement actions.
    public static let enforcementRoles: Set<Role> = [.officer, .supervisor]

    /// The roles that may create and change people and filings.
    public static let caseRecordRoles: Set<Role> = [.officer, .supervisor]
}
