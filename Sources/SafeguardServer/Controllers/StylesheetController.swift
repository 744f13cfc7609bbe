import Vapor

/// `GET /styles.css`: the pages' one stylesheet, read from the bundle once at start. A route of
/// its own rather than a file middleware, which would look on disk for every request's path.
struct StylesheetController: RouteCollection {
    let stylesheet: ByteBuffer

    init() throws {
        let path = Bundle.module.resourcePath! + "/Public/styles.css"
        guard let data = FileManager.default.contents(atPath: path) else { throw Abort(.internalServerError, reason: "missing \(path)") }
        stylesheet = ByteBuffer(data: data)
    }

    func boot(routes: any RoutesBuilder) throws {
        routes.access(.anyone).get("styles.css") { _ in
            var headers = HTTPHeaders()
            headers.contentType = .init(type: "text", subType: "css", parameters: ["charset": "utf-8"])
            headers.replaceOrAdd(name: .cacheControl, value: "max-age=3600")
            return Response(status: .ok, headers: headers, body: .init(buffer: stylesheet))
        }
    }
}
