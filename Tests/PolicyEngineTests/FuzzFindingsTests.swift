import Foundation
import HostileInputs
import SafeguardTestSupport
import Testing

/// Every input fuzzing kept (scripts/fuzz copies each crash, hang or disagreement it finds into
/// FuzzFindings/<target>/), and the hostile inputs written by hand beside them, replayed through
/// what the fuzz targets do with one input: each must come back, refused or decided.
@Suite struct FuzzFindingsTests {
    static let folder = Fixtures.packageRoot.appendingPathComponent("Tests/PolicyEngineTests/FuzzFindings")

    static func inputs(_ target: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent(target).path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    static func replay(_ target: String, _ name: String, through entry: (UnsafeBufferPointer<UInt8>) -> Void) throws {
        let bytes = try [UInt8](Data(contentsOf: folder.appendingPathComponent(target).appendingPathComponent(name)))
        bytes.withUnsafeBufferPointer(entry)
    }

    @Test(arguments: inputs("case-input")) func caseInput(_ name: String) throws {
        try Self.replay("case-input", name, through: HostileInput.caseInput)
    }

    @Test(arguments: inputs("policy-file")) func policyFile(_ name: String) throws {
        try Self.replay("policy-file", name, through: HostileInput.policyFile)
    }

    @Test(arguments: inputs("condition")) func condition(_ name: String) throws {
        try Self.replay("condition", name, through: HostileInput.condition)
    }

    @Test func everyTargetHasInputsToReplay() {
        for target in ["case-input", "policy-file", "condition"] {
            #expect(!Self.inputs(target).isEmpty, "FuzzFindings/\(target) is empty")
        }
    }
}
