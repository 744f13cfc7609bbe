/// The contract's JSON form of a decision.
extension Decision {
    /// The full decision: every contract field, reasons with their citations. `caseId` is echoed
    /// when the case had one.
    public func json(in ruleSet: RuleSet, caseId: String? = nil) -> JSONValue {
        members(in: ruleSet, caseId: caseId, reasons: .array(reasons.map { firing in
            let rule = ruleSet.rules[firing.rule]
            var reason = [
                JSONMember(key: "rule", value: .string(rule.id)),
                JSONMember(key: "policy", value: .string(rule.policyID)),
                JSONMember(key: "effect", value: .string(rule.effects.summary)),
                JSONMember(key: "citation", value: .object([
                    JSONMember(key: "document", value: .string(rule.citation.document)),
                    JSONMember(key: "passage", value: .string(rule.citation.passage)),
                    JSONMember(key: "quote", value: .string(rule.citation.quote)),
                ])),
                JSONMember(key: "source", value: .string(rule.source.rawValue)),
            ]
            if let authority = rule.authority {
                reason.append(JSONMember(key: "authority", value: .string(authority)))
            }
            if !firing.items.isEmpty {
                reason.append(JSONMember(key: "items", value: .array(firing.items.map(JSONValue.string))))
            }
            return .object(reason)
        }))
    }

    private func members(in ruleSet: RuleSet, caseId: String?, reasons: JSONValue) -> JSONValue {
        var members: [JSONMember] = []
        if let caseId { members.append(JSONMember(key: "caseId", value: .string(caseId))) }
        members += [
            JSONMember(key: "asOf", value: .string(asOf.description)),
            JSONMember(key: "policies", value: .array(policyIDs(in: ruleSet).map(JSONValue.string))),
            JSONMember(key: "disposition", value: .string(disposition.spelling)),
            JSONMember(key: "requiredSteps", value: Self.spellings(requiredSteps)),
            JSONMember(key: "duties", value: Self.spellings(duties)),
            JSONMember(key: "options", value: Self.spellings(options)),
            JSONMember(key: "discretionaryFactors", value: .array(discretionaryFactors.map { factor in
                .object([
                    JSONMember(key: "factor", value: .string(factor.factor)),
                    JSONMember(key: "weight", value: .string(factor.weight.spelling)),
                ])
            })),
            JSONMember(key: "excludedInformation", value: .array(excludedInformation.map(JSONValue.string))),
            JSONMember(key: "reasons", value: reasons),
        ]
        members.append(JSONMember(key: "ruleSetDigest", value: .string(ruleSetDigest)))
        return .object(members)
    }

    private static func spellings<E: ContractEnum>(_ set: EnumSet<E>) -> JSONValue {
        .array(set.map { .string($0.spelling) })
    }
}
