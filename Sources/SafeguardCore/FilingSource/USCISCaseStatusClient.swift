import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// USCIS's Case Status API (the Torch API program): a bearer token by OAuth 2.0 client
/// credentials (`POST /oauth/accesstoken`), kept until shortly before it expires and fetched again
/// once when the API refuses it; then `GET /case-status/{receiptNumber}`. Calls are paced within
/// the API's rate limit; an answer of 429 waits for its `Retry-After`, a 5xx or no answer backs
/// off, up to `maximumRetries`; each call's answer, head and body, has a deadline. Nothing it
/// throws or logs names a receipt number (§ 1367 data: a receipt number finds the filing).
public final class USCISCaseStatusClient: FilingStatusSource {
    public struct Settings: Sendable, Equatable {
        public var baseURL: URL
        public var clientID: String
        public var clientSecret: String
        /// Seconds a call may take.
        public var timeout: TimeInterval = 10
        /// Calls again after a 429, a 5xx or no answer, at most.
        public var maximumRetries = 3
        /// The API's rate limit (5 a second).
        public var callsPerSecond = 5
        /// How the source is named in the record of a verification (`FilingStatusSource.name`).
        public var name = "USCIS Case Status"

        public init(baseURL: URL, clientID: String, clientSecret: String) {
            self.baseURL = baseURL
            self.clientID = clientID
            self.clientSecret = clientSecret
        }
    }

    private struct Token {
        let value: String
        let expires: Date
    }

    public var name: String { settings.name }
    let settings: Settings
    private let client: HTTPClient
    private let clock: any WallClock
    private let token = Mutex<Token?>(nil)
    /// When the calls of the last second were made (or are due), oldest first.
    private let recentCalls = Mutex<[Date]>([])
    /// A token is fetched again this long before it expires, so that none expires on the way.
    private static let tokenMargin: TimeInterval = 30

