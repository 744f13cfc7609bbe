import Foundation
import PolicyEngine
@testable import SafeguardServer
import Vapor

/// A reply as the test saw it on the wire, read back through the types the routes answer with.
struct Reply {
    var status: HTTPStatus
    var headers: HTTPHeaders
    var text: String

    /// The body as the type the route answers with (the core's views); a required member
    /// missing fails the test (members the type does not know are ignored: check the text).
    func decode<Body: Decodable>(_ type: Body.Type) throws -> Body {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(Body.self, from: Data(text.utf8))
    }

    /// The body as a problem (RFC 9457).
    var problem: ProblemDetails {
        get throws { try decode(ProblemDetails.self) }
    }

    /// The body as the contract's JSON, for routes whose reply the contract defines as a document
    /// rather than one of the core's views (decisions).
    var document: JSONValue {
        get throws { try decode(JSONValue.self) }
    }
}

extension JSONValue {
    /// The value at a dotted path of object members ("decision.disposition"), if there is one.
    subscript(path path: String) -> JSONValue? {
        var current: JSONValue? = self
        for key in path.split(separator: ".") {
            guard case .object(let members)? = current else { return nil }
            current = members.first { $0.key == key }?.value
        }
        return current
    }
}
