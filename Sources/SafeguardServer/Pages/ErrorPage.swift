import Vapor

/// A refused or failed page request as a page, never problem JSON: what happened in plain words
/// and a way on. The API, the service's own routes (`/session`, `/metrics`, `/health`,
/// `/openapi.json`) and the stylesheet keep their problem documents.
struct ErrorPage: Encodable {
    var frame: PageController.Frame
    var heading: String
    var text: String
    /// Where to go on: the home page, or the sign-in page for someone not signed in.
    var onward: Navigation.Link

    static let serviceRoutes: Set<String> = ["/session", "/metrics", "/health", "/openapi.json", "/styles.css"]

    /// Whether the request was for a page.
    static func isPage(_ request: Request) -> Bool {
        let path = request.url.path
        return !path.hasPrefix("/api/") && !serviceRoutes.contains(path)
    }

    /// The page of the problem; `onward` where the way on is not the home page.
    static func response(for problem: ProblemDetails, request: Request, onward: Navigation.Link? = nil) async throws -> Response {
        let status = HTTPResponseStatus(statusCode: problem.status)
        let signedIn = (try? request.actor) != nil
        let heading = switch status {
        case .notFound: "Page not found"
        case .forbidden: "You may not do this"
        case .methodNotAllowed: "That cannot be done from this address"
        case .tooManyRequests: "Too many attempts"
        case .unauthorized: "Sign in first"
        case .badGateway: "No answer to record"
        default: status.code >= 500 ? "Something went wrong" : "That could not be done"
        }
        let text = switch status {
        case .notFound: "There is no such page, or no record you may see at this address."
        case .methodNotAllowed: "This address does not take that kind of request: go back and use the page's own links and buttons."
        case .internalServerError: "Safeguard could not finish this, and nothing was changed. Try again; if it happens again, tell your administrator when it happened."
        default: problem.detail.sentenceCased + (problem.detail.hasSuffix(".") ? "" : ".")
        }
        let page = ErrorPage(frame: .init(heading, request: request), heading: heading, text: text,
                             onward: signedIn ? onward ?? .init(title: "Go to your home page", path: "/") : .init(title: "Sign in", path: "/login"))
        let response = try await request.view.render("error", page).encodeResponse(for: request)
        response.status = status
        return response
    }
}
