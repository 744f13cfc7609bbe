import FluentKit
import Foundation
@testable import SafeguardCore
@testable import SafeguardServer
import SQLKit
import Testing

/// A database made before a migration is brought up to date with what its records say.
@Suite struct UpgradeTests {
    /// People stored before offices kept them: the office whose user wrote the person first (the
    /// audit chain says), else the office of the first encounter, else no office.
    @Test func peopleStoredBeforeOfficesKeptThemGetTheCreatorsOffice() async throws {
        try await TestService.with { service in
            let database = service.app.db
            let createdAtNYC = try await service.createPerson()
            _ = try await service.openEncounter(createdAtNYC, asOf: "2026-06-01", as: "officer@LAX")
            let untraced = Person(aNumber: "A300000001", givenName: "Un", familyName: "Traced", dateOfBirth: "1980-01-01", country: "MX", office: "LAX")
            let alone = Person(aNumber: "A300000002", givenName: "A", familyName: "Lone", dateOfBirth: "1980-01-01", country: "MX", office: "LAX")
            try await untraced.create(on: database)
            try await alone.create(on: database)
            _ = try await service.openEncounter(try untraced.requireID().uuidString, asOf: "2026-06-01", as: "officer@LAX")

            try await service.integrateAudit()
            try await Self.upgrade(AddPersonOffice(), on: database)

            let sql = database as! any SQLDatabase
            let offices = Dictionary(uniqueKeysWithValues: try await sql.raw("SELECT id, office FROM people").all().map {
                (try $0.decode(column: "id", as: UUID.self).uuidString, try $0.decode(column: "office", as: String.self))
            })
            #expect(offices[createdAtNYC] == "NYC", "the creator's office, not the first encounter's")
            #expect(offices[try untraced.requireID().uuidString] == "LAX", "no audit record: the first encounter's office")
            #expect(offices[try alone.requireID().uuidString] == Person.keptByNoOffice)
            let kept = try await service.send(.PATCH, "/api/v1/people/\(try alone.requireID())", as: "officer@LAX", json: #"{"country": "GT"}"#,
                                              headers: [("If-Match", "\"1\"")])
            #expect(kept.status == .notFound, "a person kept by no office is changed by nobody")
        }
    }

    /// Audit records written before subjects existed keep their hashes: the column comes back
    /// empty for them, and the chain, with records about people written after, verifies.
    @Test func auditRecordsWrittenBeforeSubjectsKeepTheirHashes() async throws {
        try await TestService.with { service in
            let database = service.app.db
            let audit = service.app.safeguard.audit
            for index in 0..<5 {
                try await audit.append(AuditEntry(actorID: UUID(), username: "officer-nyc", role: "officer", office: "NYC", action: .read,
                                                  object: "statistics/\(index)", outcome: .success), on: database)
            }
            #expect(try await service.count("audit_records WHERE subject IS NOT NULL") == 0, "the records of before name no one")
            try await Self.upgrade(AddAuditSubject(), on: database)

            let person = try await service.createPerson()
            #expect(try await service.count("audit_records WHERE subject = '\(person)'") >= 1, "written after: the record names its person")
            var auditor = PageBrowser(service: service)
            _ = try await auditor.signIn("auditor-nyc")
            _ = try await auditor.get("/audit")
            let verified = try await auditor.post("/audit/verify", form: [:])
            #expect(verified.text.contains("The audit chain verifies:"), "\(verified.text.prefix(400))")
        }
    }

    /// Consultations recorded before digests are judged by the facts version alone: a legal
    /// limitation found then keeps the gate closed until OPLA, consulted on changed facts, finds none.
    @Test func consultationsRecordedBeforeDigestsAreJudgedByTheFactsVersion() async throws {
        try await TestService.with { service in
            let encounter = try await service.openEncounter(try await service.createPerson(), asOf: "2025-06-01").decode(EncounterView.self).id.uuidString
            let limitation = try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "opla-attorney@NYC", json: """
            {"step": "opla-consultation", "summary": "Arrest not recommended.", "counterpart": "OPLA New York", "advice": "legal-limitation"}
            """)
            #expect(limitation.status == .created)
            try await Self.upgrade(AddStepFactsDigest(), on: service.app.db)
            #expect(try await service.count("step_records WHERE facts_digest IS NULL") == 1, "the consultation of before carries no digest")

            let held = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC")
            #expect(try held.status == .conflict && held.problem.requiredSteps == ["opla-consultation"], "the limitation stands on the same facts")
            let version = try await service.send(.GET, "/api/v1/encounters/\(encounter)", as: "officer@NYC").decode(EncounterView.self).version
            #expect(try await service.send(.PATCH, "/api/v1/encounters/\(encounter)", as: "officer@NYC", json: #"{"detained": true}"#,
                                           headers: [("If-Match", "\"\(version)\"")]).status == .ok)
            #expect(try await service.send(.POST, "/api/v1/encounters/\(encounter)/steps", as: "opla-attorney@NYC", json: """
            {"step": "opla-consultation", "summary": "Detained now: no bar.", "counterpart": "OPLA New York", "advice": "no-legal-limitation"}
            """).status == .created)
            let lifted = try await service.send(.POST, "/api/v1/encounters/\(encounter)/enforcement-action", as: "officer@NYC")
            #expect(lifted.status == .ok, "consulted again on changed facts: \(lifted.text.prefix(300))")
        }
    }

    /// The database as it was before `migration`, brought up to date: both on one connection, as
    /// the migrator runs them (another connection of the pool may not see the column dropped yet).
    static func upgrade(_ migration: some AsyncMigration, on database: any Database) async throws {
        try await database.transaction { connection in
            try await migration.revert(on: connection)
            try await migration.prepare(on: connection)
        }
    }
}
