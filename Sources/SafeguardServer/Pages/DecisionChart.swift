import PolicyEngine
import SafeguardCore

/// Current decisions by month as stacked bars, drawn on the server as inline SVG (no script, no
/// external asset), with a line where each policy document took effect.
enum DecisionChart {
    static let colors = ["refrain": "#8a1c1c", "proceed-after-steps": "#c98a00", "proceed": "#2e7d32"]
    static let (width, height, left, bottom, top) = (900.0, 320.0, 50.0, 40.0, 30.0)

    static func svg(_ cells: [CaseStatistics.Cell], documents: [PolicyDocument]) -> String {
        var totals: [String: [String: Int]] = [:]
        for cell in cells {
            guard let month = cell.group["month"], let disposition = cell.group["disposition"] else { continue }
            totals[month, default: [:]][disposition] = cell.count
        }
        let months = totals.keys.sorted()
        guard let first = months.first, let last = months.last else {
            return ##"<p>No decisions in groups large enough to show.</p>"##
        }
        let highest = Double(totals.values.map { $0.values.reduce(0, +) }.max() ?? 1)
        let slot = (width - left - 10) / Double(months.count)
        var parts = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(Int(width)) \##(Int(height))" role="img" aria-labelledby="chart-title chart-desc">"##,
            ##"<title id="chart-title">Current decisions by month and disposition</title>"##,
            ##"<desc id="chart-desc">Stacked bars from \##(first) to \##(last); vertical lines where a policy document took effect.</desc>"##,
        ]
        for (index, month) in months.enumerated() {
            var y = height - bottom
            for disposition in ["proceed", "proceed-after-steps", "refrain"] {
                guard let count = totals[month]?[disposition] else { continue }
                let barHeight = Double(count) / highest * (height - bottom - top)
                y -= barHeight
                parts.append(##"<rect x="\##(format(left + Double(index) * slot))" y="\##(format(y))" width="\##(format(max(slot - 1, 1)))" height="\##(format(barHeight))" fill="\##(colors[disposition]!)"><title>\##(month) \##(disposition): \##(count)</title></rect>"##)
            }
        }
        for document in documents {
            guard let start = document.inForceFrom?.description, let index = months.firstIndex(where: { $0 >= String(start.prefix(7)) }),
                  String(start.prefix(7)) >= first else { continue }
            let x = format(left + Double(index) * slot)
            parts.append(##"<line x1="\##(x)" y1="\##(Int(top) - 10)" x2="\##(x)" y2="\##(Int(height - bottom))" stroke="#12355b" stroke-dasharray="4 3"/>"##)
            parts.append(##"<text x="\##(x)" y="\##(Int(top) - 14)" font-size="11" fill="#12355b">\##(escaped(document.id)) \##(start)</text>"##)
        }
        parts.append(##"<text x="\##(Int(left))" y="\##(Int(height) - 12)" font-size="12">\##(first)</text>"##)
        parts.append(##"<text x="\##(Int(width) - 60)" y="\##(Int(height) - 12)" font-size="12">\##(last)</text>"##)
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    static func escaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
