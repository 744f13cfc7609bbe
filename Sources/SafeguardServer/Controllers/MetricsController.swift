import Vapor

/// `GET /metrics`: the Prometheus text exposition. Counts only, never case data, so it needs no
/// sign-in; deployments keep it on the internal network like any scrape target.
struct MetricsController: RouteCollection {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func boot(routes: any RoutesBuilder) throws {
        routes.get("metrics", use: metrics)
    }

    func metrics(request: Request) async throws -> Response {
        let response = Response(status: .ok, body: .init(data: Data(request.application.safeguard.metrics.exposition())))
        response.headers.replaceOrAdd(name: .contentType, value: Self.contentType)
        return response
    }
}
