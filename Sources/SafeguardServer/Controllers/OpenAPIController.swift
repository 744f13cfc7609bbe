import Foundation
import Vapor

/// `GET /openapi.json`: the API's OpenAPI 3.1 document, kept in the repository beside the routes;
/// a test holds the two together.
struct OpenAPIController: RouteCollection {
    let document: Data

    init() throws {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json") else {
            throw Abort(.internalServerError, reason: "the OpenAPI document is missing from the build")
        }
        document = try Data(contentsOf: url)
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.access(.anyone).get("openapi.json", use: serve)
    }

    func serve(request: Request) -> Response {
        let response = Response(status: .ok, body: .init(data: document))
        response.headers.contentType = .json
        return response
    }
}
