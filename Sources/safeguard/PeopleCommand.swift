import ArgumentParser
import Foundation
import SafeguardCore

struct PeopleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "people", abstract: "Operator's acts on people's records.",
        subcommands: [Move.self]
    )

    struct Move: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give the keeping of a person's record to another office (recorded in the audit chain).",
            discussion: "Only the office that keeps a record changes it and lists it: move it when the person moved to another office's area, or to give one to a record stored before offices kept people."
        )
        @Argument(help: "The person's id.") var person: String
        @Option(help: "The office that keeps the record from now on (one that has users).") var office: String
        @OptionGroup var databaseOptions: DatabaseOptions
        @OptionGroup var policyOptions: PolicyOptions

        func run() async throws {
            guard let id = UUID(uuidString: person) else { throw BadInput("person: '\(person.prefix(40))' is not a person's id").exit() }
            let office = office
            let from = try await databaseOptions.withDatabase(policyOptions) { database, services in
                try await services.people.move(id, to: office, on: database)
            }
            print("person \(id) is kept by \(office) now (until now: \(from.isEmpty ? "no office" : from))")
        }
    }
}
