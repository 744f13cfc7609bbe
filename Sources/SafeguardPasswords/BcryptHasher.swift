import NIOPosix
import SafeguardCore
import Vapor

/// Passwords hashed with bcrypt (Vapor's implementation), on threads of its own: a hash at cost 12
/// takes about a quarter of a second, which on an event loop would hold up every connection of
/// that loop, and on the database's thread pool every SQLite statement queued behind it.
public struct BcryptHasher: PasswordHashing {
    public let cost: Int

    public init(cost: Int = 12) {
        self.cost = cost
    }

    /// Started on first use and kept for the life of the process, like NIO's own singletons.
    private static let threads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await Self.threads.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, against hash: String) async throws -> Bool {
        try await Self.threads.runIfActive { try Bcrypt.verify(password, created: hash) }
    }
}
