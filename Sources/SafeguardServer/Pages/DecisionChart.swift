import Foundation
import PolicyEngine
import SafeguardCore

/// Current decisions by month as stacked bars, drawn on the server as inline SVG (no script, no
/// external asset), with the same figures as a table and in sentences: one bar per month and
/// governing policy (a month in which a policy took effect has two), stacked by disposition, its
/// total above it, a band under it in the policy's colour, a y-axis with its scale, the months
/// under the bars, and a dashed line between two bars where a policy document took effect.
struct DecisionChart: Encodable {
    /// One bar's figures, for the table beside the chart: "–" where no group of the smallest
    /// size stands (none, or too few to show).
    struct Row: Encodable {
        var month: String
        var policy: String
        var proceed: String
        var proceedAfterSteps: String
        var refrain: String
        /// Of the groups shown.
        var total: Int
    }

    static let dispositionColors: [Disposition: String] = [.refrain: "#8a1c1c", .proceedAfterSteps: "#c98a00", .proceed: "#2e7d32"]
    /// Colours for the governing policies, in the order the documents took effect.
    static let policyPalette = ["#5b5b5b", "#1f5fa8", "#6a3d9a", "#00796b", "#b03a2e", "#8c6d1f"]
    static let (width, left, right, top, plotHeight) = (900.0, 56.0, 10.0, 46.0, 260.0)

    var svg: String
    /// The chart in sentences: the span, then each governing policy's figures.
    var summary: [String]
    var rows: [Row]

    private struct Bar: Hashable, Comparable {
        var month: String
        var policyOrder: Int
        var policy: String

        static func < (a: Bar, b: Bar) -> Bool { (a.month, a.policyOrder) < (b.month, b.policyOrder) }
    }

    init(_ cells: [CaseStatistics.Cell], documents: [PolicyDocument]) {
        let order = Dictionary(uniqueKeysWithValues: documents.enumerated().map { ($0.element.id, $0.offset) })
        let names = Dictionary(uniqueKeysWithValues: documents.map { ($0.id, $0.name) })
        var counts: [Bar: [Disposition: Int]] = [:]
        for cell in cells {
            guard let month = cell.group["month"], let policy = cell.group["policy"],
                  let disposition = cell.group["disposition"].flatMap(Disposition.init(spelling:)) else { continue }
            counts[Bar(month: month, policyOrder: order[policy] ?? documents.count, policy: policy), default: [:]][disposition, default: 0] += cell.count
        }
        let bars = counts.keys.sorted()
        rows = bars.map { bar in
            let count = counts[bar] ?? [:]
            func figure(_ disposition: Disposition) -> String { count[disposition].map(String.init) ?? "–" }
            return Row(month: bar.month, policy: names[bar.policy] ?? bar.policy, proceed: figure(.proceed), proceedAfterSteps: figure(.proceedAfterSteps),
                       refrain: figure(.refrain), total: count.values.reduce(0, +))
        }
        guard let first = bars.first?.month, let last = bars.last?.month else {
            (svg, summary) = ("", ["No decisions in groups large enough to show."])
            return
        }
        summary = Self.sentences(counts: counts, names: names, from: first, to: last, documents: documents)
        svg = Self.drawing(bars: bars, counts: counts, names: names, documents: documents, order: order)
    }

    private static func sentences(counts: [Bar: [Disposition: Int]], names: [String: String], from first: String, to last: String,
                                  documents: [PolicyDocument]) -> [String] {
        let total = counts.values.flatMap(\.values).reduce(0, +)
        let span = first == last ? "In \(first)" : "From \(first) to \(last)"
        var lines = ["\(span): \(total) current decisions in the groups shown (a group of fewer than \(CaseStatistics.smallestCount) is left out)."]
        for document in documents {
            let governed = counts.filter { $0.key.policy == document.id }.values
            guard !governed.isEmpty else { continue }
            let figures = Disposition.allCases.compactMap { disposition -> String? in
                let shown = governed.compactMap { $0[disposition] }
                return shown.isEmpty ? nil : "\(disposition.label.lowercased()): \(shown.reduce(0, +))"
            }
            let from = document.inForceFrom.map { ", in force from \($0)" } ?? ""
            lines.append("Under \(document.name)\(from): \(governed.flatMap(\.values).reduce(0, +)) decisions — \(figures.joined(separator: "; ")).")
        }
        return lines
    }

