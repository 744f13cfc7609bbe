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

    /// Who records `step`, in words: "an officer or a supervisor (FOD or SAC)".
    public static func recorders(of step: Step) -> String {
        roles(for: step).map(\.wordsWithArticle).sorted().joined(separator: " or ")
    }

    /// The roles that may open encounters and record enforcement actions.
    public static let enforcementRoles: Set<Role> = [.officer, .supervisor]

    /// Refuses an actor whose role may not open or change encounters or record their actions.
    /// - Parameter work: what the actor tried, for the refusal ("open encounters").
    public static func requireEnforcementRole(_ actor: Actor, for work: String) throws {
        guard enforcementRoles.contains(actor.role) else { throw WorkflowError.forbidden("\(actor.role.wordsWithArticle) may not \(work)") }
    }

    /// The roles that may create and change people and filings.
    public static let caseRecordRoles: Set<Role> = [.officer, .supervisor]

    /// The roles that may read case records (people, filings, encounters, steps, follow-ups).
    /// Analysts see aggregate figures only, never a person.
    public static let caseReadingRoles: Set<Role> = Set(Role.allCases).subtracting([.analyst, .integration])

    /// Refuses a role that reads no case record (analysts see figures only; a system, its feed).
    public static func requireCaseReadingRole(_ actor: Actor) throws(WorkflowError) {
        guard caseReadingRoles.contains(actor.role) else { throw WorkflowError.forbidden("\(actor.role.wordsWithArticle) may not read case records") }
    }

    /// The roles that may search the audit log: auditors, and admins who run the service.
    public static let auditLogRoles: Set<Role> = [.auditor, .admin]

    /// The roles that may read aggregate figures.
    public static let statisticsRoles: Set<Role> = [.analyst, .auditor, .admin, .supervisor]

    /// The roles that may list the open encounters a draft policy would change (their ids, with
    /// the dispositions): supervisors and admins, who read case records and answer for the
    /// population. The others of `statisticsRoles` see the same change in aggregate.
    public static let changedEncountersRoles: Set<Role> = [.supervisor, .admin]

    /// The roles that scrape the service's metrics: not the custody feed's integration account,
    /// which could watch the delivery counters move after its own event and learn who registered.
    public static let metricsRoles: Set<Role> = [.admin]

    /// The roles that watch victim notification's alerts: a silent feed, a failing gateway.
    public static let deliveryStatusRoles: Set<Role> = [.hotlineSpecialist, .supervisor, .admin]

    /// Whether the actor sees the outbox's counts and dead letters: only the roles that run
    /// notification do. How many notices an event made, or failed to deliver, tells whether a
    /// detainee's victim registered, which is not for an enforcement role to learn.
    public static func seesDeliveryCounts(_ actor: Actor) -> Bool {
        [.hotlineSpecialist, .admin].contains(actor.role)
    }
}
