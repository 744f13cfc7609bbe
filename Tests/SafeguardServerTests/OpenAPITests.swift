import Foundation
import PolicyEngine
@testable import SafeguardServer
import Testing
import Vapor

/// The OpenAPI document and the routes agree, both ways.
@Suite struct OpenAPITests {
    @Test func everyRouteIsDocumentedAndEveryDocumentedRouteExists() async throws {
        try await TestService.with(seedUsers: false) { service in
            let reply = try await service.send(.GET, "/openapi.json")
            #expect(reply.status == .ok)
            let document = try reply.document
            #expect(document[path: "openapi"] == .string("3.1.0"))
            guard case .object(let paths)? = document[path: "paths"] else { Issue.record("no paths"); return }
            let methods = ["get", "post", "put", "patch", "delete"]
            let documented = Set(paths.flatMap { path -> [String] in
                guard case .object(let operations) = path.value else { return [] }
                return operations.map(\.key).filter(methods.contains).map { "\($0.uppercased()) \(path.key)" }
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
