import Metrics
import Vapor

/// What every request leaves for operators: a count and a latency in the metrics, and one log
/// line, labelled by method, route pattern and status. The route is the pattern
/// (`/api/v1/people/:personID`), never the path or its query: no identifier or search term reaches
/// a label or a log line, and the label space stays small. A request that matched no route is
/// `unmatched`.
struct RequestObservationMiddleware: AsyncMiddleware {
    let factory: any MetricsFactory

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next.respond(to: request)
        let elapsed = ContinuousClock.now - started
        let route = request.route.map { "/" + $0.path.map(\.description).joined(separator: "/") } ?? "unmatched"
        let method = request.method.rawValue, status = String(response.status.code)
        Counter(label: "safeguard_http_requests_total", dimensions: [("method", method), ("route", route), ("status", status)], factory: factory)
            .increment()
        Timer(label: "safeguard_http_request_duration_seconds", dimensions: [("method", method), ("route", route)], factory: factory)
            .record(duration: elapsed)
        var metadata: Logger.Metadata = [
            "method": .string(method), "route": .string(route), "status": .string(status),
            "duration-ms": .string(String(format: "%.2f", Double(elapsed.components.seconds) * 1e3 + Double(elapsed.components.attoseconds) / 1e15)),
        ]
        if let actor = try? request.actor {
            metadata["user-id"] = .string(actor.userID.uuidString)
            metadata["role"] = .string(actor.role.rawValue)
        }
        request.logger.info("request", metadata: metadata)
        return response
    }
}
