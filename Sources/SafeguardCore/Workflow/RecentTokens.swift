import Foundation
import Synchronization

/// The actors of bearer tokens looked up a moment ago, so that a client's burst of requests asks
/// the database once: the lookup was a quarter of the statements of the API's reads. An entry
/// lasts `lifetime` (1 s unless configured) from before the lookup that found it, never past its
/// token's expiry, and not at all once the clock has gone back past its lookup; only tokens
/// found live are kept, so unknown ones cannot fill it. A token revoked or a user disabled by
/// another process (the `users` command, another server) stops working here within `lifetime`
/// (docs/reliability.md); by this process, at once.
public final class RecentTokens: Sendable {
    private struct Entry {
        let actor: Actor
        let since: Date
        let until: Date
    }

    private struct State {
        var entries: [String: Entry] = [:]
        /// Moves on with every revocation here: a lookup that began before one keeps nothing.
        var generation = 0
    }

    /// A lookup begun: when, and in which generation.
    struct Lookup {
        let began: Date
        fileprivate let generation: Int
    }

    public let lifetime: Duration
    /// At most this many tokens are kept; when full, a new one is kept only in the room of lapsed ones.
    let capacity: Int
    private let clock: any WallClock
    private let state = Mutex(State())

    public init(lifetime: Duration = .seconds(1), capacity: Int = 10_000, clock: any WallClock = SystemClock()) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.clock = clock
    }

    /// The actor of the token with this digest, when looked up within the lifetime.
    func actor(forDigest digest: String) -> Actor? {
        let now = clock.now
        return state.withLock { state in
            guard let entry = state.entries[digest] else { return nil }
            guard entry.since <= now, now < entry.until else {
                state.entries[digest] = nil
                return nil
            }
            return entry.actor
        }
    }

    /// Begins a lookup in the database, before its statement.
    func beginLookup() -> Lookup {
        let began = clock.now
        return state.withLock { Lookup(began: began, generation: $0.generation) }
    }

    /// Keeps the actor a live token stands for, found by `lookup`, until the lifetime has passed
    /// since the lookup began or the token expires; nothing when a revocation came in between.
    func remember(_ actor: Actor, forDigest digest: String, tokenExpiresAt expiry: Date, foundBy lookup: Lookup) {
        guard lifetime > .zero else { return }
        let entry = Entry(actor: actor, since: lookup.began, until: min(lookup.began.addingTimeInterval(lifetime.seconds), expiry))
        let now = clock.now
        state.withLock { state in
            guard state.generation == lookup.generation else { return }
            if state.entries.count >= capacity, state.entries[digest] == nil {
                state.entries = state.entries.filter { $0.value.since <= now && now < $0.value.until }
                guard state.entries.count < capacity else { return }
            }
            state.entries[digest] = entry
        }
    }

    /// Forgets every token: one was revoked or a user disabled.
    func forgetAll() {
        state.withLock { state in
            state.entries.removeAll()
            state.generation += 1
        }
    }
}
