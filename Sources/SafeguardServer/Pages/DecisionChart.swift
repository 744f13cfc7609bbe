import PolicyEngine
import SafeguardCore

/// Current decisions by month as stacked bars, drawn on the server as inline SVG (no script, no
/// external asset): one bar per month and governing policy (a month in which a policy took effect
/// has two), stacked by disposition, with a band under each bar in the policy's colour and a line
/// where each policy document took effect.
enum DecisionChart {
    static let dispositionColors = ["refrain": "#8a1c1c", "proceed-after-steps": "#c98a00", "proceed": "#2e7d32"]
    /// Colours for the governing policies, in the order the documents took effect.
    static let policyPalette = ["#5b5b5b", "#1f5fa8", "#6a3d9a", "#00796b", "#b03a2e", "#8c6d1f"]
    static let (width, height, left, bottom, top) = (900.0, 340.0, 50.0, 56.0, 30.0)

    struct Bar: Hashable, Comparable {
        var month: String
        var policyOrder: Int
        var policy: String

        static func < (a: Bar, b: Bar) -> Bool { (a.month, a.policyOrder) < (b.month, b.policyOrder) }
    }

    static func svg(_ cells: [CaseStatistics.Cell], documents: [PolicyDocument]) -> String {
        let order = Dictionary(uniqueKeysWithValues: documents.enumerated().map { ($0.element.id, $0.offset) })
        let names = Dictionary(uniqueKeysWithValues: documents.map { ($0.id, $0.name) })
        var totals: [Bar: [String: Int]] = [:]
        for cell in cells {
            guard let month = cell.group["month"], let policy = cell.group["policy"], let disposition = cell.group["disposition"] else { continue }
            totals[Bar(month: month, policyOrder: order[policy] ?? documents.count, policy: policy), default: [:]][disposition] = cell.count
        }
        let bars = totals.keys.sorted()
        guard let first = bars.first?.month, let last = bars.last?.month else {
            return ##"<p>No decisions in groups large enough to show.</p>"##
        }
        let highest = Double(totals.values.map { $0.values.reduce(0, +) }.max() ?? 1)
        let slot = (width - left - 10) / Double(bars.count)
        let baseline = height - bottom
        var parts = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(Int(width)) \##(Int(height))" role="img" aria-labelledby="chart-title chart-desc">"##,
            ##"<title id="chart-title">Current decisions by month, governing policy and disposition</title>"##,
            ##"<desc id="chart-desc">Stacked bars from \##(first) to \##(last), one per month and governing policy, with a band in the policy's colour; vertical lines where a policy document took effect.</desc>"##,
        ]
        for (index, bar) in bars.enumerated() {
            let x = format(left + Double(index) * slot), barWidth = format(min(max(slot - 1, 1), 40))
            var y = baseline
            for disposition in ["proceed", "proceed-after-steps", "refrain"] {
                guard let count = totals[bar]?[disposition] else { continue }
                let barHeight = Double(count) / highest * (baseline - top)
                y -= barHeight
                parts.append(##"<rect x="\##(x)" y="\##(format(y))" width="\##(barWidth)" height="\##(format(barHeight))" fill="\##(dispositionColors[disposition]!)"><title>\##(bar.month), \##(escaped(names[bar.policy] ?? bar.policy)), \##(Disposition(spelling: disposition)?.label ?? disposition): \##(count)</title></rect>"##)
            }
            parts.append(##"<rect x="\##(x)" y="\##(format(baseline + 3))" width="\##(barWidth)" height="8" fill="\##(color(of: bar.policyOrder))"><title>\##(bar.month) governed by \##(escaped(names[bar.policy] ?? bar.policy))</title></rect>"##)
        }
        for document in documents {
            guard let start = document.inForceFrom?.description, let index = bars.firstIndex(where: { $0.month >= String(start.prefix(7)) && $0.policy == document.id }),
                  String(start.prefix(7)) >= first else { continue }
            let x = format(left + Double(index) * slot)
            parts.append(##"<line x1="\##(x)" y1="\##(Int(top) - 10)" x2="\##(x)" y2="\##(Int(baseline))" stroke="#12355b" stroke-dasharray="4 3"/>"##)
            parts.append(##"<text x="\##(x)" y="\##(Int(top) - 14)" font-size="11" fill="#12355b">\##(escaped(document.name)) \##(start)</text>"##)
        }
        parts.append(##"<text x="\##(Int(left))" y="\##(Int(height) - 28)" font-size="12">\##(first)</text>"##)
        parts.append(##"<text x="\##(Int(width) - 60)" y="\##(Int(height) - 28)" font-size="12">\##(last)</text>"##)
        let charted = Set(bars.map(\.policy))
        var legendX = left
        for (offset, document) in documents.enumerated() where charted.contains(document.id) {
            parts.append(##"<rect x="\##(format(legendX))" y="\##(Int(height) - 14)" width="10" height="10" fill="\##(color(of: offset))"/>"##)
            parts.append(##"<text x="\##(format(legendX + 14))" y="\##(Int(height) - 5)" font-size="11">\##(escaped(document.name))</text>"##)
            legendX += 34 + Double(document.name.count) * 6
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    static func color(of policyOrder: Int) -> String { policyPalette[policyOrder % policyPalette.count] }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
