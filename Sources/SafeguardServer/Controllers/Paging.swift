import PolicyEngine
import Vapor

/// `?page=&per=` of a list route, checked: page from 1, per from 1 to 100.
struct Paging {
    var page: Int
    var per: Int

    init(_ request: Request) throws {
        var errors: [FieldError] = []
        func number(_ name: String, default value: Int, range: ClosedRange<Int>) -> Int {
            guard let text = request.query[String.self, at: name] else { return value }
            guard let number = Int(text), range.contains(number) else {
                errors.append(FieldError(path: name, message: "'\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)"))
                return value
            }
            return number
        }
        page = number("page", default: 1, range: 1...1_000_000)
        per = number("per", default: 25, range: 1...100)
        guard errors.isEmpty else { throw ProblemError.invalid(errors) }
    }

    var offset: Int { (page - 1) * per }
}

/// One page of a list.
struct PageBody<Item: Content>: Content {
    var items: [Item]
    var page: Int
    var per: Int
    var total: Int
}
