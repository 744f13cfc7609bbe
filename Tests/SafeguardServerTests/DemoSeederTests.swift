import FluentSQLiteDriver
import Foundation
import SafeguardCore
import SafeguardPasswords
import SafeguardRuntime
@testable import SafeguardServer
import Testing

@Suite struct DemoSeederTests {
    /// The demonstration data spans every policy period, filing type and status, and step.
    @Test func theDemoCoversEveryPeriodTypeStatusAndStep() async throws {
        try await TestService.with(seedUsers: false) { service in
            let seeder = DemoSeeder(workflow: service.app.safeguard.workflow, users: service.app.safeguard.users)
            let summary = try await seeder.seed(password: { GeneratedSecret.password() }, on: service.app.db)
            #expect(summary.people == 40 && summary.encounters == 40)
            #expect(summary.calls == CallCategory.allCases.count && summary.registrations == 3 && summary.custodyEvents == 3)
            #expect(try await service.count("notifications") == 4, "one per confirmed channel of the three registrants")
            #expect(summary.users.count == Role.allCases.count + 1 && Set(summary.users.map(\.password)).count == Role.allCases.count + 1)
            let sql = service.app.db as! any SQLDatabase
            func values(_ query: String) async throws -> Set<String> {
                Set(try await sql.raw(SQLQueryString(query)).all().map { try $0.decode(column: "v", as: String.self) })
            }
            #expect(try await values("SELECT DISTINCT substr(as_of, 1, 4) AS v FROM encounters") == ["2015", "2020", "2023", "2026"])
            #expect(try await values("SELECT DISTINCT type AS v FROM benefit_filings") == ["T", "U", "VAWA", "SIJ", "CP"])
            #expect(try await values("SELECT DISTINCT status AS v FROM benefit_filings") == ["pending", "approved", "denied", "denied-final", "revoked"])
            #expect(try await values("SELECT DISTINCT step AS v FROM step_records")
                    == ["benefit-verification", "opla-consultation", "exceptional-circumstances-approval", "law-enforcement-deconfliction"])
            #expect(try await values("SELECT DISTINCT disposition AS v FROM decisions WHERE superseded_by IS NULL") == ["proceed", "proceed-after-steps", "refrain"])
            #expect(summary.actionsRecorded > 0)
        }
    }
}
