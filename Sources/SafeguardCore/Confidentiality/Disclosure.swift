import PolicyEngine

/// Who may see protected data: a role entitled to it, for a purpose the role may state, stated
/// with the request. Everyone else gets the record with the protected parts replaced by
/// `Disclosure.marker`. A person who is not protected is shown whole to anyone who may see the record.
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

    public let actor: Actor
    public let purpose: Purpose?

    public init(actor: Actor, purpose: Purpose?) {
        self.actor = actor
        self.purpose = purpose
    }

    /// Whether this user, with this purpose, sees a protected person's protected data.
    public var entitled: Bool {
        purpose.map { Self.purposes[actor.role]?.contains($0) ?? false } ?? false
    }

    /// A case's facts as shown: the protected members withheld when `shown` is false.
    public static func facts(_ facts: JSONValue, shown: Bool) -> JSONValue {
        guard !shown, case .object(let members) = facts else { return facts }
        return .object(members.map { member in
            if member.key == "subject", case .object(let subject) = member.value {
                return JSONMember(key: "subject", value: .object(subject.map(withholding(ProtectedData.withheldFactMembers))))
            }
            return withholding(ProtectedData.withheldFactMembers)(member)
        })
    }

    /// A decision's JSON as shown: when `shown` is false, each reason whose rule reveals protected
    /// facts and the members that such rules produce are withheld; the disposition and the steps owed stay.
    public static func decision(_ decision: JSONValue, shown: Bool, ruleSet: RuleSet) -> JSONValue {
        guard !shown, case .object(let members) = decision else { return decision }
        return .object(members.map { member in
            guard member.key == "reasons", case .array(let reasons) = member.value else {
                return withholding(ProtectedData.withheldDecisionMembers)(member)
            }
            return JSONMember(key: "reasons", value: .array(reasons.map { reason in
                guard case .object(let fields) = reason, case .string(let id)? = fields.first(where: { $0.key == "rule" })?.value,
                      let rule = ruleSet.rule(id: id), !ProtectedData.reveals(rule) else { return .string(marker) }
                return reason
            }))
        })
    }

    private static func withholding(_ keys: Set<String>) -> (JSONMember) -> JSONMember {
        { member in keys.contains(member.key) ? JSONMember(key: member.key, value: .string(marker)) : member }
    }
}
