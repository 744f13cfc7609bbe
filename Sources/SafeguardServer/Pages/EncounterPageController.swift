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
        // The action and the facts are the enforcement roles'; steps, the roles that record one.
        let acting = pages.access(.roles(Entitlements.enforcementRoles, "the forms that record the action or change the facts", reach: .ownOffice)).grouped("encounters")
        acting.post(":encounterID", "action", use: recordAction)
        acting.post(":encounterID", "facts", use: changeFacts)
        let recording = pages.access(.roles(Set(Step.allCases.flatMap(Entitlements.roles(for:))), "the forms that record steps", reach: .ownOffice)).grouped("encounters")
        recording.post(":encounterID", "steps", use: recordStep)
        recording.post(":encounterID", "verification-at-source", use: verifyAtSource)
    }

    /// The form, with what a refused submission kept and why it was refused.
    func newEncounter(request: Request) async throws -> View {
        let flash = try Flash.take(request)
        let submission = try flash.map { EncounterForm.submission(kept: $0.typed) } ?? request.query.decode(EncounterForm.Submission.self)
        var form = EncounterForm(frame: .init("Open an encounter", request: request), submission: submission,
                                 today: request.application.safeguard.workflow.calendar.today)
        form.flash = flash
        return try await request.view.render("encounter-new", form)
    }

    /// Opens the encounter the form states and shows its decision; a form with errors goes back
    /// to the form (post, redirect, get), with them listed and what may be kept of what was typed.
    func open(request: Request) async throws -> Response {
        let submission = try request.content.decode(EncounterForm.Submission.self)
        let rejection: EncounterForm.Rejection
        switch try await EncounterForm.input(from: submission, people: request.application.safeguard.people, reader: request.reader, on: request.db) {
        case .success(let input):
            do {
                let (encounter, _) = try await request.application.safeguard.workflow.openEncounter(input, by: request.reader, on: request.db)
                return request.redirect(to: "/encounters/\(try encounter.requireID())", redirectType: .normal)
            } catch WorkflowError.invalid(let errors) {
                rejection = EncounterForm.Rejection(problems: errors.map(EncounterForm.problem))
            }
        case .failure(let failure):
            rejection = failure
        }
        let protected = !(submission.indicia ?? []).isEmpty || (submission.evidenceLabel ?? []).contains { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return try Flash.refusedForm(request, to: "/encounters/new", problems: rejection.problems, typed: EncounterForm.kept(submission),
                                     text: "The encounter was not opened." + (protected
                                         ? " The signs of victimisation and the evidence are protected by 8 U.S.C. § 1367 and were not kept: tick and type them again."
                                         : ""))
    }

    func show(request: Request) async throws -> View {
        let actor = try request.actor
        let (encounter, shown) = try await readEncounter(request)
        let services = request.application.safeguard
        let workflow = services.workflow
        // The decision on the records as they are now, as the gate will compute it.
        let facts = try await workflow.facts(for: encounter, on: request.db)
        let evaluated = workflow.ruleSet.evaluate(facts)
        let decision = Disclosure.decision(evaluated.json(in: workflow.ruleSet, caseId: facts.caseId), shown: shown, ruleSet: workflow.ruleSet)
        let person = try await services.people.person(encounter.$person.id, to: request.reader, on: request.db)
        // Filings only to a reader shown them (`CaseWorkflow.shown`), each read recorded by the core.
        let filings = shown ? try await services.people.filings(of: encounter.$person.id, to: request.reader, on: request.db) : nil
        var page = DecisionPage(frame: .init("Encounter", request: request), flash: try Flash.take(request), encounter: encounter,
                                summary: Self.summary(of: person, facts: facts, decision: evaluated, filings: filings, shown: shown),
                                decision: decision, ruleSet: workflow.ruleSet)
        let open = encounter.status == Encounter.open
        let records = { (step: Step) in open && Entitlements.roles(for: step).contains(actor.role) }
        page.tasks = Step.allCases.filter { evaluated.requiredSteps.contains($0) || facts.stepsCompleted.contains($0) }.map { step in
            let owed = evaluated.requiredSteps.contains(step)
            let form = step == .benefitVerification ? "#record-verification" : "#record-\(step.spelling)"
            return DecisionPage.Task(step: step.label, recordedBy: Entitlements.recorders(of: step), done: !owed, form: owed && records(step) ? form : nil)
        }
        page.stepsToRecord = Step.allCases.filter { $0 != .benefitVerification && evaluated.requiredSteps.contains($0) && records($0) }
            .map { FormChoice(value: $0.spelling, label: $0.label, selected: false) }
        // Offered whenever a claim waits for an answer, owed now or not.
        if records(.benefitVerification) {
            page.verification = filings.map { filings in
                let unanswered = filings.filter { !$0.isVerified && $0.verificationOutcome == nil }
                return DecisionPage.Verification(filings: unanswered.compactMap(Self.choice), withheld: nil, source: services.filingSource.map { source in
                    DecisionPage.SourceForm(name: source.name, filings: unanswered.filter(CaseWorkflow.mayAskSource).compactMap(Self.choice))
                })
            } ?? DecisionPage.Verification(filings: [], withheld: Disclosure.marker)
            if page.verification?.withheld == nil, page.verification?.filings.isEmpty == true { page.verification = nil }
        }
        if open, Entitlements.enforcementRoles.contains(actor.role) {
            switch evaluated.disposition {
            case .proceed: page.mayRecordAction = true
            case .proceedAfterSteps: page.actionBlocked = "The \(page.action) can be recorded once the steps above are done."
            case .refrain: page.actionBlocked = "A policy in force directs that the \(page.action) not be taken; what it allows instead is under Relief to consider."
            }
            page.facts = FactQuestion.all(checked: { facts[keyPath: $0.caseKeyPath] })
        }
        page.recorded = try await workflow.steps(of: encounter.requireID(), to: request.reader, on: request.db)
        return try await request.view.render("encounter", page)
    }

    /// What is on file about the person, the protected parts only when shown.
    static func summary(of person: Person, facts: CaseFacts, decision: Decision, filings: [BenefitFilingRecord]?, shown: Bool) -> DecisionPage.Summary {
        var summary = DecisionPage.Summary(
            name: "\(person.givenName) \(person.familyName)", aNumber: person.aNumber, dateOfBirth: person.dateOfBirth, country: PageWords.country(person.country),
            office: person.office.isEmpty ? "no office" : person.office,
            facts: EncounterFact.allCases.filter { facts[keyPath: $0.caseKeyPath] }.map(\.name)
        )
        guard shown, let filings else {
            summary.withheld = Disclosure.marker
            return summary
        }
        summary.indicia = facts.subject.victimIndicia.map(\.label)
        summary.filings = filings.map(line(of:))
        summary.evidence = facts.information.map { item in
            DecisionPage.EvidenceLine(label: item.id, source: item.source.label, adverse: item.adverse, excluded: decision.excludedInformation.contains(item.id))
        }
        return summary
    }

    /// A filing on file, where it stands, and which way it was verified: the source's own answer
    /// (its name says when it is a simulator), or by hand in the system the officer named.
    static func line(of filing: BenefitFilingRecord) -> DecisionPage.FilingLine {
        let standing = switch VerificationOutcome(rawValue: filing.verificationOutcome ?? "") {
        case .notFound: "not on record: the claim counts for nothing further"
        case .contradicted: "verified: the records said otherwise than the claim"
        case .confirmed: "verified in the source's records"
        case nil: filing.isVerified ? "verified in the source's records" : "claimed, not verified"
        }
        let way = filing.verificationSource.map { source in filing.verificationAnswer == nil ? "checked by hand in \(source)" : "answered by \(source)" }
        return DecisionPage.FilingLine(filing: words(of: filing), standing: standing, verified: filing.isVerified, way: way)
    }

    static func choice(_ filing: BenefitFilingRecord) -> DecisionPage.FilingChoice? {
        filing.id.map { DecisionPage.FilingChoice(id: $0.uuidString, label: words(of: filing)) }
    }

    /// "U visa (principal), pending, receipt EAC…".
    static func words(of filing: BenefitFilingRecord) -> String {
        "\(BenefitType(spelling: filing.type)?.label ?? filing.type) (\(BenefitRole(spelling: filing.role)?.label ?? filing.role))"
            + ", \(BenefitStatus(spelling: filing.status)?.label ?? filing.status), receipt \(filing.receiptNumber ?? "none")"
    }

    /// The encounter this user may read (the route admits only the roles that read case records),
    /// and whether its protected data is shown to them; the core records the read.
    func readEncounter(_ request: Request) async throws -> (Encounter, shown: Bool) {
        try await request.application.safeguard.workflow.read(encounter: request.uuidParameter("encounterID"), to: request.reader, on: request.db)
    }

    /// The enforcement action, from the page's form: recorded when the gate allows it; either way
    /// back to the page, which says what happened.
    func recordAction(request: Request) async throws -> Response {
        let workflow = request.application.safeguard.workflow
        let id = try request.uuidParameter("encounterID")
        let page = "/encounters/\(id)"
        do {
            let encounter = try await workflow.recordEnforcementAction(id, expectedVersion: nil, by: request.actor, purpose: request.purpose, on: request.db)
            return try Flash.redirect(request, to: page, .success, "The \(Action(spelling: encounter.action)?.label ?? "action") is recorded.")
        } catch WorkflowError.gateRefused(let refusal) {
            return try Flash.redirect(request, to: page, .problem, "Not recorded. \(refusal.plainExplanation)")
        } catch let error as WorkflowError {
            return try Self.refused(error, request: request, page: page)
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
        let page = "/encounters/\(id)"
        do {
            _ = try await request.application.safeguard.workflow.recordStep(input, on: id, by: request.actor, purpose: request.purpose, on: request.db)
            let done = input.declined ? "Declined: \(step.label)." : "Recorded: \(step.label)."
            return try Flash.redirect(request, to: page, .success, done)
        } catch let error as WorkflowError {
            return try Self.refused(error, request: request, page: page)
        }
    }

    /// "Verify with USCIS": the chosen claim asked of the filing-status source, its answer recorded
    /// as the benefit verification. The message names the source and the outcome, never the form
    /// or status the source gave (it sits in the session until shown): the page shows those to whom
    /// they are shown. No answer, or one not recognised, is an error page with the source's words
    /// and the way back.
    func verifyAtSource(request: Request) async throws -> Response {
        struct Form: Content {
            var filing: String
        }
        let form = try request.content.decode(Form.self)
        guard let filingID = UUID(uuidString: form.filing) else {
            throw ProblemError.invalid([FieldError(path: "filing", message: "'\(form.filing.prefix(40))' is not a filing")])
        }
        let id = try request.uuidParameter("encounterID")
        let page = "/encounters/\(id)"
        do {
            let record = try await EncounterController.verifyAtSource(filing: filingID, on: id, request: request)
            let outcome = switch VerificationOutcome(rawValue: record.outcome ?? "") {
            case .confirmed: "the filing is on record as claimed and now counts as known"
            case .contradicted: "the records say otherwise than the claim; the filing is recorded as they say"
            case .notFound, nil: "no such receipt number: the claim counts for nothing further"
            }
            return try Flash.redirect(request, to: page, .success, "Asked \(record.counterpart): \(outcome). The encounter is decided again.")
        } catch WorkflowError.conflict {
            // Its reasons name the filing's kind or standing, which the session table is not to hold.
            return try Flash.redirect(request, to: page, .problem, "Not recorded: this filing cannot be verified with USCIS from here now. Look at the page again, or record a check made by hand.")
        } catch let error as WorkflowError {
            return try Self.refused(error, request: request, page: page)
        } catch let error as any AbortError where error.status == .badGateway {
            let problem = ProblemDetails(status: .badGateway, slug: "bad-gateway", detail: "\(error.reason). Try again later, or record a check made by hand")
            return try await ErrorPage.response(for: problem, request: request, onward: .init(title: "Back to the encounter", path: page))
        }
    }

    /// The facts, from the page's form: each box as ticked, through the core, which decides the
    /// encounter again and reopens the steps that rested on the old facts.
    func changeFacts(request: Request) async throws -> Response {
        struct Form: Content {
            var version: Int
            var facts: [String]?
        }
        let form = try request.content.decode(Form.self)
        let id = try request.uuidParameter("encounterID")
        let ticked = Set(form.facts ?? [])
        let change = FactChange(facts: Dictionary(uniqueKeysWithValues: EncounterFact.allCases.map { ($0, ticked.contains($0.field)) }))
        let page = "/encounters/\(id)"
        do {
            let encounter = try await request.application.safeguard.workflow.changeFacts(change, of: id, expectedVersion: form.version, by: request.actor,
                                                                                          purpose: request.purpose, on: request.db)
            // The core moves the facts version only when a fact changed.
            let text = encounter.factsVersion == encounter.version
                ? "The facts are changed. Steps that rested on the old facts are owed again where the policies still ask for them."
                : "Nothing changed: the facts were already as ticked."
            return try Flash.redirect(request, to: page, .success, text)
        } catch let error as WorkflowError {
            return try Self.refused(error, request: request, page: page)
        }
    }

    /// A form the core refused, back on its page with why, in the words of the form's fields. A
    /// record not found, or a user not entitled, is no form's mistake: the error page says so.
    static func refused(_ error: WorkflowError, request: Request, page: String) throws -> Response {
        let fields = ["summary": "What was done and decided", "counterpart": "With whom", "advice": "OPLA's advice", "filingId": "Filing checked",
                      "outcome": "What the records say", "basis": "Basis", "declined": "Decline"]
        let text: String
        switch error {
        case .invalid(let errors): text = errors.map { "\(fields[$0.path] ?? $0.path): \($0.message)" }.joined(separator: " ")
        case .conflict(let reason): text = reason.sentenceCased + "."
        case .staleVersion: text = "The encounter changed while the form was open: nothing was changed; look again and retry."
        case .gateRefused(let refusal): text = refusal.plainExplanation
        case .sourceProhibited: text = "Not recorded: what this rests on is only information that 8 U.S.C. § 1367(a)(1) sets aside."
        case .notFound, .forbidden, .throttled, .tooOften: throw error
        }
        return try Flash.redirect(request, to: page, .problem, text)
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
