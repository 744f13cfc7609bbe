import Foundation
import SafeguardCore
import SafeguardPasswords
import SafeguardRuntime
@testable import SafeguardServer
import Testing
import Vapor

/// Malformed and hostile bodies at every route that takes one, found in the routing table: deep
/// nesting, huge numbers, invalid UTF-8, lone surrogates, NUL bytes and a 10 MB string each get a
/// 4xx problem, the server answers /health at once after each, and nothing is written. (How fast they are refused is measured by `scripts/load-test` and the
/// fuzzers, not held here against a wall clock.)
@Suite struct HostileBodyTests {
    static let bodies: [(name: String, bytes: [UInt8])] = [
        ("60,000 nested arrays", Array(String(repeating: "[", count: 60_000).utf8)),
        ("10,000 nested objects", Array(String(repeating: #"{"a":"#, count: 10_000).utf8)),
        ("a 60,000-digit number", Array(#"{"asOf": 1\#(String(repeating: "0", count: 60_000))}"#.utf8)),
        ("invalid UTF-8", Array(#"{"asOf": ""#.utf8) + [0xFF, 0xFE, 0xC3] + Array(#"", "action": "arrest"}"#.utf8)),
        ("a lone surrogate", Array(#"{"givenName": "\ud800", "status": "\udfff"}"#.utf8)),
        ("a NUL byte", Array(#"{"givenName": "a"#.utf8) + [0] + Array(#""}"#.utf8)),
        ("truncated JSON", Array(#"{"asOf": "2025-01-01", "subject": {"benefits": [{"type"#.utf8)),
        ("a 10 MB string", Array(#"{"narrative": ""#.utf8) + [UInt8](repeating: 0x78, count: 10 << 20) + Array(#""}"#.utf8)),
    ]

    @Test func everyRouteThatTakesABodyRefusesHostileOnesAndStaysResponsive() async throws {
        try await TestService.with { service in
            let records = try await AccessSweepTests.recordsOfOneOffice(service)
            let unchanged = try await AccessSweepTests.snapshot(service)
            let routes = service.app.routes.all.filter { [.POST, .PATCH, .PUT].contains($0.method) && $0.path.first?.description != "login" }
            #expect(routes.count >= 25, "\(routes.map(\.description))")
            for route in routes {
                let rule = try #require(route.accessRule)
                let path = try AccessSweepTests.path(of: route, records)
                let isPage = !["api", "session"].contains(route.path.first?.description ?? "")
                var cookie: [(String, String)] = []
                if isPage {
                    var browser = PageBrowser(service: service)
                    _ = try await browser.signIn(Self.caller(of: rule).map { "\($0.rawValue)-nyc" } ?? "officer-nyc")
                    cookie = browser.cookie.map { [("Cookie", $0)] } ?? []
                }
                for body in Self.bodies {
                    let reply = try await service.send(route.method, path, as: isPage ? nil : Self.caller(of: rule).map { "\($0.rawValue)@NYC" },
                                                       bytes: body.bytes, headers: TestService.lawEnforcement + cookie,
                                                       contentType: isPage ? "application/x-www-form-urlencoded" : "application/json")
                    #expect((400..<500).contains(reply.status.code), "\(route) with \(body.name): \(reply.status) \(reply.text.prefix(200))")
                    #expect(try await service.send(.GET, "/health").status == .ok)
                }
            }
            #expect(try await AccessSweepTests.snapshot(service) == unchanged, "a hostile body changed records")
        }
    }

    /// A role the rule lets in, for the route to read the body at all; nil where anyone may call.
    static func caller(of rule: AccessRule) -> Role? {
        guard let roles = rule.roles else { return nil }
        return [.officer, .hotlineSpecialist, .integration, .supervisor, .auditor].first(where: roles.contains)
    }

    /// MultipartKit's parser stops the process on a byte of 128 or more in a part's header name:
    /// such a body never reaches it, at the one route that takes files; every other route refuses
    /// multipart outright; a body as a browser sends it still passes.
    @Test func aMultipartBodyThatWouldStopTheParserIsRefusedWhereverItIsSent() async throws {
        try await TestService.with { service in
            var analyst = PageBrowser(service: service)
            _ = try await analyst.signIn("analyst-nyc")
            _ = try await analyst.get("/policies/drafts")
            let cookie = try #require(analyst.cookie)
            let boundary = "b0undary"
            let crashing = Array("--\(boundary)\r\n".utf8) + [0xC3, 0x96] + Array("--\(boundary)--\r\n".utf8)
            let refused = try await service.send(.POST, "/policies/drafts", bytes: crashing, headers: [("Cookie", cookie)],
                                                 contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(refused.status == .badRequest, "\(refused.text.prefix(300))")
            #expect(try await service.send(.GET, "/health").status == .ok, "the server still answers")
            let elsewhere = try await service.send(.POST, "/people", bytes: crashing, headers: [("Cookie", cookie)],
                                                   contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(elsewhere.status == .unsupportedMediaType)
            #expect(try await service.send(.GET, "/health").status == .ok)
            let browserLike = Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"ásOf\"\r\n\r\n2027-03-01 é\r\n--\(boundary)--\r\n".utf8)
            #expect(MultipartScreen.headerNamesAreASCII(browserLike, boundary: boundary), "a header's value and a part's content may hold anything")
            #expect(!MultipartScreen.headerNamesAreASCII(crashing, boundary: boundary))
            let inASecondHeader = Array("--\(boundary)\r\nContent-Type: text/plain\r\nX-Ö: 1\r\n\r\nx\r\n--\(boundary)--\r\n".utf8)
            #expect(!MultipartScreen.headerNamesAreASCII(inASecondHeader, boundary: boundary))
            let refusedAgain = try await service.send(.POST, "/policies/drafts", bytes: inASecondHeader, headers: [("Cookie", cookie)],
                                                      contentType: "multipart/form-data; boundary=\(boundary)")
            #expect(refusedAgain.status == .badRequest)
            #expect(try await service.send(.GET, "/health").status == .ok)
        }
    }
}
