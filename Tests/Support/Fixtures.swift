import BundledPolicies
import Foundation
import PolicyEngine
import Testing

/// Where the package and the shared folder beside it are.
public enum Fixtures {
    public static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the repository: the contract and the seed texts.
    public static let shared = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// Tests that read `../shared` run when it is there, and under CI (`CI=true`) also when it is
    /// not, so that they fail rather than skip.
    public static var sharedIsExpected: Bool {
        FileManager.default.fileExists(atPath: shared.path) || ProcessInfo.processInfo.environment["CI"] == "true"
    }

    public static func sharedFile(_ relativePath: String) throws -> URL {
        let url = shared.appendingPathComponent(relativePath)
        try #require(FileManager.default.fileExists(atPath: url.path), "missing \(url.path): the shared folder must sit beside the repository")
        return url
    }

    /// The policies this build carries, loaded once.
    public static let ruleSet: RuleSet = {
        do {
            return try RuleSet.load(from: BundledPolicies.directory)
        } catch {
            fatalError("the built-in policies do not load:\n\(error)")
        }
    }()

    /// The source folder of the policy files (the built-in ones are a copy of it).
    public static let policySources = packageRoot.appendingPathComponent("Policies/documents")

    public static func date(_ text: String) -> CalendarDate { CalendarDate(text)! }

    /// A fresh folder holding copies of the built-in policy files, for tests that change them.
    /// A policy file of one rule (`test-policy/rule`) in force from 2000, with `when`, optionally a
    /// `forEach`, the given parameters block, and the definition `pendingFiling(filing)`.
    public static func oneRulePolicy(
        when: String, parameters: String = "", forEach: String? = nil, effects: String = "{duties: [seek-victim-indicia]}"
    ) -> (name: String, bytes: [UInt8]) {
        let text = """
        kind: policy
        id: test-policy
        title: Test
        inForceFrom: 2000-01-01
        \(parameters)
        definitions:
          pendingFiling:
            parameters: {filing: benefit}
            expression: filing.status == 'pending'
        rules:
          - id: test-policy/rule
            when: >-
              \(when)
            effects: \(effects)
            citation: {document: D, passage: P, quote: Q}
            source: primary
            \(forEach.map { "forEach: \($0)" } ?? "")
        """
        return ("test-policy.yaml", Array(text.utf8))
    }

    public static func policyCopy() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("safeguard-policies-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: policySources, to: folder)
        return folder
    }

    /// A copy of the built-in policy files with one passage of one file replaced.
    public static func policyCopy(editing fileName: String, replacing original: String, with replacement: String) throws -> URL {
        let folder = try policyCopy()
        let file = folder.appendingPathComponent(fileName)
        let text = try String(contentsOf: file, encoding: .utf8)
        try #require(text.contains(original), "\(fileName) does not contain \(original)")
        try text.replacingOccurrences(of: original, with: replacement).write(to: file, atomically: true, encoding: .utf8)
        return folder
    }
}
