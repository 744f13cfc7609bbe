import FluentKit
import Foundation
import PolicyEngine

/// What draft policies would change in the open encounters on a day, with nothing stored but the
/// audit record of the asking: every open encounter decided twice as of that day, with the
/// policies in force (before) and with the drafts added (after), read in batches through the
/// pipeline `reevaluate` reads through (`CaseRecords`).
public struct DraftImpact: Sendable, Equatable {
    /// An open encounter whose outcome the drafts change in what a decision shows to everyone
    /// (`ProtectedData`): its disposition or the steps it owes. The dispositions and which of
    /// the two changed; never the steps, options, duties or rules themselves, and no encounter
    /// whose change lies only in the parts withheld for 8 U.S.C. § 1367 (its listing would tell).
    public struct Change: Sendable, Equatable, Codable {
        public var encounterId: UUID
        public var office: String
        /// The month the encounter was opened for (YYYY-MM).
        public var month: String
        public var before: String
        public var after: String
        /// Which of disposition and requiredSteps differ.
        public var changed: [String]
    }

    /// Changes as JSON Lines, as the command line and the page write their lists: one object a
    /// line, keys sorted.
    public struct ChangeLines {
        private let encoder = JSONEncoder()

        public init() {
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        }

        public func line(_ change: Change) throws -> Data {
            try encoder.encode(change) + Data([0x0A])
        }
    }

    /// Open encounters decided, and how many of them changed.
    public struct Count: Sendable, Equatable, Codable {
        public var encounters = 0
        public var changed = 0
    }

    public var asOf: CalendarDate
    public var total = Count()
    /// Dispositions before → after, and the rules behind each change.
    public var diff = PopulationDiff()
    public var byOffice: [String: Count] = [:]
    /// By the month the encounter was opened for (YYYY-MM) and office.
    public var byMonthAndOffice: [MonthAndOffice: Count] = [:]

    public struct MonthAndOffice: Hashable, Sendable {
        public var month: String
        public var office: String
    }

    public init(asOf: CalendarDate) {
        self.asOf = asOf
    }

    /// What may be shown of the impact in aggregate, each a table of its own with small groups
    /// left out as the statistics leave them out (`CaseStatistics.suppressed`): the dispositions
    /// before → after, the rules behind the changes, and the encounters that would change by
    /// month and office (one table: totals by office or by month beside it would give away what
    /// it leaves out).
    public struct Figures: Sendable, Equatable {
        public var transitions: [CaseStatistics.Cell]
        public var rules: [CaseStatistics.Cell]
        /// Grouped by `month` and `office`, in month and office order.
        public var monthsAndOffices: [CaseStatistics.Cell]
    }

    public var figures: Figures {
        func table(_ key: String, _ counts: [String: Int]) -> [CaseStatistics.Cell] {
            CaseStatistics.suppressed(counts.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { CaseStatistics.Cell(group: [key: $0.key], count: $0.value) })
        }
        let changed = byMonthAndOffice.filter { $0.value.changed > 0 }.sorted { ($0.key.month, $0.key.office) < ($1.key.month, $1.key.office) }
        return Figures(transitions: table("transition", diff.transitions), rules: table("rule", diff.rules),
                       monthsAndOffices: CaseStatistics.suppressed(changed.map { CaseStatistics.Cell(group: ["month": $0.key.month, "office": $0.key.office], count: $0.value.changed) }))
    }

    /// Whether `reader` may try drafts whose documents are `draftIDs`: one whose rules read
    /// protected facts (`ProtectedData.reveals`) only when entitled to them, or when the service
    /// offers it (`offered`: reviewed by whoever started the service with it). A condition
    /// written to fit one encounter would otherwise make even suppressed figures tell of it.
    public static func requireTriable(_ drafts: RuleSet, draftIDs: Set<String>, by reader: Reader, offered: Bool) throws {
        guard !offered, !reader.disclosure.entitled else { return }
        let reading = drafts.rules.filter { draftIDs.contains($0.policyID) && ProtectedData.reveals($0) }.map(\.id)
        guard reading.isEmpty else {
            throw WorkflowError.forbidden("the draft's rules \(reading.joined(separator: ", ")) read filings, signs of victimisation or evidence, "
                                          + "protected by 8 U.S.C. § 1367: such a draft is tried by a supervisor stating the law-enforcement purpose, "
                                          + "or offered by the service (serve --offer-drafts)")
        }
    }

