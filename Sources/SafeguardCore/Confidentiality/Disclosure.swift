import PolicyEngine

/// Who may see protected data: a role entitled to it, for a purpose the role may state, stated
/// with the request. Everyone else gets the record with the protected parts replaced by
/// `Disclosure.marker`, for every person alike: a marker shown only for protected people would
/// itself say "this person has a live T, U or VAWA filing".
public struct Disclosure: Sendable, Equatable {
    /// What stands where protected data was withheld.
    public static let marker = "withheld under 8 U.S.C. § 1367"

    /// The purposes each role may state to see protected data. Analysts see aggregates only,
    /// auditors the audit log (the `audit` purpose opens that, not case data), admins neither.
    public static let purposes: [Role: Set<Purpose>] = [
        .officer: [.lawEnforcement],
        .supervisor: [.lawEnforcement],
        .oplaAttorney: [.legalConsultation],
        .hotlineSpecialist: [.victimAssistance],
        .analyst: [], .auditor: [], .admin: [], .integration: [],
    ]

    /// The roles that may be entitled to protected data, with a purpose they state.
    public static let entitledRoles = Set(purposes.filter { !$0.value.isEmpty }.keys)

    public let actor: Actor
    public let purpose: Purpose?

    public init(actor: Actor, purpose: Purpose?) {
        self.actor = actor
        self.purpose = purpose
    }

    /// Whether this user, with this purpose, sees the protected parts of a record (of anyone).
    public var entitled: Bool {
        purpose.map { Self.purposes[actor.role]?.contains($0) ?? false } ?? false
    }

    /// A case's facts as shown: when `shown` is false, the protected members stand as the marker,
    /// present whether or not the case has any, so that the shape tells nothing.
    public static func facts(_ facts: JSONValue, shown: Bool) -> JSONValue {
        guard !shown, case .object(var members) = facts else { return facts }
        // A subject with nothing to tell is left out of the facts; withheld, it is there like any other.
        var subject: [JSONMember] = []
        if let index = members.firstIndex(where: { $0.key == "subject" }), case .object(let stated) = members.remove(at: index).value { subject = stated }
        return .object(withholding(ProtectedData.withheldCaseMembers, in: members)
            + [JSONMember(key: "subject", value: .object(withholding(ProtectedData.withheldSubjectMembers, in: subject)))])
    }

    /// A decision's JSON as shown: when `shown` is false, the members that rules reading protected
    /// facts produce stand as the marker, and the reasons keep only the rules that read none, the
    /// rest standing as one marker whether or not any fired; the disposition and the steps owed stay.
    public static func decision(_ decision: JSONValue, shown: Bool, ruleSet: RuleSet) -> JSONValue {
        guard !shown, case .object(let members) = decision else { return decision }
        return .object(withholding(ProtectedData.withheldDecisionMembers, in: members.map { member in
            guard member.key == "reasons", case .array(let reasons) = member.value else { return member }
            return JSONMember(key: "reasons", value: .array(reasons.filter { reason in
                guard case .object(let fields) = reason, case .string(let id)? = fields.first(where: { $0.key == "rule" })?.value,
                      let rule = ruleSet.rule(id: id) else { return false }
                return !ProtectedData.reveals(rule)
            } + [.string(marker)]))
        }))
    }

    /// The members, with each of `keys` standing as the marker, there or not.
    private static func withholding(_ keys: [String], in members: [JSONMember]) -> [JSONMember] {
        members.filter { !keys.contains($0.key) } + keys.map { JSONMember(key: $0, value: .string(marker)) }
    }
}
