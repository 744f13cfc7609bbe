import FluentKit
import Foundation
import PolicyEngine

/// Re-applies the policies to every open encounter, in batches ordered by id: each batch loads
/// its cases with one query per table (`CaseRecords`), decides every encounter, stores the
/// decisions that changed with one INSERT, supersedes the old ones with one UPDATE (`DecisionRows`),
/// and moves the run's cursor, all in one transaction. An
/// interrupted run resumes after the last batch it committed.
public struct Reevaluator: Sendable {
    public let workflow: CaseWorkflow
    public let batchSize: Int

    public init(workflow: CaseWorkflow, batchSize: Int = 1000) {
        self.workflow = workflow
        self.batchSize = max(1, batchSize)
    }

    /// Starts a run, or resumes the newest unfinished one when `resume` is set.
    /// - Parameters:
    ///   - asOf: decide every encounter on this date instead of its own.
    ///   - maximumBatches: stop after this many batches, leaving the run unfinished (for tests of resuming).
    ///   - progress: called after each batch with the encounters done so far in this run.
    public func run(asOf: CalendarDate?, resume: Bool, by actor: Actor, maximumBatches: Int? = nil,
                    progress: @Sendable (Int) -> Void = { _ in }, on database: any Database) async throws -> ReevaluationRun {
        let run: ReevaluationRun
        if resume {
            guard let unfinished = try await ReevaluationRun.query(on: database).filter(\.$finishedAt == nil)
                .sort(\.$startedAt, .descending).first() else {
                throw WorkflowError.notFound("unfinished re-evaluation to resume")
            }
            guard unfinished.ruleSetDigest == workflow.ruleSet.digest else {
                throw WorkflowError.conflict("the unfinished run used other policy files (rule set \(unfinished.ruleSetDigest))")
            }
            run = unfinished
        } else {
            run = ReevaluationRun(asOf: asOf?.description, ruleSetDigest: workflow.ruleSet.digest, startedBy: actor.username)
            try await run.create(on: database)
        }
        let runAsOf = run.asOf.flatMap { CalendarDate($0) }
        var batches = 0
        while maximumBatches.map({ batches < $0 }) ?? true {
            let done = try await database.transaction { database in
                try await reevaluateBatch(run, asOf: runAsOf, by: actor, on: database)
            }
            batches += 1
            progress(run.processed)
            if done { break }
        }
        return run
    }

    /// One batch; true when there was nothing left to do (and the run is finished).
    private func reevaluateBatch(_ run: ReevaluationRun, asOf: CalendarDate?, by actor: Actor, on database: any Database) async throws -> Bool {
        let cases = try await CaseRecords.openCases(after: run.cursor, limit: batchSize, on: database)
        guard let last = cases.last else {
            run.finishedAt = Date()
            try await run.update(on: database)
            return true
        }
        let current = try await DecisionRows.current(of: cases.map(\.id), on: database)
        var diff = try PopulationDiff(json: run.diff)
        let ruleSet = workflow.ruleSet
        let scope = ruleSet.makeScope()
        var written = DecisionRows()
        for (id, var facts) in cases {
            if let asOf { facts.asOf = asOf }
            let decision = ruleSet.evaluate(facts, in: scope)
            workflow.metrics.decided(decision.disposition)
            let newJSON = decision.json(in: ruleSet, caseId: facts.caseId)
            let previous = current[id]
            let old = try previous.map { try JSONParser.parse($0.decision) }
            let changed = old.map(Self.outcome) != Self.outcome(newJSON)
            if changed {
                diff.add(from: old.map(Self.disposition) ?? "none", to: decision.disposition.spelling,
                         oldRules: old.map(Self.ruleIDs) ?? [], newRules: decision.ruleIDs(in: ruleSet))
                run.changed += 1
            } else {
                diff.add(from: decision.disposition.spelling, to: decision.disposition.spelling, oldRules: [], newRules: [])
            }
            if changed || previous?.ruleSetDigest != ruleSet.digest {
                written.add(decision, json: newJSON, facts: facts, encounterID: id, computedBy: actor.userID, superseding: previous?.id)
            }
        }
        try await written.write(on: database)
        try await workflow.audit.append(written.newIDs.map { AuditEntry(actor, .write, "decision/\($0)") }, on: database)
        run.processed += cases.count
        run.cursor = last.id
        run.diff = diff.json
        try await run.update(on: database)
        return false
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
