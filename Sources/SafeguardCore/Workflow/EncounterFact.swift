import PolicyEngine

/// A yes-or-no fact an officer states when opening an encounter, as the case contract spells it,
/// with the question a form asks for it in plain words.
public enum EncounterFact: String, CaseIterable, Sendable {
    case immediateVictimOrWitness
    case pendingCriminalCase
    case crimeReported
    case wishesToReport
    case detained
    case outsideUnitedStates
    case lawEnforcementInterest
    case exceptionalCircumstances
    case aggravatingFactors
    case expediteInAgencyInterest
    case convicted237a2

    /// The contract's name for the fact.
    public var field: String { rawValue }

    var keyPath: any ReferenceWritableKeyPath<Encounter, Bool> & Sendable {
        switch self {
        case .immediateVictimOrWitness: \.immediateVictimOrWitness
        case .pendingCriminalCase: \.pendingCriminalCase
        case .crimeReported: \.crimeReported
        case .wishesToReport: \.wishesToReport
        case .detained: \.detained
        case .outsideUnitedStates: \.outsideUnitedStates
        case .lawEnforcementInterest: \.lawEnforcementInterest
        case .exceptionalCircumstances: \.exceptionalCircumstances
        case .aggravatingFactors: \.aggravatingFactors
        case .expediteInAgencyInterest: \.expediteInAgencyInterest
        case .convicted237a2: \.convicted237a2
        }
    }

    /// Where the fact sits in the case the engine decides.
    public var caseKeyPath: WritableKeyPath<CaseFacts, Bool> {
        switch self {
        case .immediateVictimOrWitness: \.subject.immediateVictimOrWitness
        case .pendingCriminalCase: \.subject.pendingCriminalCase
        case .crimeReported: \.subject.crimeReported
        case .wishesToReport: \.subject.wishesToReport
        case .detained: \.subject.detained
        case .outsideUnitedStates: \.subject.outsideUnitedStates
        case .lawEnforcementInterest: \.lawEnforcementInterest
        case .exceptionalCircumstances: \.exceptionalCircumstances
        case .aggravatingFactors: \.aggravatingFactors
        case .expediteInAgencyInterest: \.expediteInAgencyInterest
        case .convicted237a2: \.convicted237a2
        }
    }

    public func set(_ value: Bool, in encounter: Encounter) { encounter[keyPath: keyPath] = value }

    /// The fact in a few plain words, as a summary of the case states it.
    public var name: String {
        switch self {
        case .immediateVictimOrWitness: "victim of, or witness to, a crime"
        case .pendingCriminalCase: "party or witness in a pending criminal case"
        case .crimeReported: "crime reported to law enforcement"
        case .wishesToReport: "wants to report a crime"
        case .detained: "in detention"
        case .outsideUnitedStates: "outside the United States"
        case .lawEnforcementInterest: "a law-enforcement agency has shown interest"
        case .exceptionalCircumstances: "exceptional circumstances asserted"
        case .aggravatingFactors: "aggravating factors"
        case .expediteInAgencyInterest: "a quick decision on the filing is in the agency's interest"
        case .convicted237a2: "convicted of a deportable offence (INA 237(a)(2))"
        }
    }

    /// The question a form asks, in plain words.
    public var question: String {
        switch self {
        case .immediateVictimOrWitness: "Is the person the immediate victim of, or a witness to, a crime?"
        case .pendingCriminalCase: "Is the person a party or witness in a pending criminal case (a prosecution, or a family court matter on abuse)?"
        case .crimeReported: "Has the crime against the person been reported to law enforcement?"
        case .wishesToReport: "Does the person want to report a crime that has not been reported?"
        case .detained: "Is the person in detention now?"
        case .outsideUnitedStates: "Is the person outside the United States?"
        case .lawEnforcementInterest: "Has a law-enforcement agency (other than this office) shown interest in the person?"
        case .exceptionalCircumstances: "Are there exceptional circumstances that may justify acting despite a victim-based filing (for example a threat to national security or public safety)?"
        case .aggravatingFactors: "Are there special circumstances or aggravating factors (serious criminal history, a threat to public safety)?"
        case .expediteInAgencyInterest: "Is a quick decision on the person's filing in the agency's interest?"
        case .convicted237a2: "Has the person been convicted of an offence that makes them deportable under INA 237(a)(2)?"
        }
    }
}
