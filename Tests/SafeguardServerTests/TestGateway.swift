import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import SafeguardTestSupport
import SafeguardCore

/// A notification gateway for the tests: a real HTTP server on loopback that accepts messages as
/// providers do, once per idempotency key, and fails on purpose — errors, answers too late to
/// count (after accepting), connections dropped (before or after accepting), and addresses that
/// always fail. It keeps what it accepted, to count deliveries per notification.
final class TestGateway: Sendable {
    struct Chaos: Sendable {
        var errorRate = 0.0
        var lateRate = 0.0
        var dropRate = 0.0
        var lateBy = TimeAmount.milliseconds(600)
        /// Addresses the gateway never accepts.
        var refused: Set<String> = []
    }

    struct Ledger {
        var requests = 0
        /// Each idempotency key accepted, with when.
        var accepted: [String: Double] = [:]
        /// Per notification: how many distinct keys it was accepted under, and the messages.
        var deliveries: [UUID: Int] = [:]
        var messages: [UUID: GatewayMessage] = [:]
    }

    let chaos: Chaos
    private let ledger = NIOLockedValueBox(Ledger())
    /// The chaos's dice, from the run's seed.
    private let dice = NIOLockedValueBox(SeededGenerator())
    private let channel: NIOLockedValueBox<(any Channel)?> = NIOLockedValueBox(nil)

    init(chaos: Chaos = Chaos()) {
        self.chaos = chaos
    }

    var snapshot: Ledger { ledger.withLockedValue { $0 } }

    /// Starts listening; returns the base URL (`/sms`, `/email`, `/voice` below it).
    func start() async throws -> URL {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(Handler(gateway: self))
                }
            }
        let server = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        channel.withLockedValue { $0 = server }
        return URL(string: "http://127.0.0.1:\(server.localAddress!.port!)")!
    }

    func stop() async throws {
        try await channel.withLockedValue { $0 }?.close()
    }

    enum Fate { case accept, error, late, dropBefore, dropAfter, refuse }

    func fate(for message: GatewayMessage) -> Fate {
        if chaos.refused.contains(message.to) { return .refuse }
        let (roll, before) = dice.withLockedValue { (Double.random(in: 0..<1, using: &$0), Bool.random(using: &$0)) }
        if roll < chaos.errorRate { return .error }
        if roll < chaos.errorRate + chaos.lateRate { return .late }
        if roll < chaos.errorRate + chaos.lateRate + chaos.dropRate { return before ? .dropBefore : .dropAfter }
        return .accept
    }

    /// Accepts the message unless its key was accepted before (as a provider does).
    func accept(_ message: GatewayMessage) {
        ledger.withLockedValue { ledger in
            guard ledger.accepted[message.idempotencyKey] == nil else { return }
            ledger.accepted[message.idempotencyKey] = Date().timeIntervalSince1970
            ledger.deliveries[message.notificationId, default: 0] += 1
            ledger.messages[message.notificationId] = message
        }
    }

    func counted() { ledger.withLockedValue { $0.requests += 1 } }

    final class Handler: ChannelInboundHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias OutboundOut = HTTPServerResponsePart
        let gateway: TestGateway
        var body = ByteBuffer()

        init(gateway: TestGateway) {
            self.gateway = gateway
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head: body.clear()
            case .body(var part): body.writeBuffer(&part)
            case .end:
                gateway.counted()
                guard let message = try? JSONDecoder().decode(GatewayMessage.self, from: Data(body.readableBytesView)) else {
                    respond(context, .badRequest)
                    return
                }
                switch gateway.fate(for: message) {
                case .accept:
                    gateway.accept(message)
                    respond(context, .ok)
                case .error: respond(context, .internalServerError)
                case .refuse: respond(context, .serviceUnavailable)
                case .late:
                    gateway.accept(message)
                    let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
                    context.eventLoop.scheduleTask(in: gateway.chaos.lateBy) { bound.value.0.respond(bound.value.1, .ok) }
                case .dropBefore: context.close(promise: nil)
                case .dropAfter:
                    gateway.accept(message)
                    context.close(promise: nil)
                }
            }
        }

        func respond(_ context: ChannelHandlerContext, _ status: HTTPResponseStatus) {
            guard context.channel.isActive else { return }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Length", value: "0")
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
