import Vapor

/// Refuses any request to a route registered without an access rule: a route nobody declared
/// access for is closed, not open (the access sweep tests fail on it first).
struct AccessControl: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if let route = request.route, route.accessRule == nil {
            request.logger.error("refused \(route.method) /\(route.path.string): the route declares no access rule")
            throw Abort(.forbidden, reason: "this route is closed: it declares no access rule")
        }
        return try await next.respond(to: request)
    }

    /// The routes registered without an access rule.
    static func undeclared(in routes: Routes) -> [Route] {
        routes.all.filter { $0.accessRule == nil }
    }
}
