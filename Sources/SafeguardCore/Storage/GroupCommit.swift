import FluentKit

/// Group commit for writers that take turns (`WriteTurns`): callers that write at once share one
/// turn, one transaction and one commit, and statements of many rows instead of one statement
/// each, so that SQLite's one writer spends its turn on their work, not on a round trip to the
/// database per statement (and PostgreSQL runs fewer statements and commits). The first caller
/// to find nobody writing starts a writer; the work of every caller that arrives while it waits
/// for its turn or writes goes into its next batch (`Batching`). Each caller returns its own
/// outcome once the batch holding its work has committed: nobody is answered before their
/// writes are durable, and one caller's work that breaks a constraint fails no other's.
final class GroupCommit<Work: Sendable, Output: Sendable>: Sendable {
    /// Writes a batch, in the turn taken for it; returns an outcome for each piece of work, in
    /// order. A throw fails the whole batch (nothing of it was written).
    typealias Batch = @Sendable (_ work: [Work], _ database: any Database) async throws -> [Result<Output, any Error>]

    /// A caller's work and the database handle of its request: a batch is written through the
    /// handle of one of its own callers, never one whose request may have ended.
    private struct Piece: Sendable {
        let work: Work
        let database: any Database
    }

    private let batching: Batching<Piece, Output>

    init(maximumBatch: Int = 256) {
        batching = Batching(maximumBatch: maximumBatch)
    }

    /// How many callers wait for their work to be written now.
    var unwritten: Int { batching.unanswered }

    /// Writes `work` together with that of the callers waiting now, in a turn of `turns`.
    func write(_ work: Work, taking turns: any WriteTurns, on database: any Database, batch: @escaping Batch) async throws -> Output {
        try await batching.run(Piece(work: work, database: database)) { pieces in
            await Self.write(pieces.map(\.work), taking: turns, on: pieces[0].database, batch: batch)
        }
    }

    /// Writes one batch. When a constraint refuses it, each piece of work is written again alone,
    /// so that work that breaks one fails its own caller only; any other failure (a connection
    /// lost, a pool exhausted, a disk full) is no piece's doing and fails the batch once, without
    /// a retry for each that would hold the turn all the longer, nor a second copy of a batch
    /// whose commit may have landed.
    private static func write(_ work: [Work], taking turns: any WriteTurns, on database: any Database, batch: @escaping Batch) async -> [Result<Output, any Error>] {
        do {
            return try await turns.run { try await batch(work, database) }
        } catch let error as any DatabaseError where error.isConstraintFailure && work.count > 1 {
            var outcomes: [Result<Output, any Error>] = []
            for piece in work { outcomes += await write([piece], taking: turns, on: database, batch: batch) }
            return outcomes
        } catch {
            return work.map { _ in .failure(error) }
        }
    }
}
