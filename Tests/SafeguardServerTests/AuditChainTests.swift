import Crypto
import FluentKit
import Foundation
import PolicyEngine
import SafeguardTestSupport
import SQLKit
@testable import SafeguardCore
@testable import SafeguardServer
import Testing
import Vapor

/// The audit chain: what is recorded, that it holds no protected value, and that tampering of
/// every kind is found where it happened, on SQLite and on PostgreSQL.
@Suite struct AuditChainTests {
    /// Every record of the chain, once what requests queued is integrated.
    static func records(_ service: TestService) async throws -> [AuditRecord] {
        try await service.integrateAudit()
        var records: [AuditRecord] = []
        try await AuditChain.forEachRecord(on: service.app.db) { records.append($0) }
        return records
    }

    /// The chain verified, once what requests queued is integrated.
    static func verify(_ service: TestService, exported: [SignedHead] = []) async throws -> AuditVerifier.Report {
        try await service.integrateAudit()
        return try await AuditChain.verify(key: service.app.safeguard.audit.key.publicKey, exportedHeads: exported, on: service.app.db)
    }

    /// A few sign-ins, writes, reads and refusals through the API.
    static func work(_ service: TestService) async throws -> (person: String, encounter: String) {
        let credentials = #"{"username": "officer-nyc", "password": "correct horse battery"}"#
        #expect(try await service.send(.POST, "/api/v1/tokens", json: credentials).status == .created)
        #expect(try await service.send(.POST, "/api/v1/tokens", json: #"{"username": "officer-nyc", "password": "wrong password!"}"#).status == .unauthorized)
        let person = try await service.createPerson(aNumber: "A918273640")
        let filing = try await service.addFiling(person)
        let encounter = try await service.openEncounter(person, asOf: "2023-05-01").decode(EncounterView.self).id.uuidString
        #expect(try await service.verify(encounter, filing: filing).status == .created)
        #expect(try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@NYC",
                                       headers: [("Safeguard-Purpose", "law-enforcement")]).status == .ok)
        #expect(try await service.send(.GET, "/api/v1/people/\(person)/filings", as: "officer@NYC", headers: TestService.lawEnforcement).status == .ok)
        #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC").status == .conflict)
        #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "analyst@NYC",
                                       json: #"{"step": "opla-consultation", "summary": "s", "counterpart": "c", "advice": "no-legal-limitation"}"#).status == .forbidden)
        #expect(try await service.send(.GET, "/api/v1/encounters/\(encounter)").status == .unauthorized)
        return (person, encounter)
    }

    @Test func signInsWritesReadsAndRefusalsAreRecordedWithoutProtectedValues() async throws {
        try await TestService.with { service in
            let (person, encounter) = try await Self.work(service)
            let records = try await Self.records(service)
            func has(_ action: String, _ object: String, _ outcome: String = "success", purpose: String? = nil) -> Bool {
                records.contains { $0.action == action && $0.object == object && $0.outcome == outcome && (purpose == nil || $0.purpose == purpose) }
            }
            #expect(has("login", "session"))
            #expect(records.contains { $0.action == "login" && $0.outcome == "failure" && $0.username == "officer-nyc" && $0.partition == "system" })
            #expect(has("write", "person/\(person)"))
            #expect(has("write", "encounter/\(encounter)"))
            #expect(has("read", "encounter/\(encounter)", purpose: "law-enforcement"))
            #expect(records.contains { $0.action == "read" && $0.object.hasPrefix("filing/") })
            #expect(records.contains { $0.action == "write" && $0.object.hasPrefix("step/") })
            #expect(records.contains { $0.action == "write" && $0.object.hasPrefix("decision/") })
            // The gate's refusal, the analyst's and the anonymous request's: three denials of the encounter.
            #expect(records.filter { $0.action == "denial" && $0.object == "encounter/\(encounter)" && $0.outcome == "denied" }.count == 3)
            #expect(records.contains { $0.action == "denial" && $0.role == "analyst" })
            #expect(Set(records.map(\.partition)) == ["NYC", "system"])
            // No A-number, name or filing detail in any field of any record.
            let text = records.map { String(decoding: $0.canonical, as: UTF8.self) }.joined(separator: "\n")
            for value in ["A918273640", "Ana", "Doe", "EAC2290012345", "U", "pending"] {
                #expect(!text.contains("\"\(value)\""), "\(value)")
            }
            #expect(!text.contains("A918273640") && !text.contains("EAC2290012345"))
            let report = try await Self.verify(service)
            #expect(report.isClean, "\(report.problems)")
            #expect(report.records == records.count && report.partitions == 2)
            // Exporting the heads is itself recorded, and the exported heads verify.
            let headFile = FileManager.default.temporaryDirectory.appendingPathComponent("heads-\(UUID().uuidString).json").path
            defer { try? FileManager.default.removeItem(atPath: headFile) }
            let exported = try await service.runCommand(["audit", "head", "--to", headFile])
            #expect(exported.status == 0 && exported.standardOutput.contains("exported the signed heads of 2 partitions"), "\(exported.standardOutput)")
            #expect(try await service.count("audit_records WHERE action = 'export' AND object = 'audit-heads' AND role = 'operator'") == 1)
            let verified = try await service.runCommand(["audit", "verify", "--head", headFile])
            #expect(verified.status == 0 && verified.standardOutput.hasPrefix("the audit chain verifies:"), "\(verified.standardOutput)")
            // A purpose that is not on the list is refused, and nothing is read.
            let unknown = try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@NYC", headers: [("Safeguard-Purpose", "curiosity")])
            #expect(unknown.status == .badRequest)
            #expect(try unknown.problem.detail == "Safeguard-Purpose: 'curiosity' is not one of law-enforcement, legal-consultation, adjudication, victim-assistance, audit")
        }
    }

    /// A NUL a caller puts in a username or a path (API fuzzing found it) once made a record the
    /// chain read back cut short, reported as tampered with; it is stored as U+FFFD now, and a
    /// sign-in form with one is refused.
    @Test func aNULFromACallerLeavesTheChainVerifiable() async throws {
        try await TestService.with { service in
            let form = try await service.send(.POST, "/session", json: "username=a%00b&password=x", contentType: "application/x-www-form-urlencoded")
            #expect(form.status == .unprocessableEntity)
            #expect(try await service.send(.POST, "/api/v1/tokens", json: #"{"username": "a\u0000b", "password": "x"}"#).status == .unprocessableEntity)
            #expect(try await service.send(.GET, "/api/v1/people/a%00b").status == .unauthorized)
            try await service.app.safeguard.audit.append(AuditEntry(actorID: nil, username: "a\u{0}b", role: "", office: "", action: .login,
                                                                   object: "session\u{0}", outcome: .failure), on: service.app.db)
            #expect(try await Self.verify(service).isClean)
        }
    }

    @Test func tamperingIsFoundWhereItHappened() async throws {
        try await TestService.with { service in
            _ = try await Self.work(service)
            let sql = service.app.db as! any SQLDatabase
            let exported = try await service.app.safeguard.audit.exportHeads(on: service.app.db)
            #expect(try await Self.verify(service, exported: exported).isClean)
            let original = try await Self.records(service).filter { $0.partition == "NYC" }
            let last = try #require(original.last).sequence
            #expect(last > 8)
            func restore() async throws {
                try await sql.delete(from: AuditChain.records).where("partition", .equal, "NYC").run()
                var rows = BulkInsert(into: AuditChain.records, columns: AuditChain.recordColumns)
                for record in original { rows.append(record.columnValues) }
                try await rows.run(on: service.app.db)
                #expect(try await Self.verify(service, exported: exported).isClean)
            }
            func problems() async throws -> [String] { try await Self.verify(service, exported: exported).problems.map(\.description) }

            // A changed byte.
            try await sql.update(AuditChain.records).set("object", to: SQLBind("encounter/forged")).where("partition", .equal, "NYC").where("sequence", .equal, 3).run()
            #expect(try await problems().contains("NYC #3: this record was changed: its contents do not match its hash"))
            try await restore()
            // A deleted record.
            try await sql.delete(from: AuditChain.records).where("partition", .equal, "NYC").where("sequence", .equal, 5).run()
            #expect(try await problems().contains("NYC #6: record 5 is missing before this one (deleted)"))
            try await restore()
            // Two records reordered: their sequence numbers swapped.
            try await sql.update(AuditChain.records).set("sequence", to: SQLBind(-1)).where("partition", .equal, "NYC").where("sequence", .equal, 4).run()
            try await sql.update(AuditChain.records).set("sequence", to: SQLBind(4)).where("partition", .equal, "NYC").where("sequence", .equal, 5).run()
            try await sql.update(AuditChain.records).set("sequence", to: SQLBind(5)).where("partition", .equal, "NYC").where("sequence", .equal, -1).run()
            #expect(try await problems().contains("NYC #4: the link to the record before is broken: that record was changed, removed, inserted or moved"))
            try await restore()
            // A truncated tail.
            try await sql.delete(from: AuditChain.records).where("partition", .equal, "NYC").where("sequence", .equal, last).run()
            #expect(try await problems().contains("NYC #\(last - 1): the chain ends here but its head names record \(last): the tail was cut off"))
            try await restore()
            // A rollback to an older state, head row included with the signature it carried then:
            // only the exported head shows it.
            try await sql.delete(from: AuditChain.records).where("partition", .equal, "NYC").where("sequence", .greaterThan, last - 3).run()
            let then = try SignedHead(partition: "NYC", sequence: last - 3, hash: original[last - 4].hash, signedAt: Date(), key: service.app.safeguard.audit.key)
            try await sql.update(AuditChain.heads).set("sequence", to: SQLBind(then.sequence)).set("hash", to: SQLBind(then.hash))
                .set("signed_at", to: SQLBind(then.signedAt)).set("signature", to: SQLBind(then.signature)).where("partition", .equal, "NYC").run()
            try await sql.delete(from: AuditChain.signatures).where("partition", .equal, "NYC").where("sequence", .greaterThan, last - 3).run()
            #expect(try await Self.verify(service).isClean, "without the exported head, a consistent rollback looks whole")
            #expect(try await problems().contains {
                $0.hasPrefix("NYC #\(last): the exported head names this record but the chain ends at \(last - 3): the database is older than that head")
            })

            // The command line says the same, with exit code 3.
            let result = try await service.runCommand(["audit", "verify"])
            #expect(result.status == 0, "\(result.standardOutput)")
            let headFile = FileManager.default.temporaryDirectory.appendingPathComponent("heads-\(UUID().uuidString).json").path
            defer { try? FileManager.default.removeItem(atPath: headFile) }
            try JSONValue.array(exported.map(\.json)).serialized().write(toFile: headFile, atomically: true, encoding: .utf8)
            let failed = try await service.runCommand(["audit", "verify", "--head", headFile])
            #expect(failed.status == 3)
            #expect(failed.standardOutput.contains("NYC #\(last): the exported head names this record"))
        }
    }

    // A signer that never sleeps again would leave the wait below waiting: the limit fails it (a guard
    // against a hang, generous for a loaded machine, not a measure of speed).
    @Test(.timeLimit(.minutes(5))) func aRunningServerSignsTheHeadsThatMoved() async throws {
        try await TestService.with(auditSigningInterval: .seconds(300)) { service in
            _ = try await service.createPerson()
            let sql = service.app.db as! any SQLDatabase
            // Whether the NYC head as it stands is the newest signed one.
            func signed() async throws -> Bool {
                let head = try await AuditChain.heads(on: service.app.db)["NYC"]
                let latest = try await AuditChain.signedHeads(on: sql).filter { $0.partition == "NYC" }.last
                return head != nil && latest?.sequence == head?.sequence && latest?.hash == head?.hash
            }
            // The signer and the sequencer sleep on the clock.
            await service.clock.waitForSleepers(2)
            #expect(try await !signed(), "not signed before the interval")
            service.clock.advance(by: .seconds(299))
            await service.clock.waitForSleepers(2)
            #expect(try await !signed(), "not signed a second before the interval (though integrated)")
            #expect(try await AuditChain.heads(on: service.app.db)["NYC"] != nil, "the sequencer integrated what was queued")
            service.clock.advance(by: .seconds(1))
            // The signer wakes, signs and sleeps again.
            await service.clock.waitForSleepers(2)
            #expect(try await signed(), "the NYC head is signed once the interval has passed")
            #expect(try await Self.verify(service).isClean)
        }
    }

    /// Records after the last periodic signature, with no head exported: rewritten and rehashed,
    /// or cut off with the head row set back, they are found, for the head row is signed with
    /// every commit and only the key signs it again.
    @Test func aTailAfterTheLastSignedHeadCannotBeRewrittenOrCut() async throws {
        for tampering in ["rewrite", "cut"] {
            try await TestService.with { service in
                let sql = service.app.db as! any SQLDatabase
                let admin = try #require(try await service.app.safeguard.users.user(named: "admin-nyc", on: service.app.db).actor)
                try await service.app.safeguard.audit.append((0..<5).map { AuditEntry(admin, .read, "encounter/\($0)") }, on: service.app.db)
                #expect(try await Self.verify(service).isClean)
                let head = try #require(try await AuditChain.heads(on: service.app.db)["NYC"])
                if tampering == "rewrite" {
                    // The last record's object changed and its hash recomputed, and the head row's hash with it.
                    let rows = try await sql.raw("SELECT * FROM audit_records WHERE partition = 'NYC' AND sequence = \(bind: head.sequence)").all()
                    var record = try AuditChain.record(from: try #require(rows.first))
                    record.object = "encounter/forged"
                    record.hash = record.computedHash
                    try await sql.raw("UPDATE audit_records SET object = \(bind: record.object), hash = \(bind: record.hash) WHERE partition = 'NYC' AND sequence = \(bind: head.sequence)").run()
                    try await sql.raw("UPDATE audit_heads SET hash = \(bind: record.hash) WHERE partition = 'NYC'").run()
                } else {
                    // The last two records deleted and the head row set back to the record before them.
                    let earlier = try await sql.raw("SELECT hash FROM audit_records WHERE partition = 'NYC' AND sequence = \(bind: head.sequence - 2)").all()
                    let hash = try #require(earlier.first).decode(column: "hash", as: String.self)
                    try await sql.raw("DELETE FROM audit_records WHERE partition = 'NYC' AND sequence > \(bind: head.sequence - 2)").run()
                    try await sql.raw("UPDATE audit_heads SET sequence = \(bind: head.sequence - 2), hash = \(bind: hash) WHERE partition = 'NYC'").run()
                }
                let report = try await Self.verify(service)
                #expect(report.problems.map(\.description).contains { $0.contains("the chain's head has no valid signature") }, "\(tampering): \(report.problems)")
            }
        }
    }

    @Test func manyRecordsAppendedAtOnceAreChainedAndSignedAtTheInterval() async throws {
        try await TestService.with { service in
            let chain = AuditChain(key: service.app.safeguard.audit.key, signingInterval: 7)
            let admin = try #require(try await service.app.safeguard.users.user(named: "admin-nyc", on: service.app.db).actor)
            let before = try await AuditChain.heads(on: service.app.db)["NYC"]?.sequence ?? 0
            try await chain.append((0..<20).map { AuditEntry(admin, .read, "encounter/\($0)") }, on: service.app.db)
            try await chain.integrate(on: service.app.db)
            let signed = try await AuditChain.signedHeads(on: service.app.db as! any SQLDatabase).filter { $0.partition == "NYC" }.map(\.sequence)
            #expect(signed == stride(from: 7, through: before + 20, by: 7).filter { $0 > before })
            #expect(try await Self.verify(service).isClean)
        }
    }
}
