import ArgumentParser
import Foundation
import PolicyEngine

struct MeasureCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "measure",
        abstract: "Time the engine on a JSONL file of cases: decoding, one decision at a time, the population evaluator.",
        discussion: """
        Checks the population evaluator's outcome against the per-case decision on every case: exit 1 \
        if any differs. A line that is not a valid case is reported as FILE:LINE: message (exit 2).
        """
    )

    @Argument(help: "A JSONL file of cases, or - for standard input.")
    var file: String

    @Option(help: "How many times to run the population evaluator; the best run counts.")
    var runs: Int = 5

    @Flag(help: "Print the figures as one JSON object.")
    var json = false

    @OptionGroup var policyOptions: PolicyOptions

    func run() throws {
        var measured: EngineMeasurement?
        try reportingBadInput {
            let loading = ContinuousClock.now
            let ruleSet = try policyOptions.load()
            let loadTime = ContinuousClock.now - loading
            let input = file == "-" ? FileHandle.standardInput : FileHandle(forReadingAtPath: file)
            guard let input else { throw BadInput("\(file): cannot read the file") }
            var reader = LineReader(handle: input)
            var lines: [ArraySlice<UInt8>] = []
            while let line = try reader.nextLine() {
                guard case .text(let text) = line else { throw BadInput("\(file):\(lines.count + 1): the line is too long") }
                lines.append(ArraySlice(Array(text)))
            }
            do {
                measured = try EngineMeasurement.run(lines, ruleSet: ruleSet, policyLoad: loadTime, populationRuns: runs)
            } catch let bad as EngineMeasurement.BadLine {
                throw BadInput(bad.error.errors.map { "\(file):\(bad.lineNumber): \($0)" })
            } catch let error as PolicyLoadError {
                // A rule the population evaluator cannot run as columns, named with its place.
                throw BadInput(error.problems.map(\.description))
            }
        }
        guard let figures = measured else { return }
        print(json ? figures.json : figures.table)
        if figures.disagreements > 0 {
            printError("the population evaluator disagrees with the engine on \(figures.disagreements) cases:")
            figures.firstDisagreements.forEach { printError("  \($0)") }
            throw ExitCode(1)
        }
    }
}

extension EngineMeasurement {
    var perSecond: (decode: Double, decideAll: Double, columns: Double, population: Double) {
        let count = Double(cases)
        return (count / decodeSeconds, count / decideAllSeconds, count / columnsSeconds, count / populationSeconds)
    }

    var table: String {
        let rates = perSecond
        func row(_ what: String, _ seconds: Double, _ rate: Double) -> String {
            what.padding(toLength: 44, withPad: " ", startingAt: 0)
                + String(format: "%10.1f ms %14.0f cases/s", seconds * 1000, rate)
        }
        return [
            "\(cases) cases, \(disagreements) disagreements between the population evaluator and the engine",
            String(format: "load and compile the policy files: %.1f ms", policyLoadSeconds * 1000),
            row("decode JSON (parse cost)", decodeSeconds, rates.decode),
            row("decide one by one, one core", decideAllSeconds, rates.decideAll),
            String(format: "one decision p50 / p99: %.0f ns / %.0f ns", decisionP50Nanoseconds, decisionP99Nanoseconds),
            row("lay out columns", columnsSeconds, rates.columns),
            row("population evaluator (best run)", populationSeconds, rates.population),
        ].joined(separator: "\n")
    }

    var json: String {
        let object: [String: Any] = [
            "cases": cases, "disagreements": disagreements, "policyLoadSeconds": policyLoadSeconds,
            "decodeSeconds": decodeSeconds, "decideAllSeconds": decideAllSeconds,
            "decisionP50Nanoseconds": decisionP50Nanoseconds, "decisionP99Nanoseconds": decisionP99Nanoseconds,
            "columnsSeconds": columnsSeconds, "populationSeconds": populationSeconds,
        ]
        let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
        return data.flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
    }
}
