import AsyncHTTPClient
import Foundation
import PolicyEngine
@testable import SafeguardCore
import SafeguardServer
import Testing

/// The USCIS Case Status client against the stand-in over real HTTP: answers in the contract's
/// words, a token kept and fetched again once when refused, 429s waited out on the clock, calls
/// paced within the rate limit, and every failure said without the receipt number.
@Suite struct CaseStatusClientTests {
    private static let received = "EAC2390000001", approved = "VSC2290000002", denied = "EAC2190000003", unknown = "EAC9999999999"

    /// A simulator listening and a client of it on `clock`, for the duration of `body`.
    private static func withClient(clock: TestClock = TestClock(), secret: String? = nil, _ change: (inout USCISCaseStatusClient.Settings) -> Void = { _ in },
                                   _ body: (USCISCaseStatusClient, CaseStatusSimulator, TestClock) async throws -> Void) async throws {
        let simulator = try CaseStatusSimulator(clock: clock)
        let url = try await simulator.start()
        do {
            var settings = USCISCaseStatusClient.Settings(baseURL: url, clientID: simulator.clientID, clientSecret: secret ?? simulator.clientSecret)
            change(&settings)
            try await body(USCISCaseStatusClient(settings: settings, clock: clock), simulator, clock)
        } catch {
            try await simulator.stop()
            throw error
        }
        try await simulator.stop()
    }

    /// Waits until `count` tasks sleep on the clock.
    private static func untilSleeping(_ clock: TestClock, _ count: Int = 1) async throws {
        for _ in 0..<10_000 where clock.sleepers < count { try await Task.sleep(for: .milliseconds(1)) }
        #expect(clock.sleepers == count, "waited ten seconds for the client to back off")
    }

    /// The failure `body` throws, checked to name no receipt number.
    private static func failure(_ body: () async throws -> FilingLookup) async -> FilingSourceFailure? {
        do {
            _ = try await body()
            return nil
        } catch let failure as FilingSourceFailure {
            #expect(failure.description.range(of: "[A-Z]{3}[0-9]{10}", options: .regularExpression) == nil, "\(failure)")
            return failure
        } catch {
            Issue.record("not a FilingSourceFailure: \(error)")
            return nil
        }
    }

    @Test func answersAreMadeIntoTheContractsWords() async throws {
        try await Self.withClient { client, simulator, _ in
            guard case .found(let u) = try await client.status(of: Self.received) else { Issue.record("not found"); return }
            #expect((u.formType, u.benefit, u.role, u.status, u.statusText) == ("I-918", .u, .principal, .pending, "Case Was Received"))
            #expect(u.raw.contains("Petition for U Nonimmigrant Status"), "the raw answer is kept")
            guard case .found(let t) = try await client.status(of: Self.approved) else { Issue.record("not found"); return }
            #expect((t.benefit, t.role, t.status) == (.t, .principal, .approved))
            guard case .found(let vawa) = try await client.status(of: Self.denied) else { Issue.record("not found"); return }
            #expect((vawa.benefit, vawa.role, vawa.status) == (.vawa, nil, .denied), "an I-360 is VAWA by its description, its role untold; denied, never denied-final")
            guard case .notFound(let raw) = try await client.status(of: Self.unknown) else { Issue.record("found"); return }
            #expect(raw.contains("invalid or not found"))
            #expect(simulator.calls == (token: 1, status: 4), "one token for every call")
        }
    }

    @Test func aRefusedTokenIsFetchedAgainOnce() async throws {
        try await Self.withClient { client, simulator, _ in
            _ = try await client.status(of: Self.received)
            simulator.expireTokens()
            guard case .found = try await client.status(of: Self.received) else { Issue.record("not found"); return }
            #expect(simulator.calls == (token: 2, status: 3), "refused once, a new token, asked again")
        }
    }

    @Test func aTokenIsFetchedAgainBeforeItExpires() async throws {
        try await Self.withClient { client, simulator, clock in
            _ = try await client.status(of: Self.received)
            clock.advance(by: .seconds(1799 - 29))
            _ = try await client.status(of: Self.received)
            #expect(simulator.calls == (token: 2, status: 2), "none is sent about to expire")
        }
    }

    @Test func aRateLimitIsWaitedOutThenTheRetriesEnd() async throws {
        try await Self.withClient { client, simulator, clock in
            simulator.throttle(next: 2, retryAfter: 3)
            let answer = Task { try await client.status(of: Self.received) }
            for _ in 0..<2 {
                try await Self.untilSleeping(clock)
                clock.advance(by: .seconds(3))
            }
            guard case .found = try await answer.value else { Issue.record("not found"); return }
            #expect(simulator.calls.status == 3)

            simulator.throttle(next: 10, retryAfter: 1)
            let spent = Task { await Self.failure { try await client.status(of: Self.received) } }
            for _ in 0..<3 {
                try await Self.untilSleeping(clock)
                clock.advance(by: .seconds(1))
            }
            #expect(await spent.value?.description.contains("answered 429, 3 retries spent") == true)
        }
    }

