import ArgumentParser
import Foundation
import SafeguardRuntime

@main
struct Safeguard: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "safeguard",
        abstract: "Decides what immigration enforcement policy requires when the person is a crime victim.",
        discussion: "Exit codes: 0 decided, 2 bad input (a case, a policy file, an unreadable file), 1 internal error.",
        subcommands: [
            DemoCommand.self, EvaluateCommand.self, DiffCommand.self, BatchCommand.self, GenerateCommand.self,
            PoliciesCommand.self, ServeCommand.self, MigrateCommand.self, UsersCommand.self, PeopleCommand.self, FilingsCommand.self, ReevaluateCommand.self, PopulateCommand.self, AuditCommand.self, BackupCommand.self, RestoreCommand.self,
            DeliverCommand.self, MeasureCommand.self,
        ]
    )

    /// Every log line of every command goes through Safeguard's handler, which keeps case data out.
    static func main() async {
        SafeguardRuntime.runTasksOnEventLoops()
        do {
            try SafeguardLogHandler.bootstrap()
        } catch {
            printError("\(error)")
            Foundation.exit(2)
        }
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
