import ArgumentParser
import Crypto
import Foundation
import PolicyEngine
import SafeguardCore
import SafeguardRuntime

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "Verify the audit chain, and export its signed heads.",
        subcommands: [Verify.self, Integrate.self, Head.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check every record of the audit chain and every signed head; say where the chain breaks.",
            discussion: """
                Reads only. Records that requests queued and no sequencer has integrated yet are counted; those older than the bound, and \
                any written into the queue without the audit key, are alerts. Exit codes: 0 the chain verifies, 3 it does not (each \
                problem is printed), 4 it verifies but an alert stands, 2 bad input.
                """
        )
        @Option(help: "Heads exported earlier (`safeguard audit head --to`): the database must still hold them.") var head: String?
        @Option(name: .customLong("public-key"), help: "The audit key's public half (64 hex digits in a file), instead of the key file.")
        var publicKey: String?
        @OptionGroup var databaseOptions: DatabaseOptions
        @OptionGroup var policyOptions: PolicyOptions

        func run() async throws {
            let key: Curve25519.Signing.PublicKey
            do {
                key = try publicKey.map(AuditKey.loadPublicKey) ?? AuditKey.load(at: databaseOptions.settings().auditKeyPath).publicKey
            } catch let error as AuditKey.Problem {
                throw BadInput(error.description).exit()
            }
            let exported = try head.map(Self.readHeads) ?? []
            let started = Date()
            let (report, queue) = try await databaseOptions.withDatabase(policyOptions, integratingAudit: false) { database, services in
                (try await AuditChain.verify(key: key, exportedHeads: exported, on: database), try await services.audit.queue(on: database))
            }
            let seconds = String(format: "%.1f", Date().timeIntervalSince(started))
            guard report.isClean else {
                report.problems.forEach { print($0) }
                print("the audit chain does not verify: \(report.problems.count) problems in \(report.records) records")
                throw ExitCode(3)
            }
            print("the audit chain verifies: \(report.records) records in \(report.partitions) partitions, "
                  + "\(report.signedHeads) signed heads\(exported.isEmpty ? "" : ", \(exported.count) exported heads") (\(seconds) s)")
            // Queued records are not in the chain yet; the command only reads, a server or any other command integrates them.
            if queue.queued > 0 { print("\(queue.queued) records are queued, not yet in the chain") }
            var alerts: [String] = []
            if queue.stale > 0 { alerts.append("\(queue.stale) records waited longer than the bound to be integrated: no sequencer runs") }
            if queue.rejected > 0 { alerts.append("\(queue.rejected) queued records were rejected: written into the queue without the audit key") }
            alerts.forEach { print("alert: \($0)") }
            if !alerts.isEmpty { throw ExitCode(4) }
        }

        static func readHeads(_ path: String) throws -> [SignedHead] {
            guard let data = FileManager.default.contents(atPath: path) else { throw BadInput("\(path): cannot read the file").exit() }
            guard case .array(let items)? = try? JSONParser.parse(String(decoding: data, as: UTF8.self)) else {
                throw BadInput("\(path): not a list of exported heads").exit()
            }
            return try items.enumerated().map { index, item in
                guard let head = SignedHead(json: item) else { throw BadInput("\(path): [\(index)]: not an exported head").exit() }
                return head
            }
        }
    }

    struct Integrate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Integrate the audit records queued and not yet in the chain, as a running server does: after a restore, or with no server running."
        )
        @OptionGroup var databaseOptions: DatabaseOptions
        @OptionGroup var policyOptions: PolicyOptions

        func run() async throws {
            let integrated = try await databaseOptions.withDatabase(policyOptions) { database, services in
                try await services.audit.integrate(on: database)
            }
            print("integrated \(integrated) queued audit records into the chain")
        }
    }

    struct Head: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sign the current head of every partition and write the signed heads to a file, to keep apart from the database."
        )
        @Option(help: "The file to write (JSON).") var to: String
        @OptionGroup var databaseOptions: DatabaseOptions
        @OptionGroup var policyOptions: PolicyOptions

        func run() async throws {
            let heads = try await databaseOptions.withDatabase(policyOptions) { database, services in
                try await services.audit.append(.byOperator(.export, "audit-heads"), on: database)
                return try await services.audit.exportHeads(on: database)
            }
            let text = JSONValue.array(heads.map(\.json)).serialized() + "\n"
            guard FileManager.default.createFile(atPath: to, contents: Data(text.utf8)) else { throw BadInput("\(to): cannot write the file").exit() }
            let key = try AuditKey.load(at: databaseOptions.settings().auditKeyPath)
            print("exported the signed heads of \(heads.count) partitions to \(to); the audit key's public half is \(AuditKey.publicKeyText(key))")
        }
    }
}
