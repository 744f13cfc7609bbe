import Crypto
import Foundation

/// The policies of one folder of policy files, checked and compiled, ready to evaluate cases.
///
/// Immutable and `Sendable`: load once, evaluate from any number of threads (each with its own
/// `EvaluationScope`).
public struct RuleSet: Sendable {
    /// The policy documents in evaluation order: by first day in force, then id.
    public let documents: [PolicyDocument]
    /// Every rule of every document, in evaluation order; decisions refer to rules by index here.
    public let rules: [Rule]
    /// Shared definitions, by name.
    public let definitions: [String: Definition]
    /// The policy files it was loaded from, by name: a draft is tried against them
    /// (`load(files:drafts:)`).
    public let files: [(name: String, bytes: [UInt8])]
    /// SHA-256 over the policy files, as `docs/policy-format.md` describes.
    public let digest: String
    /// The case facts that some condition reads.
    public let fieldUsage: FieldUsage
    /// What evaluation needs of each rule, parallel to `rules`, without the rule's texts.
    let programs: [RuleProgram]
    /// The stretches of unchanged documents in force, with the rules each one applies.
    let schedule: EvaluationSchedule
    let slotCount: Int
    private let ruleIndex: [String: Int]

    init(documents: [PolicyDocument], definitions: [String: Definition], files: [(name: String, bytes: [UInt8])], digest: String,
         fieldUsage: FieldUsage, slotCount: Int) {
        self.documents = documents
        self.definitions = definitions
        self.files = files
        self.digest = digest
        self.fieldUsage = fieldUsage
        self.slotCount = slotCount
        let rules = documents.flatMap(\.rules)
        self.rules = rules
        ruleIndex = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        programs = rules.map(RuleProgram.init)
        schedule = EvaluationSchedule(documents: documents)
    }

    public func document(id: String) -> PolicyDocument? { documents.first { $0.id == id } }

    public func rule(id: String) -> Rule? { ruleIndex[id].map { rules[$0] } }

    /// A scope for evaluating cases with this rule set on one thread.
    public func makeScope() -> EvaluationScope {
        .blank(slots: slotCount)
    }

    /// The policy files of a folder: every `*.yaml` file but the rule tests (`*.test.yaml`,
    /// `RuleTests`), in file-name order.
    public static func policyFiles(in directory: URL) throws(PolicyLoadError) -> [(name: String, bytes: [UInt8])] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(RuleTests.fileSuffix) }
                .sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        } catch {
            throw PolicyLoadError([PolicyProblem(
                location: SourceLocation(file: directory.path, line: 1, column: 1),
                message: "cannot read the policy folder: \(error.localizedDescription)"
            )])
        }
        var files: [(name: String, bytes: [UInt8])] = []
        var problems: [PolicyProblem] = []
        for name in names {
            let url = directory.appendingPathComponent(name)
            guard let data = FileManager.default.contents(atPath: url.path) else {
                problems.append(PolicyProblem(location: SourceLocation(file: url.path, line: 1, column: 1), message: "cannot read the file"))
                continue
            }
            files.append((name, [UInt8](data)))
        }
        guard problems.isEmpty else { throw PolicyLoadError(problems) }
        guard !files.isEmpty else {
            throw PolicyLoadError([PolicyProblem(
                location: SourceLocation(file: directory.path, line: 1, column: 1),
                message: "the policy folder holds no .yaml files"
            )])
        }
        return files
    }

    /// Loads every policy file of a folder, and of a folder of drafts when given: a draft is one
    /// more document (it may supersede or rescind one of the folder's, as a new policy would), never
    /// a file of the folder changed. Problems name each file by its path.
    public static func load(from directory: URL, drafts: URL? = nil) throws(PolicyLoadError) -> RuleSet {
        var folders: [String: URL] = [:]
        do throws(PolicyLoadError) {
            let files = try policyFiles(in: directory)
            for file in files { folders[file.name] = directory }
            guard let drafts else { return try load(files: files) }
            let drafted = try policyFiles(in: drafts)
            // Named by the draft's path, not the file in force it would replace.
            let replacing = drafted.filter { folders[$0.name] != nil }
            guard replacing.isEmpty else { throw PolicyLoadError(replacing.map { draftReplacing(drafts.appendingPathComponent($0.name).path) }) }
            for file in drafted { folders[file.name] = drafts }
            return try load(files: files, drafts: drafted)
        } catch {
            throw PolicyLoadError(error.problems.map { problem in
                var located = problem
                if !problem.location.file.hasPrefix("/") {
                    located.location.file = (folders[problem.location.file] ?? directory).appendingPathComponent(problem.location.file).path
                }
                return located
            })
        }
    }

    /// Loads policy files with drafts added, all given as names and contents (names are reported
    /// in errors): a draft that has the name of one of the files is refused.
    public static func load(files: [(name: String, bytes: [UInt8])], drafts: [(name: String, bytes: [UInt8])]) throws(PolicyLoadError) -> RuleSet {
        let names = Set(files.map(\.name))
        let replacing = drafts.filter { names.contains($0.name) }
        guard replacing.isEmpty else { throw PolicyLoadError(replacing.map { draftReplacing($0.name) }) }
        return try load(files: files + drafts)
    }

    private static func draftReplacing(_ file: String) -> PolicyProblem {
        PolicyProblem(location: SourceLocation(file: file, line: 1, column: 1),
                      message: "a draft has the name of a policy file in force: a new document has an id of its own, and supersedes or rescinds the old one")
    }

    /// Loads policy files given as names and contents (names are reported in errors).
    public static func load(files: [(name: String, bytes: [UInt8])]) throws(PolicyLoadError) -> RuleSet {
        var loader = PolicyLoader(files: files)
        return try loader.load()
    }

    /// SHA-256 over each file in file-name order, as its name, a newline, its length in bytes in
    /// decimal, a newline, and its bytes.
    public static func digest(of files: [(name: String, bytes: [UInt8])]) -> String {
        var hash = SHA256()
        for file in files.sorted(by: { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }) {
            hash.update(data: Array("\(file.name)\n\(file.bytes.count)\n".utf8))
            hash.update(data: file.bytes)
        }
        return hash.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
