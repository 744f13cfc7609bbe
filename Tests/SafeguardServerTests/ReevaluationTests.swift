import FluentKit
import Foundation
import PolicyEngine
@testable import SafeguardCore
@testable import SafeguardServer
import SQLKit
import Testing

/// Re-deciding every open encounter as of today when the clock passes the 2025-01-30 boundary, in
/// batches, interrupted and resumed, on SQLite and on PostgreSQL.
@Suite struct ReevaluationTests {
    @Test func the2025BoundaryTurnsRefrainsIntoOPLAConsultations() async throws {
        try await TestService.with { service in
            let database = service.app.db
            let workflow = service.app.safeguard.workflow
            let admin = try #require(try await service.app.safeguard.users.user(named: "admin-nyc", on: database).actor)
            let officer = try #require(try await service.app.safeguard.users.user(named: "officer-nyc", on: database).actor)
            service.clock.set(toNoonOf: "2024-06-01")
            var knownLive = 0
            for index in 0..<30 {
                let person = Person(aNumber: String(format: "A3%08d", index), givenName: "P", familyName: "Q", dateOfBirth: "1990-01-01", country: "GT", office: officer.office)
                try await person.create(on: database)
                if index % 3 != 2 {
                    let filing = BenefitFilingRecord(personID: try person.requireID(), type: .u, role: .principal, status: .pending, receiptNumber: nil, filedOn: nil)
                    filing.verifiedAt = Date()
                    filing.verificationSource = "CLAIMS3"
                    try await filing.create(on: database)
                    knownLive += 1
                }
                let encounter = Encounter(personID: try person.requireID(), office: "NYC", action: .arrest, asOf: workflow.calendar.today, openedBy: admin.userID)
                try await encounter.create(on: database)
                _ = try await workflow.decide(encounter.requireID(), by: officer, on: database)
            }
            let reevaluator = Reevaluator(workflow: workflow, batchSize: 7)
            // Nothing is due before the boundary: the decisions are today's.
            #expect(try await DecisionRefresh(reevaluator: reevaluator).refreshIfDue(on: database)?.changed == 0)
            service.clock.set(toNoonOf: "2025-06-01")
            let interrupted = try await reevaluator.run(resume: false, by: admin, maximumBatches: 2, on: database)
            #expect(interrupted.processed == 14)
            #expect(interrupted.finishedAt == nil)
            let finished = try await reevaluator.run(resume: true, by: admin, on: database)
            #expect(finished.id == interrupted.id)
            #expect(finished.processed == 30)
            #expect(finished.finishedAt != nil)
            let diff = try PopulationDiff(json: finished.diff)
            #expect(diff.transitions["refrain → proceed-after-steps"] == knownLive)
            #expect(diff.rules["+ice-interim-guidance-2025/consult-opla"] == knownLive)
            #expect(diff.rules["-ice-directive-11005.3/refrain-known-beneficiary"] == knownLive)
            // The others lose only the duty to seek victim indicia: their outcome changed too.
            #expect(diff.transitions["proceed → proceed"] == 30 - knownLive)
            #expect(finished.changed == 30)
            #expect(try await service.count("decisions WHERE superseded_by IS NULL") == 30)
            #expect(try await service.count("decisions") == 60)

            // Nothing changes on a second run: no new decisions; and none is due.
            let again = try await reevaluator.run(resume: false, by: admin, on: database)
            #expect(again.changed == 0 && again.processed == 30)
            #expect(try await service.count("decisions") == 60)
            #expect(try await DecisionRefresh(reevaluator: reevaluator).refreshIfDue(on: database) == nil)
            await #expect(throws: WorkflowError.self) { try await reevaluator.run(resume: true, by: admin, on: database) }
        }
    }

