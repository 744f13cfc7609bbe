import FluentKit
import Foundation

/// A user reading records: who, for what stated purpose, and the write turns their writes take
/// when they hold none (`WriteTurns`; nil for a caller that holds the turn or groups nothing). The core's reads take one and record
/// themselves in the audit chain, each read as shown or, where protected data was withheld, denied.
public struct Reader: Sendable {
    public let actor: Actor
    public let purpose: Purpose?
    let turns: (any WriteTurns)?

    public init(actor: Actor, purpose: Purpose?, turns: (any WriteTurns)?) {
        self.actor = actor
        self.purpose = purpose
        self.turns = turns
    }

    public var disclosure: Disclosure { Disclosure(actor: actor, purpose: purpose) }

    /// Whether this reader's reads are made alone, not with those of other readers asking at
    /// once (`ReadBatch`): a reader that holds the write turn, since every writer waits for it.
    var readsAlone: Bool { turns == nil }

    /// Records reads of `objects` (`encounter/…`), each about its person (when about one) and
    /// as shown or withheld.
    func record(_ reads: [(object: String, subject: UUID?, shown: Bool)], in audit: AuditChain, on database: any Database) async throws {
        guard !reads.isEmpty else { return }
        let entries = reads.map { AuditEntry(actor, .read, $0.object, $0.shown ? .success : .denied, purpose: purpose, subject: $0.subject) }
        try await audit.append(entries, taking: turns, on: database)
    }
}
