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

    /// Posts a form with files (`multipart/form-data`), as a browser sends a file input.
    mutating func post(_ path: String, fields form: [(String, String)], files: [(field: String, name: String, bytes: [UInt8])]) async throws -> Reply {
        let boundary = "----safeguard-test-\(UUID().uuidString)"
        var body: [UInt8] = []
        func part(_ disposition: String, _ contents: [UInt8], type: String? = nil) {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; \(disposition)\r\n".utf8)
            if let type { body += Array("Content-Type: \(type)\r\n".utf8) }
            body += Array("\r\n".utf8) + contents + Array("\r\n".utf8)
        }
        for (name, value) in form + (csrf.map { [("csrf", $0)] } ?? []) { part("name=\"\(name)\"", Array(value.utf8)) }
        for file in files { part("name=\"\(file.field)\"; filename=\"\(file.name)\"", file.bytes, type: "application/yaml") }
        body += Array("--\(boundary)--\r\n".utf8)
        let reply = try await service.send(.POST, path, bytes: body, headers: cookie.map { [("Cookie", $0)] } ?? [],
                                           contentType: "multipart/form-data; boundary=\(boundary)")
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
