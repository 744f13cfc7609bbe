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

            try await AddPersonOffice().revert(on: database)
            try await AddPersonOffice().prepare(on: database)

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
}
