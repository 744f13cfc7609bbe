import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import PolicyEngine
import SafeguardCore

/// A stand-in for USCIS's Case Status API that speaks its protocol over HTTP: tokens by client
/// credentials, case statuses from the sample answers (`Resources/CaseStatusSamples`), a 404
/// for any other receipt number. It can expire the tokens it issued, answer 429 with
/// `Retry-After`, answer a body that is not a case status (`malformedReceipt`) and never answer
/// (`silentReceipt`), so that the client is tested over real HTTP. Nothing it answers is real
/// case data; the demo labels its answers as simulated.
public final class CaseStatusSimulator: Sendable {
    /// A receipt number answered 200 with a body that is not a case status.
    public static let malformedReceipt = "SIM0000000001"
    /// A receipt number never answered.
    public static let silentReceipt = "SIM0000000002"
    /// How a source that asks it is named wherever its answers show.
    public static let sourceName = "USCIS Case Status simulator (not real case data)"

    private struct State {
        /// Tokens issued, with when each expires.
        var tokens: [String: Date] = [:]
        var issued = 0
        /// Calls still to be answered 429, and the `Retry-After` they give.
        var throttled = 0
        var retryAfter = 1
        var tokenCalls = 0
        var statusCalls = 0
        /// Answers given in place of the samples' (`answer(_:formType:statusText:description:)`, `answer(_:status:body:headers:)`).
        var replaced: [String: (HTTPResponseStatus, [(String, String)], Data)] = [:]
    }

    /// What it answers for a receipt number it was not told about.
    public enum UnknownReceipts: Sendable {
        /// 404, as USCIS answers a receipt number it has not issued: for tests of that answer.
        case notFound
        /// 503: beside a database of real filings (`serve --uscis-simulator`), an answer made up
        /// for a receipt the simulator does not know must not take a claim away.
        case unavailable
    }

    public let clientID: String
    public let clientSecret: String
    let unknownReceipts: UnknownReceipts
    let tokenLifetime: Int
    private let clock: any WallClock
    /// The sample answers by receipt number, and the answer for none.
    private let answers: [String: Data]
    private let notFound: Data
    private let state = NIOLockedValueBox(State())
    private let channel = NIOLockedValueBox<(any Channel)?>(nil)

