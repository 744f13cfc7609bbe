import Prometheus
import SafeguardCore
import Vapor

/// `GET /metrics`: the Prometheus text exposition, for a scraper with an admin's token
/// (`Entitlements.metricsRoles`): counts only, never case data, but a delivery counter moves when
/// a registered victim is told, which is not for everyone to watch. The delivery
/// alerts are computed at each scrape: `safeguard_alert{kind="dead-letters"}` (how many),
/// `{kind="feed-silent"}` and `{kind="gateway-failing",channel=…}` (1 when raised).
struct MetricsController: RouteCollection {
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func boot(routes: any RoutesBuilder) throws {
        routes.access(.roles(Entitlements.metricsRoles, "the service's metrics", reach: .noRecord)).get("metrics", use: metrics)
    }

    func metrics(request: Request) async throws -> Response {
        let services = request.application.safeguard
        let alerts = try await services.deliveryAlerts(on: request.db)
        let registry = request.application.serviceMetrics.registry
        let alert = MetricNameDescriptor(namespace: "safeguard", metricName: "alert", unitName: "",
                                         helpText: "Alerts: dead letters, voice notices locked after wrong PINs, audit records queued past the bound or rejected (how many); a silent custody feed and a failing gateway (1 when raised)")
        registry.makeGauge(descriptor: alert, labels: [("kind", "dead-letters")]).set(to: Double(alerts.deadLetters))
        registry.makeGauge(descriptor: alert, labels: [("kind", "locked-notices")]).set(to: Double(alerts.lockedNotices))
        registry.makeGauge(descriptor: alert, labels: [("kind", "feed-silent")]).set(to: alerts.feedSilentSince == nil ? 0.0 : 1.0)
        for channel in ChannelKind.allCases {
            registry.makeGauge(descriptor: alert, labels: [("kind", "gateway-failing"), ("channel", channel.rawValue)])
                .set(to: alerts.failingGateways[channel.rawValue] == nil ? 0.0 : 1.0)
        }
        let queue = try await services.audit.queue(on: request.db)
        registry.makeGauge(descriptor: alert, labels: [("kind", "audit-queue-stale")]).set(to: Double(queue.stale))
        registry.makeGauge(descriptor: alert, labels: [("kind", "audit-leaves-rejected")]).set(to: Double(queue.rejected))
        registry.makeGauge(descriptor: MetricNameDescriptor(namespace: "safeguard", metricName: "audit_queued", unitName: "",
                                                            helpText: "Audit records queued by requests, not yet integrated into the chain"))
            .set(to: Double(queue.queued))
        let response = Response(status: .ok, body: .init(data: Data(request.application.serviceMetrics.exposition())))
        response.headers.replaceOrAdd(name: .contentType, value: Self.contentType)
        return response
    }
}
