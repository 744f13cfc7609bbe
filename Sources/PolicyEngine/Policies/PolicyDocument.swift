/// One policy document: its metadata and its rules, in the order they are evaluated.
public struct PolicyDocument: Sendable {
    public var id: String
    public var number: String?
    public var title: String
    /// What pages call the document ("ICE Directive 11005.3 (2021)"); the title when the file names none.
    public var name: String
    public var issued: CalendarDate?
    /// The first day in force; nil when it is in force on every date (the statute).
    public var inForceFrom: CalendarDate?
    /// The last day in force, derived from the first later document that supersedes or rescinds
    /// this one; nil while nothing has.
    public internal(set) var inForceThrough: CalendarDate?
    /// The document that ended this one, when one has.
    public internal(set) var endedBy: String?
    public var supersedes: [String]
    public var rescinds: [String]
    public var summary: String
    public var fileName: String
    public var parameters: [Parameter]
    public internal(set) var rules: [Rule]
    /// What the policy's decisions must satisfy, checked by `policies verify`.
    public internal(set) var invariants: [Invariant] = []

    public func isInForce(on date: CalendarDate) -> Bool {
        if let inForceFrom, date < inForceFrom { return false }
        if let inForceThrough, date > inForceThrough { return false }
        return true
    }

    /// "2021-08-10 through 2025-01-29", "from 2025-01-30", "always".
    public var periodDescription: String {
        switch (inForceFrom, inForceThrough) {
        case (nil, nil): "always"
        case (let start?, nil): "from \(start)"
        case (nil, let end?): "through \(end)"
        case (let start?, let end?): "\(start) through \(end)"
        }
    }
}

/// A passage that a rule rests on.
public struct Citation: Sendable, Hashable {
    public var document: String
    public var passage: String
    /// The passage's words, verbatim; empty when the rule rests on a secondary account whose text
    /// we do not hold, so that no words are presented as the rule's text.
    public var quote: String
    /// The name of the held text (in the project's source documents) the quote is taken from
    /// verbatim; nil when we do not hold the document and the quote comes from a secondary account.
    public var heldText: String?
}

/// Whether a rule rests on the policy's own text or on a secondary account of it.
public enum SourceKind: String, Sendable {
    case primary, secondary
}

/// What a rule does when it fires.
public struct Effects: Sendable {
    public var refrain: Bool
    public var steps: EnumSet<Step>
    public var duties: EnumSet<Duty>
    public var options: EnumSet<ReliefOption>
    public var factors: [DiscretionaryFactor]
    /// For a rule over `information[]`: every matched item is excluded (§ 1367(a)(1)).
    public var excludeItems: Bool

    /// The effects in words, as `reasons[].effect` shows them.
    public var summary: String {
        var parts: [String] = []
        if refrain { parts.append("refrain") }
        parts += steps.map { "step \($0.spelling)" }
        parts += duties.map { "duty \($0.spelling)" }
        parts += options.map { "option \($0.spelling)" }
        parts += factors.map { "factor \($0.factor) (\($0.weight.spelling))" }
        if excludeItems { parts.append("exclude matched information") }
        return parts.joined(separator: "; ")
    }

    /// The effects in plain words (`plainWords`), as pages show them.
    public var plainSummary: String {
        var parts: [String] = []
        if refrain { parts.append("Do not take this action.") }
        parts += steps.map { "First: \($0.label)." }
        parts += duties.map { "Duty: \($0.label)." }
        parts += options.map { "Consider: \($0.label)." }
        parts += factors.map { "Factor: \($0.factor.replacingOccurrences(of: "-", with: " ")), which \($0.weight.label)." }
        if excludeItems { parts.append("The matching information is set aside.") }
        return parts.joined(separator: " ")
    }
}

public struct DiscretionaryFactor: Sendable, Hashable {
    public var factor: String
    public var weight: FactorWeight

    public init(factor: String, weight: FactorWeight) {
        self.factor = factor
        self.weight = weight
    }
}

/// One rule: a condition over the facts, what follows, and the passage it rests on.
public struct Rule: Sendable {
    public var id: String
    public var policyID: String
    public var description: String
    public var when: String
    /// `VARIABLE in LIST` for a rule that acts on each matching item of a list.
    public var forEach: String?
    public var effects: Effects
    public var citation: Citation
    public var source: SourceKind
    /// The law that grants the relief or imposes the duty, when it is not the cited document
    /// (parole: INA § 212(d)(5)). Shown beside the citation, never as a quote.
    public var authority: String?
    public var location: SourceLocation
    /// The facts the rule's condition reads (its definitions included), as paths such as
    /// `subject.benefits[].type`: what its firing reveals about a case.
    public var reads: Set<String>
    let matcher: RuleMatcher
    /// The condition as parsed, with what it reads by name, for the population compiler.
    let parsed: ParsedCondition
}

/// A rule's condition before compilation: the population compiler turns it into column
/// operations, as the condition compiler turns it into closures over one case.
struct ParsedCondition: Sendable {
    let when: Expression
    /// `forEach: VARIABLE in LIST`, parsed.
    let loop: (variable: String, list: Expression)?
    /// The parameters of the rule's file.
    let parameters: [String: Parameter]
}

/// How a rule's condition is applied: once to the case, or to each item of a list.
enum RuleMatcher: Sendable {
    case whole(CompiledCondition)
    case eachInformationItem(slot: Int, CompiledCondition)
    case eachBenefit(slot: Int, CompiledCondition)
}
