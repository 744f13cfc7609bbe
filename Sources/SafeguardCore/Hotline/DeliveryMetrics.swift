import CoreMetrics

/// What the workers count, through swift-metrics with the factory they are given (the server
/// passes its Prometheus registry's): notices delivered, attempts failed, dead letters.
public struct DeliveryMetrics: Sendable {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    func delivered(_ channel: ChannelKind) { count("safeguard_notifications_delivered_total", channel) }
    func failed(_ channel: ChannelKind) { count("safeguard_notification_attempts_failed_total", channel) }
    func died(_ channel: ChannelKind) { count("safeguard_notifications_dead_total", channel) }

    private func count(_ label: String, _ channel: ChannelKind) {
        Counter(label: label, dimensions: [("channel", channel.rawValue)], factory: factory).increment()
    }
}
