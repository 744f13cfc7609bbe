import Vapor

/// Multipart form bodies, screened before anything decodes one. MultipartKit's parser looks every
/// byte of a part's header name up in a table of 128 entries: a byte of 128 or more stops the
/// process (a crash any visitor could cause). So only the route that takes files accepts a
/// `multipart/form-data` POST (the draft policies tried at `/policies/drafts`; elsewhere 415;
/// other methods decode no form), and there a body with such a byte where the parser reads a
/// header name is refused (400). Header values (a field's name, a file's) may hold any text.
struct MultipartScreen: AsyncMiddleware {
    static let fileRoutes: [[Substring]] = [["policies", "drafts"]]

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard request.method == .POST, let type = request.headers.contentType, type.type == "multipart" else { return try await next.respond(to: request) }
        guard Self.fileRoutes.contains(request.url.path.split(separator: "/")) else {
            throw Abort(.unsupportedMediaType, reason: "this address takes no files: send the form as its page sends it")
        }
        let body = try await request.body.collect(max: request.application.routes.defaultMaxBodySize.value).get()
        guard let boundary = type.parameters["boundary"], !boundary.isEmpty,
              Self.headerNamesAreASCII(body.map { Array($0.readableBytesView) } ?? [], boundary: boundary) else {
            throw Abort(.badRequest, reason: "the form's parts are not as a browser sends them")
        }
        return try await next.respond(to: request)
    }

    /// Whether, in every part, the rest of the boundary's line and each header line up to its
    /// colon (the whole line without one) are ASCII, up to the blank line that ends the headers.
    static func headerNamesAreASCII(_ body: [UInt8], boundary: String) -> Bool {
        let delimiter = Array("--\(boundary)".utf8)
        var index = 0
        while let found = firstIndex(of: delimiter, in: body, from: index) {
            var position = found + delimiter.count
            var (lineStart, inName) = (position, true)
            while position < body.count {
                let byte = body[position]
                if byte == 0x0A, position > 0, body[position - 1] == 0x0D {
                    // A line ended: an empty one ends the headers (the boundary's own line never is).
                    if position - 1 == lineStart, lineStart != found + delimiter.count { break }
                    (lineStart, inName) = (position + 1, true)
                } else if byte == 0x3A, lineStart != found + delimiter.count {
                    inName = false
                } else if inName, byte >= 0x80 {
                    return false
                }
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
