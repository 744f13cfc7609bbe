import Vapor

/// Answers a method a path does not take with 405 and the `Allow` header (RFC 9110 §15.5.6),
/// instead of the 404 of a path that does not exist.
struct MethodNotAllowed: AsyncMiddleware {
    /// The methods of every routed path below the root. Written once at configuration, only read
    /// afterwards.
    private nonisolated(unsafe) let methods: TrieRouter<Set<String>>
    /// The root's methods: the router takes no empty path.
    private let rootMethods: Set<String>

    init(routes: Routes) {
        var byPath: [String: (path: [PathComponent], methods: Set<String>)] = [:]
        for route in routes.all {
            byPath[route.path.string, default: (route.path, [])].methods.insert(route.method.rawValue)
        }
        rootMethods = byPath[""]?.methods ?? []
        let router = TrieRouter(Set<String>.self)
        for (path, methods) in byPath.values where !path.isEmpty { router.register(methods, at: path) }
        self.methods = router
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.route == nil else { return try await next.respond(to: request) }
        var parameters = Parameters()
        let path = request.url.path.split(separator: "/").map { String($0).removingPercentEncoding ?? String($0) }
        let allowed = path.isEmpty ? rootMethods : methods.route(path: path, parameters: &parameters) ?? []
        guard !allowed.isEmpty else { return try await next.respond(to: request) }
        let allow = allowed.sorted().joined(separator: ", ")
        var headers = HTTPHeaders()
        headers.add(name: .allow, value: allow)
        throw Abort(.methodNotAllowed, headers: headers, reason: "\(request.method.rawValue) is not a method of this path; it takes \(allow)")
    }
}
