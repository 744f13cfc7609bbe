import FluentKit
import Foundation
import PolicyEngine

/// Re-applies the policies to every open encounter, in batches ordered by id: each batch loads
/// its cases with one query per table (`CaseRecords`) and decides every encounter while the
/// previous batch is written, then stores the decisions that changed with one INSERT, supersedes the old
/// ones with one UPDATE (`DecisionRows`) and moves the run's cursor, in one transaction. An
/// interrupted run resumes after the last batch it committed.
public struct Reevaluator: Sendable {
    public let workflow: CaseWorkflow
    public let batchSize: Int

    public init(workflow: CaseWorkflow, batchSize: Int = 1000) {
        self.workflow = workflow
        self.batchSize = max(1, batchSize)
    }

    /// Starts a run, or resumes the newest unfinished one when `resume` is set: every open
    /// encounter decided as of today (`CaseCalendar`), as the gate would decide it.
    /// - Parameters:
    ///   - maximumBatches: stop after this many batches, leaving the run unfinished (for tests of resuming).
    ///   - progress: called after each batch with the encounters done so far in this run.
    ///   - reader: a second connection to read the next batch from while this one writes; without
    ///     it, reads wait for writes.
    ///   - turns: on SQLite inside a running server, the write turns: each batch takes one for its
    ///     transaction, so requests write between batches instead of waiting for the whole run.
    public func run(resume: Bool, by actor: Actor, maximumBatches: Int? = nil,
                    progress: @Sendable (Int) -> Void = { _ in }, on database: any Database,
                    readingFrom reader: (any Database)? = nil, turns: (any WriteTurns)? = nil) async throws -> ReevaluationRun {
        let run: ReevaluationRun
        if resume {
            guard let unfinished = try await ReevaluationRun.query(on: database).filter(\.$finishedAt == nil)
                .sort(\.$startedAt, .descending).first() else {
                throw WorkflowError.notFound("unfinished re-evaluation to resume")
            }
            guard unfinished.ruleSetDigest == workflow.ruleSet.digest else {
                throw WorkflowError.conflict("the unfinished run used other policy files (rule set \(unfinished.ruleSetDigest))")
            }
            // Its batches so far were decided as of its day: going on another day would mix two.
            guard unfinished.asOf == workflow.calendar.today.description else {
                throw WorkflowError.conflict("the unfinished run decided as of \(unfinished.asOf ?? "each encounter's own day"), not today: start a new run")
            }
            run = unfinished
        } else {
            run = ReevaluationRun(asOf: workflow.calendar.today.description, ruleSetDigest: workflow.ruleSet.digest, startedBy: actor.username)
            try await turns.run { try await run.create(on: database) }
        }
        let runAsOf = workflow.calendar.today
        let resumed = Tally(processed: run.processed, changed: run.changed, diff: try PopulationDiff(json: run.diff))
        var batch = try await Batch.read(after: run.cursor, limit: batchSize, on: reader ?? database)
        var before = resumed
        var decided = try decide(batch, after: before, asOf: runAsOf, by: actor)
        var batches = 0
        while maximumBatches.map({ batches < $0 }) ?? true {
            guard let last = batch.cases.last else {
                run.finishedAt = workflow.clock.now
                try await turns.run { try await run.update(on: database) }
                break
            }
            // Three stages at once: while this batch's decisions are written, the next batch is read
            // (through the second connection) and then decided. The batches hold different
            // encounters, and the run's row takes only what is written.
            let (written, decidedTally) = decided
            async let committed: Void = commit(written, decidedTally, through: last.id, of: run, by: actor, on: database, turns: turns)
            let following = try await Batch.read(after: last.id, limit: batchSize, on: reader ?? database)
            var done = decidedTally
            var next = try decide(following, after: done, asOf: runAsOf, by: actor)
            do {
                try await committed
            } catch is DecisionRows.Stale {
                // A writer decided some of this batch meanwhile (a step, another server's run): the
                // batch again, on what is stored now; each writer that won stored today's decision.
                var tries = 1
                while true {
                    let again = try await Batch.read(among: batch.cases.map(\.id), on: database)
                    let (rewritten, redone) = try decide(again, after: before, asOf: runAsOf, by: actor)
                    do {
                        try await commit(rewritten, redone, through: last.id, of: run, by: actor, on: database, turns: turns)
                        done = redone
                        break
                    } catch is DecisionRows.Stale where tries < 5 {
                        tries += 1
                    }
                }
                next = try decide(following, after: done, asOf: runAsOf, by: actor)
            }
            batches += 1
            progress(done.processed)
            (batch, before, decided) = (following, done, next)
        }
        return run
    }

    /// Writes a batch's decisions, their audit records and the run's progress in one transaction;
    /// the run's row in memory is left as it was when the transaction rolls back.
    private func commit(_ written: DecisionRows, _ done: Tally, through last: UUID, of run: ReevaluationRun, by actor: Actor,
                        on database: any Database, turns: (any WriteTurns)?) async throws {
        let before = (run.processed, run.changed, run.diff, run.cursor)
        do {
            try await turns.run {
                try await database.transaction { database in
                    try await written.write(on: database)
                    try await workflow.audit.append(written.newDecisions.map { AuditEntry(actor, .write, "decision/\($0.id)", subject: $0.person) }, on: database)
                    (run.processed, run.changed, run.diff, run.cursor) = (done.processed, done.changed, done.diff.json, last)
                    try await run.update(on: database)
                }
            }
        } catch {
            (run.processed, run.changed, run.diff, run.cursor) = before
            throw error
        }
    }

    /// What a run as of `asOf` would change, with nothing stored: how many open encounters, how
    /// many outcomes would change, and the population diff (`reevaluate --dry-run`).
    public func preview(asOf: CalendarDate, by actor: Actor, on database: any Database) async throws -> (processed: Int, changed: Int, diff: PopulationDiff) {
        var tally = Tally(processed: 0, changed: 0, diff: PopulationDiff())
        var batch = try await Batch.read(after: nil, limit: batchSize, on: database)
        while let last = batch.cases.last {
            tally = try decide(batch, after: tally, asOf: asOf, by: actor).1
            batch = try await Batch.read(after: last.id, limit: batchSize, on: database)
        }
        return (tally.processed, tally.changed, tally.diff)
    }

    /// A batch of open encounters with their current decisions.
    private struct Batch: Sendable {
        var cases: [CaseRecords.OpenCase]
        var current: [UUID: DecisionRows.Current]

        static func read(after cursor: UUID?, limit: Int, on database: any Database) async throws -> Batch {
            try await of(CaseRecords.openCases(after: cursor, limit: limit, on: database), on: database)
        }

        /// The batch of these encounters again, those still open, as stored now.
        static func read(among encounterIDs: [UUID], on database: any Database) async throws -> Batch {
            try await of(CaseRecords.openCases(among: encounterIDs, on: database), on: database)
        }

        private static func of(_ cases: [CaseRecords.OpenCase], on database: any Database) async throws -> Batch {
            Batch(cases: cases, current: cases.isEmpty ? [:] : try await DecisionRows.current(of: cases.map(\.id), on: database))
        }
    }

    /// What a run has counted up to the end of a batch.
    private struct Tally: Sendable {
        var processed: Int
        var changed: Int
        var diff: PopulationDiff
    }

    /// Decides a batch: the decisions to write (those whose outcome changed, or that an older rule
    /// set made) and the run's counts once they are.
    private func decide(_ batch: Batch, after tally: Tally, asOf: CalendarDate, by actor: Actor) throws -> (DecisionRows, Tally) {
        var tally = tally
        let ruleSet = workflow.ruleSet
        let scope = ruleSet.makeScope()
        var written = DecisionRows(computedAt: workflow.clock.now)
        for (id, person, _, var facts) in batch.cases {
            facts.asOf = asOf
            let decision = ruleSet.evaluate(facts, in: scope)
            workflow.metrics.decided(decision.disposition)
            let newJSON = decision.json(in: ruleSet, caseId: facts.caseId)
            let previous = batch.current[id]
            let old = try previous.map { try JSONParser.parse($0.decision) }
            let changed = old.map(Self.outcome) != Self.outcome(newJSON)
            if changed {
                tally.diff.add(from: old.map(Self.disposition) ?? "none", to: decision.disposition.spelling,
                               oldRules: old.map(Self.ruleIDs) ?? [], newRules: decision.ruleIDs(in: ruleSet))
                tally.changed += 1
            } else {
                tally.diff.add(from: decision.disposition.spelling, to: decision.disposition.spelling, oldRules: [], newRules: [])
            }
            if changed || previous?.ruleSetDigest != ruleSet.digest {
                written.add(decision, json: newJSON, facts: facts, encounterID: id, person: person, computedBy: actor.userID,
                            superseding: previous?.id)
            }
        }
        tally.processed += batch.cases.count
        return (written, tally)
    }

    /// The parts of a decision's JSON that make its outcome, as one comparable text.
    static func outcome(_ decision: JSONValue) -> String {
        guard case .object(let members) = decision else { return "" }
        let keys = ["disposition", "requiredSteps", "duties", "options", "discretionaryFactors", "excludedInformation"]
        return keys.map { key -> String in
            guard let value = members.first(where: { $0.key == key })?.value else { return "" }
            if case .array(let items) = value { return items.map { $0.serialized() }.sorted().joined(separator: ",") }
            return value.serialized()
        }.joined(separator: "|")
    }

    static func disposition(_ decision: JSONValue) -> String {
        guard case .object(let members) = decision, case .string(let text)? = members.first(where: { $0.key == "disposition" })?.value else { return "none" }
        return text
    }

    static func ruleIDs(_ decision: JSONValue) -> [String] {
        guard case .object(let members) = decision, case .array(let reasons)? = members.first(where: { $0.key == "reasons" })?.value else { return [] }
        return reasons.compactMap { reason in
            guard case .object(let fields) = reason, case .string(let rule)? = fields.first(where: { $0.key == "rule" })?.value else { return nil }
            return rule
        }
    }
}
