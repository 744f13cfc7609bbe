// The contract's closed vocabularies (../shared/contract/README.md). Declaration order is the
// order of `spellings`; a test holds every pair together.

public enum Action: UInt8, ContractEnum {
    case arrest, detention, initiateRemovalProceedings, removal
    public static let vocabularyName = "action"
    public static let spellings = ["arrest", "detention", "initiate-removal-proceedings", "removal"]
}

public enum BenefitType: UInt8, ContractEnum {
    case t, u, vawa, sij, continuedPresence
    public static let vocabularyName = "benefit type"
    public static let spellings = ["T", "U", "VAWA", "SIJ", "CP"]
}

public enum BenefitRole: UInt8, ContractEnum {
    case principal, derivative
    public static let vocabularyName = "benefit role"
    public static let spellings = ["principal", "derivative"]
}

public enum BenefitStatus: UInt8, ContractEnum {
    case pending, approved, denied, deniedFinal, revoked
    public static let vocabularyName = "benefit status"
    public static let spellings = ["pending", "approved", "denied", "denied-final", "revoked"]
}

public enum VictimIndicium: UInt8, ContractEnum {
    case protectionOrder, traffickingEligibilityLetter, lawEnforcementCertification, selfReport, other
    public static let vocabularyName = "victim indicium"
    public static let spellings = [
        "protection-order", "trafficking-eligibility-letter", "law-enforcement-certification", "self-report", "other",
    ]
}

public enum InformationSource: UInt8, ContractEnum {
    case independent, subject, abuser, trafficker, perpetrator, abuserHousehold
    public static let vocabularyName = "information source"
    public static let spellings = ["independent", "subject", "abuser", "trafficker", "perpetrator", "abuser-household"]
}

/// A step that must be done before the action (`requiredSteps`, `stepsCompleted`).
public enum Step: UInt8, ContractEnum {
    case oplaConsultation, exceptionalCircumstancesApproval, lawEnforcementDeconfliction, benefitVerification
    public static let vocabularyName = "step"
    public static let spellings = [
        "opla-consultation", "exceptional-circumstances-approval", "law-enforcement-deconfliction", "benefit-verification",
    ]
}

/// An obligation that stands whatever the disposition.
public enum Duty: UInt8, ContractEnum {
    case section1367Confidentiality, sourceProhibition, seekVictimIndicia, referUnreportedCrime,
         considerProsecutorialDiscretion
    public static let vocabularyName = "duty"
    public static let spellings = [
        "section-1367-confidentiality", "source-prohibition", "seek-victim-indicia", "refer-unreported-crime",
        "consider-prosecutorial-discretion",
    ]
}

/// Relief to consider or that the subject may seek.
public enum ReliefOption: UInt8, ContractEnum {
    case expeditedAdjudicationRequest, continuedPresence, parole, stayOfRemoval
    public static let vocabularyName = "option"
    public static let spellings = ["expedited-adjudication-request", "continued-presence", "parole", "stay-of-removal"]
}

public enum FactorWeight: UInt8, ContractEnum {
    case positive, negative, notRequired
    public static let vocabularyName = "factor weight"
    public static let spellings = ["positive", "negative", "not-required"]
}

/// Ordered from least to most restrictive, so the combination rule is `max`.
public enum Disposition: UInt8, ContractEnum, Comparable {
    case proceed, proceedAfterSteps, refrain
    public static let vocabularyName = "disposition"
    public static let spellings = ["proceed", "proceed-after-steps", "refrain"]
    public static func < (lhs: Disposition, rhs: Disposition) -> Bool { lhs.rawValue < rhs.rawValue }
}
