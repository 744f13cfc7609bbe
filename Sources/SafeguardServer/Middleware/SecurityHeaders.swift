import Vapor

/// Headers every response carries: a content security policy without inline script and with no
/// framing, no MIME sniffing, no referrer, HTTPS only (HSTS). Pages load nothing from elsewhere.
struct SecurityHeaders: AsyncMiddleware {
    static let headers: [(String, String)] = [
        ("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
        ("Cache-Control", "no-store"),
        // Browsers that once reached the service over HTTPS never fall back to plain HTTP.
        ("Strict-Transport-Security", "max-age=31536000; includeSubDomains"),
    ]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        for (name, value) in Self.headers { response.headers.replaceOrAdd(name: name, value: value) }
        return response
    }
}
