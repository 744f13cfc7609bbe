import Foundation

/// Counts over a batch: how many cases, how many bad lines, the dispositions, and with a
/// comparison date how dispositions moved and which rules account for the moves.
public struct BatchSummary: Sendable, Equatable {
    public var cases = 0
    public var badLines = 0
    public var dispositions: [Disposition: Int] = [:]
    /// With a comparison: cases by (disposition on the comparison date, disposition decided).
    public var transitions: [Transition: Int] = [:]
    /// With a comparison: for cases whose outcome changed, how often each rule fired on only one side.
    public var changeCauses: [String: Int] = [:]
    public var changedOutcomes = 0

    public struct Transition: Hashable, Sendable, Comparable {
        public var from: Disposition
        public var to: Disposition

        public init(from: Disposition, to: Disposition) {
            self.from = from
            self.to = to
        }

        public static func < (lhs: Transition, rhs: Transition) -> Bool { (lhs.from, lhs.to) < (rhs.from, rhs.to) }
    }

    public init() {}

    mutating func merge(_ other: BatchSummary) {
        cases += other.cases
        badLines += other.badLines
        changedOutcomes += other.changedOutcomes
        dispositions.merge(other.dispositions, uniquingKeysWith: +)
        transitions.merge(other.transitions, uniquingKeysWith: +)
        changeCauses.merge(other.changeCauses, uniquingKeysWith: +)
    }

    /// The summary as a table for a terminal.
    public func table(compared: Bool) -> String {
        var lines = ["cases decided: \(cases)", "bad lines skipped: \(badLines)", "", "disposition            cases"]
        for disposition in Disposition.allCases.reversed() {
            lines.append(disposition.spelling.padding(toLength: 22, withPad: " ", startingAt: 0) + " " + String(dispositions[disposition, default: 0]))
        }
        guard compared else { return lines.joined(separator: "\n") }
        lines += ["", "changes (comparison date → decided)      cases"]
        for (transition, count) in transitions.sorted(by: { $0.key < $1.key }) where transition.from != transition.to {
            let label = "\(transition.from.spelling) → \(transition.to.spelling)"
            lines.append(label.padding(toLength: 40, withPad: " ", startingAt: 0) + " " + String(count))
        }
        lines.append("outcomes changed: \(changedOutcomes)")
        if !changeCauses.isEmpty {
            lines += ["", "rules behind the changes (fired on one side only)      cases"]
            for (rule, count) in changeCauses.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                lines.append(rule.padding(toLength: 54, withPad: " ", startingAt: 0) + " " + String(count))
            }
        }
        return lines.joined(separator: "\n")
    }
}
