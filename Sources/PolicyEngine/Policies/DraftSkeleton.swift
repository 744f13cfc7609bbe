/// The files `safeguard policies new` writes: a policy file that loads as it is, with no rules
/// yet and the shape of one in comments, and its rule test file with the cases of its first day
/// in force and the day before. Values are written as YAML double-quoted strings where a person
/// typed them (the title).
public enum DraftSkeleton {
    public static func policy(id: String, title typed: String, from firstDay: CalendarDate, supersedes: [String], rescinds: [String]) -> String {
        let title = oneLine(typed)
        return """
        kind: policy
        id: \(id)
        name: \(quoted(title)) # what pages call it
        title: \(quoted(title))
        inForceFrom: \(firstDay)
        supersedes: [\(supersedes.joined(separator: ", "))]
        rescinds: [\(rescinds.joined(separator: ", "))]
        summary: >
          A draft: what the document does, in a few sentences.

        # Each rule: what it says, when it applies (a condition over the facts, docs/policy-format.md),
        # its effects and the passage of the draft it rests on.
        rules: []
        #  - id: \(id)/refrain-known-beneficiary
        #    description: Absent exceptional circumstances, no civil enforcement action against a known beneficiary.
        #    when: hasKnownLiveFiling && !exceptionalCircumstances
        #    effects:
        #      disposition: refrain
        #    citation:
        #      document: \(title) (draft)
        #      passage: Section 2
        #      quote: the words of the draft that state the rule
        #    source: primary

        # What its decisions must satisfy, written from its reading, not through its rules.
        invariants: []
        #  - id: \(id)/known-u-never-proceeds-unchecked
        #    description: A known live U filing never yields proceed without a step.
        #    when: subject.benefits.exists(f, f.type == 'U' && f.verified && f.status in ['pending', 'approved'])
        #    expect: decision.disposition != 'proceed'

        """
    }

    public static func tests(id: String, from firstDay: CalendarDate, inForce: [String], before: [String]) -> String {
        """
        policy: \(id)
        cases:
          - name: first day in force
            case: {asOf: \(firstDay), action: arrest}
            policies: [\(inForce.joined(separator: ", "))]
          - name: the day before, not yet in force
            case: {asOf: \(firstDay.previousDay), action: arrest}
            policies: [\(before.joined(separator: ", "))]
        # For each rule, a case where it fires and one where it must not (policies test checks both):
        #  - name: a known U petitioner is not arrested
        #    case: {asOf: \(firstDay), action: arrest, subject: {benefits: [{type: U, role: principal, status: pending, verified: true}]}}
        #    fires: [\(id)/refrain-known-beneficiary]
        #    disposition: refrain
        #  - name: not with exceptional circumstances
        #    case: {asOf: \(firstDay), action: arrest, exceptionalCircumstances: true, subject: {benefits: [{type: U, role: principal, status: pending, verified: true}]}}
        #    doesNotFire: [\(id)/refrain-known-beneficiary]

        """
    }

    /// A YAML double-quoted scalar: backslashes and quotes escaped.
    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// The text without control characters or line breaks of any kind, which could end a comment.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.filter { scalar in
            !scalar.properties.generalCategory.isControlOrSeparatorOfLines
        }))
    }
}

private extension Unicode.GeneralCategory {
    var isControlOrSeparatorOfLines: Bool { [.control, .format, .lineSeparator, .paragraphSeparator].contains(self) }
}
