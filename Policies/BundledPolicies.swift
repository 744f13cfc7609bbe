import Foundation

/// The policy documents compiled into this build of Safeguard.
public enum BundledPolicies {
    /// The folder holding one YAML file per policy document.
    public static var directory: URL {
        Bundle.module.resourceURL!.appendingPathComponent("documents", isDirectory: true)
    }

    /// The folder holding the documents' rule tests, one `ID.test.yaml` per document (`RuleTests`).
    public static var tests: URL {
        Bundle.module.resourceURL!.appendingPathComponent("tests", isDirectory: true)
    }
}
