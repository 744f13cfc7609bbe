import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// The encounter pages: opening one from a form, its decision with the forms of the steps and
/// the action, and "what changes if…".
struct EncounterPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(CSRFProtection(), PageAuthenticator())
        let encounters = pages.access(.roles(Entitlements.caseReadingRoles, "case records", reach: .ownOffice)).grouped("encounters")
        // Opening an encounter is the enforcement roles' alone.
        let opening = pages.access(.roles(Entitlements.enforcementRoles, "opening encounters", reach: .ownOffice)).grouped("encounters")
        opening.get("new", use: newEncounter)
        opening.post(use: open)
        encounters.get(":encounterID", use: show)
        encounters.get(":encounterID", "what-if", use: whatIf)
        encounters.post(":encounterID", "action", use: recordAction)
        encounters.post(":encounterID", "steps", use: recordStep)
    }

    func newEncounter(request: Request) async throws -> View {
        let submission = try request.query.decode(EncounterForm.Submission.self)
        return try await request.view.render("encounter-new", EncounterForm(frame: .init("Open an encounter", request: request), submission: submission,
                                                                                today: request.application.safeguard.workflow.calendar.today))
    }

    /// Opens the encounter the form states and shows its decision; a form with errors comes back
    /// with them listed and what was typed kept.
    func open(request: Request) async throws -> Response {
        let submission = try request.content.decode(EncounterForm.Submission.self)
        switch try await EncounterForm.input(from: submission, people: request.application.safeguard.people, reader: request.reader, on: request.db) {
        case .success(let input):
            do {
                let encounter = try await request.application.safeguard.workflow.openEncounter(input, by: request.actor, purpose: request.purpose, on: request.db)
                return request.redirect(to: "/encounters/\(try encounter.requireID())", redirectType: .normal)
            } catch WorkflowError.invalid(let errors) {
                return try await rejected(submission, messages: errors.map(EncounterForm.message), request: request)
            }
        case .failure(let rejection):
            return try await rejected(submission, messages: rejection.messages, request: request)
        }
    }

    /// The form again, with what was typed and why it was not accepted.
    private func rejected(_ submission: EncounterForm.Submission, messages: [String], request: Request) async throws -> Response {
        var form = EncounterForm(frame: .init("Open an encounter", request: request), submission: submission,
                                 today: request.application.safeguard.workflow.calendar.today)
        form.errors = messages
        let response = try await request.view.render("encounter-new", form).encodeResponse(for: request)
        response.status = .unprocessableEntity
        return response
    }

    func show(request: Request) async throws -> Response {
        try await render(request, message: nil, status: .ok)
    }

    /// The encounter page, with a message about what the last form did.
    func render(_ request: Request, message: String?, status: HTTPStatus) async throws -> Response {
        let actor = try request.actor
        let (encounter, shown) = try await readEncounter(request)
        let workflow = request.application.safeguard.workflow
        // The decision on the records as they are now, as the gate will compute it.
        let facts = try await workflow.facts(for: encounter, on: request.db)
        let decision = Disclosure.decision(workflow.ruleSet.evaluate(facts).json(in: workflow.ruleSet, caseId: facts.caseId), shown: shown,
                                           ruleSet: workflow.ruleSet)
        var page = DecisionPage(frame: .init("Encounter", request: request), encounter: encounter, decision: decision)
        page.message = message
        let open = encounter.status == Encounter.open
        page.mayRecordAction = open && Entitlements.enforcementRoles.contains(actor.role)
        let owed = open ? page.steps.compactMap { Step(spelling: $0.step) }.filter { Entitlements.roles(for: $0).contains(actor.role) } : []
        page.stepsToRecord = owed.filter { $0 != .benefitVerification }.map(\.spelling)
        if owed.contains(.benefitVerification) { page.verification = try await filingChoices(of: encounter, request: request) }
        page.recorded = try await workflow.steps(of: encounter.requireID(), to: request.reader, on: request.db)
        let response = try await request.view.render("encounter", page).encodeResponse(for: request)
        response.status = status
        return response
    }

    /// The encounter this user may read (the route admits only the roles that read case records),
    /// and whether its protected data is shown to them; the core records the read.
    func readEncounter(_ request: Request) async throws -> (Encounter, shown: Bool) {
        try await request.application.safeguard.workflow.read(encounter: request.uuidParameter("encounterID"), to: request.reader, on: request.db)
    }

    /// The person's filings for the verification form, or the withheld marker for a user not
    /// shown them; the core records each read.
    func filingChoices(of encounter: Encounter, request: Request) async throws -> DecisionPage.Verification {
        guard let filings = try await request.application.safeguard.people.filings(of: encounter.$person.id, to: request.reader, on: request.db) else {
            return .init(filings: [], withheld: Disclosure.marker)
        }
        return .init(filings: try filings.map { filing in
            DecisionPage.FilingChoice(id: try filing.requireID().uuidString,
                                      label: "\(filing.type) \(filing.role), \(filing.status), receipt \(filing.receiptNumber ?? "none")\(filing.isVerified ? " (verified)" : "")")
        }, withheld: nil)
    }

    /// The enforcement action, from the page's form: recorded when the gate allows it, else the
    /// page again saying why.
    func recordAction(request: Request) async throws -> Response {
        let workflow = request.application.safeguard.workflow
        let id = try request.uuidParameter("encounterID")
        do {
            _ = try await workflow.recordEnforcementAction(id, expectedVersion: nil, by: request.actor, purpose: request.purpose, on: request.db)
            return request.redirect(to: "/encounters/\(id)", redirectType: .normal)
        } catch WorkflowError.gateRefused(let refusal) {
            return try await render(request, message: refusal.explanation.prefix(1).uppercased() + refusal.explanation.dropFirst() + ".", status: .conflict)
        }
    }

    /// A step, from the page's forms: a consultation, a deconfliction, an approval given or
    /// declined with its reason, or a benefit verification of a chosen filing.
    func recordStep(request: Request) async throws -> Response {
        struct Form: Content {
            var step: String
            var summary: String
            var counterpart: String
            var decision: String?
            var filing: String?
            var result: String?
            var advice: String?
        }
        let form = try request.content.decode(Form.self)
        guard let step = Step(spelling: form.step) else { throw ProblemError.invalid([FieldError(path: "step", message: "'\(form.step)' is not a step")]) }
        let id = try request.uuidParameter("encounterID")
        var input = CaseWorkflow.StepInput(step: step, summary: form.summary, counterpart: form.counterpart,
                                           advice: form.advice.flatMap(ConsultationAdvice.init(rawValue:)), declined: form.decision == "decline")
        if step == .benefitVerification {
            input.filingID = form.filing.flatMap(UUID.init(uuidString:))
            input.outcome = form.result.flatMap(VerificationOutcome.init(rawValue:))
        }
        do {
            _ = try await request.application.safeguard.workflow.recordStep(input, on: id, by: request.actor, on: request.db)
            return request.redirect(to: "/encounters/\(id)", redirectType: .normal)
        } catch WorkflowError.invalid(let errors) {
            return try await render(request, message: errors.map(\.description).joined(separator: "; "), status: .unprocessableEntity)
        }
    }

    /// "What changes if…": the decision on the records beside the decision with the facts, the
    /// day, the action or the steps done changed as the form says. Nothing is stored.
    func whatIf(request: Request) async throws -> View {
        let (encounter, shown) = try await readEncounter(request)
        let workflow = request.application.safeguard.workflow
        let recorded = try await workflow.facts(for: encounter, on: request.db)
        let query = try request.query.decode(WhatIfPage.Query.self)
        let changed = query.apply(to: recorded)
        let page = WhatIfPage(frame: .init("What changes if…", request: request), encounterID: try encounter.requireID().uuidString,
                              recorded: recorded, changed: changed, query: query, shown: shown, ruleSet: workflow.ruleSet)
        return try await request.view.render("what-if", page)
    }
}
