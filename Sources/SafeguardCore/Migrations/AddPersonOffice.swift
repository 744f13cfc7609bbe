import FluentKit
import SQLKit

/// A person is kept by the office that created the record (`PersonReach`). A person stored
/// before is the office's of their first encounter, else of whoever's audit record wrote them
/// first; a person with neither is kept by no office: only the roles that span offices reach them
/// without an encounter, and nobody changes them.
struct AddPersonOffice: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema).field("office", .string).update()
        let sql = try CaseRecords.sqlDatabase(database)
        try await sql.raw("""
            UPDATE people SET office = (SELECT e.office FROM encounters e WHERE e.person_id = people.id ORDER BY e.created_at, e.id LIMIT 1) \
            WHERE office IS NULL
            """).run()
        let unplaced = try await sql.raw("SELECT id FROM people WHERE office IS NULL").all().map { try $0.decode(column: "id", as: UUID.self) }
        for id in unplaced {
            let writer = try await sql.raw("""
                SELECT office FROM \(ident: AuditChain.records) WHERE object = \(bind: "person/\(id)") AND action = \(bind: AuditEntry.Action.write.rawValue) \
                ORDER BY recorded_at LIMIT 1
                """).first()?.decode(column: "office", as: String.self)
            try await sql.update(Person.schema).set("office", to: writer ?? Person.keptByNoOffice).where("id", .equal, id).run()
        }
        try await sql.create(index: "people_office_family_name").on(Person.schema).column("office").column("family_name").run()
    }

    func revert(on database: any Database) async throws {
        try await CaseRecords.sqlDatabase(database).drop(index: "people_office_family_name").run()
        try await database.schema(Person.schema).deleteField("office").update()
    }
}
