import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// What a gateway is asked to send. `idempotencyKey` is the same on every retry of one notice,
/// so a gateway that received it before sends nothing twice.
public struct GatewayMessage: Sendable, Codable, Equatable {
    public var notificationId: UUID
    public var idempotencyKey: String
    public var channel: String
    public var to: String
    public var language: String
    public var text: String
    public var event: String
    public var occurredAt: String
}

/// Why a send failed: the gateway's answer, a timeout or a broken connection.
public struct GatewayFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Sends a message through a channel's gateway; throws `GatewayFailure` unless it was accepted.
public protocol NotificationGateway: Sendable {
    func send(_ message: GatewayMessage, to url: URL, timeout: TimeInterval) async throws
}

/// A gateway over HTTP (SMS, email and voice providers expose HTTP APIs): a JSON POST with an
/// `Idempotency-Key` header; any 2xx is acceptance.
public struct HTTPNotificationGateway: NotificationGateway {
    let client: HTTPClient

    public init(client: HTTPClient = .shared) {
        self.client = client
    }

    public func send(_ message: GatewayMessage, to url: URL, timeout: TimeInterval) async throws {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Idempotency-Key", value: message.idempotencyKey)
        request.body = .bytes(ByteBuffer(bytes: try JSONEncoder().encode(message)))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            // Read the answer whole, so that the connection goes back to the pool.
            _ = try await response.body.collect(upTo: 64 * 1024)
        } catch {
            throw GatewayFailure(description: "no answer: \(error)")
        }
        guard (200..<300).contains(response.status.code) else { throw GatewayFailure(description: "answered \(response.status.code)") }
    }
}
