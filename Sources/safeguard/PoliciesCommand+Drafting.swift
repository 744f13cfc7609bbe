import ArgumentParser
import BundledPolicies
import Foundation
import PolicyEngine

extension PoliciesCommand {
    struct Test: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the rule tests (ID.test.yaml): the policies' own and, with --drafts, the drafts', against the policies with the drafts added.",
            discussion: "A draft's rules are each tested both ways: a case where it fires and one where it must not. Exit 2 lists every case that fails, at its place."
        )
        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var draftOptions: DraftOptions

        func run() throws {
            try reportingBadInput {
                let ruleSet = try policyOptions.load(drafts: draftOptions.directory)
                // The built-in policies' tests sit in a folder of their own; a folder of policies or drafts holds its tests beside them.
                let folders = [policyOptions.policies == nil ? BundledPolicies.tests : policyOptions.directory] + [draftOptions.directory].compactMap { $0 }
                let tests: RuleTests
                do throws(PolicyLoadError) {
                    tests = try RuleTests.load(from: folders)
                } catch {
                    throw BadInput(error.problems.map(\.description))
                }
                let drafted = Set(ruleSet.documents.filter { document in
                    draftOptions.directory.map { FileManager.default.fileExists(atPath: $0.appendingPathComponent(document.fileName).path) } ?? false
                }.map(\.id))
                let untested = ruleSet.rules.filter { drafted.contains($0.policyID) }.flatMap { rule in
                    var location = rule.location
                    if let folder = draftOptions.directory { location.file = folder.appendingPathComponent(location.file).path }
                    return tests.untested(rule).map { "\(location): \($0)" }
                }
                let failures = tests.failures(against: ruleSet).map(\.description) + untested
                print("ran \(tests.cases.count) cases of the rule tests of \(Set(tests.cases.map(\.policy)).count) policies")
                guard failures.isEmpty else { throw BadInput(failures) }
                print("every case decides as it says" + (drafted.isEmpty ? "" : "; every rule of the drafts is tested both ways"))
            }
        }
    }

    struct New: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a draft policy file and its rule test file into the drafts folder, to fill in.",
            discussion: """
            The draft loads as it is (no rules yet); its test file holds the cases of its first day in \
            force and the day before, with the policies in force on each. docs/policy-format.md, \
            "Drafting a new policy", says what to fill in.
            """
        )
        @Argument(help: "The new document's id, e.g. ice-directive-11005.4.")
        var id: String
        @Option(name: .customLong("from"), help: "Its first day in force (YYYY-MM-DD).")
        var from: String
        @Option(help: "A document it supersedes (repeat for more).")
        var supersedes: [String] = []
        @Option(help: "A document it rescinds (repeat for more).")
        var rescinds: [String] = []
        @Option(help: "Its title.")
        var title: String?
        @OptionGroup var policyOptions: PolicyOptions
        @OptionGroup var draftOptions: DraftOptions

        func run() throws {
            try reportingBadInput {
                guard let folder = draftOptions.directory else { throw BadInput("--drafts: name the folder the draft is written in") }
                guard id.range(of: #"^[a-z0-9][a-z0-9.-]{0,79}$"#, options: .regularExpression) != nil else {
                    throw BadInput("\(id): an id is lower-case letters, digits, '.' and '-' (as ice-directive-11005.4), at most 80")
                }
                guard let firstDay = CalendarDate(from) else { throw BadInput("--from: '\(from)' is not a date (YYYY-MM-DD)") }
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
                let policyFile = folder.appendingPathComponent("\(id).yaml")
                let testFile = folder.appendingPathComponent("\(id)\(RuleTests.fileSuffix)")
                for file in [policyFile, testFile] where FileManager.default.fileExists(atPath: file.path) {
                    throw BadInput("\(file.path): already exists; nothing was written")
                }
                // Against the policies and the drafts already there: what it ends must exist, its id must not.
                let drafted = (try? RuleSet.policyFiles(in: folder))?.isEmpty == false
                let before = try policyOptions.load(drafts: drafted ? folder : nil)
                if before.document(id: id) != nil { throw BadInput("\(id): a document with this id is already in force or drafted") }
                let unknown = (supersedes + rescinds).filter { before.document(id: $0) == nil }
                guard unknown.isEmpty else { throw BadInput("no document \(unknown.joined(separator: ", ")); known: \(before.documents.map(\.id).joined(separator: ", "))") }

                try Data(DraftSkeleton.policy(id: id, title: title ?? id, from: firstDay, supersedes: supersedes, rescinds: rescinds).utf8).write(to: policyFile)
                let ruleSet: RuleSet
                do {
                    ruleSet = try policyOptions.load(drafts: draftOptions.directory)
                } catch {
                    try? FileManager.default.removeItem(at: policyFile)
                    throw error
                }
                let inForce = { (day: CalendarDate) in ruleSet.evaluate(CaseFacts(asOf: day, action: .arrest)).policyIDs(in: ruleSet).sorted() }
                try Data(DraftSkeleton.tests(id: id, from: firstDay, inForce: inForce(firstDay), before: inForce(firstDay.previousDay)).utf8).write(to: testFile)
                print("wrote \(policyFile.path) and \(testFile.path)")
                print("next: write its rules and invariants, a case for each rule, then: safeguard policies test --drafts \(folder.path)")
            }
        }
    }
}
