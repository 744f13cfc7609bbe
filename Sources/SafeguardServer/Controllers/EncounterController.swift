import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// Encounters, their decisions, steps and the enforcement action behind the gate.
struct EncounterController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let encounters = routes.access(.roles(Entitlements.caseReadingRoles, "case records", reach: .ownOffice)).grouped("encounters")
        encounters.post(use: open)
        encounters.get(use: list)
        encounters.get(":encounterID", use: show)
        encounters.patch(":encounterID", use: update)
        encounters.post(":encounterID", "decisions", use: decide)
        encounters.post(":encounterID", "steps", use: recordStep)
        encounters.get(":encounterID", "steps", use: steps)
        encounters.post(":encounterID", "enforcement-action", use: recordEnforcementAction)
    }

    struct EncounterBody: Content {
        var id: UUID
        var personId: UUID
        var office: String
        var action: String
        var asOf: String
        var status: String
        var version: Int
        /// The case the engine decides, derived from the records.
        var facts: JSONValueBody
        var decision: DecisionBody?
    }

    struct DecisionBody: Content {
        var id: UUID
        var disposition: String
        var ruleSetDigest: String
        var computedAt: Date?
        /// The engine's decision; for a protected person and a user not entitled, with what reveals
        /// the person's protected data withheld (`Disclosure.decision`).
        var decision: JSONValueBody

        init(_ record: DecisionRecord, shown: Bool, ruleSet: RuleSet) throws {
            id = try record.requireID()
            disposition = record.disposition
            ruleSetDigest = record.ruleSetDigest
            computedAt = record.computedAt
            decision = JSONValueBody(value: Disclosure.decision(try JSONParser.parse(record.decision), shown: shown, ruleSet: ruleSet))
        }
    }

    /// The yes-or-no facts officers state, by their contract names.
    static let flagFields = EncounterFact.allCases.map(\.field)

    /// Opens an encounter in the actor's office and decides it at once.
    func open(request: Request) async throws -> Response {
        // The role first: a body is no business of someone who may not open encounters.
        try Entitlements.requireEnforcementRole(request.actor, for: "open encounters")
        let body = try request.strictJSONBody()
        var errors: [FieldError] = []
        guard let reader = JSONObjectReader(body, path: "", known: ["personId", "action", "asOf", "victimIndicia", "information"] + Self.flagFields, errors: &errors) else {
            throw ProblemError.invalid(errors)
        }
        let personText = reader.string("personId", required: true, maxLength: 36, errors: &errors)
        let personID = personText.flatMap(UUID.init(uuidString:))
        if personText != nil, personID == nil { errors.append(FieldError(path: "personId", message: "not a record id")) }
        let action: Action? = reader.enumeration("action", required: true, errors: &errors)
        let asOf = reader.date("asOf", required: true, errors: &errors)
        let indicia: EnumSet<VictimIndicium> = reader.enumerationSet("victimIndicia", errors: &errors)
        let facts = EncounterFact.allCases.filter { reader.bool($0.field, errors: &errors) ?? false }
        let information = reader.list("information", maxCount: CaseDecoder.maximumInformationItems, errors: &errors,
                                      element: CaseDecoder.informationItem) ?? []
        reader.rejectUnknownMembers(errors: &errors)
        guard errors.isEmpty, let personID, let action, let asOf else { throw ProblemError.invalid(errors) }
        let input = EncounterInput(personID: personID, action: action, asOf: asOf, facts: Set(facts), victimIndicia: indicia, information: information)
        let encounter = try await request.application.safeguard.workflow.openEncounter(input, by: request.actor, purpose: request.purpose, on: request.db)
        let shown = try await request.showsProtectedData(of: personID)
        let response = try await Response.json(encounterBody(for: encounter, shown: shown, request: request), status: .created, version: encounter.version)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/encounters/\(try encounter.requireID())")
        return response
    }

    /// The encounter as shown to this request: with its protected data withheld unless `shown`.
    func encounterBody(for encounter: Encounter, shown: Bool, request: Request) async throws -> EncounterBody {
        try await encounterBodies(for: [encounter], shown: { _ in shown }, request: request)[0]
    }

    /// The encounters as shown to this request, each with its person's protected data withheld
    /// unless `shown` says otherwise: their cases and decisions in one statement per table, not
    /// one per encounter.
    func encounterBodies(for encounters: [Encounter], shown: (_ person: UUID) -> Bool, request: Request) async throws -> [EncounterBody] {
        let workflow = request.application.safeguard.workflow
        let ids = try encounters.map { try $0.requireID() }
        let facts = try await CaseRecords.facts(of: ids, on: request.db)
        let decisions = try await workflow.currentDecisions(of: ids, on: request.db)
        return try encounters.map { encounter in
            let id = try encounter.requireID(), shown = shown(encounter.$person.id)
            guard let caseFacts = facts[id] else { throw WorkflowError.notFound("encounter \(id)") }
            return EncounterBody(
                id: id, personId: encounter.$person.id, office: encounter.office, action: encounter.action, asOf: encounter.asOf,
                status: encounter.status, version: encounter.version,
                facts: JSONValueBody(value: Disclosure.facts(caseFacts.json, shown: shown)),
                decision: try decisions[id].map { try DecisionBody($0, shown: shown, ruleSet: workflow.ruleSet) }
            )
        }
    }

    func list(request: Request) async throws -> PageBody<EncounterBody> {
        let actor = try request.actor
        let paging = try Paging(request)
        var query = Encounter.query(on: request.db)
        if !actor.role.spansOffices { query = query.filter(\.$office == actor.office) }
        if let status = request.query[String.self, at: "status"] {
            guard [Encounter.open, Encounter.actionRecorded].contains(status) else {
                throw ProblemError.invalid([FieldError(path: "status", message: "'\(status)' is not 'open' or 'action-recorded'")])
            }
            query = query.filter(\.$status == status)
        }
        let total = try await query.count()
        let encounters = try await query.sort(\.$createdAt, .descending).sort(\.$id).range(paging.offset..<paging.offset + paging.per).all()
        let disclosure = try await request.disclosure(ofPeople: encounters.map { $0.$person.id })
        try await request.auditReads(encounters.map { ("encounter/\(try $0.requireID())", disclosure.shows($0.$person.id)) })
        let items = try await encounterBodies(for: encounters, shown: disclosure.shows, request: request)
        return PageBody(items: items, page: paging.page, per: paging.per, total: total)
    }

    func show(request: Request) async throws -> Response {
        let encounter = try await request.application.safeguard.workflow.encounter(request.uuidParameter("encounterID"), for: request.actor, on: request.db)
        let shown = try await request.showsProtectedData(of: encounter.$person.id)
        try await request.auditRead("encounter/\(try encounter.requireID())", shown: shown)
        return try await Response.json(encounterBody(for: encounter, shown: shown, request: request), version: encounter.version)
    }

    /// Changes the facts an officer states (the flags and victim indicia), with `If-Match`, and
    /// decides the encounter again.
    func update(request: Request) async throws -> Response {
        let actor = try request.actor
        // The role first: a body is no business of someone who may not change encounters.
        try Entitlements.requireEnforcementRole(actor, for: "change encounters")
        let expected = try request.requiredIfMatchVersion()
        let body = try request.strictJSONBody()
        var errors: [FieldError] = []
        guard let reader = JSONObjectReader(body, path: "", known: ["victimIndicia"] + Self.flagFields, errors: &errors) else {
            throw ProblemError.invalid(errors)
        }
        var change = FactChange()
        for fact in EncounterFact.allCases { change.facts[fact] = reader.bool(fact.field, errors: &errors) }
        if reader.member("victimIndicia", errors: &errors) != nil { change.victimIndicia = reader.enumerationSet("victimIndicia", errors: &errors) }
        reader.rejectUnknownMembers(errors: &errors)
        guard errors.isEmpty else { throw ProblemError.invalid(errors) }
        let encounter = try await request.application.safeguard.workflow.changeFacts(change, of: request.uuidParameter("encounterID"), expectedVersion: expected,
                                                                                     by: actor, purpose: request.purpose, on: request.db)
        let shown = try await request.showsProtectedData(of: encounter.$person.id)
        return try await Response.json(encounterBody(for: encounter, shown: shown, request: request), version: encounter.version)
    }

    func decide(request: Request) async throws -> Response {
        try request.requireNoBody()
        let workflow = request.application.safeguard.workflow
        let record = try await workflow.decide(request.uuidParameter("encounterID"), by: request.actor, on: request.db)
        let personID = try await workflow.encounter(record.$encounter.id, for: request.actor, on: request.db).$person.id
        let shown = try await request.showsProtectedData(of: personID)
        return try Response.json(DecisionBody(record, shown: shown, ruleSet: workflow.ruleSet), status: .created)
    }

    struct StepBody: Content {
        var id: UUID
        var step: String
        var summary: String
        var counterpart: String
        var filingId: UUID?
        var confirmed: Bool?
        var recordedBy: UUID
        var recordedRole: String
        var recordedAt: Date?
        /// The evidence an adverse step rests on (labels of statements: protected).
        var basis: [String]?
        /// An exceptional-circumstances approval declined; `summary` says why.
        var declined: Bool

        /// A benefit verification of a protected person tells of a filing: unless `shown`, its
        /// summary, filing and result are withheld.
        init(_ record: StepRecord, shown: Bool) throws {
            id = try record.requireID()
            step = record.step
            let withheld = !shown && record.step == Step.benefitVerification.spelling
            summary = withheld ? Disclosure.marker : record.summary
            counterpart = record.counterpart
            filingId = withheld ? nil : record.$filing.id
            confirmed = withheld ? nil : record.confirmed
            recordedBy = record.recordedBy
            recordedRole = record.recordedRole
            declined = record.declined
            recordedAt = record.recordedAt
            basis = shown ? record.basis : record.basis.map { _ in [Disclosure.marker] }
        }
    }

    func recordStep(request: Request) async throws -> Response {
        let body = try request.strictJSONBody()
        var errors: [FieldError] = []
        guard let reader = JSONObjectReader(body, path: "", known: ["step", "summary", "counterpart", "filingId", "confirmed", "basis", "declined"], errors: &errors) else {
            throw ProblemError.invalid(errors)
        }
        let step: Step? = reader.enumeration("step", required: true, errors: &errors)
        let summary = reader.string("summary", required: true, maxLength: 4000, errors: &errors)
        let counterpart = reader.string("counterpart", required: true, maxLength: 200, errors: &errors)
        let filingText = reader.string("filingId", maxLength: 36, errors: &errors)
        let filingID = filingText.flatMap(UUID.init(uuidString:))
        if filingText != nil, filingID == nil { errors.append(FieldError(path: "filingId", message: "not a record id")) }
        let confirmed = reader.bool("confirmed", errors: &errors)
        let basis = Self.basis(reader, errors: &errors)
        let declined = reader.bool("declined", errors: &errors) ?? false
        reader.rejectUnknownMembers(errors: &errors)
        guard errors.isEmpty, let step, let summary, let counterpart else { throw ProblemError.invalid(errors) }
        let input = CaseWorkflow.StepInput(step: step, summary: summary, counterpart: counterpart, filingID: filingID, confirmed: confirmed, basis: basis,
                                             declined: declined)
        let workflow = request.application.safeguard.workflow
        let encounterID = try request.uuidParameter("encounterID")
        let record = try await workflow.recordStep(input, on: encounterID, by: request.actor, on: request.db)
        let personID = try await workflow.encounter(encounterID, for: request.actor, on: request.db).$person.id
        return try Response.json(StepBody(record, shown: try await request.showsProtectedData(of: personID)), status: .created)
    }

    func steps(request: Request) async throws -> [StepBody] {
        let encounter = try await request.application.safeguard.workflow.encounter(request.uuidParameter("encounterID"), for: request.actor, on: request.db)
        let steps = try await StepRecord.query(on: request.db).filter(\.$encounter.$id == encounter.requireID()).sort(\.$recordedAt).all()
        let shown = try await request.showsProtectedData(of: encounter.$person.id)
        try await request.auditReads(steps.map { ("step/\(try $0.requireID())", shown) })
        return try steps.map { try StepBody($0, shown: shown) }
    }

    /// `basis`: the labels of the evidence an adverse determination rests on, unique.
    static func basis(_ reader: JSONObjectReader, errors: inout [FieldError]) -> [String] {
        let basis = reader.list("basis", maxCount: CaseDecoder.maximumInformationItems, errors: &errors) { value, path, errors -> String? in
            guard case .string(let label) = value, !label.isEmpty, label.count <= 200 else {
                errors.append(FieldError(path: path, message: "expected the label of an evidence item (1 to 200 characters)"))
                return nil
            }
            return label
        } ?? []
        if Set(basis).count != basis.count { errors.append(FieldError(path: "basis", message: "labels must be unique")) }
        return basis
    }

    /// The gate: 200 with the encounter when the policies allow the action now; 409 otherwise,
    /// naming the rules behind the refusal, save those that would reveal a protected person's data
    /// to a user not entitled to it. An optional body `{"basis": [labels]}` names the evidence the
    /// action rests on; one made only of excluded items is refused (§ 1367(a)(1)).
    func recordEnforcementAction(request: Request) async throws -> Response {
        let workflow = request.application.safeguard.workflow
        let encounterID = try request.uuidParameter("encounterID")
        var basis: [String] = []
        if request.body.data.map({ $0.readableBytes > 0 }) ?? false {
            var errors: [FieldError] = []
            guard let reader = JSONObjectReader(try request.strictJSONBody(), path: "", known: ["basis"], errors: &errors) else {
                throw ProblemError.invalid(errors)
            }
            basis = Self.basis(reader, errors: &errors)
            reader.rejectUnknownMembers(errors: &errors)
            guard errors.isEmpty else { throw ProblemError.invalid(errors) }
        }
        let encounter = try await workflow.recordEnforcementAction(encounterID, expectedVersion: request.ifMatchVersion(), basis: basis,
                                                                   by: request.actor, purpose: request.purpose, on: request.db)
        let shown = try await request.showsProtectedData(of: encounter.$person.id)
        return try await Response.json(encounterBody(for: encounter, shown: shown, request: request), version: encounter.version)
    }
}

/// A `JSONValue` inside a Codable response, written as the JSON it is.
struct JSONValueBody: Content {
    var value: JSONValue

    init(value: JSONValue) {
        self.value = value
    }

    init(text: String) throws {
        value = try JSONParser.parse(text)
    }

    init(from decoder: any Decoder) throws {
        throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "JSONValueBody is only written"))
    }

    func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}

extension JSONValue {
    func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let flag):
            var container = encoder.singleValueContainer()
            try container.encode(flag)
        case .number(let text):
            var container = encoder.singleValueContainer()
            try container.encode(Double(text) ?? 0)
        case .string(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .array(let elements):
            var container = encoder.unkeyedContainer()
            for element in elements { try element.encode(to: container.superEncoder()) }
        case .object(let members):
            var container = encoder.container(keyedBy: MemberKey.self)
            for member in members { try member.value.encode(to: container.superEncoder(forKey: MemberKey(stringValue: member.key))) }
        }
    }

    private struct MemberKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
