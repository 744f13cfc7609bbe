import ArgumentParser
import Foundation
import PolicyEngine

/// Writes to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Bad input: the messages are printed on standard error and the command exits with code 2.
struct BadInput: Error {
    var messages: [String]

    init(_ messages: [String]) { self.messages = messages }
    init(_ message: String) { self.messages = [message] }

    func exit() -> ExitCode {
        messages.forEach(printError)
        return ExitCode(2)
    }
}

extension ParsableCommand {
    /// Runs `body`, turning bad input into exit code 2 with its messages on standard error.
    func reportingBadInput(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as BadInput {
            throw error.exit()
        }
    }
}

/// Parses a `--as-of`-style option.
func parseDate(_ text: String, option: String) throws -> CalendarDate {
    guard let date = CalendarDate(text) else { throw BadInput("\(option): '\(text)' is not a valid date YYYY-MM-DD") }
    return date
}
