import Foundation
@testable import SafeguardCore
import Testing

/// A token found live is taken as live for its lifetime from the lookup that found it, and no
/// longer: not past its expiry, not once the clock went back, not after a revocation that came
/// while it was being looked up, and unknown tokens cannot crowd out the known.
@Suite struct RecentTokensTests {
    private let actor = Actor(userID: UUID(), username: "officer-nyc", role: .officer, office: "NYC")

    @Test func aTokenIsTakenAsLiveForItsLifetimeFromItsLookup() {
        let clock = TestClock()
        let tokens = RecentTokens(lifetime: .seconds(1), clock: clock)
        let lookup = tokens.beginLookup()
        clock.advance(by: .milliseconds(300))  // the statement's time
        tokens.remember(actor, forDigest: "a", tokenExpiresAt: clock.now.addingTimeInterval(3600), foundBy: lookup)
        #expect(tokens.actor(forDigest: "a") == actor)
        clock.advance(by: .milliseconds(700))
        #expect(tokens.actor(forDigest: "a") == nil, "a second after the lookup began")
    }

    @Test func aClockSetBackEndsTheWindow() {
        let clock = TestClock()
        let tokens = RecentTokens(clock: clock)
        tokens.remember(actor, forDigest: "a", tokenExpiresAt: clock.now.addingTimeInterval(3600), foundBy: tokens.beginLookup())
        clock.advance(by: .seconds(-60))
        #expect(tokens.actor(forDigest: "a") == nil)
    }

    @Test func aLookupOverlappingARevocationKeepsNothing() {
        let tokens = RecentTokens(clock: TestClock())
        let lookup = tokens.beginLookup()
        tokens.forgetAll()
        tokens.remember(actor, forDigest: "a", tokenExpiresAt: .distantFuture, foundBy: lookup)
        #expect(tokens.actor(forDigest: "a") == nil)
        tokens.remember(actor, forDigest: "a", tokenExpiresAt: .distantFuture, foundBy: tokens.beginLookup())
        #expect(tokens.actor(forDigest: "a") == actor, "a lookup begun after it keeps its token")
    }

    @Test func aFullMemoryKeepsWhatItHoldsAndMakesRoomOfLapsedEntries() {
        let clock = TestClock()
        let tokens = RecentTokens(capacity: 2, clock: clock)
        for digest in ["a", "b", "c"] {
            tokens.remember(actor, forDigest: digest, tokenExpiresAt: .distantFuture, foundBy: tokens.beginLookup())
        }
        #expect(["a", "b", "c"].map { tokens.actor(forDigest: $0) != nil } == [true, true, false])
        clock.advance(by: .seconds(1))
        tokens.remember(actor, forDigest: "c", tokenExpiresAt: .distantFuture, foundBy: tokens.beginLookup())
        #expect(tokens.actor(forDigest: "c") == actor)
    }
}
