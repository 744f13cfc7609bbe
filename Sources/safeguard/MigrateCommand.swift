import ArgumentParser

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Create or bring the database up to date.")
    @OptionGroup var databaseOptions: DatabaseOptions
    @OptionGroup var policyOptions: PolicyOptions

    func run() async throws {
        try await databaseOptions.withDatabase(policyOptions) { _, _ in }
        print("\(try databaseOptions.settings().databaseDescription): migrations applied")
    }
}
