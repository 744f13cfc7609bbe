import FluentKit
import Foundation
import PolicyEngine
import SQLKit

/// What 8 U.S.C. § 1367 protects, in one place. A person is protected while they have a T, U or
/// VAWA filing that is not denied with appeals exhausted (`denied-final`), whatever else its
/// status and whether or not it is verified (the duty starts on reason to believe). For a
/// protected person, these are withheld from anyone not entitled to them:
/// - every filing of theirs, its existence included (type, role, status, receipt number, dates,
///   verification);
/// - the evidence of an encounter (its statements: labels and sources) and the victim indicia;
/// - the facts the engine decided on (they hold the filings, the indicia and the evidence);
/// - in a decision, every reason whose rule reads those facts (`revealingFacts`), and the duties,
///   options, discretionary factors and excluded information, which such rules produce; the
///   disposition and the steps still owed stay visible;
/// - the summary, filing and result of a benefit verification.
public enum ProtectedData {
    /// The filing types whose applicants § 1367 protects.
    public static let protectedTypes = EnumSet<BenefitType>([.t, .u, .vawa])

    /// Whether a filing makes its subject protected.
    public static func protects(type: BenefitType, status: BenefitStatus) -> Bool {
        protectedTypes.contains(type) && status != .deniedFinal
    }

    /// Facts whose reading makes a rule's firing tell of a filing, of victimhood or of statements.
    public static let revealingFacts = ["subject.benefits", "subject.victimIndicia", "information"]

    /// Whether the firing of `rule` would reveal protected facts.
    public static func reveals(_ rule: Rule) -> Bool {
        rule.reads.contains { path in revealingFacts.contains { path == $0 || path.hasPrefix($0 + "[") || path.hasPrefix($0 + ".") } }
    }

    /// The members of a decision's JSON that are withheld whole.
    public static let withheldDecisionMembers: Set<String> = ["duties", "options", "discretionaryFactors", "excludedInformation"]
    /// The members of a case's facts (the contract's input) that are withheld.
    public static let withheldFactMembers: Set<String> = ["benefits", "victimIndicia", "information"]

    /// The people among `personIDs` who are protected, in one query.
    public static func protectedPeople(among personIDs: [UUID], on database: any Database) async throws -> Set<UUID> {
        guard !personIDs.isEmpty else { return [] }
        let rows = try await CaseRecords.sqlDatabase(database).select().distinct().column("person_id").from(BenefitFilingRecord.schema)
            .where("person_id", .in, personIDs).where("type", .in, protectedTypes.spellings)
            .where("status", .notEqual, BenefitStatus.deniedFinal.spelling).all()
        return Set(try rows.map { try $0.decode(column: "person_id", as: UUID.self) })
    }
}
