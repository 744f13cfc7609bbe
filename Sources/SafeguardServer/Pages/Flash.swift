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
    /// form's words (`labels`, by the core's field path) and what was typed.
    static func refusedForm(_ request: Request, to path: String, errors: [FieldError], labels: [String: String], typed: [String: String]) throws -> Response {
        let problems = errors.map { FieldProblem(field: $0.path, text: "\(labels[$0.path] ?? $0.path): \($0.message)") }
        return try refusedForm(request, to: path, problems: problems, typed: typed)
    }

    /// Sends the browser back to a form refused for `problems`, with what was typed.
    static func refusedForm(_ request: Request, to path: String, problems: [FieldProblem], typed: [String: String],
                            text: String = "The form was not accepted.") throws -> Response {
        try redirect(request, to: path, Flash(kind: .problem, text: text, problems: problems, typed: typed))
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
