import FluentKit
import Foundation

/// How a sign-in with a username and password ended.
public enum SignInOutcome: Sendable {
    case signedIn(Actor)
    /// Too many failed attempts (`LoginThrottle`): another may be made after this many seconds.
    case throttled(retryAfter: TimeInterval)
    /// The username or password is wrong, or the user is disabled.
    case refused
}

extension UserDirectory {
    /// Signs in from `source` (the caller's address), throttling failed attempts by username and
    /// source (`LoginThrottle`); every attempt, whatever
    /// its outcome, is recorded in the audit chain (a failed one under the name given, in the
    /// `system` partition), taking `turns` for the append where the caller holds none.
    public func signIn(username: String, password: String, source: String, throttle: LoginThrottle, audit: AuditChain, turns: (any WriteTurns)?,
                       on database: any Database) async throws -> SignInOutcome {
        var attempt = AuditEntry(actorID: nil, username: username, role: "", office: "", action: .login, object: "session", outcome: .failure)
        if let wait = await throttle.retryAfter(username: username, source: source) {
            attempt.outcome = .denied
            try await audit.append([attempt], taking: turns, on: database)
            return .throttled(retryAfter: wait)
        }
        guard let actor = try await actor(username: username, password: password, on: database) else {
            await throttle.recordFailure(username: username, source: source)
            try await audit.append([attempt], taking: turns, on: database)
            return .refused
        }
        await throttle.recordSuccess(username: username, source: source)
        try await audit.append([AuditEntry(actor, .login, "session")], taking: turns, on: database)
        return .signedIn(actor)
    }
}
