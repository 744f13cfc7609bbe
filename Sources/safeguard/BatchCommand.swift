import ArgumentParser
import Foundation
import PolicyEngine

struct BatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "batch",
        abstract: "Decide a JSONL file of cases, one compact decision per line.",
        discussion: "A bad line is reported on standard error with its line number and skipped; the exit code is then 2."
    )

    @Argument(help: "A JSONL file of cases, or - for standard input.")
    var file: String

    @Option(name: .customLong("as-of"), help: "Decide every case on this date instead of its own.")
    var asOf: String?

    @Option(name: .customLong("compare-to"), help: "Also decide every case on this date and summarise the changes.")
    var compareTo: String?

    @Option(help: "Write decisions to this file instead of standard output.")
    var out: String?

    @OptionGroup var policyOptions: PolicyOptions

    func run() throws {
        var summary = BatchSummary()
        try reportingBadInput {
            let ruleSet = try policyOptions.load()
            let evaluator = BatchEvaluator(
                ruleSet: ruleSet,
                asOf: try asOf.map { try parseDate($0, option: "--as-of") },
                compareTo: try compareTo.map { try parseDate($0, option: "--compare-to") }
            )
            let input: FileHandle
            if file == "-" {
                input = .standardInput
            } else {
                guard let handle = FileHandle(forReadingAtPath: file) else { throw BadInput("\(file): cannot read the file") }
                input = handle
            }
            let output: FileHandle
            if let out {
                // Opened in place, not replaced, so that a device or a named pipe works too.
                let descriptor = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
                guard descriptor >= 0 else { throw BadInput("\(out): cannot write the file") }
                output = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
            } else {
                output = .standardOutput
            }
            let showProgress = isatty(STDERR_FILENO) == 1
            var reader = LineReader(handle: input)
            summary = try evaluator.run(
                &reader,
                write: { bytes in try output.write(contentsOf: bytes) },
                badLine: { bad in
                    for error in bad.error.errors { printError("\(file):\(bad.lineNumber): \(error)") }
                },
                progress: { lines in
                    if showProgress { FileHandle.standardError.write(Data("\r\(lines) lines read".utf8)) }
                }
            )
            if showProgress { printError("") }
            printError(summary.table(compared: compareTo != nil))
        }
        if summary.badLines > 0 { throw ExitCode(2) }
    }
}
