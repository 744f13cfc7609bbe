import CoreMetrics
import PolicyEngine

/// What the workflow counts, through swift-metrics: decisions by disposition and refusals at the
/// enforcement gate. The factory is the application's own (the server's Prometheus registry), so
/// that two applications in one process never share counts.
public struct WorkflowMetrics: Sendable {
    /// One counter per disposition, indexed by its raw value: counting takes no lookup.
    private let decisions: [Counter]
    /// Only `refrain` and `proceed-after-steps` stop the gate.
    private let gateRefusals: [Disposition: Counter]

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        func counter(_ label: String, _ disposition: Disposition) -> Counter {
            Counter(label: label, dimensions: [("disposition", disposition.spelling)], factory: factory)
        }
        decisions = Disposition.allCases.map { counter("safeguard_decisions_total", $0) }
        gateRefusals = Dictionary(uniqueKeysWithValues: [Disposition.refrain, .proceedAfterSteps].map { ($0, counter("safeguard_gate_refusals_total", $0)) })
    }

    /// A decision was computed for a caller (stored, or answered without storing).
    public func decided(_ disposition: Disposition) {
        decisions[Int(disposition.rawValue)].increment()
    }

    /// The gate refused to record an enforcement action; the disposition says why.
    func refused(_ disposition: Disposition) {
        gateRefusals[disposition]?.increment()
    }
}
