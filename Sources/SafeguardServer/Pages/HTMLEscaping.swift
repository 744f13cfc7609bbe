extension String {
    /// The text safe inside an HTML element or a quoted attribute, for the HTML that Swift
    /// writes itself (the chart, a field's problem); templates escape on their own.
    var htmlEscaped: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}
