import Vapor

/// What the last form did, carried across the redirect that follows every post (post, redirect,
/// get): a reload shows the page again, never resubmits the form. Kept in the session and
/// shown once.
struct Flash: Codable {
    enum Kind: String, Codable {
        /// A write that was recorded: a green banner.
        case success
        /// A form that was refused, and why: a red summary.
        case problem
    }

    var kind: Kind
    var text: String

    private static let key = "flash"

    /// Sends the browser to `path`, with `text` to be shown there.
    static func redirect(_ request: Request, to path: String, _ kind: Kind, _ text: String) throws -> Response {
        request.session.data[key] = String(decoding: try JSONEncoder().encode(Flash(kind: kind, text: text)), as: UTF8.self)
        return request.redirect(to: path, redirectType: .normal)
    }

    /// The message left for this page, taken so that it is shown once.
    static func take(_ request: Request) throws -> Flash? {
        guard request.hasSession, let stored = request.session.data[key] else { return nil }
        request.session.data[key] = nil
        return try JSONDecoder().decode(Flash.self, from: Data(stored.utf8))
    }
}
