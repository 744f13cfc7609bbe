/// The facts of a case, as the contract's input defines them, validated and typed.
public struct CaseFacts: Sendable, Equatable {
    public var caseId: String?
    public var asOf: CalendarDate
    public var action: Action
    public var subject: Subject
    public var lawEnforcementInterest: Bool
    public var exceptionalCircumstances: Bool
    public var aggravatingFactors: Bool
    public var expediteInAgencyInterest: Bool
    public var information: [InformationItem]
    public var convicted237a2: Bool
    public var stepsCompleted: EnumSet<Step>

    public init(
        caseId: String? = nil, asOf: CalendarDate, action: Action, subject: Subject = Subject(),
        lawEnforcementInterest: Bool = false, exceptionalCircumstances: Bool = false,
        aggravatingFactors: Bool = false, expediteInAgencyInterest: Bool = false,
        information: [InformationItem] = [], convicted237a2: Bool = false, stepsCompleted: EnumSet<Step> = EnumSet()
    ) {
        self.caseId = caseId
        self.asOf = asOf
        self.action = action
        self.subject = subject
        self.lawEnforcementInterest = lawEnforcementInterest
        self.exceptionalCircumstances = exceptionalCircumstances
        self.aggravatingFactors = aggravatingFactors
        self.expediteInAgencyInterest = expediteInAgencyInterest
        self.information = information
        self.convicted237a2 = convicted237a2
        self.stepsCompleted = stepsCompleted
    }
}

public struct Subject: Sendable, Equatable {
    public var benefits: [BenefitFiling]
    public var victimIndicia: EnumSet<VictimIndicium>
    public var immediateVictimOrWitness: Bool
    public var pendingCriminalCase: Bool
    public var crimeReported: Bool
    public var wishesToReport: Bool
    public var detained: Bool
    public var outsideUnitedStates: Bool

    public init(
        benefits: [BenefitFiling] = [], victimIndicia: EnumSet<VictimIndicium> = EnumSet(),
        immediateVictimOrWitness: Bool = false, pendingCriminalCase: Bool = false, crimeReported: Bool = false,
        wishesToReport: Bool = false, detained: Bool = false, outsideUnitedStates: Bool = false
    ) {
        self.benefits = benefits
        self.victimIndicia = victimIndicia
        self.immediateVictimOrWitness = immediateVictimOrWitness
        self.pendingCriminalCase = pendingCriminalCase
        self.crimeReported = crimeReported
        self.wishesToReport = wishesToReport
        self.detained = detained
        self.outsideUnitedStates = outsideUnitedStates
    }
}

/// A victim-based benefit filing of the subject. `verified` means confirmed in agency records.
public struct BenefitFiling: Sendable, Equatable {
    public var type: BenefitType
    public var role: BenefitRole
    public var status: BenefitStatus
    public var verified: Bool

    public init(type: BenefitType, role: BenefitRole, status: BenefitStatus, verified: Bool) {
        self.type = type
        self.role = role
        self.status = status
        self.verified = verified
    }
}

/// An item of evidence and where it came from (8 U.S.C. § 1367(a)(1) turns on the source).
public struct InformationItem: Sendable, Equatable {
    public var id: String
    public var source: InformationSource
    public var adverse: Bool

    public init(id: String, source: InformationSource, adverse: Bool) {
        self.id = id
        self.source = source
        self.adverse = adverse
    }
}
