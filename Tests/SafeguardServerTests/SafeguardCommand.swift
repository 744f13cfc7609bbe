import Foundation
import Testing

/// The `safeguard` executable built beside this test bundle, run as an operator runs it.
enum SafeguardCommand {
    static let executable = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("safeguard")

    struct Result {
        var status: Int32
        var output: String
    }

    /// Waits for the child on a Dispatch thread, never on one of Swift's cooperative threads (two on
    /// two cores): a test blocked there would stall every server the test process runs.
    static func run(_ arguments: [String], environment: [String: String], input: String? = nil) async throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment.merging(["PATH": ProcessInfo.processInfo.environment["PATH"] ?? ""]) { own, _ in own }
        let output = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                continuation.resume(returning: Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self)))
            }
        }
    }
}

extension TestService {
    /// Runs a `safeguard` command against this service's database and audit key.
    func runCommand(_ arguments: [String]) async throws -> SafeguardCommand.Result {
        var environment = ["SAFEGUARD_AUDIT_KEY": settings.auditKeyPath]
        var arguments = arguments
        if let databaseURL = settings.databaseURL { environment["DATABASE_URL"] = databaseURL } else { arguments += ["--database", databasePath] }
        return try await SafeguardCommand.run(arguments, environment: environment)
    }
}