    /// The HTTP client of every source client unless told otherwise: it follows no redirect (an
    /// answer from elsewhere is no answer) and lets a read stall 15 s at most. It lives as long as
    /// the process, as `HTTPClient.shared` does.
    public static let defaultHTTPClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(
        redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5), read: .seconds(15))))

    public init(settings: Settings, client: HTTPClient = USCISCaseStatusClient.defaultHTTPClient, clock: any WallClock = SystemClock()) {
        self.settings = settings
        self.client = client
        self.clock = clock
    }

    public func status(of receiptNumber: String) async throws -> FilingLookup {
        guard ReceiptNumber.isValid(receiptNumber) else { throw FilingSourceFailure("not a receipt number: three capital letters and ten digits") }
        var refreshed = false
        var retries = 0
        while true {
            let bearer = try await currentToken()
            let (status, headers, body) = try await call(.GET, "case-status/\(receiptNumber)", headers: [("Authorization", "Bearer \(bearer)")],
                                                         retries: &retries)
            switch status {
            case 200, 404:
                return try CaseStatusAnswer.lookup(of: receiptNumber, from: body, found: status == 200)
            case 401 where !refreshed:
                // The token expired early or was revoked: fetch one more, once.
                token.withLock { if $0?.value == bearer { $0 = nil } }
                refreshed = true
            case 429, 500..<600:
                try await backOff(after: status, headers: headers, retries: &retries)
            default:
                throw FilingSourceFailure("the case-status endpoint answered \(status)")
            }
        }
    }

    /// The token kept, or a new one.
    private func currentToken() async throws -> String {
        if let kept = token.withLock({ $0 }), kept.expires.timeIntervalSince(clock.now) > Self.tokenMargin { return kept.value }
        var retries = 0
        while true {
            let credentials = Data("\(settings.clientID):\(settings.clientSecret)".utf8).base64EncodedString()
            let (status, headers, body) = try await call(.POST, "oauth/accesstoken",
                                                         headers: [("Authorization", "Basic \(credentials)"),
                                                                   ("Content-Type", "application/x-www-form-urlencoded")],
                                                         body: "grant_type=client_credentials", retries: &retries)
            switch status {
            case 200:
                let (value, lifetime) = try CaseStatusAnswer.token(from: body)
                token.withLock { $0 = Token(value: value, expires: clock.now.addingTimeInterval(lifetime)) }
                return value
            case 429, 500..<600:
                try await backOff(after: status, headers: headers, retries: &retries)
            default:
                throw FilingSourceFailure("the token endpoint answered \(status): the client id and secret may be wrong")
            }
        }
    }

    /// One call, paced within the rate limit; no answer within the deadline is retried (backed off)
    /// while retries are left.
    private func call(_ method: HTTPMethod, _ path: String, headers: [(String, String)], body: String? = nil,
                      retries: inout Int) async throws -> (status: UInt, headers: HTTPHeaders, body: Data) {
        while true {
            try await pace()
            var request = HTTPClientRequest(url: settings.baseURL.appendingPathComponent(path).absoluteString)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body { request.body = .bytes(ByteBuffer(string: body)) }
            do {
                // One deadline for the answer whole: the client's own ends once the head has come.
                return try await Self.within(settings.timeout) { [client, request, timeout = settings.timeout] in
                    let response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
                    let answer = try await response.body.collect(upTo: Self.largestAnswer)
                    return (response.status.code, response.headers, Data(answer.readableBytesView))
                }
            } catch is NIOTooManyBytesError {
                throw FilingSourceFailure("\(name) answered more than \(Self.largestAnswer / 1024) KiB: not a case status")
            } catch {
                // The client's errors may carry the request's URL, which holds the receipt number.
                guard retries < settings.maximumRetries else {
                    throw FilingSourceFailure("no answer from \(name) within \(Int(settings.timeout)) s (\(retries) retries)")
                }
                try await backOff(after: nil, headers: [:], retries: &retries)
            }
        }
    }

    /// The largest answer read.
    static let largestAnswer = 256 * 1024

    private struct DeadlinePassed: Error {}

    /// The result of `work`, or `DeadlinePassed` once `seconds` have passed (real time: a network's).
    private static func within<Result: Sendable>(_ seconds: TimeInterval, _ work: @escaping @Sendable () async throws -> Result) async throws -> Result {
        try await withThrowingTaskGroup(of: Result.self) { group in
            group.addTask { try await work() }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                throw DeadlinePassed()
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else { throw DeadlinePassed() }
            return first
        }
    }

    /// Waits before a retry: as long as a 429's `Retry-After` says (seconds or an HTTP date), or
    /// 0.5 s doubled with each retry; throws once the retries are spent, or at once when the
    /// source asks for a wait longer than `longestWait` (its daily limit reached).
    private func backOff(after status: UInt?, headers: HTTPHeaders, retries: inout Int) async throws {
        guard retries < settings.maximumRetries else {
            throw FilingSourceFailure(status.map { "\(name) answered \($0), \(retries) retries spent" } ?? "no answer from \(name)")
        }
        retries += 1
        let asked = headers.first(name: "Retry-After").flatMap { Self.seconds(retryAfter: $0, now: clock.now) }
        if let asked, asked > Self.longestWait {
            throw FilingSourceFailure("\(name) asks to wait \(Int(asked)) s before it answers again (its rate limit reached)")
        }
        try await clock.sleep(for: .seconds(asked ?? 0.5 * pow(2, Double(retries - 1))))
    }

    /// The longest wait a retry waits out; a longer one fails the call.
    static let longestWait: TimeInterval = 60

    /// A `Retry-After` in seconds from `now`: a number of seconds or an HTTP date (RFC 9110); nil
    /// for anything else, a wait not finite included.
    static func seconds(retryAfter text: String, now: Date) -> TimeInterval? {
        if let seconds = Int(text.trimmingCharacters(in: .whitespaces)) { return TimeInterval(max(seconds, 0)) }
        let format = DateFormatter()
        (format.locale, format.timeZone, format.dateFormat) = (Locale(identifier: "en_US_POSIX"), TimeZone(identifier: "GMT"), "EEE, dd MMM yyyy HH:mm:ss zzz")
        return format.date(from: text).map { max($0.timeIntervalSince(now), 0) }
    }

    /// Waits until a call may be made within the rate limit, and books it.
    private func pace() async throws {
        let now = clock.now
        let due = recentCalls.withLock { calls -> Date in
            calls.removeAll { $0 <= now.addingTimeInterval(-1) }
            let due = calls.count < settings.callsPerSecond ? now : calls[calls.count - settings.callsPerSecond].addingTimeInterval(1)
            calls.append(due)
            return due
        }
        let wait = due.timeIntervalSince(now)
        if wait > 0 { try await clock.sleep(for: .seconds(wait)) }
    }
}
