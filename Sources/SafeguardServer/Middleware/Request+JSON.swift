import PolicyEngine
import Vapor

extension Request {
    /// The body as strict JSON: 415 unless it is declared JSON, 400 when it is not JSON at all.
    func strictJSONBody() throws -> JSONValue {
        guard headers.contentType == .json else {
            throw Abort(.unsupportedMediaType, reason: "send the body as application/json")
        }
        guard let buffer = body.data else { throw ProblemError.badRequest("the request has no body") }
        do {
            return try JSONParser.parse(buffer.readableBytesView)
        } catch {
            throw ProblemError.badRequest("the body is not JSON: \(error)")
        }
    }

    /// Refuses a body on a route that takes none: whoever sent one meant a request this is not.
    func requireNoBody() throws {
        if let buffer = body.data, buffer.readableBytes > 0 { throw ProblemError.badRequest("this request takes no body") }
    }

    /// The `If-Match` version, if the request sent one; a malformed one is a 400.
    func ifMatchVersion() throws -> Int? {
        guard let value = headers.first(name: .ifMatch) else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "W/", with: "")
            .trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        guard let version = Int(trimmed) else { throw ProblemError.badRequest("If-Match: '\(value)' is not an ETag of this API") }
        return version
    }

    /// The `If-Match` version of an update, which must send one: 428 when it does not.
    func requiredIfMatchVersion() throws -> Int {
        guard let version = try ifMatchVersion() else { throw Abort(.preconditionRequired, reason: "send If-Match with the ETag you read") }
        return version
    }

    /// A UUID path parameter; anything else is not a record of ours.
    func uuidParameter(_ name: String) throws -> UUID {
        guard let text = parameters.get(name), let id = UUID(uuidString: text) else {
            throw Abort(.notFound, reason: "no record '\(parameters.get(name) ?? "")'")
        }
        return id
    }
}

extension Response {
    /// A JSON response with the record's version as its ETag.
    static func json(_ value: some Encodable, status: HTTPResponseStatus = .ok, version: Int? = nil) throws -> Response {
        let response = Response(status: status)
        try response.content.encode(value, as: .json)
        if let version { response.headers.replaceOrAdd(name: .eTag, value: "\"\(version)\"") }
        return response
    }
}
