import PolicyEngine
import SafeguardCore
import Vapor

/// Finding and adding people and their filings from pages: the exact A-number search first (this
/// office's people or, identity only, another's), then the form that adds a person not on
/// record; a person's page with what is on file and the form that adds a claimed filing. Every
/// rule is the core's (`PersonBook`): the page parses the form, calls it and shows what it says.
struct PersonPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(CSRFProtection(), PageAuthenticator())
        let reading = pages.access(.roles(Entitlements.caseReadingRoles, "case records", reach: .ownOffice)).grouped("people")
        let writing = pages.access(.roles(Entitlements.caseRecordRoles, "writing people and filings", reach: .ownOffice)).grouped("people")
        reading.get("find", use: find)
        reading.get(":personID", use: show)
        writing.post(use: add)
        writing.post(":personID", "filings", use: addFiling)
    }

    static let personLabels = ["aNumber": "A-number", "givenName": "Given name", "familyName": "Family name",
                               "dateOfBirth": "Date of birth", "country": "Country"]
    static let filingLabels = ["type": "Kind of filing", "role": "Principal or derivative", "status": "Status",
                               "receiptNumber": "Receipt number", "filedOn": "Filed on"]

    struct FindPage: Encodable {
        var frame: PageController.Frame
        var flash: Flash?
        var aNumber: String
        var searched: Bool
        var found: PersonSummary?
        var mayAdd: Bool
        var typed: [String: String]
    }

    struct PersonSummary: Encodable {
        var id: String
        var name: String
        var aNumber: String
        var dateOfBirth: String
        var country: String
        var office: String
        var keptHere: Bool
    }

    /// `/people/find?aNumber=…`: the search (recorded by the core), then the person found or the form to add one.
    func find(request: Request) async throws -> View {
        let actor = try request.actor
        let flash = try Flash.take(request)
        let aNumber = (request.query[String.self, at: "aNumber"] ?? flash?.typed["aNumber"] ?? "").trimmingCharacters(in: .whitespaces)
        var page = FindPage(frame: .init("Find or add a person", request: request), flash: flash, aNumber: aNumber, searched: false,
                            mayAdd: Entitlements.caseRecordRoles.contains(actor.role), typed: flash?.typed ?? [:])
        if !aNumber.isEmpty, flash?.kind != .problem {
            do {
                let person = try await request.application.safeguard.people.list(aNumber: aNumber, offset: 0, limit: 1, to: request.reader, on: request.db).people.first
                page.searched = true
                page.found = try person.map { try Self.summary($0, for: actor) }
            } catch WorkflowError.invalid(let errors) {
                page.flash = Flash(kind: .problem, text: "The A-number could not be searched.",
                                   problems: errors.map { .init(field: "search-aNumber", text: "A-number: \($0.message)") })
            }
        }
        return try await request.view.render("person-find", page)
    }

    static func summary(_ person: Person, for actor: Actor) throws -> PersonSummary {
        PersonSummary(id: try person.requireID().uuidString, name: "\(person.givenName) \(person.familyName)", aNumber: person.aNumber,
                      dateOfBirth: person.dateOfBirth, country: PageWords.country(person.country), office: person.office.isEmpty ? "no office" : person.office,
                      keptHere: actor.reaches(office: person.office))
    }

    /// The form that adds a person: the core takes the fields as it takes the API's body.
    func add(request: Request) async throws -> Response {
        let typed = try Self.fields(request, Array(Self.personLabels.keys))
        let person = Person()
        do {
            try person.take(body: Self.body(typed), creating: true, today: request.application.safeguard.workflow.calendar.today)
            _ = try await request.application.safeguard.people.add(person, by: request.actor, purpose: request.purpose, on: request.db)
        } catch WorkflowError.invalid(let errors) {
            return try Flash.refusedForm(request, to: "/people/find", errors: errors, labels: Self.personLabels, typed: typed)
        } catch WorkflowError.conflict(let reason) {
            let query = (typed["aNumber"] ?? "").addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return try Flash.redirect(request, to: "/people/find?aNumber=\(query)", .problem, reason.sentenceCased + ".")
        }
        return try Flash.redirect(request, to: "/people/\(try person.requireID())", .success, "Added \(person.givenName) \(person.familyName).")
    }

    struct PersonPage: Encodable {
        var frame: PageController.Frame
        var flash: Flash?
        var person: PersonSummary
        var filings: [DecisionPage.FilingLine]?
        var withheld: String?
        var mayAddFiling: Bool
        var types: [FormChoice]
        var roles: [FormChoice]
        var statuses: [FormChoice]
        var typed: [String: String]
    }

    /// A person's page: who they are, their filings to a reader entitled to them (each read
    /// recorded by the core), and the form that adds a claimed filing.
    func show(request: Request) async throws -> View {
        let actor = try request.actor
        let id = try request.uuidParameter("personID")
        let people = request.application.safeguard.people
        let person = try await people.person(id, to: request.reader, on: request.db)
        var filings: [BenefitFilingRecord]?
        if Disclosure.entitledRoles.contains(actor.role) {
            do {
                filings = try await people.filings(of: id, to: request.reader, on: request.db)
            } catch WorkflowError.forbidden {
                filings = nil  // another office's person, without an open encounter of this office
            }
        }
        let flash = try Flash.take(request)
        let typed = flash?.typed ?? [:]
        func choices<Vocabulary: ContractEnum>(_ type: Vocabulary.Type, _ field: String) -> [FormChoice] {
            Vocabulary.allCases.map { FormChoice(value: $0.spelling, label: $0.label.sentenceCased, selected: typed[field] == $0.spelling) }
        }
        let page = PersonPage(
            frame: .init("\(person.givenName) \(person.familyName)", request: request), flash: flash, person: try Self.summary(person, for: actor),
            filings: filings.map { $0.map(EncounterPageController.line(of:)) }, withheld: filings == nil ? Disclosure.marker : nil,
            mayAddFiling: Entitlements.caseRecordRoles.contains(actor.role), types: choices(BenefitType.self, "type"),
            roles: choices(BenefitRole.self, "role"), statuses: choices(BenefitStatus.self, "status"), typed: typed
        )
        return try await request.view.render("person", page)
    }

    /// The form that adds a claimed filing; it counts once a verification confirms it.
    func addFiling(request: Request) async throws -> Response {
        let id = try request.uuidParameter("personID")
        let typed = try Self.fields(request, Array(Self.filingLabels.keys))
        let page = "/people/\(id)"
        do {
            let filing = try BenefitFilingRecord(body: Self.body(typed), personID: id)
            _ = try await request.application.safeguard.people.addFiling(filing, by: request.actor, purpose: request.purpose, on: request.db)
            let kind = BenefitType(spelling: filing.type)?.label ?? filing.type
            return try Flash.redirect(request, to: page, .success, "Added the \(kind) filing as claimed: it counts once a verification confirms it.")
        } catch WorkflowError.invalid(let errors) {
            // A receipt number is § 1367 data: not kept in the session; it is typed again.
            return try Flash.refusedForm(request, to: page, errors: errors, labels: Self.filingLabels, typed: typed,
                                         kept: Set(Self.filingLabels.keys).subtracting(["receiptNumber"]))
        }
    }

    /// The form's fields, by name, as typed (empty ones left out).
    static func fields(_ request: Request, _ names: [String]) throws -> [String: String] {
        var typed: [String: String] = [:]
        for name in names {
            if let value = request.content[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { typed[name] = value }
        }
        return typed
    }

    /// The fields as the JSON body the core takes.
    static func body(_ fields: [String: String]) -> JSONValue {
        .object(fields.sorted { $0.key < $1.key }.map { JSONMember(key: $0.key, value: .string($0.value)) })
    }
}
