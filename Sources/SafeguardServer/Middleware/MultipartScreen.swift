import Vapor

/// Multipart form bodies, screened before anything decodes one. MultipartKit's parser looks every
/// byte of a part's header name up in a table of 128 entries: a byte of 128 or more stops the
/// process (a crash any visitor could cause). So only the route that takes files accepts
/// `multipart/form-data` (the draft policies tried at `/policies/drafts`; elsewhere 415), and
/// there a body whose part headers hold anything but ASCII is refused (400): the file names it
/// takes are ASCII.
struct MultipartScreen: AsyncMiddleware {
    static let fileRoutes: [[Substring]] = [["policies", "drafts"]]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard let type = request.headers.contentType, type.type == "multipart" else { return try await next.respond(to: request) }
        guard request.method == .POST, Self.fileRoutes.contains(request.url.path.split(separator: "/")) else {
            throw Abort(.unsupportedMediaType, reason: "this address takes no files: send the form as its page sends it")
        }
        let body = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
        guard let boundary = type.parameters["boundary"], !boundary.isEmpty, Self.partHeadersAreASCII(body.map { Array($0.readableBytesView) } ?? [], boundary: boundary) else {
            throw Abort(.badRequest, reason: "the form's parts are not as a browser sends them")
        }
        return try await next.respond(to: request)
    }

    /// Whether every part's headers, from its boundary line to the blank line that ends them (or
    /// the end of the body), are ASCII.
    static func partHeadersAreASCII(_ body: [UInt8], boundary: String) -> Bool {
        let delimiter = Array("--\(boundary)".utf8)
        var index = 0
        while let found = firstIndex(of: delimiter, in: body, from: index) {
            var position = found + delimiter.count
            while position < body.count {
                if body[position] >= 0x80 { return false }
                if position + 3 < body.count, body[position...position + 3].elementsEqual([0x0D, 0x0A, 0x0D, 0x0A]) { break }
                position += 1
            }
            index = position
        }
        return true
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], haystack[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }
}
