/// What changes between two decisions of the same case, and which rules account for it.
public struct DecisionDiff: Sendable, Equatable {
    public var before: Decision
    public var after: Decision
    public var policiesEntered: [String]
    public var policiesLeft: [String]
    /// Rule ids that fired only before, or only after.
    public var rulesNoLongerFiring: [String]
    public var rulesNewlyFiring: [String]

    public init(before: Decision, after: Decision, in ruleSet: RuleSet) {
        self.before = before
        self.after = after
        let policiesBefore = before.policyIDs(in: ruleSet), policiesAfter = after.policyIDs(in: ruleSet)
        policiesEntered = policiesAfter.filter { !policiesBefore.contains($0) }
        policiesLeft = policiesBefore.filter { !policiesAfter.contains($0) }
        let rulesBefore = before.ruleIDs(in: ruleSet), rulesAfter = after.ruleIDs(in: ruleSet)
        rulesNoLongerFiring = rulesBefore.filter { !rulesAfter.contains($0) }
        rulesNewlyFiring = rulesAfter.filter { !rulesBefore.contains($0) }
    }

    public var dispositionChanged: Bool { before.disposition != after.disposition }

    /// True when anything of the contract's outcome differs (reasons aside).
    public var outcomeChanged: Bool {
        before.disposition != after.disposition || before.requiredSteps != after.requiredSteps
            || before.duties != after.duties || before.options != after.options
            || Set(before.discretionaryFactors) != Set(after.discretionaryFactors)
            || Set(before.excludedInformation) != Set(after.excludedInformation)
    }

    /// The changes in words, one line each.
    public var lines: [String] {
        var lines: [String] = []
        func change<E: ContractEnum>(_ name: String, _ old: EnumSet<E>, _ new: EnumSet<E>) {
            let added = new.subtracting(old), removed = old.subtracting(new)
            if !added.isEmpty { lines.append("\(name) added: \(added.spellings.joined(separator: ", "))") }
            if !removed.isEmpty { lines.append("\(name) removed: \(removed.spellings.joined(separator: ", "))") }
        }
        if dispositionChanged {
            lines.append("disposition: \(before.disposition.spelling) → \(after.disposition.spelling)")
        } else {
            lines.append("disposition unchanged: \(after.disposition.spelling)")
        }
        if !policiesLeft.isEmpty { lines.append("policies no longer in force: \(policiesLeft.joined(separator: ", "))") }
        if !policiesEntered.isEmpty { lines.append("policies newly in force: \(policiesEntered.joined(separator: ", "))") }
        change("steps", before.requiredSteps, after.requiredSteps)
        change("duties", before.duties, after.duties)
        change("options", before.options, after.options)
        let factorsBefore = before.discretionaryFactors.map { "\($0.factor) (\($0.weight.spelling))" }
        let factorsAfter = after.discretionaryFactors.map { "\($0.factor) (\($0.weight.spelling))" }
        if factorsBefore != factorsAfter {
            lines.append("factors: \(factorsBefore.isEmpty ? "none" : factorsBefore.joined(separator: ", ")) → \(factorsAfter.isEmpty ? "none" : factorsAfter.joined(separator: ", "))")
        }
        if before.excludedInformation != after.excludedInformation {
            lines.append("excluded information: \(before.excludedInformation) → \(after.excludedInformation)")
        }
        for rule in rulesNoLongerFiring { lines.append("rule no longer fires: \(rule)") }
        for rule in rulesNewlyFiring { lines.append("rule now fires: \(rule)") }
        return lines
    }

    /// A change in plain words (`plainWords`, the documents' names, the rules' descriptions), as
    /// pages show it, and what part of the decision it is about.
    public struct PlainLine: Sendable, Equatable {
        public enum Part: Sendable { case disposition, steps, other }
        public var part: Part
        public var text: String
    }

    /// The changes in plain words, one line each.
    public func plainLines(in ruleSet: RuleSet) -> [PlainLine] {
        var lines: [PlainLine] = []
        func names(_ ids: [String]) -> String {
            ids.map { id in ruleSet.documents.first { $0.id == id }?.name ?? id }.joined(separator: "; ")
        }
        func change<E: ContractEnum>(_ part: PlainLine.Part, _ name: String, _ old: EnumSet<E>, _ new: EnumSet<E>) {
            let added = new.subtracting(old), removed = old.subtracting(new)
            if !added.isEmpty { lines.append(.init(part: part, text: "\(name) added: \(added.map(\.label).joined(separator: "; "))")) }
            if !removed.isEmpty { lines.append(.init(part: part, text: "\(name) no longer: \(removed.map(\.label).joined(separator: "; "))")) }
        }
        lines.append(.init(part: .disposition, text: dispositionChanged
            ? "Decision: \(before.disposition.label) → \(after.disposition.label)" : "Decision unchanged: \(after.disposition.label)"))
        if !policiesLeft.isEmpty { lines.append(.init(part: .other, text: "No longer in force: \(names(policiesLeft))")) }
        if !policiesEntered.isEmpty { lines.append(.init(part: .other, text: "Newly in force: \(names(policiesEntered))")) }
        change(.steps, "Steps", before.requiredSteps, after.requiredSteps)
        change(.other, "Duties", before.duties, after.duties)
        change(.other, "Relief to consider", before.options, after.options)
        if Set(before.discretionaryFactors) != Set(after.discretionaryFactors) {
            lines.append(.init(part: .other, text: "The discretionary factors change"))
        }
        if before.excludedInformation != after.excludedInformation {
            lines.append(.init(part: .other, text: "The information set aside under 8 U.S.C. § 1367(a)(1) changes"))
        }
        for id in rulesNoLongerFiring { lines.append(.init(part: .other, text: "No longer applies: \(ruleSet.rule(id: id)?.description ?? id)")) }
        for id in rulesNewlyFiring { lines.append(.init(part: .other, text: "Now applies: \(ruleSet.rule(id: id)?.description ?? id)")) }
        return lines
    }
}
