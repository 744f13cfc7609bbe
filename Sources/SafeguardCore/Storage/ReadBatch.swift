import FluentKit

/// Reads of records by key that arrive at once, made as one: the keys of the callers that ask
/// while a read runs are read together by the next (`Batching`), through the database handle
/// of one of them, so that a burst of requests costs a few statements of many rows instead of a
/// few statements each. A caller reads alone when told to (one that holds the write turn: every
/// writer would wait while it waits for others) and inside a transaction (its reads must see its
/// own uncommitted writes, and nobody else's may).
final class ReadBatch<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// Reads the values of the keys (each once); a key without a value is not found.
    typealias Load = @Sendable (_ keys: [Key], _ database: any Database) async throws -> [Key: Value]

    private struct Asked: Sendable {
        let key: Key
        let database: any Database
    }

    private let batching: Batching<Asked, Value?>

    init(maximumBatch: Int = 256) {
        batching = Batching(maximumBatch: maximumBatch)
    }

    /// How many callers wait for their value now.
    var unanswered: Int { batching.unanswered }

    /// The value of `key`, read with those of the callers asking now unless `alone`; nil when
    /// there is none.
    func read(_ key: Key, alone: Bool = false, on database: any Database, load: @escaping Load) async throws -> Value? {
        guard !alone, !database.inTransaction else { return try await load([key], database)[key] }
        return try await batching.run(Asked(key: key, database: database)) { asked in
            await Self.read(asked.map(\.key), on: asked[0].database, load: load)
        }
    }

    /// Reads one batch. A record that cannot be made into its value (`WorkflowError`, a row that
    /// does not decode) is its own key's failure: each key is then read alone, so that no other
    /// reader is failed by it, nor told of a record they may not reach. Any other failure (a
    /// connection lost, a pool exhausted) is no key's doing and fails the batch once.
    private static func read(_ keys: [Key], on database: any Database, load: @escaping Load) async -> [Result<Value?, any Error>] {
        do {
            let values = try await load(Array(Set(keys)), database)
            return keys.map { .success(values[$0]) }
        } catch let error where keys.count > 1 && (error is WorkflowError || error is DecodingError) {
            var outcomes: [Result<Value?, any Error>] = []
            for key in keys { outcomes += await read([key], on: database, load: load) }
            return outcomes
        } catch {
            return keys.map { _ in .failure(error) }
        }
    }
}
