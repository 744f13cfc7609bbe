import Foundation
import PolicyEngine

/// How a population of decisions moved: dispositions from → to, and the rules that fired on one
/// side only in the decisions whose outcome changed.
public struct PopulationDiff: Codable, Sendable, Equatable {
    /// "refrain → proceed-after-steps": count.
    public var transitions: [String: Int] = [:]
    /// "+ice-interim-guidance-2025/consult-opla" (now fires) or "-ice-directive-11005.3/refrain-known-beneficiary" (no longer): count.
    public var rules: [String: Int] = [:]

    public init() {}

    mutating func add(from old: String, to new: String, oldRules: [String], newRules: [String]) {
        transitions["\(old) → \(new)", default: 0] += 1
        for rule in newRules where !oldRules.contains(rule) { rules["+" + rule, default: 0] += 1 }
        for rule in oldRules where !newRules.contains(rule) { rules["-" + rule, default: 0] += 1 }
    }

    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public init(json: String) throws {
        self = try JSONDecoder().decode(PopulationDiff.self, from: Data(json.utf8))
    }

    /// The diff as a table for a terminal.
    public var table: String {
        var lines = ["disposition (before → after)                 encounters"]
        for (transition, count) in transitions.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
            lines.append(transition.padding(toLength: 45, withPad: " ", startingAt: 0) + String(count))
        }
        if !rules.isEmpty {
            lines += ["", "rules behind the changes (+ now fires, - no longer)          encounters"]
            for (rule, count) in rules.sorted(by: { ($1.value, $0.key) < ($0.value, $1.key) }) {
                lines.append(rule.padding(toLength: 60, withPad: " ", startingAt: 0) + String(count))
            }
        }
        return lines.joined(separator: "\n")
    }
}