    @Test func callsArePacedWithinTheRateLimit() async throws {
        try await Self.withClient { client, simulator, clock in
            _ = try await client.status(of: Self.received)  // the token and one call
            for _ in 0..<3 { _ = try await client.status(of: Self.received) }
            let sixth = Task { try await client.status(of: Self.received) }
            try await Self.untilSleeping(clock)
            #expect(simulator.calls.status == 4, "five calls in a second, then a wait")
            clock.advance(by: .seconds(1))
            _ = try await sixth.value
            #expect(simulator.calls.status == 5)
        }
    }

    /// Not found takes a claim away: only USCIS's own answer for an unknown receipt says it.
    @Test func onlyTheSourcesOwnAnswerSaysNotFound() async throws {
        try await Self.withClient { client, simulator, _ in
            simulator.answer(Self.unknown, status: 404, body: #"{"fault": {"faultstring": "Unable to identify proxy for host"}}"#)
            #expect(await Self.failure { try await client.status(of: Self.unknown) }?.description.contains("not its answer for an unknown receipt") == true)
            simulator.answer(Self.approved, status: 200, body: #"""
            {"case_status": {"receiptNumber": "\#(Self.received)", "formType": "I-918", "current_case_status_text_en": "Case Was Approved"}, "message": "ok"}
            """#)
            #expect(await Self.failure { try await client.status(of: Self.approved) }?.description.contains("without the status of the receipt number asked") == true)
        }
    }

    @Test func aRetryAfterIsReadAsSecondsOrADateAndALongOneFailsAtOnce() async throws {
        let now = Date(timeIntervalSince1970: 1_764_900_000)
        #expect(USCISCaseStatusClient.seconds(retryAfter: "3", now: now) == 3)
        #expect(USCISCaseStatusClient.seconds(retryAfter: "-5", now: now) == 0)
        #expect(USCISCaseStatusClient.seconds(retryAfter: "nan", now: now) == nil, "not a number of seconds: the client's own backoff")
        let format = DateFormatter()
        (format.locale, format.timeZone, format.dateFormat) = (Locale(identifier: "en_US_POSIX"), TimeZone(identifier: "GMT"), "EEE, dd MMM yyyy HH:mm:ss zzz")
        #expect(USCISCaseStatusClient.seconds(retryAfter: format.string(from: now.addingTimeInterval(120)), now: now) == 120)
        try await Self.withClient { client, simulator, clock in
            simulator.throttle(next: 1, retryAfter: 86_400)
            #expect(await Self.failure { try await client.status(of: Self.received) }?.description.contains("asks to wait 86400 s") == true, "its daily limit")
            simulator.answer(Self.approved, status: 429, body: "{}", headers: [("Retry-After", "nan")])
            let spent = Task { await Self.failure { try await client.status(of: Self.approved) } }
            for wait in [0.5, 1, 2] {
                try await Self.untilSleeping(clock)
                clock.advance(by: .seconds(wait))
            }
            #expect(await spent.value?.description.contains("answered 429, 3 retries spent") == true, "backed off on its own, without a crash")
        }
    }

    @Test func failuresAreSaidWithoutTheReceiptNumber() async throws {
        try await Self.withClient({ $0.timeout = 0.3; $0.maximumRetries = 0 }) { client, simulator, _ in
            #expect(await Self.failure { try await client.status(of: CaseStatusSimulator.silentReceipt) }?.description.contains("no answer") == true)
            #expect(await Self.failure { try await client.status(of: CaseStatusSimulator.malformedReceipt) }?.description.contains("not a case status") == true)
            #expect(await Self.failure { try await client.status(of: "eac2390000001") }?.description.contains("not a receipt number") == true)
            simulator.answer(Self.approved, status: 200, body: "{\"message\": \"" + String(repeating: "x", count: 300_000) + "\"}")
            #expect(await Self.failure { try await client.status(of: Self.approved) }?.description.contains("more than 256 KiB") == true)
        }
        try await Self.withClient(secret: "wrong") { client, simulator, _ in
            #expect(await Self.failure { try await client.status(of: Self.received) }?.description.contains("token endpoint answered 401") == true)
            #expect(simulator.calls.status == 0)
        }
    }
}
