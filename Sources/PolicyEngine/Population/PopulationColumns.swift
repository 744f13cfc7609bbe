/// A population of cases stored column by column, as the population evaluator reads it: one
/// array per fact of the case, and one table per list (filings, information items) whose rows
/// name their case.
public struct PopulationColumns: Sendable {
    /// A list's rows: each row's case, and each case's first row (`start[case]..<start[case + 1]`).
    public struct ListRows: Sendable {
        public var owner: [Int32] = []
        public var start: [Int32] = [0]

        public var count: Int { owner.count }

        mutating func closeCase(_ index: Int, adding rows: Int) {
            owner.append(contentsOf: repeatElement(Int32(index), count: rows))
            start.append(Int32(owner.count))
        }
    }

    public let count: Int
    /// `yyyymmdd`, as conditions compare dates.
    public var asOf: [Int32] = []
    public var action: [Int32] = []
    public var victimIndicia: [UInt64] = []
    public var stepsCompleted: [UInt64] = []
    /// The case's boolean facts, in the order of `flagPaths`.
    public var flags: [Bitset]

    public var benefits = ListRows()
    public var benefitType: [Int32] = []
    public var benefitRole: [Int32] = []
    public var benefitStatus: [Int32] = []
    public var benefitVerified: Bitset
    public var information = ListRows()
    public var informationSource: [Int32] = []
    public var informationAdverse: Bitset

    /// The boolean facts by their path in conditions, in the order of `flagBits`.
    static let flagPaths = [
        "lawEnforcementInterest", "exceptionalCircumstances", "aggravatingFactors", "expediteInAgencyInterest",
        "convicted237a2", "subject.immediateVictimOrWitness", "subject.pendingCriminalCase", "subject.crimeReported",
        "subject.wishesToReport", "subject.detained", "subject.outsideUnitedStates",
    ]

    @inline(__always)
    private static func flagBits(_ facts: borrowing CaseFacts) -> UInt16 {
        func bit(_ value: Bool, _ index: UInt16) -> UInt16 { value ? 1 << index : 0 }
        let subject = facts.subject
        return bit(facts.lawEnforcementInterest, 0) | bit(facts.exceptionalCircumstances, 1) | bit(facts.aggravatingFactors, 2)
            | bit(facts.expediteInAgencyInterest, 3) | bit(facts.convicted237a2, 4) | bit(subject.immediateVictimOrWitness, 5)
            | bit(subject.pendingCriminalCase, 6) | bit(subject.crimeReported, 7) | bit(subject.wishesToReport, 8)
            | bit(subject.detained, 9) | bit(subject.outsideUnitedStates, 10)
    }

    /// Lays decoded cases out as columns: the population's counterpart of deciding from decoded facts.
    public init(_ cases: ArraySlice<CaseFacts>) {
        count = cases.count
        asOf.reserveCapacity(count)
        action.reserveCapacity(count)
        victimIndicia.reserveCapacity(count)
        stepsCompleted.reserveCapacity(count)
        flags = Array(repeating: Bitset(count: count), count: Self.flagPaths.count)
        var verified: [Bool] = [], adverse: [Bool] = []
        for (index, facts) in zip(0..., cases) {
            asOf.append(Int32(facts.asOf.ordinal))
            action.append(Int32(facts.action.rawValue))
            victimIndicia.append(facts.subject.victimIndicia.bits)
            stepsCompleted.append(facts.stepsCompleted.bits)
            var bits = Self.flagBits(facts)
            while bits != 0 {
                flags[bits.trailingZeroBitCount][index] = true
                bits &= bits - 1
            }
            for filing in facts.subject.benefits {
                benefitType.append(Int32(filing.type.rawValue))
                benefitRole.append(Int32(filing.role.rawValue))
                benefitStatus.append(Int32(filing.status.rawValue))
                verified.append(filing.verified)
            }
            benefits.closeCase(index, adding: facts.subject.benefits.count)
            for item in facts.information {
                informationSource.append(Int32(item.source.rawValue))
                adverse.append(item.adverse)
            }
            information.closeCase(index, adding: facts.information.count)
        }
        benefitVerified = Bitset(count: verified.count) { verified[$0] }
        informationAdverse = Bitset(count: adverse.count) { adverse[$0] }
    }

    public init(_ cases: [CaseFacts]) { self.init(cases[...]) }

    /// The number of rows of a domain.
    func rows(of domain: PopulationDomain) -> Int {
        switch domain.table {
        case .cases: count
        case .benefits: benefits.count
        case .information: information.count
        }
    }

    func listRows(_ table: PopulationDomain.Table) -> ListRows {
        table == .benefits ? benefits : information
    }
}

/// The rows a column value has one entry for: the cases, or the rows of a list as one
/// comprehension variable ranges over them. Two variables over the same list are different
/// domains (`f` and `g` in `benefits.exists(f, benefits.exists(g, …))` pair rows differently).
struct PopulationDomain: Hashable, Sendable {
    enum Table: Hashable, Sendable { case cases, benefits, information }

    let table: Table
    /// Which binding of the list; 0 for the cases.
    let binding: Int

    static let cases = PopulationDomain(table: .cases, binding: 0)
}
