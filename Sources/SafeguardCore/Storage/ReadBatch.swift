import FluentKit

/// Reads of records by key that arrive at once, made as one: the keys of the callers that ask
/// while a read runs are read together by the next (`Batching`), so that a burst of requests
/// costs a few statements of many rows instead of a few statements each. A caller inside a
/// transaction reads alone: its reads must see its own uncommitted writes, and nobody else's may.
final class ReadBatch<Key: Hashable & Sendable, Value: Sendable>: Sendable {
    /// Reads the values of the keys (each once); a key without a value is not found.
    typealias Load = @Sendable (_ keys: [Key], _ database: any Database) async throws -> [Key: Value]

    private let batching: Batching<Key, Value?>

    init(maximumBatch: Int = 256) {
        batching = Batching(maximumBatch: maximumBatch)
    }

    /// How many callers wait for their value now.
    var unanswered: Int { batching.unanswered }

    /// The value of `key`, read with those of the callers asking now; nil when there is none.
    func read(_ key: Key, on database: any Database, load: @escaping Load) async throws -> Value? {
        guard !database.inTransaction else { return try await load([key], database)[key] }
        return try await batching.run(key) { keys in
            do {
                let values = try await load(Array(Set(keys)), database)
                return keys.map { .success(values[$0]) }
            } catch {
                return keys.map { _ in .failure(error) }
            }
        }
    }
}
