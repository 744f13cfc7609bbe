import Foundation
import Synchronization

/// The actors of bearer tokens looked up a moment ago, so that a client's burst of requests asks
/// the database once: the lookup was a quarter of the statements of the API's reads. An entry
/// lasts `lifetime` (1 s unless configured) and never past its token's expiry; only tokens found
/// live are kept, so unknown ones cannot fill it. A token revoked or a user disabled by this
/// process is forgotten at once; by another process (the `users` command, another server), it
/// stops working here within `lifetime` (docs/reliability.md).
public final class RecentTokens: Sendable {
    private struct Entry {
        let actor: Actor
        let until: Date
    }

    public let lifetime: Duration
    /// At most this many tokens are kept; one more forgets every entry that has lapsed, or all.
    let capacity: Int
    private let clock: any WallClock
    private let entries = Mutex<[String: Entry]>([:])

    public init(lifetime: Duration = .seconds(1), capacity: Int = 10_000, clock: any WallClock = SystemClock()) {
        self.lifetime = lifetime
        self.capacity = capacity
        self.clock = clock
    }

    /// The actor of the token with this digest, when looked up within the lifetime.
    func actor(forDigest digest: String) -> Actor? {
        let now = clock.now
        return entries.withLock { entries in
            guard let entry = entries[digest] else { return nil }
            guard now < entry.until else {
                entries[digest] = nil
                return nil
            }
            return entry.actor
        }
    }

    /// Keeps the actor a live token stands for until the lifetime has passed or the token expires.
    func remember(_ actor: Actor, forDigest digest: String, tokenExpiresAt expiry: Date) {
        guard lifetime > .zero else { return }
        let now = clock.now
        let until = min(now.addingTimeInterval(lifetime.seconds), expiry)
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { now < $0.value.until }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[digest] = Entry(actor: actor, until: until)
        }
    }

    /// Forgets every token: one was revoked or a user disabled.
    func forgetAll() {
        entries.withLock { $0.removeAll() }
    }
}
