import Foundation
import PolicyEngine
@testable import SafeguardCore
@testable import SafeguardServer
import Synchronization
import Testing

/// Encounters opened at once by writers that hold no write turn (API requests, on SQLite) are
/// stored together (`GroupCommit`): one turn and one transaction for all that waited, each
/// encounter as its own writer stated it.
@Suite struct EncounterOpeningTests {
    @Test func encountersOpenedAtOnceAreStoredTogetherEachAsItsWriterStatedIt() async throws {
        try await TestService.with { service in
            let (workflow, database) = (service.app.safeguard.workflow, service.app.db)
            let people = [try await service.createPerson(), try await service.createPerson()].map { UUID(uuidString: $0)! }
            // One of the two people has a pending U petition (not verified): their cases decide otherwise.
            _ = try await service.addFiling(people[0].uuidString)
            let officer = try #require(try await service.app.safeguard.users.user(named: "officer-nyc", on: database).actor)
            let reader = Reader(actor: officer, purpose: .lawEnforcement, turns: nil)
            let (today, nobody) = (workflow.calendar.today, UUID())
            let turns = CountedTurns()
            let opened = Mutex([Int: EncounterView]())
            let together = try await turns.callsWaitingTogether(20, waiting: { workflow.openings.unwritten }) { index in
                let person = index == 7 ? nobody : people[index % 2]
                let input = EncounterInput(personID: person, action: index % 2 == 0 ? .arrest : .removal, asOf: today,
                                           facts: index % 3 == 0 ? [.lawEnforcementInterest] : [],
                                           information: [InformationItem(id: "item-\(index)", source: .independent, adverse: false)])
                do {
                    let (_, view) = try await workflow.openEncounter(input, by: Reader(actor: officer, purpose: .lawEnforcement, turns: turns), on: database)
                    opened.withLock { $0[index] = view }
                } catch WorkflowError.invalid(let problems) {
                    #expect(index == 7 && problems.map(\.path) == ["personId"], "only the encounter of nobody fails: \(problems)")
                }
            }
            #expect(together == 20, "the twenty writers wait for the turn together")
            #expect(turns.count <= 3, "the holder's turn, then at most two for the twenty: what waited when the writer started, and the rest")

            let views = opened.withLock { $0 }
            #expect(views.keys.sorted() == Array(0..<20).filter { $0 != 7 })
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            // As the API writes dates: the database keeps a time to the microsecond, not the clock's every digit.
            encoder.dateEncodingStrategy = .iso8601
            for (index, view) in views {
                #expect(view.personId == people[index % 2] && view.action == (index % 2 == 0 ? "arrest" : "removal"))
                let facts = String(decoding: try encoder.encode(view.facts), as: UTF8.self)
                #expect(facts.contains("item-\(index)") && facts.contains(#""lawEnforcementInterest":true"#) == (index % 3 == 0), "\(facts)")
                #expect(facts.contains(#""type":"U""#) == (index % 2 == 0), "only the first person's cases hold the petition: \(facts)")
                // What the writer was answered is what was stored.
                let read = try await workflow.show(encounter: view.id, to: reader, on: database)
                let (answered, stored) = (String(decoding: try encoder.encode(view), as: UTF8.self), String(decoding: try encoder.encode(read), as: UTF8.self))
                #expect(answered == stored)
            }
            #expect(try await service.count("encounters") == 19)
            #expect(try await service.count("evidence") == 19)
            #expect(try await service.count("decisions WHERE superseded_by IS NULL") == 19)
            #expect(try await service.count("audit_queue WHERE action = 'write' AND (object LIKE 'encounter/%' OR object LIKE 'decision/%')") == 38)
            try await service.integrateAudit()
            #expect(try await AuditChainTests.verify(service).isClean)
        }
    }

    /// Twelve encounters opened at once with the most evidence an encounter may have: more bound
    /// values than one statement takes on PostgreSQL (65,535), stored whole all the same.
    @Test func encountersOpenedAtOnceWithTheMostEvidenceAreStoredWhole() async throws {
        try await TestService.with { service in
            let (workflow, database) = (service.app.safeguard.workflow, service.app.db)
            let person = try #require(UUID(uuidString: try await service.createPerson()))
            let officer = try #require(try await service.app.safeguard.users.user(named: "officer-nyc", on: database).actor)
            let turns = CountedTurns()
            let items = CaseDecoder.maximumInformationItems
            let together = try await turns.callsWaitingTogether(12, waiting: { workflow.openings.unwritten }) { index in
                let input = EncounterInput(personID: person, action: .arrest, asOf: workflow.calendar.today,
                                           information: (0..<items).map { InformationItem(id: "e\(index)-\($0)", source: .independent, adverse: false) })
                _ = try await workflow.openEncounter(input, by: Reader(actor: officer, purpose: .lawEnforcement, turns: turns), on: database)
            }
            #expect(together == 12)
            #expect(try await service.count("evidence") == 12 * items)
            #expect(try await service.count("decisions WHERE superseded_by IS NULL") == 12)
        }
    }

    @Test func anEncounterWithMoreEvidenceThanAllowedIsRefused() async throws {
        try await TestService.with { service in
            let (workflow, database) = (service.app.safeguard.workflow, service.app.db)
            let person = try #require(UUID(uuidString: try await service.createPerson()))
            let officer = try #require(try await service.app.safeguard.users.user(named: "officer-nyc", on: database).actor)
            let input = EncounterInput(personID: person, action: .arrest, asOf: workflow.calendar.today,
                                       information: (0...CaseDecoder.maximumInformationItems).map { InformationItem(id: "e\($0)", source: .independent, adverse: false) })
            await #expect(throws: WorkflowError.self) {
                try await workflow.openEncounter(input, by: Reader(actor: officer, purpose: .lawEnforcement, turns: nil), on: database)
            }
            #expect(try await service.count("encounters") == 0)
        }
    }
}
