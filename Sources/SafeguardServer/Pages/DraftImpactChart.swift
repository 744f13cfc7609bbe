/// The encounters a draft would change, by the month they were opened for and office, as bars
/// stacked by office, drawn on the server in inline SVG (no script, no external asset), with a
/// legend; the same figures stand in a table beside it. Only the groups shown in aggregate are
/// drawn (`DraftImpact.figures`).
enum DraftImpactChart {
    static let (barWidth, gap, left, top, plotHeight, bottom) = (34.0, 10.0, 48.0, 24.0, 200.0, 56.0)
    static let palette = ["rgb(31,95,168)", "rgb(201,138,0)", "rgb(46,125,50)", "rgb(106,61,154)", "rgb(176,58,46)", "rgb(91,91,91)"]

    /// Nil when there is nothing to draw.
    static func svg(_ cells: [DraftImpactPageController.MonthAndOffice]) -> String? {
        let months = Array(Set(cells.map(\.month))).sorted()
        let offices = Array(Set(cells.map(\.office))).sorted()
        let totals = Dictionary(cells.map { ($0.month, $0.count) }, uniquingKeysWith: +)
        guard let highest = totals.values.max(), highest > 0 else { return nil }
        func color(_ office: String) -> String { palette[(offices.firstIndex(of: office) ?? 0) % palette.count] }
        let width = max(left + Double(months.count) * (barWidth + gap) + gap, left + Double(offices.count) * 90)
        let height = top + plotHeight + bottom + 24
        var parts = [
            #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(Int(width)) \#(Int(height))" width="\#(Int(width))" height="\#(Int(height))" role="img" aria-labelledby="draft-chart-title">"#,
            #"<title id="draft-chart-title">Open encounters the draft would change, by the month they were opened for and office</title>"#,
            #"<line x1="\#(left)" y1="\#(top + plotHeight)" x2="\#(width)" y2="\#(top + plotHeight)" stroke="rgb(27,27,27)"/>"#,
            #"<text x="\#(left - 6)" y="\#(top + 4)" text-anchor="end" font-size="12">\#(highest)</text>"#,
            #"<text x="\#(left - 6)" y="\#(top + plotHeight)" text-anchor="end" font-size="12">0</text>"#,
        ]
        for (index, month) in months.enumerated() {
            let x = left + gap + Double(index) * (barWidth + gap)
            var base = top + plotHeight
            for cell in cells.filter({ $0.month == month }) {
                let segment = plotHeight * Double(cell.count) / Double(highest)
                base -= segment
                parts.append(#"<rect x="\#(x)" y="\#(base)" width="\#(barWidth)" height="\#(segment)" fill="\#(color(cell.office))"><title>\#(month.htmlEscaped), \#(cell.office.htmlEscaped): \#(cell.count)</title></rect>"#)
            }
            parts.append(#"<text x="\#(x + barWidth / 2)" y="\#(base - 4)" text-anchor="middle" font-size="12">\#(totals[month] ?? 0)</text>"#)
            // The month, turned so that a year of bars fits.
            let labelY = top + plotHeight + 14
            parts.append(#"<text x="\#(x + barWidth / 2)" y="\#(labelY)" text-anchor="end" font-size="12" transform="rotate(-45 \#(x + barWidth / 2) \#(labelY))">\#(month.htmlEscaped)</text>"#)
        }
        for (index, office) in offices.enumerated() {
            let x = left + Double(index) * 90, y = height - 10
            parts.append(#"<rect x="\#(x)" y="\#(y - 10)" width="12" height="12" fill="\#(color(office))"/><text x="\#(x + 16)" y="\#(y)" font-size="12">\#(office.htmlEscaped)</text>"#)
        }
        parts.append("</svg>")
        return parts.joined()
    }
}
