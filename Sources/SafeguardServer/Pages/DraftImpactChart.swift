/// The encounters a draft would change, by the month they were opened for, as bars drawn on the
/// server in inline SVG (no script, no external asset); the same figures stand in a table beside
/// it. Only the months shown in aggregate are drawn (`DraftImpact.figures`).
enum DraftImpactChart {
    static let (barWidth, gap, left, top, plotHeight, bottom) = (34.0, 10.0, 48.0, 24.0, 200.0, 56.0)

    /// Nil when there is nothing to draw.
    static func svg(_ months: [DraftImpactPageController.DraftPage.Line]) -> String? {
        guard let highest = months.map(\.count).max(), highest > 0 else { return nil }
        let width = left + Double(months.count) * (barWidth + gap) + gap
        let height = top + plotHeight + bottom
        var parts = [
            #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(Int(width)) \#(Int(height))" width="\#(Int(width))" height="\#(Int(height))" role="img" aria-labelledby="draft-chart-title">"#,
            #"<title id="draft-chart-title">Open encounters the draft would change, by the month they were opened for</title>"#,
            #"<line x1="\#(left)" y1="\#(top + plotHeight)" x2="\#(width)" y2="\#(top + plotHeight)" stroke="rgb(27,27,27)"/>"#,
            #"<text x="\#(left - 6)" y="\#(top + 4)" text-anchor="end" font-size="12">\#(highest)</text>"#,
            #"<text x="\#(left - 6)" y="\#(top + plotHeight)" text-anchor="end" font-size="12">0</text>"#,
        ]
        for (index, month) in months.enumerated() {
            let x = left + gap + Double(index) * (barWidth + gap)
            let barHeight = plotHeight * Double(month.count) / Double(highest)
            let y = top + plotHeight - barHeight
            parts.append(#"<rect x="\#(x)" y="\#(y)" width="\#(barWidth)" height="\#(barHeight)" fill="rgb(31,95,168)"><title>\#(month.label): \#(month.count)</title></rect>"#)
            parts.append(#"<text x="\#(x + barWidth / 2)" y="\#(y - 4)" text-anchor="middle" font-size="12">\#(month.count)</text>"#)
            // The month, turned so that a year of bars fits.
            let labelY = top + plotHeight + 14
            parts.append(#"<text x="\#(x + barWidth / 2)" y="\#(labelY)" text-anchor="end" font-size="12" transform="rotate(-45 \#(x + barWidth / 2) \#(labelY))">\#(month.label)</text>"#)
        }
        parts.append("</svg>")
        return parts.joined()
    }
}
