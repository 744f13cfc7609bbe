import ArgumentParser
import Foundation
import PolicyEngine

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write synthetic cases as JSONL, spread over every policy period, filing and flag."
    )

    @Option(help: "How many cases.")
    var count: Int

    @Option(help: "The seed; the same seed gives the same cases.")
    var seed: UInt64 = 1

    @OptionGroup var policyOptions: PolicyOptions

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must not be negative") }
    }

    func run() throws {
        try reportingBadInput {
            var generator = CaseGenerator(seed: seed, ruleSet: try policyOptions.load())
            var output: [UInt8] = []
            output.reserveCapacity(1 << 20)
            for index in 0..<count {
                generator.next(caseId: "case-\(index + 1)").json.write(to: &output, pretty: false, indent: 0)
                output.append(UInt8(ascii: "\n"))
                if output.count > 1 << 20 {
                    FileHandle.standardOutput.write(Data(output))
                    output.removeAll(keepingCapacity: true)
                }
            }
            FileHandle.standardOutput.write(Data(output))
        }
    }
}
