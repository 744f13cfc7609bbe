import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// Encounters, their decisions, steps and the enforcement action behind the gate.
struct EncounterController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let encounters = routes.access(.roles(Entitlements.caseReadingRoles, "case records", reach: .ownOffice)).grouped("encounters")
        // Opening an encounter, changing its facts and deciding it again are the enforcement roles' alone.
        let stating = routes.access(.roles(Entitlements.enforcementRoles, "working encounters", reach: .ownOffice)).grouped("encounters")
        stating.post(use: open)
        encounters.get(use: list)
        encounters.get(":encounterID", use: show)
        stating.patch(":encounterID", use: update)
        stating.post(":encounterID", "decisions", use: decide)
        encounters.post(":encounterID", "steps", use: recordStep)
        encounters.get(":encounterID", "steps", use: steps)
        encounters.post(":encounterID", "enforcement-action", use: recordEnforcementAction)
        stating.post(":encounterID", "filings", ":filingID", "verification", use: verifyAtSource)
    }

    /// A claimed filing verified at its source (USCIS's Case Status API): 201 with the benefit
    /// verification recorded; 502 when the source gave no answer, or one Safeguard does not
    /// recognise (the filing stays unverified); 503 when no source is configured.
    func verifyAtSource(request: Request) async throws -> Response {
        try request.requireNoBody()
        let record = try await Self.verifyAtSource(filing: request.uuidParameter("filingID"), on: request.uuidParameter("encounterID"), request: request)
        return try Response.json(try await request.application.safeguard.workflow.view(of: record, to: request.reader, on: request.db), status: .created)
    }

    /// The benefit verification the source's answer makes, for the API and the encounter page:
    /// a source that gave no answer, or one Safeguard does not recognise, is a bad gateway (the
    /// filing stays unverified, the source's words said); no source configured, unavailable.
    static func verifyAtSource(filing filingID: UUID, on encounterID: UUID, request: Request) async throws -> StepRecord {
        let (workflow, source) = (request.application.safeguard.workflow, request.application.safeguard.filingSource)
        let verification: CaseWorkflow.SourceVerification
        do {
            verification = try await workflow.verifyAtSource(filing: filingID, on: encounterID, through: source, by: request.reader, on: request.db)
        } catch let failure as FilingSourceFailure {
            throw Abort(failure.isNotConfigured ? .serviceUnavailable : .badGateway,
                        reason: failure.isNotConfigured ? failure.description : "the source did not answer (\(failure)): the filing stays unverified")
        }
        switch verification {
        case .recorded(let record):
            return record
        case .unrecognised(let formType, let statusText):
            throw Abort(.badGateway, reason: "the source answered \(formType.prefix(40)), '\(statusText.prefix(200))', which Safeguard does not recognise: the filing stays unverified")
        }
    }

    /// Opens an encounter in the actor's office and decides it at once.
    func open(request: Request) async throws -> Response {
        let input = try EncounterInput(body: try request.strictJSONBody())
        let (encounter, view) = try await request.application.safeguard.workflow.openEncounter(input, by: request.reader, on: request.db)
        let response = try Response.json(view, status: .created, version: encounter.version)
        response.headers.replaceOrAdd(name: .location, value: "/api/v1/encounters/\(try encounter.requireID())")
        return response
    }

    func list(request: Request) async throws -> PageBody<EncounterView> {
        let paging = try Paging(request)
        let (views, total) = try await request.application.safeguard.workflow.list(
            encounters: request.query[String.self, at: "status"], offset: paging.offset, limit: paging.per, to: request.reader, on: request.db
        )
        return PageBody(items: views, page: paging.page, per: paging.per, total: total)
    }

    func show(request: Request) async throws -> Response {
        let view = try await request.application.safeguard.workflow.show(encounter: request.uuidParameter("encounterID"), to: request.reader, on: request.db)
        return try Response.json(view, version: view.version)
    }

    /// Changes the facts an officer states (the flags and victim indicia), with `If-Match`, and
    /// decides the encounter again.
    func update(request: Request) async throws -> Response {
        let actor = try request.actor
        let expected = try request.requiredIfMatchVersion()
        let change = try FactChange(body: try request.strictJSONBody())
        let workflow = request.application.safeguard.workflow
        let encounter = try await workflow.changeFacts(change, of: request.uuidParameter("encounterID"), expectedVersion: expected,
                                                       by: actor, purpose: request.purpose, on: request.db)
        let view = try await workflow.view(of: encounter, to: request.reader, on: request.db)
        return try Response.json(view, version: encounter.version)
    }

    func decide(request: Request) async throws -> Response {
        try request.requireNoBody()
        let workflow = request.application.safeguard.workflow
        let record = try await workflow.decide(request.uuidParameter("encounterID"), by: request.actor, on: request.db)
        return try Response.json(try await workflow.view(of: record, to: request.reader, on: request.db), status: .created)
    }

    func recordStep(request: Request) async throws -> Response {
        let input = try CaseWorkflow.StepInput(body: try request.strictJSONBody())
        let workflow = request.application.safeguard.workflow
        let encounterID = try request.uuidParameter("encounterID")
        let record = try await workflow.recordStep(input, on: encounterID, by: request.actor, purpose: request.purpose, on: request.db)
        return try Response.json(try await workflow.view(of: record, to: request.reader, on: request.db), status: .created)
    }

    func steps(request: Request) async throws -> [StepView] {
        let workflow = request.application.safeguard.workflow
        return try await workflow.steps(of: request.uuidParameter("encounterID"), to: request.reader, on: request.db)
    }

    /// The gate: 200 with the encounter when the policies allow the action now; 409 otherwise,
    /// naming the rules behind the refusal, save those that would reveal a protected person's data
    /// to a user not entitled to it. An optional body `{"basis": [labels]}` names the evidence the
    /// action rests on; one made only of excluded items is refused (§ 1367(a)(1)).
    func recordEnforcementAction(request: Request) async throws -> Response {
        let workflow = request.application.safeguard.workflow
        let encounterID = try request.uuidParameter("encounterID")
        let hasBody = request.body.data.map { $0.readableBytes > 0 } ?? false
        let input = hasBody ? try EnforcementActionInput(body: try request.strictJSONBody()) : EnforcementActionInput()
        let encounter = try await workflow.recordEnforcementAction(encounterID, expectedVersion: request.ifMatchVersion(), basis: input.basis,
                                                                   by: request.actor, purpose: request.purpose, on: request.db)
        return try Response.json(try await workflow.view(of: encounter, to: request.reader, on: request.db), version: encounter.version)
    }
}
