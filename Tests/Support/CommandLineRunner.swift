import Foundation
import Testing

/// Runs the built `safeguard` executable as a user would, and captures what it prints.
public struct CommandLineRunner {
    public struct Result {
        public var status: Int32
        public var standardOutput: String
        public var standardError: String
    }

    /// The executable built beside this test bundle.
    public static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("safeguard")
    }

    /// Waits for the child on a Dispatch thread, never on one of Swift's cooperative threads (two on
    /// two cores): a test blocked there would stall every other test of the process, servers included.
    public static func run(_ arguments: [String], input: String? = nil, in directory: URL? = nil, environment: [String: String] = [:]) async throws -> Result {
        try #require(FileManager.default.isExecutableFile(atPath: executable.path), "safeguard is not built at \(executable.path)")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        // The test's environment without Safeguard's own settings, which would otherwise reach past
        // the options a test gives (a developer's DATABASE_URL over `--database`), then the test's.
        let inherited = ProcessInfo.processInfo.environment.filter { name, _ in name != "DATABASE_URL" && !name.hasPrefix("SAFEGUARD_") }
        process.environment = inherited.merging(environment) { _, new in new }
        let output = Pipe(), errors = Pipe(), standardInput = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = standardInput
        try process.run()
        if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
        try standardInput.fileHandleForWriting.close()
        return await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                // Read both pipes to the end before waiting, so a full pipe cannot block the child.
                let group = DispatchGroup()
                nonisolated(unsafe) var errorData = Data()
                group.enter()
                DispatchQueue.global().async {
                    errorData = errors.fileHandleForReading.readDataToEndOfFile()
                    group.leave()
                }
                let outputData = output.fileHandleForReading.readDataToEndOfFile()
                group.wait()
                process.waitUntilExit()
                continuation.resume(returning: Result(
                    status: process.terminationStatus,
                    standardOutput: String(decoding: outputData, as: UTF8.self),
                    standardError: String(decoding: errorData, as: UTF8.self)
                ))
            }
        }
    }
}
