import PolicyEngine
import SafeguardCore
import Vapor

/// `/policies/drafts`: a draft policy tried on the stored population before it takes effect, for
/// analysts and policy staff. The draft's files are uploaded (nothing of them is kept), or one of
/// the folders the server offers is chosen (`serve --offer-drafts`); every open
/// encounter is decided with the policies in force and with the draft added, as of a chosen day
/// (`Reevaluator.impact`). The page shows aggregates only, small groups left out
/// (`DraftImpact.figures`); supervisors and admins may also download the encounters that would
/// change. Nothing is stored but the audit record of the asking.
struct DraftImpactPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let drafts = routes.grouped(CSRFProtection(), PageAuthenticator())
            .access(.roles(Entitlements.statisticsRoles, "what a draft policy would change", reach: .noRecord)).grouped("policies", "drafts")
        drafts.get(use: form)
        drafts.post(use: tryDraft)
    }

    struct DraftPage: Encodable {
        var frame: PageController.Frame
        var asOf: String
        var mayList: Bool
        /// The drafts the server offers, by folder name.
        var offered: [FormChoice]
        var problems: [String] = []
        var result: String?
        var transitions: [PopulationDiffLine] = []
        var rules: [PopulationDiffLine] = []
        var monthsAndOffices: [MonthAndOffice] = []
        var chart: String?
    }

    /// How many encounters opened for a month in an office would change.
    struct MonthAndOffice: Encodable, Equatable {
        var month: String
        var office: String
        var count: Int
    }

    struct Upload: Content {
        var files: [File]?
        /// The index of an offered draft, chosen instead of files.
        var offered: String?
        var asOf: String?
        /// "list": the encounters that would change, as JSON Lines, instead of the page.
        var format: String?
    }

    /// At most this many files of a draft folder, each at most this large.
    static let (maximumFiles, maximumFileSize) = (20, 256 * 1024)

    func form(request: Request) async throws -> View {
        try await request.view.render("drafts", page(request))
    }

    func page(_ request: Request) throws -> DraftPage {
        let actor = try request.actor
        let offered = request.application.offeredDrafts.enumerated().map { FormChoice(value: String($0.offset), label: $0.element.lastPathComponent, selected: false) }
        return DraftPage(frame: .init("Try a draft policy", request: request), asOf: request.application.safeguard.workflow.calendar.today.description,
                         mayList: Entitlements.changedEncountersRoles.contains(actor.role), offered: offered)
    }

    func tryDraft(request: Request) async throws -> Response {
        let upload = try request.content.decode(Upload.self)
        var page = try page(request)
        page.asOf = upload.asOf ?? page.asOf
        let (drafts, problems) = Self.draftFiles(upload, offered: request.application.offeredDrafts)
        let asOf = CalendarDate(page.asOf)
        page.problems = problems + (asOf == nil ? ["The day: '\(page.asOf.prefix(20))' is not a date (YYYY-MM-DD)."] : [])
        let services = request.application.safeguard
        guard page.problems.isEmpty, let asOf else { return try await render(page, status: .unprocessableEntity, request) }
        let withDrafts: RuleSet
        do {
            withDrafts = try RuleSet.load(files: services.ruleSet.files, drafts: drafts)
        } catch {
            page.problems = error.problems.map(\.description)
            return try await render(page, status: .unprocessableEntity, request)
        }
        let names = Set(drafts.map(\.name))
        try DraftImpact.requireTriable(withDrafts, draftIDs: Set(withDrafts.documents.filter { names.contains($0.fileName) }.map(\.id)), by: request.reader,
                                       offered: upload.offered.map { !$0.isEmpty } ?? false)
        // One draft at a time: each decides the whole population twice.
        guard request.application.draftTrials.begin() else {
            throw Abort(.serviceUnavailable, reason: "another draft is being tried; try again in a moment")
        }
        defer { request.application.draftTrials.end() }
        let (reevaluator, actor) = (Reevaluator(workflow: services.workflow), try request.actor)
        if upload.format == "list" {
            var lines = Data()
            let encoder = DraftImpact.ChangeLines()
            _ = try await reevaluator.impact(of: withDrafts, asOf: asOf, by: actor, turns: request.owedWriteTurns, on: request.db) { change in
                lines.append(try encoder.line(change))
            }
            let response = Response(status: .ok, body: .init(data: lines))
            response.headers.contentType = HTTPMediaType(type: "application", subType: "jsonl", parameters: ["charset": "utf-8"])
            response.headers.contentDisposition = .init(.attachment, filename: "changed-encounters-\(asOf).jsonl")
            return response
        }
        let impact = try await reevaluator.impact(of: withDrafts, asOf: asOf, by: actor, turns: request.owedWriteTurns, on: request.db)
        let figures = impact.figures
        page.result = "Decided \(impact.total.encounters) open encounters as of \(asOf) twice, with the policies in force and with the draft (\(drafts.map(\.name).joined(separator: ", ")))."
        page.transitions = figures.transitions.map { PopulationDiffLine.transition($0.group["transition"] ?? "", count: $0.count) }
        page.rules = figures.rules.map { PopulationDiffLine.rule($0.group["rule"] ?? "", count: $0.count, in: withDrafts, services.ruleSet) }
        page.monthsAndOffices = figures.monthsAndOffices.map { MonthAndOffice(month: $0.group["month"] ?? "", office: $0.group["office"] ?? "", count: $0.count) }
        page.chart = DraftImpactChart.svg(page.monthsAndOffices)
        return try await render(page, status: .ok, request)
    }

    private func render(_ page: DraftPage, status: HTTPResponseStatus, _ request: Request) async throws -> Response {
        let response = try await request.view.render("drafts", page).encodeResponse(for: request)
        response.status = status
        return response
    }

    /// The policy files of the offered draft chosen, or those uploaded (`*.yaml`, not rule tests),
    /// and what is wrong with the choice.
    static func draftFiles(_ upload: Upload, offered: [URL]) -> ([(name: String, bytes: [UInt8])], [String]) {
        if let choice = upload.offered, !choice.isEmpty {
            guard let index = Int(choice), offered.indices.contains(index) else { return ([], ["The draft: choose one of those offered."]) }
            do {
                return (try RuleSet.policyFiles(in: offered[index]), [])
            } catch {
                return ([], error.problems.map(\.description))
            }
        }
        var drafts: [(name: String, bytes: [UInt8])] = []
        var problems: [String] = []
        let chosen = (upload.files ?? []).filter { !$0.filename.isEmpty }
        if chosen.isEmpty { problems.append("The draft: choose its policy files (ID.yaml)\(offered.isEmpty ? "" : ", or one of those offered").") }
        if chosen.count > maximumFiles { problems.append("The draft: at most \(maximumFiles) files.") }
        for file in chosen.prefix(maximumFiles) {
            let name = file.filename
            guard name.range(of: #"^[a-z0-9][a-z0-9.-]{0,79}\.yaml$"#, options: .regularExpression) != nil else {
                problems.append("\(name.prefix(80)): a policy file is named after its id, as victim-centered-2027.yaml.")
                continue
            }
            if name.hasSuffix(RuleTests.fileSuffix) { continue }  // its rule tests run with `policies test`
            guard file.data.readableBytes <= maximumFileSize else {
                problems.append("\(name): larger than \(maximumFileSize / 1024) KiB.")
                continue
            }
            drafts.append((name, Array(file.data.readableBytesView)))
        }
        return (drafts, problems)
    }
}
