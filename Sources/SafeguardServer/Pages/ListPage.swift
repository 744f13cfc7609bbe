import Vapor

/// One page of a list that can grow, and the links to the others: 25 items a page, the page
/// named by a query parameter (`?page=2`), so that two lists on one page page apart.
struct ListPage<Item> {
    struct Link: Encodable {
        var number: Int
        var href: String
        var current: Bool
    }

    var items: [Item]
    var total: Int
    var page: Int
    var first: Int
    var last: Int
    var previous: String?
    var next: String?
    var pages: [Link]

    static var perPage: Int { 25 }
    /// The highest page number asked for: far past any list, and far from overflowing an offset.
    static var highestPage: Int { 100_000 }

    /// The page number the request names in `pageParameter` (1 when it names none).
    /// - Throws: 400 when the parameter is not a page number.
    static func requestedPage(_ request: Request, pageParameter: String) throws -> Int {
        let text = request.query[String.self, at: pageParameter]
        guard let requested = text.map({ Int($0) }) ?? 1, (1...highestPage).contains(requested) else {
            throw Abort(.badRequest, reason: "\(pageParameter): '\(text?.prefix(20) ?? "")' is not a page number (1 to \(highestPage))")
        }
        return requested
    }

    /// The page the request names of a list the database pages: `read` returns the items at an
    /// offset and how many there are in all; a page past the end is the last (read again).
    static func read(_ request: Request, pageParameter: String,
                     _ read: (_ offset: Int, _ limit: Int) async throws -> (items: [Item], total: Int)) async throws -> ListPage {
        var page = try requestedPage(request, pageParameter: pageParameter)
        var (items, total) = try await read((page - 1) * perPage, perPage)
        let last = max(1, (total + perPage - 1) / perPage)
        if page > last {
            page = last
            (items, total) = try await read((page - 1) * perPage, perPage)
        }
        return ListPage(items: items, page: page, total: total, request: request, pageParameter: pageParameter)
    }

    /// The page of `all` that the request names in `pageParameter`; a page past the end is the last.
    init(_ all: [Item], request: Request, pageParameter: String) throws {
        let count = max(1, (all.count + Self.perPage - 1) / Self.perPage)
        let page = min(try Self.requestedPage(request, pageParameter: pageParameter), count)
        let start = (page - 1) * Self.perPage
        self.init(items: Array(all[min(start, all.count)..<min(start + Self.perPage, all.count)]), page: page, total: all.count,
                  request: request, pageParameter: pageParameter)
    }

    /// Page `page` of a list the database paged (`perPage` items, `total` in all).
    init(items: [Item], page: Int, total: Int, request: Request, pageParameter: String) {
        let count = max(1, (total + Self.perPage - 1) / Self.perPage)
        (self.items, self.page, self.total) = (items, page, total)
        let start = (page - 1) * Self.perPage
        (first, last) = (items.isEmpty ? 0 : start + 1, start + items.count)
        func href(_ number: Int) -> String {
            var components = URLComponents()
            var query = request.url.query.map { URLComponents(string: "?" + $0)?.queryItems ?? [] } ?? []
            query.removeAll { $0.name == pageParameter }
            query.append(URLQueryItem(name: pageParameter, value: String(number)))
            components.queryItems = query
            return request.url.path + (components.string ?? "")
        }
        previous = page > 1 ? href(page - 1) : nil
        next = page < count ? href(page + 1) : nil
        pages = count > 1 ? Self.shown(count: count, around: page).map { Link(number: $0, href: href($0), current: $0 == page) } : []
    }

    /// The page numbers a pagination bar shows: the first, the last and two either side of the
    /// current page, so that a long list does not make a bar wider than a phone.
    static func shown(count: Int, around page: Int) -> [Int] {
        Array(Set([1, count] + Array(max(1, page - 2)...min(count, page + 2)))).sorted()
    }

    private init<Other>(items: [Item], from other: ListPage<Other>) {
        self.items = items
        (total, page, first, last, previous, next) = (other.total, other.page, other.first, other.last, other.previous, other.next)
        pages = other.pages.map { Link(number: $0.number, href: $0.href, current: $0.current) }
    }

    /// The same page with its items turned into what a template shows.
    func map<Shown>(_ transform: (Item) -> Shown) -> ListPage<Shown> {
        ListPage<Shown>(items: items.map(transform), from: self)
    }
}

extension ListPage: Encodable where Item: Encodable {}

/// A list and its heading, as `pagination.leaf` reads them.
struct ListSection<Item: Encodable>: Encodable {
    var heading: String
    var list: ListPage<Item>
}
