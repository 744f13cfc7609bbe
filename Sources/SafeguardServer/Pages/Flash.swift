import PolicyEngine
import Vapor

/// What the last form did, carried across the redirect that follows every post (post, redirect,
/// get): a reload shows the page again, never resubmits the form. Kept in the session and
/// shown once. A refused form also carries what was typed, so that nothing is lost, and each
/// field's problem, so that the error summary links to the field.
struct Flash: Codable {
    enum Kind: String, Codable {
        /// A write that was recorded: a green banner.
        case success
        /// A form that was refused, and why: a red summary.
        case problem
    }

    /// A field's problem, for the error summary and beside the field.
    struct FieldProblem: Codable {
        /// The field's id on the form.
        var field: String
        var text: String
    }

    var kind: Kind
    var text: String
    /// The page it is for: another page (a second tab) leaves it there.
    var path = ""
    var problems: [FieldProblem] = []
    /// What was typed, by field name.
    var typed: [String: String] = [:]

    private static let key = "flash"

    /// Sends the browser to `path`, with `text` to be shown there.
    static func redirect(_ request: Request, to path: String, _ kind: Kind, _ text: String) throws -> Response {
        try redirect(request, to: path, Flash(kind: kind, text: text))
    }

    /// Sends the browser back to a form the core refused, with each field's problem in the
    /// form's words (`labels`, by the form's field) and, of what was typed, the fields `kept`
    /// (all when nil).
    static func refusedForm(_ request: Request, to path: String, errors: [FieldError], labels: [String: String], typed: [String: String],
                            kept: Set<String>? = nil, field: (String) -> String = { $0 }, text: String = "The form was not accepted.") throws -> Response {
        try refusedForm(request, to: path, problems: problems(errors, labels: labels, typed: typed, field: field),
                        typed: kept.map { kept in typed.filter { kept.contains($0.key) } } ?? typed, text: text)
    }

    /// Sends the browser back to a form refused for `problems`, with what was typed.
    static func refusedForm(_ request: Request, to path: String, problems: [FieldProblem], typed: [String: String],
                            text: String = "The form was not accepted.") throws -> Response {
        try redirect(request, to: path, Flash(kind: .problem, text: text, problems: problems, typed: typed))
    }

    /// The core's refusals in the form's words, each on its form field (`field` of the core's
    /// path). A value typed is never echoed: what is not kept must not reach the session by way
    /// of a message ("'+1555…' is not a phone number").
    static func problems(_ errors: [FieldError], labels: [String: String], typed: [String: String], field: (String) -> String = { $0 }) -> [FieldProblem] {
        errors.map { error in
            let message = typed.values.reduce(error.message) { $0.replacingOccurrences(of: "'\($1)'", with: "what was typed") }
            return FieldProblem(field: field(error.path), text: "\(labels[field(error.path)] ?? error.path): \(message)")
        }
    }

    private static func redirect(_ request: Request, to path: String, _ flash: Flash) throws -> Response {
        var flash = flash
        flash.path = String(path.prefix { $0 != "?" })
        request.session.data[key] = String(decoding: try JSONEncoder().encode(flash), as: UTF8.self)
        return request.redirect(to: path, redirectType: .normal)
    }

    /// The message left for this page, taken so that it is shown once.
    static func take(_ request: Request) throws -> Flash? {
        guard request.hasSession, let stored = request.session.data[key] else { return nil }
        let flash = try JSONDecoder().decode(Flash.self, from: Data(stored.utf8))
        guard flash.path == request.url.path else { return nil }
        request.session.data[key] = nil
        return flash
    }
}
