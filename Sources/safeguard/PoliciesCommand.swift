import ArgumentParser
import BundledPolicies
import Foundation
import PolicyEngine

struct PoliciesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policies",
        abstract: "List, show, check, test and verify the policy files; draft a new one.",
        subcommands: [List.self, Show.self, Timeline.self, Check.self, Test.self, Verify.self, New.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The policy documents, their periods and rule counts.")
        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var draftOptions: DraftOptions

        func run() throws {
            try reportingBadInput {
                let ruleSet = try policyOptions.load(drafts: draftOptions.directory)
                for document in ruleSet.documents {
                    print("\(document.id.padding(toLength: 28, withPad: " ", startingAt: 0)) \(document.periodDescription.padding(toLength: 32, withPad: " ", startingAt: 0)) \(document.rules.count) rules  \(document.title)")
                }
                print("rule set \(ruleSet.digest)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One document: metadata, parameters and every rule with its citation.")
        @Argument(help: "The document's id, e.g. ice-directive-11005.3.")
        var id: String
        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var draftOptions: DraftOptions

        func run() throws {
            try reportingBadInput {
                let ruleSet = try policyOptions.load(drafts: draftOptions.directory)
                guard let document = ruleSet.document(id: id) else {
                    throw BadInput("no policy '\(id)'; known: \(ruleSet.documents.map(\.id).joined(separator: ", "))")
                }
                print(document.number.map { "\(document.id) (\($0))" } ?? document.id)
                print(document.title)
                print("In force: \(document.periodDescription)" + (document.endedBy.map { ", ended by \($0)" } ?? ""))
                if let issued = document.issued { print("Issued: \(issued)") }
                if !document.supersedes.isEmpty { print("Supersedes: \(document.supersedes.joined(separator: ", "))") }
                if !document.rescinds.isEmpty { print("Rescinds: \(document.rescinds.joined(separator: ", "))") }
                print("\n\(document.summary.trimmingCharacters(in: .whitespacesAndNewlines))")
                if !document.parameters.isEmpty {
                    print("\nParameters:")
                    for parameter in document.parameters {
                        let mark = parameter.notInTexts ? "  [not in the texts we hold: a default to confirm]" : ""
                        print("  \(parameter.name): \(parameter.type) = \(parameter.displayValue)\(mark)")
                    }
                }
                print("\nRules:")
                for rule in document.rules {
                    print("  \(rule.id)  [\(rule.source.rawValue) source]")
                    if let forEach = rule.forEach { print("    for each \(forEach)") }
                    print("    when \(rule.when.replacingOccurrences(of: "\n", with: " "))")
                    print("    then \(rule.effects.summary)")
                    if let authority = rule.authority { print("    authority: \(authority)") }
                    let quote = rule.citation.quote.isEmpty ? " (no text held to quote)" : ": “\(rule.citation.quote)”"
                    print("    \(rule.citation.document), \(rule.citation.passage)\(quote)")
                }
                if !document.invariants.isEmpty {
                    print("\nInvariants (policies verify checks them wherever this document is in force):")
                    for invariant in document.invariants {
                        print("  \(invariant.id): \(invariant.description.trimmingCharacters(in: .whitespacesAndNewlines))")
                    }
                }
            }
        }
    }

    struct Timeline: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Which documents are in force over time.")
        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var draftOptions: DraftOptions

        func run() throws {
            try reportingBadInput {
                let ruleSet = try policyOptions.load(drafts: draftOptions.directory)
                for stretch in ruleSet.stretches {
                    let from = stretch.firstDay.map(\.description) ?? "…"
                    let through = stretch.lastDay.map(\.description) ?? "…"
                    let ids = stretch.documents.map { ruleSet.documents[$0].id }
                    print("\(from) – \(through): \(ids.isEmpty ? "none" : ids.joined(separator: ", "))")
                }
                for document in ruleSet.documents where document.endedBy != nil {
                    print("\(document.id) ended by \(document.endedBy!) after \(document.inForceThrough!)")
                }
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Load a folder of policy files (the built-in ones by default), with drafts added, and report every problem.")
        @Argument(help: "The folder to check (default: the built-in policies).", completion: .directory)
        var directory: String?
        @OptionGroup var draftOptions: DraftOptions

        func run() throws {
            try reportingBadInput {
                let ruleSet = try PolicyOptions.load(from: directory.map { URL(fileURLWithPath: $0) } ?? BundledPolicies.directory, drafts: draftOptions.directory)
                let checked = [directory ?? "the built-in policies", draftOptions.drafts.map { "the drafts in \($0)" }].compactMap { $0 }.joined(separator: " with ")
                print("\(checked): \(ruleSet.documents.count) documents, \(ruleSet.rules.count) rules, \(ruleSet.documents.flatMap(\.invariants).count) invariants, \(ruleSet.definitions.count) definitions, all conditions type-check")
                print("rule set \(ruleSet.digest)")
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check invariants over a bounded space of facts, and every held quote against its text."
        )
        @Option(help: "Check one case in this many (1: all).")
        var sampleEvery: Int = 1
        @Option(help: "The folder of held source texts the quotes are checked against.", completion: .directory)
        var seeds: String = "../shared/seeds"
        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var draftOptions: DraftOptions

        func validate() throws {
            guard sampleEvery >= 1 else { throw ValidationError("--sample-every must be at least 1") }
        }

        func run() throws {
            try reportingBadInput {
                let verifier = PolicyVerifier(ruleSet: try policyOptions.load(drafts: draftOptions.directory))
                let quotes = verifier.checkQuotes(seedsDirectory: URL(fileURLWithPath: seeds))
                let started = Date()
                let report = verifier.run(sampleEvery: sampleEvery)
                let seconds = Date().timeIntervalSince(started)
                print("checked \(report.casesChecked) cases in \(String(format: "%.1f", seconds)) s; \(report.violations.count) invariant violations")
                print("checked \(quotes.checked) held quotes; \(quotes.problems.count) not verbatim")
                print("checked \(report.premisesHeld.count) invariants of the policy files; each with the cases it applied to:")
                for (invariant, cases) in report.premisesHeld { print("  \(invariant): \(cases)") }
                let vacuous = report.vacuous.map { "\($0): its 'when' held on no case checked, so it tested nothing" }
                let problems = report.violations.map(\.description) + vacuous + quotes.problems
                guard problems.isEmpty else { throw BadInput(problems) }
            }
        }
    }
}
