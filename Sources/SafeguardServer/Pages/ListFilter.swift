import Vapor

/// A list's filter: its value read from the query, and the options of its select.
enum ListFilter {
    /// The choice the request names in `name`: nil for any (absent or empty), else `parse`'s.
    /// - Throws: 400 when the value is not one of the filter's choices.
    static func value<Choice>(_ request: Request, _ name: String, _ parse: (String) -> Choice?) throws -> Choice? {
        guard let text = request.query[String.self, at: name], !text.isEmpty else { return nil }
        guard let choice = parse(text) else { throw Abort(.badRequest, reason: "\(name): '\(text.prefix(30))' is not one of the choices") }
        return choice
    }

    /// The select's options, the chosen one selected.
    static func choices<Choice: Equatable>(_ all: [Choice], selected: Choice?, value: (Choice) -> String,
                                           label: (Choice) throws -> String) rethrows -> [FormChoice] {
        try all.map { FormChoice(value: value($0), label: try label($0), selected: $0 == selected) }
    }
}
