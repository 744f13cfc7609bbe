import ArgumentParser
import FluentKit
import Foundation
import PolicyEngine
import SafeguardCore
import SafeguardRuntime

struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "Add and disable users, and issue and revoke API tokens.",
        subcommands: [Add.self, Disable.self, Token.self, Tokens.self]
    )

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user. The password is read from standard input, or generated and printed once.")
        @Option(help: "The user's name for signing in.") var username: String
        @Option(help: "officer, supervisor, opla-attorney, hotline-specialist, analyst, auditor or admin.") var role: String
        @Option(help: "The user's office, e.g. NYC.") var office: String
        @Option(help: "The name shown in pages.") var displayName: String = ""
        @Flag(help: "Read the password from standard input instead of generating one.") var passwordStdin = false
        @OptionGroup var databaseOptions: DatabaseOptions
        @OptionGroup var policyOptions: PolicyOptions

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw BadInput("--role: '\(role)' is not one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))").exit()
            }
            let generated = passwordStdin ? nil : GeneratedSecret.password()
            let password = generated ?? (readLine(strippingNewline: true) ?? "")
            let (username, displayName, office) = (username, displayName, office)
            try await databaseOptions.withDatabase(policyOptions) { database, services in
                try await database.transaction { database in
                    let user = try await services.users.add(username: username, displayName: displayName, role: role, office: office,
                                                            password: password, on: database)
                    try await services.audit.append(.byOperator(.write, "user/\(try user.requireID())"), on: database)
                }
            }
            print("added \(username) (\(role.rawValue), \(office))")
            if let generated { print("password: \(generated)") }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user and revoke their tokens.")
        @Argument var username: String
        @OptionGroup var databaseOptions: DatabaseOptions
        @OptionGroup var policyOptions: PolicyOptions

        func run() async throws {
            let username = username
            try await databaseOptions.withDatabase(policyOptions) { database, services in
                try await database.transaction { database in
                    try await services.users.disable(username: username, on: database)
                    try await services.audit.append(.byOperator(.write, "user/\(try await services.users.user(named: username, on: database).requireID())"), on: database)
                }
            }
            print("disabled \(username)")
        }
    }

    struct Token: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue an API bearer token for a user; it is shown once.",
            discussion: "A system rotates its token without downtime: issue the next, put it in use, then `users tokens revoke --keep-newest`."
        )
        @Argument var username: String
        @Option(help: "Days the token lasts (1–366).") var days = Int(UserDirectory.issuedTokenLifetime.seconds / 86_400)
        @OptionGroup var databaseOptions: DatabaseOptions
        @OptionGroup var policyOptions: PolicyOptions

        func run() async throws {
            guard (1...366).contains(days) else { throw BadInput("--days: \(days) is not a number of days from 1 to 366").exit() }
            let (username, lifetime) = (username, Duration.seconds(days * 86_400))
            print(try await databaseOptions.withDatabase(policyOptions) { database, services -> String in
                try await database.transaction { database -> String in
                    let token = try await services.users.issueToken(for: username, lifetime: lifetime, on: database).token
                    try await services.audit.append(.byOperator(.write, "token-of/\(try await services.users.user(named: username, on: database).requireID())"), on: database)
                    return token
                }
            })
        }
    }

    struct Tokens: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Manage a user's API tokens.", subcommands: [Revoke.self])

        struct Revoke: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Revoke a user's API tokens at once: all of them, or all but the newest.")
            @Argument var username: String
            @Flag(help: "Keep the newest token (after a rotation, the one in use).") var keepNewest = false
            @OptionGroup var databaseOptions: DatabaseOptions
            @OptionGroup var policyOptions: PolicyOptions

            func run() async throws {
                let (username, keepNewest) = (username, keepNewest)
                let revoked = try await databaseOptions.withDatabase(policyOptions) { database, services -> Int in
                    try await database.transaction { database -> Int in
                        let count = try await services.users.revokeTokens(of: username, keepingNewest: keepNewest, on: database)
                        try await services.audit.append(.byOperator(.write, "token-of/\(try await services.users.user(named: username, on: database).requireID())"), on: database)
                        return count
                    }
                }
                print("revoked \(revoked) token\(revoked == 1 ? "" : "s") of \(username)")
            }
        }
    }
}

extension WorkflowError {
    var messages: [String] {
        switch self {
        case .invalid(let errors): errors.map(\.description)
        case .notFound(let what): ["no \(what)"]
        case .forbidden(let reason), .conflict(let reason): [reason]
        case .staleVersion(let current): ["the record changed (now version \(current))"]
        case .gateRefused(let refusal): ["refused at the gate: \(refusal.disposition.spelling)"]
        case .sourceProhibited(let items): ["\(SourceProhibition.citation): the basis rests only on excluded items: \(items.joined(separator: ", "))"]
        case .throttled(let wait): ["too many failed attempts; try again in \(Int(wait.rounded(.up))) s"]
        case .tooOften(let reason, let wait): ["\(reason); try again in \(Int(wait.rounded(.up))) s"]
        }
    }
}
