/// Synthetic cases for tests, demos and benchmarks: deterministic for a seed, spread over every
/// policy period (with extra weight on the first and last days), every filing type, role, status
/// and verification, and every flag.
public struct CaseGenerator: Sendable {
    private var state: UInt64
    private let boundaryDays: [CalendarDate]
    private let firstYear: Int
    private let lastYear: Int

    /// - Parameter ruleSet: supplies the period boundaries; dates range from the year before the
    ///   earliest one to the year after the latest one.
    public init(seed: UInt64, ruleSet: RuleSet) {
        state = seed
        var days: Set<CalendarDate> = []
        for document in ruleSet.documents {
            if let start = document.inForceFrom { days.formUnion([start, start.previousDay]) }
            if let end = document.inForceThrough { days.formUnion([end, end.nextDay]) }
        }
        boundaryDays = days.sorted()
        firstYear = (boundaryDays.first?.year ?? 2011) - 1
        lastYear = (boundaryDays.last?.year ?? 2025) + 1
    }

    /// SplitMix64: small, fast and good enough to spread cases.
    private mutating func nextRandom() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ bound: Int) -> Int { Int(nextRandom() % UInt64(bound)) }
    private mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    private mutating func pick<E: ContractEnum>(_: E.Type = E.self) -> E { E(rawValue: UInt8(below(E.allCases.count)))! }

    private mutating func date() -> CalendarDate {
        if !boundaryDays.isEmpty, chance(10) { return boundaryDays[below(boundaryDays.count)] }
        let year = firstYear + below(lastYear - firstYear + 1)
        let month = 1 + below(12)
        return CalendarDate(year: year, month: month, day: 1 + below(CalendarDate.daysIn(month: month, year: year)))!
    }

    public mutating func next(caseId: String? = nil) -> CaseFacts {
        var subject = Subject()
        for _ in 0..<[0, 0, 1, 1, 1, 2, 3][below(7)] {
            subject.benefits.append(BenefitFiling(type: pick(), role: pick(), status: pick(), verified: chance(60)))
        }
        for indicium in VictimIndicium.allCases where chance(12) { subject.victimIndicia.insert(indicium) }
        subject.immediateVictimOrWitness = chance(20)
        subject.pendingCriminalCase = chance(15)
        subject.crimeReported = chance(50)
        subject.wishesToReport = chance(30)
        subject.detained = chance(30)
        subject.outsideUnitedStates = chance(8)
        var facts = CaseFacts(caseId: caseId, asOf: date(), action: pick(), subject: subject)
        facts.lawEnforcementInterest = chance(15)
        facts.exceptionalCircumstances = chance(10)
        facts.aggravatingFactors = chance(10)
        facts.expediteInAgencyInterest = chance(10)
        facts.convicted237a2 = chance(10)
        for index in 0..<[0, 0, 1, 2][below(4)] {
            facts.information.append(InformationItem(id: "i\(index + 1)", source: pick(), adverse: chance(60)))
        }
        for step in Step.allCases where chance(15) { facts.stepsCompleted.insert(step) }
        return facts
    }
}