    /// A synthetic population reproduces its generated cases exactly: every stored decision equals
    /// the engine's decision of the generated case as of today, a preview on another day stores
    /// nothing, and a re-evaluation once that day has come changes exactly the encounters whose
    /// outcome the engine says changes.
    @Test func aSyntheticPopulationIsDecidedAsItsGeneratedCases() async throws {
        try await TestService.with { service in
            let database = service.app.db
            let ruleSet = TestService.ruleSet
            let admin = try #require(try await service.app.safeguard.users.user(named: "admin-nyc", on: database).actor)
            let count = 300
            try await PopulationLoader(ruleSet: ruleSet, batchSize: 64).load(encounters: count, seed: 7, by: admin, audit: service.app.safeguard.audit, on: database)
            #expect(try await service.count("encounters WHERE status = 'open'") == count)

            let reevaluator = Reevaluator(workflow: service.app.safeguard.workflow, batchSize: 50)
            service.clock.set(toNoonOf: "2024-06-01")
            let first = try await reevaluator.run(resume: false, by: admin, on: database)
            #expect(first.processed == count && first.changed == count)

            var generator = CaseGenerator(seed: 7, ruleSet: ruleSet)
            let asOf = CalendarDate("2025-06-01")!
            var changedOnTheDate = 0
            for number in 0..<count {
                let person = try #require(try await Person.query(on: database).filter(\.$aNumber == String(format: "A%09d", 400_000_000 + number)).first())
                let encounter = try #require(try await Encounter.query(on: database).filter(\.$person.$id == person.requireID()).first())
                var expected = generator.next(caseId: try encounter.requireID().uuidString)
                expected.asOf = CalendarDate("2024-06-01")!
                // A benefit verification is done by the filings' state, never by a step record: the
                // generated case's record of one completes nothing.
                expected.stepsCompleted = expected.stepsCompleted.subtracting(EnumSet([.benefitVerification]))
                let stored = try #require(try await service.app.safeguard.workflow.currentDecision(of: encounter.requireID(), on: database))
                #expect(stored.decision == ruleSet.evaluate(expected).json(in: ruleSet, caseId: expected.caseId).serialized(), "case \(number)")
                let own = Reevaluator.outcome(ruleSet.evaluate(expected).json(in: ruleSet, caseId: expected.caseId))
                expected.asOf = asOf
                if Reevaluator.outcome(ruleSet.evaluate(expected).json(in: ruleSet, caseId: expected.caseId)) != own { changedOnTheDate += 1 }
            }
            let preview = try await reevaluator.preview(asOf: asOf, by: admin, on: database)
            #expect(preview.processed == count && preview.changed == changedOnTheDate)
            #expect(try await service.count("decisions") == count, "a preview stores nothing")
            // The second run reads through a connection of its own while it writes, as the command does.
            let loops = Array(service.app.eventLoopGroup.makeIterator())
            let reader = service.app.databases.database(logger: service.app.logger, on: loops[loops.count - 1])!
            service.clock.set(toNoonOf: asOf.description)
            let second = try await reevaluator.run(resume: false, by: admin, on: database, readingFrom: reader)
            #expect(second.processed == count)
            #expect(second.changed == changedOnTheDate)
            #expect(changedOnTheDate > 0)
            #expect(try await service.count("decisions") == count + changedOnTheDate)
            #expect(try await service.count("decisions WHERE superseded_by IS NULL") == count)
            // Every decision written has its audit record, and the chain holds.
            #expect(try await service.count("audit_records WHERE action = 'write' AND object LIKE 'decision/%'") == count + changedOnTheDate)
            #expect(try await AuditChain.verify(key: service.app.safeguard.audit.key.publicKey, on: database).isClean)
        }
    }

    /// On PostgreSQL a re-evaluation batch and a step may decide one encounter at once: the batch
    /// supersedes only a decision still current, and decides again when the step got there first,
    /// so that an encounter never has two current decisions (nor may it: a unique index).
    @Test(.enabled(if: TestService.onPostgres)) func aRunBesideAStepLeavesOneCurrentDecision() async throws {
        try await TestService.with { service in
            let person = try await service.createPerson()
            let encounter = try await service.openEncounter(person, asOf: "2026-06-01").decode(EncounterView.self).id
            let sql = service.app.db as! any SQLDatabase
            // An older rule set's decision: the run writes a new one.
            try await sql.raw("UPDATE decisions SET rule_set_digest = 'older'").run()
            let (workflow, database) = (service.app.safeguard.workflow, service.app.db)
            let officer = try #require(try await service.app.safeguard.users.user(named: "officer-nyc", on: database).actor)
            let running = try await database.transaction { transaction in
                _ = try await workflow.recordStep(CaseWorkflow.StepInput(step: .lawEnforcementDeconfliction, summary: "checked", counterpart: "NYPD"),
                                                  on: encounter, by: officer, purpose: nil, on: transaction)
                // The run read the old decision as current, and waits for the step's lock on it.
                let running = Task { try await Reevaluator(workflow: workflow).run(resume: false, by: DecisionRefresh.actor, on: database) }
                try await service.untilALockIsAwaited()
                return running
            }
            #expect(try await running.value.finishedAt != nil)
            #expect(try await service.count("decisions WHERE superseded_by IS NULL") == 1, "one current decision")
            #expect(try await service.count("decisions WHERE superseded_by IS NULL AND rule_set_digest = 'older'") == 0)
        }
    }
}