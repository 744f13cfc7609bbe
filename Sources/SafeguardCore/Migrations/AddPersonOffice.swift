import FluentKit
import Foundation
import SQLKit

/// A person is kept by the office that created the record (`PersonReach`). A person stored
/// before is the office's of whoever's audit record wrote them first, else of their first
/// encounter; a person with neither is kept by no office: only the roles that span offices reach
/// them without an encounter, and nobody changes who they are.
struct AddPersonOffice: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema).field("office", .string).update()
        try await database.transaction { database in
            let sql = try CaseRecords.sqlDatabase(database)
            // Who wrote each person first, in one pass over the chain's person records.
            var creators: [String: String] = [:]
            for row in try await sql.raw("""
                SELECT object, office FROM \(ident: AuditChain.records) WHERE action = \(bind: AuditEntry.Action.write.rawValue) \
                AND object LIKE 'person/%' ORDER BY recorded_at DESC
                """).all() {
                creators[try row.decode(column: "object", as: String.self)] = try row.decode(column: "office", as: String.self)
            }
            for row in try await sql.raw("SELECT id FROM people").all() {
                let id = try row.decode(column: "id", as: UUID.self)
                guard let office = creators["person/\(id)"] else { continue }
                try await sql.update(Person.schema).set("office", to: office).where("id", .equal, id).run()
            }
            try await sql.raw("""
                UPDATE people SET office = COALESCE((SELECT e.office FROM encounters e WHERE e.person_id = people.id ORDER BY e.created_at, e.id LIMIT 1), \
                \(bind: Person.keptByNoOffice)) WHERE office IS NULL
                """).run()
            try await sql.create(index: "people_office_family_name").on(Person.schema).column("office").column("family_name").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await CaseRecords.sqlDatabase(database).drop(index: "people_office_family_name").run()
        try await database.schema(Person.schema).deleteField("office").update()
    }
}
