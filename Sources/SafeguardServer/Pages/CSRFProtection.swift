import Crypto
import Foundation
import Vapor

/// Cross-site request forgery protection for pages: each session holds a random token, every form
/// carries it in a hidden `csrf` field, and a form posted without the session's token is refused
/// with 403 before anything else happens.
struct CSRFProtection: AsyncMiddleware {
    static let field = "csrf"
    static let sessionKey = "csrf"

    /// The session's token, made on first use.
    static func token(for request: Request) -> String {
        if let token = request.session.data[sessionKey] { return token }
        let token = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        request.session.data[sessionKey] = token
        return token
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .POST else { return try await next.respond(to: request) }
        guard request.hasSession, request.session.data[Self.sessionKey] != nil else {
            throw Abort(.forbidden, reason: "the form has no valid CSRF token; reload the page and send it again")
        }
        // The route collects its body after this middleware: a form larger than the first chunk
        // that arrived (a file, a long text) is collected here, within the same limit, once a
        // session that could hold a token is known.
        if request.body.data == nil {
            _ = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
        }
        struct Form: Decodable { var csrf: String? }
        let sent = (try? request.content.decode(Form.self))?.csrf
        guard request.hasSession, let expected = request.session.data[Self.sessionKey], let sent, Self.constantTimeEqual(sent, expected) else {
            throw Abort(.forbidden, reason: "the form has no valid CSRF token; reload the page and send it again")
        }
        return try await next.respond(to: request)
    }

    /// Equal texts, compared in time that does not depend on where they differ.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && zip(a.utf8, b.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
