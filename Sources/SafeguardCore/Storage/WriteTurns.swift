/// Turns that writers within one process take: on SQLite, which allows one writer at a time, one
/// after another (the server's request serializer is one); on PostgreSQL, whose row locks order
/// writers, none to wait for (`ConcurrentWriteTurns`), or nil where no write groups.
public protocol WriteTurns: Sendable {
    func run<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result
}

extension Optional where Wrapped == any WriteTurns {
    /// Runs `body` in a turn when there are turns, at once otherwise.
    public func run<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        if let turns = self { try await turns.run(body) } else { try await body() }
    }
}

/// The turns of SQLite's writers in one process: a first-come, first-served lock for async code.
public actor SQLiteWriteTurns: WriteTurns {
    public init() {}

    /// Runs `body` in a turn of its own.
    public nonisolated func run<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        await acquire()
        do {
            let result = try await body()
            await release()
            return result
        } catch {
            await release()
            throw error
        }
    }

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        guard busy else {
            busy = true
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            busy = false
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// The turns of PostgreSQL's writers: none to wait for (row locks order them). A writer that
/// names these still writes together with those writing at the same moment where a group
/// commit saves statements and commits (`GroupCommit`).
public struct ConcurrentWriteTurns: WriteTurns {
    public init() {}

    public func run<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        try await body()
    }
}
