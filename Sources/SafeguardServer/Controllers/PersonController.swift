import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// People and their benefit filings.
struct PersonController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        // A person is kept by an office (`PersonReach`): another office finds them by A-number only.
        let people = routes.access(.roles(Entitlements.caseReadingRoles, "case records", reach: .ownOffice)).grouped("people")
        // Writing people and filings is the case-record roles' alone.
        let writing = routes.access(.roles(Entitlements.caseRecordRoles, "writing people and filings", reach: .ownOffice)).grouped("people")
        // Filings are § 1367 data whole: only the roles that may be entitled to them read them.
        let filings = routes.access(.roles(Disclosure.entitledRoles, "benefit filings", reach: .ownOffice)).grouped("people")
        writing.post(use: create)
        people.get(use: list)
        people.get(":personID", use: show)
        writing.patch(":personID", use: update)
        writing.post(":personID", "filings", use: addFiling)
        filings.get(":personID", "filings", use: self.filings)
    }

    func create(request: Request) async throws -> Response {
        let person = Person()
        try person.take(body: try request.strictJSONBody(), creating: true, today: request.application.safeguard.workflow.calendar.today)
        _ = try await request.application.safeguard.people.add(person, by: request.actor, purpose: request.purpose, on: request.db)
        let response = try Response.json(PersonView(person), status: .created, version: person.version)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/people/\(try person.requireID())")
        return response
    }

    /// The people the user's office keeps; with `aNumber`, the one person with it, of any office.
    func list(request: Request) async throws -> PageBody<PersonView> {
        let paging = try Paging(request)
        let (people, total) = try await request.application.safeguard.people.list(
            aNumber: request.query[String.self, at: "aNumber"], offset: paging.offset, limit: paging.per, to: request.reader, on: request.db)
        return PageBody(items: try people.map(PersonView.init), page: paging.page, per: paging.per, total: total)
    }

    func show(request: Request) async throws -> Response {
        let person = try await request.application.safeguard.people.person(request.uuidParameter("personID"), to: request.reader, on: request.db)
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
        return try Response.json(FilingView(filing, shown: try request.reader.disclosure.entitled), status: .created, version: filing.version)
    }

    /// The person's filings; withheld whole, for every person alike, from a user not entitled to them.
    func filings(request: Request) async throws -> [FilingView] {
        guard let filings = try await request.application.safeguard.people.filings(of: request.uuidParameter("personID"), to: request.reader, on: request.db) else {
            throw ProblemError(problem: ProblemDetails(
                status: .forbidden, slug: "withheld",
                detail: "filings are \(Disclosure.marker): shown only to a role entitled to them, with its purpose stated (\(Request.purposeHeader))"))
        }
        return try filings.map { try FilingView($0, shown: true) }
    }
}