    /// The parts of a decision shown to everyone (`ProtectedData`), which a list may name.
    static let shownParts: Set<String> = ["disposition", "requiredSteps"]

    /// The parts of two decisions' outcomes that differ, by name.
    static func changedParts(_ before: Decision, _ after: Decision) -> [String] {
        var parts: [String] = []
        if before.disposition != after.disposition { parts.append("disposition") }
        if before.requiredSteps != after.requiredSteps { parts.append("requiredSteps") }
        if before.duties != after.duties { parts.append("duties") }
        if before.options != after.options { parts.append("options") }
        if Set(before.discretionaryFactors) != Set(after.discretionaryFactors) { parts.append("discretionaryFactors") }
        if Set(before.excludedInformation) != Set(after.excludedInformation) { parts.append("excludedInformation") }
        return parts
    }

    mutating func count(_ change: Change?, office: String, month: String) {
        let changed = change == nil ? 0 : 1
        total.encounters += 1
        total.changed += changed
        byOffice[office, default: Count()].encounters += 1
        byOffice[office, default: Count()].changed += changed
        byMonthAndOffice[MonthAndOffice(month: month, office: office), default: Count()].encounters += 1
        byMonthAndOffice[MonthAndOffice(month: month, office: office), default: Count()].changed += changed
    }
}

extension Reevaluator {
    /// What adding `drafts` (the policies in force with the drafts added, `RuleSet.load(from:drafts:)`)
    /// would change as of `asOf`, in aggregate (`Entitlements.statisticsRoles`); with `changed`,
    /// called with each encounter of an office the actor reaches whose disposition or steps owed
    /// change, in id order, a list (`Entitlements.changedEncountersRoles`).
    /// The asking is recorded in the audit chain, a list as an export, in a write turn of its own
    /// when `turns` are given (a page on SQLite holds none while it reads the whole population).
    public func impact(of drafts: RuleSet, asOf: CalendarDate, by actor: Actor, turns: (any WriteTurns)? = nil, on database: any Database,
                       changed: ((DraftImpact.Change) throws -> Void)? = nil) async throws -> DraftImpact {
        let allowed = changed == nil ? Entitlements.statisticsRoles : Entitlements.changedEncountersRoles
        guard allowed.contains(actor.role) else {
            throw WorkflowError.forbidden(changed == nil ? "what a draft would change is shown to analysts, auditors, supervisors and admins"
                                                         : "the encounters a draft would change are listed to supervisors and admins")
        }
        // The whole digest: the drafts tried can be told later from the files kept.
        let object = "open-encounters/as-of/\(asOf)/with-drafts/\(drafts.digest)"
        try await workflow.audit.append([AuditEntry(actor, changed == nil ? .read : .export, object)], taking: turns, on: database)
        let current = workflow.ruleSet
        let (currentScope, draftScope) = (current.makeScope(), drafts.makeScope())
        var impact = DraftImpact(asOf: asOf)
        var cursor: UUID?
        while true {
            let cases = try await CaseRecords.openCases(after: cursor, limit: batchSize, on: database)
            guard let last = cases.last else { break }
            for (id, _, office, var facts) in cases {
                let month = String(facts.asOf.description.prefix(7))
                facts.asOf = asOf
                let before = current.evaluate(facts, in: currentScope)
                let after = drafts.evaluate(facts, in: draftScope)
                let parts = DraftImpact.changedParts(before, after)
                guard !parts.isEmpty else {
                    impact.diff.add(from: before.disposition.spelling, to: after.disposition.spelling, oldRules: [], newRules: [])
                    impact.count(nil, office: office, month: month)
                    continue
                }
                impact.diff.add(from: before.disposition.spelling, to: after.disposition.spelling,
                                oldRules: before.ruleIDs(in: current), newRules: after.ruleIDs(in: drafts))
                let change = DraftImpact.Change(encounterId: id, office: office, month: month, before: before.disposition.spelling,
                                                after: after.disposition.spelling, changed: parts.filter(DraftImpact.shownParts.contains))
                impact.count(change, office: office, month: month)
                if !change.changed.isEmpty, actor.reaches(office: office) { try changed?(change) }
            }
            cursor = last.id
            // A page that is left, or a command stopped, stops deciding.
            try Task.checkCancellation()
        }
        return impact
    }
}