    private static func drawing(bars: [Bar], counts: [Bar: [Disposition: Int]], names: [String: String], documents: [PolicyDocument],
                                order: [String: Int]) -> String {
        let highest = counts.values.map { $0.values.reduce(0, +) }.max() ?? 1
        let step = scaleStep(highest)
        let axisTop = Double((highest + step - 1) / step * step)
        let baseline = top + plotHeight
        let slot = (width - left - right) / Double(bars.count)
        let barWidth = min(max(slot * 0.7, 1), 40)
        let charted = documents.enumerated().filter { entry in bars.contains { $0.policy == entry.element.id } }
        // The legend of policies wraps under the months; the drawing is as tall as it needs.
        var legend: [(x: Double, row: Int, offset: Int, name: String)] = []
        var (legendX, legendRow) = (left, 0)
        for (offset, document) in charted {
            let itemWidth = 24 + Double(document.name.count) * 6.2
            if legendX + itemWidth > width - right, legendX > left { (legendX, legendRow) = (left, legendRow + 1) }
            legend.append((legendX, legendRow, offset, document.name))
            legendX += itemWidth
        }
        let legendTop = baseline + 46
        let height = legendTop + Double(legendRow + 1) * 18 + 4
        var parts = [
            ##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \##(Int(width)) \##(Int(height))" role="img" aria-labelledby="chart-title chart-desc">"##,
            ##"<title id="chart-title">Current decisions by month, governing policy and disposition</title>"##,
            ##"<desc id="chart-desc">Stacked bars from \##(bars[0].month) to \##(bars[bars.count - 1].month), one per month and governing policy, each with its total; the figures are in the table after the chart.</desc>"##,
        ]
        // The scale: a line and a label at every step, from zero to the top.
        for value in stride(from: 0, through: Int(axisTop), by: step) {
            let y = format(baseline - Double(value) / axisTop * plotHeight)
            parts.append(##"<line x1="\##(Int(left))" y1="\##(y)" x2="\##(Int(width - right))" y2="\##(y)" stroke="#dfe1e2"/>"##)
            parts.append(##"<text x="\##(Int(left) - 6)" y="\##(y)" font-size="13" text-anchor="end" dominant-baseline="middle">\##(value)</text>"##)
        }
        parts.append(##"<line x1="\##(Int(left))" y1="\##(Int(top))" x2="\##(Int(left))" y2="\##(Int(baseline))" stroke="#1b1b1b"/>"##)
        parts.append(##"<text x="12" y="\##(Int(top + plotHeight / 2))" font-size="11" text-anchor="middle" transform="rotate(-90 12 \##(Int(top + plotHeight / 2)))">Decisions</text>"##)
        // Months under the bars, as many as fit without touching.
        let labelEvery = max(1, Int((60 / slot).rounded(.up)))
        var lastLabelled: String?
        for (index, bar) in bars.enumerated() {
            let x = left + Double(index) * slot + (slot - barWidth) / 2
            var y = baseline
            let name = (names[bar.policy] ?? bar.policy).htmlEscaped
            for disposition in [Disposition.proceed, .proceedAfterSteps, .refrain] {
                guard let count = counts[bar]?[disposition] else { continue }
                let barHeight = Double(count) / axisTop * plotHeight
                y -= barHeight
                parts.append(##"<rect x="\##(format(x))" y="\##(format(y))" width="\##(format(barWidth))" height="\##(format(barHeight))" fill="\##(dispositionColors[disposition]!)"><title>\##(bar.month.htmlEscaped), \##(name), \##(disposition.label): \##(count)</title></rect>"##)
            }
            let total = counts[bar]?.values.reduce(0, +) ?? 0
            if slot >= 18 {
                parts.append(##"<text x="\##(format(x + barWidth / 2))" y="\##(format(y - 4))" font-size="12" text-anchor="middle">\##(total)</text>"##)
            }
            parts.append(##"<rect x="\##(format(x))" y="\##(format(baseline + 3))" width="\##(format(barWidth))" height="8" fill="\##(color(of: bar.policyOrder))"><title>\##(bar.month.htmlEscaped) governed by \##(name)</title></rect>"##)
            if index % labelEvery == 0, bar.month != lastLabelled {
                parts.append(##"<text x="\##(format(x + barWidth / 2))" y="\##(Int(baseline) + 26)" font-size="13" text-anchor="middle">\##(bar.month.htmlEscaped)</text>"##)
                lastLabelled = bar.month
            }
        }
        // Where a policy took effect: a line in the gap before its first bar, the date above it,
        // on a second row when the previous date is too near to read.
        var previousLabel = -Double.infinity, row = 0
        for document in documents {
            guard let start = document.inForceFrom?.description, String(start.prefix(7)) >= bars[0].month,
                  let index = bars.firstIndex(where: { $0.month >= String(start.prefix(7)) && $0.policy == document.id }) else { continue }
            let x = left + Double(index) * slot
            row = x - previousLabel < 72 ? 1 - row : 0
            previousLabel = x
            let labelY = Int(top) - 28 + row * 13
            parts.append(##"<line x1="\##(format(x))" y1="\##(labelY + 3)" x2="\##(format(x))" y2="\##(Int(baseline))" stroke="#12355b" stroke-dasharray="4 3"><title>\##(document.name.htmlEscaped) took effect on \##(start)</title></line>"##)
            parts.append(##"<text x="\##(format(x + 3))" y="\##(labelY)" font-size="11" fill="#12355b">\##(start)</text>"##)
        }
        for item in legend {
            let y = legendTop + Double(item.row) * 18
            parts.append(##"<rect x="\##(format(item.x))" y="\##(format(y))" width="10" height="10" fill="\##(color(of: item.offset))"/>"##)
            parts.append(##"<text x="\##(format(item.x + 14))" y="\##(format(y + 9))" font-size="11">\##(item.name.htmlEscaped)</text>"##)
        }
        parts.append("</svg>")
        return parts.joined(separator: "\n")
    }

    /// A step of 1, 2 or 5 times a power of ten that divides the scale into at most five parts.
    static func scaleStep(_ highest: Int) -> Int {
        let rough = max(1, Double(highest) / 5)
        let power = pow(10, (log10(rough)).rounded(.down))
        let multiple = [1.0, 2, 5, 10].first { $0 * power >= rough } ?? 10
        return max(1, Int(multiple * power))
    }

    static func color(of policyOrder: Int) -> String { policyPalette[policyOrder % policyPalette.count] }

    static func format(_ value: Double) -> String { String(format: "%.1f", value) }
}
