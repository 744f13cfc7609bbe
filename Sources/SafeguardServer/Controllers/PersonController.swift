import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// People and their benefit filings.
struct PersonController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let people = routes.access(.roles(Entitlements.caseReadingRoles, "case records", reach: .everyOffice)).grouped("people")
        // Writing people and filings is the case-record roles' alone.
        let writing = routes.access(.roles(Entitlements.caseRecordRoles, "writing people and filings", reach: .everyOffice)).grouped("people")
        writing.post(use: create)
        people.get(use: list)
        people.get(":personID", use: show)
        writing.patch(":personID", use: update)
        writing.post(":personID", "filings", use: addFiling)
        people.get(":personID", "filings", use: filings)
    }

    func create(request: Request) async throws -> Response {
        let person = Person()
        try person.take(body: try request.strictJSONBody(), creating: true, today: request.application.safeguard.workflow.calendar.today)
        _ = try await request.application.safeguard.people.add(person, by: request.actor, purpose: request.purpose, on: request.db)
        let response = try Response.json(PersonView(person), status: .created, version: person.version)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/people/\(try person.requireID())")
        return response
    }

    func list(request: Request) async throws -> PageBody<PersonView> {
        _ = try request.actor
        let paging = try Paging(request)
        var query = Person.query(on: request.db)
        if let aNumber = request.query[String.self, at: "aNumber"] { query = query.filter(\.$aNumber == aNumber) }
        let total = try await query.count()
        let people = try await query.sort(\.$familyName).sort(\.$id).range(paging.offset..<paging.offset + paging.per).all()
        return PageBody(items: try people.map(PersonView.init), page: paging.page, per: paging.per, total: total)
    }

    func find(_ request: Request) async throws -> Person {
        try await request.application.safeguard.people.person(request.uuidParameter("personID"), on: request.db)
    }

    func show(request: Request) async throws -> Response {
        _ = try request.actor
        let person = try await find(request)
        return try Response.json(PersonView(person), version: person.version)
    }

    /// Changes a person, only when `If-Match` names the version the caller read.
    func update(request: Request) async throws -> Response {
        let expected = try request.requiredIfMatchVersion()
        let (body, today) = (try request.strictJSONBody(), request.application.safeguard.workflow.calendar.today)
        let person = try await request.application.safeguard.people.change(request.uuidParameter("personID"), expectedVersion: expected, by: request.actor,
                                                                           purpose: request.purpose, on: request.db) { person in
            try person.take(body: body, creating: false, today: today)
        }
        return try Response.json(PersonView(person), version: person.version)
    }

    /// A claimed filing: it stays unverified until a benefit verification confirms it.
    func addFiling(request: Request) async throws -> Response {
        let filing = try BenefitFilingRecord(body: try request.strictJSONBody(), personID: try request.uuidParameter("personID"))
        _ = try await request.application.safeguard.people.addFiling(filing, by: request.actor, purpose: request.purpose, on: request.db)
        let shown = try await request.showsProtectedData(of: filing.$person.id)
        return try Response.json(FilingView(filing, shown: shown), status: .created, version: filing.version)
    }

    func filings(request: Request) async throws -> [FilingView] {
        let (filings, shown) = try await request.application.safeguard.people.filings(of: request.uuidParameter("personID"), to: request.reader, on: request.db)
        return try filings.map { try FilingView($0, shown: shown) }
    }
}
