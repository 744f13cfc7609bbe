import Fluent
import SQLKit
import Vapor

/// `GET /health`: the process answers and its database does.
struct HealthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.anyone).get("health", use: health)
    }

    struct Health: Content {
        var status: String
        var ruleSetDigest: String
    }

    func health(request: Request) async throws -> Health {
        try await (request.db as! any SQLDatabase).raw("SELECT 1").run()
        return Health(status: "ok", ruleSetDigest: request.application.safeguard.ruleSet.digest)
    }
}
