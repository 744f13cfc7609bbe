import Foundation
@testable import SafeguardServer
import Testing
import Vapor

/// The OpenAPI document and the routes agree, both ways.
@Suite struct OpenAPITests {
    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        try await TestService.with(seedUsers: false) { service in
            let reply = try await service.send(.GET, "/openapi.json")
            #expect(reply.status == .ok)
            #expect(reply.json["openapi"] as? String == "3.1.0")
            let paths = try #require(reply.json["paths"] as? [String: [String: Any]])
            let methods = ["get", "post", "put", "patch", "delete"]
            let documented = Set(paths.flatMap { path, operations in
                operations.keys.filter(methods.contains).map { "\($0.uppercased()) \(path)" }
            })
            let served = Set(service.app.routes.all.map { route in
                let path = "/" + route.path.map { component -> String in
                    switch component {
                    case .constant(let text): text
                    case .parameter(let name): "{\(name)}"
                    case .anything: "*"
                    case .catchall: "**"
                    }
                }.joined(separator: "/")
                return "\(route.method.rawValue) \(path)"
            })
            #expect(served.subtracting(documented).sorted() == [], "routes missing from the document")
            #expect(documented.subtracting(served).sorted() == [], "documented routes that do not exist")
            #expect(served.count >= 16)
        }
    }
}
