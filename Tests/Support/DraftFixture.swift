import Foundation
import PolicyEngine

/// A draft policy as an analyst writes one: from 2027-03-01 it rescinds the 2025 guidance and
/// restores Directive 11005.3's refrain for known beneficiaries and applicants, with a rule test
/// each way. `write(to:)` drafts it as `policies new` would; `fill(_:)` fills in what
/// `policies new` wrote.
public enum DraftFixture {
    public static let id = "victim-centered-2027"
    public static let firstDay = CalendarDate("2027-03-01")!
    public static let refrainRule = "\(id)/refrain-known-beneficiary"

    /// The draft's skeleton and tests, filled in, in a new folder.
    public static func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let skeleton = DraftSkeleton.policy(id: id, title: "Victim-centered approach (restored)", from: firstDay, supersedes: [],
                                            rescinds: ["ice-interim-guidance-2025"])
        try Data(skeleton.utf8).write(to: folder.appendingPathComponent("\(id).yaml"))
        try Data(DraftSkeleton.tests(id: id, from: firstDay, inForce: ["standing-relief", "usc-8-1367", id],
                                     before: ["ice-interim-guidance-2025", "standing-relief", "usc-8-1367"]).utf8)
            .write(to: folder.appendingPathComponent("\(id)\(RuleTests.fileSuffix)"))
        try fill(folder)
    }

    /// Writes the rule into the drafted policy file and a case each way into its tests.
    public static func fill(_ folder: URL) throws {
        let policy = folder.appendingPathComponent("\(id).yaml")
        let tests = folder.appendingPathComponent("\(id)\(RuleTests.fileSuffix)")
        try replace("rules: []\n", with: """
            rules:
              - id: \(refrainRule)
                description: Absent exceptional circumstances, no civil enforcement action against a known beneficiary or known applicant.
                when: hasKnownLiveFiling && !exceptionalCircumstances
                effects:
                  disposition: refrain
                citation:
                  document: Victim-centered approach (restored) (draft)
                  passage: Section 2
                  quote: absent exceptional circumstances ICE will refrain from taking civil immigration enforcement actions
                source: primary

            """, in: policy)
        try replace("# For each rule", with: """
              - name: a known U petitioner is not arrested
                case: {asOf: \(firstDay), action: arrest, subject: {benefits: [{type: U, role: principal, status: pending, verified: true}]}}
                fires: [\(refrainRule)]
                disposition: refrain
              - name: not with exceptional circumstances
                case: {asOf: \(firstDay), action: arrest, exceptionalCircumstances: true, subject: {benefits: [{type: U, role: principal, status: pending, verified: true}]}}
                doesNotFire: [\(refrainRule)]
            # For each rule
            """, in: tests)
    }

    private static func replace(_ marker: String, with text: String, in file: URL) throws {
        let written = try String(contentsOf: file, encoding: .utf8)
        guard let range = written.range(of: marker) else { throw CocoaError(.fileReadCorruptFile) }
        try Data(written.replacingCharacters(in: range, with: text).utf8).write(to: file)
    }
}