    public init(clientID: String = "simulator", clientSecret: String = "simulator-secret", unknownReceipts: UnknownReceipts = .notFound,
                tokenLifetime: Int = 1799, clock: any WallClock = SystemClock()) throws {
        self.clientID = clientID
        self.unknownReceipts = unknownReceipts
        self.clientSecret = clientSecret
        self.tokenLifetime = tokenLifetime
        self.clock = clock
        guard let folder = Bundle.module.url(forResource: "CaseStatusSamples", withExtension: nil) else {
            throw FilingSourceFailure("the case-status samples are missing from the build")
        }
        var answers: [String: Data] = [:]
        var notFound: Data?
        for file in try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil) where file.pathExtension == "json" {
            let body = try Data(contentsOf: file)
            let answer = try JSONSerialization.jsonObject(with: body) as? [String: Any]
            if let status = answer?["case_status"] as? [String: Any], let receipt = status["receiptNumber"] as? String {
                answers[receipt] = body
            } else {
                notFound = body
            }
        }
        guard let notFound else { throw FilingSourceFailure("the case-status samples hold no not-found answer") }
        self.answers = answers
        self.notFound = notFound
    }

    /// How many token and case-status calls it was asked.
    public var calls: (token: Int, status: Int) { state.withLockedValue { ($0.tokenCalls, $0.statusCalls) } }

    /// Listens on the loopback interface; returns the base URL.
    public func start(port: Int = 0) async throws -> URL {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(simulator: self))
                }
            }
        let server = try await bootstrap.bind(host: "127.0.0.1", port: port).get()
        channel.withLockedValue { $0 = server }
        return URL(string: "http://127.0.0.1:\(server.localAddress!.port!)")!
    }

    public func stop() async throws {
        try await channel.withLockedValue { $0 }?.close()
    }

    /// Every token issued so far stops working (answered 401), as one does when it expires.
    public func expireTokens() {
        state.withLockedValue { $0.tokens.removeAll() }
    }

    /// The next `calls` case-status calls are answered 429 with `Retry-After: seconds`.
    public func throttle(next calls: Int, retryAfter seconds: Int = 1) {
        state.withLockedValue { state in
            state.throttled = calls
            state.retryAfter = seconds
        }
    }

    /// From now on, answers for `receipt` with the form, status and description given, in the
    /// samples' shape (a case decided since it was last asked about, a demonstration's filing).
    public func answer(_ receipt: String, formType: String, statusText: String, description: String = "Simulated.") {
        let status: [String: Any] = ["receiptNumber": receipt, "formType": formType, "current_case_status_text_en": statusText,
                                     "current_case_status_desc_en": description, "hist_case_status": [[String: String]]()]
        guard let body = try? JSONSerialization.data(withJSONObject: ["case_status": status, "message": "Query was successful"]) else { return }
        state.withLockedValue { $0.replaced[receipt] = (.ok, [], body) }
    }

    /// From now on, answers for `receipt` exactly so: a broken or hostile upstream's answer.
    public func answer(_ receipt: String, status: Int, body: String, headers: [(String, String)] = []) {
        state.withLockedValue { $0.replaced[receipt] = (HTTPResponseStatus(statusCode: status), headers, Data(body.utf8)) }
    }

    /// Answers for a filing as it is claimed (a demonstration's): the form of its benefit and role,
    /// the status text of its status. Continued Presence, not in the API, and a filing without a
    /// receipt number are left out.
    public func knowAsClaimed(_ filing: BenefitFilingRecord) {
        guard let receipt = filing.receiptNumber, let type = BenefitType(spelling: filing.type), type != .continuedPresence,
              let status = BenefitStatus(spelling: filing.status) else { return }
        let derivative = filing.role == BenefitRole.derivative.spelling
        let (form, description) = switch type {
        case .t: (derivative ? "I-914 Supplement A" : "I-914", "Application for T Nonimmigrant Status (simulated).")
        case .u: (derivative ? "I-918 Supplement A" : "I-918", "Petition for U Nonimmigrant Status (simulated).")
        case .vawa: ("I-360", "Self-petition under the Violence Against Women Act (simulated).")
        case .sij, .continuedPresence: ("I-360", "Petition for Special Immigrant Juvenile classification (simulated).")  // CP left out above
        }
        let text = switch status {
        case .pending: "Case Was Received"
        case .approved: "Case Was Approved"
        case .denied, .deniedFinal, .revoked: "Case Was Denied"
        }
        answer(receipt, formType: form, statusText: text, description: description)
    }

    /// Settings for a client of this simulator listening at `url`, named as simulated.
    public func clientSettings(at url: URL) -> USCISCaseStatusClient.Settings {
        var settings = USCISCaseStatusClient.Settings(baseURL: url, clientID: clientID, clientSecret: clientSecret)
        settings.name = Self.sourceName
        return settings
    }

    /// What to answer a request: nil for none at all.
    fileprivate func response(to head: HTTPRequestHead, body: String) -> (HTTPResponseStatus, [(String, String)], Data)? {
        let path = head.uri.split(separator: "?").first.map(String.init) ?? head.uri
        let authorization = head.headers.first(name: "Authorization") ?? ""
        if head.method == .POST, path == "/oauth/accesstoken" {
            state.withLockedValue { $0.tokenCalls += 1 }
            let basic = "Basic " + Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()
            let form = Set(body.split(separator: "&").map(String.init))
            let knowsClient = authorization == basic || (form.contains("client_id=\(clientID)") && form.contains("client_secret=\(clientSecret)"))
            guard form.contains("grant_type=client_credentials"), knowsClient else {
                return (.unauthorized, [], Data(#"{"error": "invalid_client"}"#.utf8))
            }
            let token = state.withLockedValue { state -> String in
                state.issued += 1
                let token = "simulated-token-\(state.issued)"
                state.tokens[token] = clock.now.addingTimeInterval(TimeInterval(tokenLifetime))
                return token
            }
            return (.ok, [], Data(#"{"access_token": "\#(token)", "token_type": "Bearer", "expires_in": \#(tokenLifetime), "scope": "read:case-status"}"#.utf8))
        }
        guard head.method == .GET, path.hasPrefix("/case-status/") else { return (.notFound, [], Data(#"{"message": "no such endpoint"}"#.utf8)) }
        let receipt = String(path.dropFirst("/case-status/".count))
        let now = clock.now
        let (refusal, replaced) = state.withLockedValue { state -> ((HTTPResponseStatus, [(String, String)], Data)?, (HTTPResponseStatus, [(String, String)], Data)?) in
            state.statusCalls += 1
            let token = authorization.hasPrefix("Bearer ") ? String(authorization.dropFirst(7)) : ""
            guard let expires = state.tokens[token], expires > now else {
                return ((.unauthorized, [], Data(#"{"message": "Invalid access token"}"#.utf8)), nil)
            }
            guard state.throttled == 0 else {
                state.throttled -= 1
                return ((.tooManyRequests, [("Retry-After", "\(state.retryAfter)")], Data(#"{"message": "Rate limit exceeded"}"#.utf8)), nil)
            }
            return (nil, state.replaced[receipt])
        }
        if let refusal { return refusal }
        switch receipt {
        case Self.silentReceipt: return nil
        case Self.malformedReceipt: return (.ok, [], Data(#"{"case_status": {"receiptNumber": 7"#.utf8))
        default:
            if let replaced { return replaced }
            if let known = answers[receipt] { return (.ok, [], known) }
            return unknownReceipts == .notFound ? (.notFound, [], notFound) : (.serviceUnavailable, [], Data(#"{"message": "simulated: receipt not known"}"#.utf8))
        }
    }

    private final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let simulator: CaseStatusSimulator
        var head: HTTPRequestHead?
        var body = ByteBuffer()

        init(simulator: CaseStatusSimulator) {
            self.simulator = simulator
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                self.head = head
                body.clear()
            case .body(var part):
                body.writeBuffer(&part)
            case .end:
                guard let head, let (status, headers, answer) = simulator.response(to: head, body: String(buffer: body)) else { return }
                var responseHeaders = HTTPHeaders([("Content-Type", "application/json"), ("Content-Length", "\(answer.count)")] + headers)
                if !head.isKeepAlive { responseHeaders.add(name: "Connection", value: "close") }
                context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: responseHeaders))), promise: nil)
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: answer)))), promise: nil)
                context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            }
        }
    }
}
