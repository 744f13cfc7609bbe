import Foundation
import Vapor

/// A browser's view of the service: its session cookie, and the CSRF token of the last page.
struct PageBrowser {
    let service: TestService
    var cookie: String?
    var csrf: String?

    mutating func get(_ path: String) async throws -> Reply {
        let reply = try await service.send(.GET, path, headers: cookie.map { [("Cookie", $0)] } ?? [])
        keep(reply)
        if let range = reply.text.range(of: #"name="csrf" value="([^"]+)""#, options: .regularExpression) {
            csrf = String(reply.text[range].split(separator: "\"")[3])
        }
        return reply
    }

    mutating func post(_ path: String, form: [String: String], csrf sendToken: Bool = true) async throws -> Reply {
        try await post(path, fields: form.map { ($0.key, $0.value) }, csrf: sendToken)
    }

    /// Posts the fields in order; a name may repeat (`facts[]`).
    mutating func post(_ path: String, fields form: [(String, String)], csrf sendToken: Bool = true) async throws -> Reply {
        var fields = form
        if sendToken, let csrf { fields.append(("csrf", csrf)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        let reply = try await service.send(.POST, path, json: body, headers: cookie.map { [("Cookie", $0)] } ?? [],
                                           contentType: "application/x-www-form-urlencoded")
        keep(reply)
        return reply
    }

    private static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
    }

    private mutating func keep(_ reply: Reply) {
        if let set = reply.headers.first(name: "Set-Cookie") { cookie = String(set.split(separator: ";")[0]) }
    }

    mutating func signIn(_ username: String, purpose: String = "") async throws -> Reply {
        _ = try await get("/login")
        return try await post("/login", form: ["username": username, "password": "correct horse battery", "purpose": purpose])
    }
}
