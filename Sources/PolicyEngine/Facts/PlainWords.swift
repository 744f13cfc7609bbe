// The contract's vocabularies in plain words, for the people who read decisions: pages show
// these, never the codes (which stay in the JSON, the command line and the policies page).
// Each list is in the order of its vocabulary's `spellings`; a test holds every pair together.

extension Action {
    public static let plainWords = ["arrest", "detention", "start of removal proceedings (a Notice to Appear)", "removal under a final order"]
}

extension BenefitType {
    public static let plainWords = ["T visa", "U visa", "VAWA self-petition", "Special Immigrant Juvenile status", "Continued Presence"]
}

extension BenefitRole {
    public static let plainWords = ["principal", "derivative"]
}

extension BenefitStatus {
    public static let plainWords = ["pending", "approved", "denied (may be appealed)", "denied, final", "revoked"]
}

extension VictimIndicium {
    public static let plainWords = [
        "a protection order naming the person as protected", "an HHS eligibility letter for a trafficking victim",
        "a law enforcement certification (such as Form I-918 Supplement B)", "the person says they are a victim",
        "another sign that the person is a crime victim",
    ]
}

extension InformationSource {
    public static let plainWords = [
        "an independent source (records, a third party)", "the person themself", "the alleged abuser", "the alleged trafficker",
        "the alleged perpetrator of the crime", "a member of the alleged abuser's household",
    ]
}

extension Step {
    public static let plainWords = [
        "Consult OPLA (through the FOD or SAC)", "Approve the exceptional circumstances", "Deconflict with law enforcement",
        "Verify the claimed filing",
    ]
}

extension Duty {
    public static let plainWords = [
        "Keep the person's T, U and VAWA information confidential (8 U.S.C. § 1367)",
        "Base no adverse decision on the abuser's or trafficker's information alone",
        "Look for signs that the person is a crime victim",
        "Refer the unreported crime to law enforcement",
        "Consider prosecutorial discretion",
    ]
}

extension ReliefOption {
    public static let plainWords = ["Ask USCIS to expedite the filing", "Continued Presence", "Parole", "Stay of removal"]
}

extension FactorWeight {
    public static let plainWords = ["weighs in the person's favor", "weighs against the person", "not required"]
}

extension Disposition {
    public static let plainWords = ["May go ahead", "May go ahead once the steps are done", "Do not take this action"]
}

extension ContractEnum {
    /// The case in plain words.
    public var label: String { Self.plainWords[Int(rawValue)] }
}
