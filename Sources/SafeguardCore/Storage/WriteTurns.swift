/// Turns that writers within one process take on SQLite, which allows one writer at a time (the
/// server's request serializer is one). On PostgreSQL there are none: row locks order writers.
public protocol WriteTurns: Sendable {
    func run<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result
}

extension Optional where Wrapped == any WriteTurns {
    /// Runs `body` in a turn when there are turns (SQLite), at once otherwise (PostgreSQL).
    public func run<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        if let turns = self { try await turns.run(body) } else { try await body() }
    }
}
