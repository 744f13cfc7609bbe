import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// `/dashboard`: aggregate figures for analysts (and auditors, supervisors, admins) — decisions by
/// month and governing policy with the policy changes marked, the steps outstanding by office, and
/// the population diff of the last re-evaluation.
/// Never a person: groups under `CaseStatistics.smallestCount` are left out.
struct DashboardPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.grouped(CSRFProtection(), PageAuthenticator()).access(.roles(Entitlements.statisticsRoles, "aggregate figures", reach: .noRecord))
            .get("dashboard", use: dashboard)
    }

    struct DashboardPage: Encodable {
        var frame: PageController.Frame
        var chart: DecisionChart
        var reevaluation: String?
        var transitions: [PopulationDiffLine]
        var rules: [PopulationDiffLine]
        var stepsOwed: [StepsOwed]
    }

    struct StepsOwed: Encodable {
        var office: String
        var step: String
        var count: Int
    }

    func dashboard(request: Request) async throws -> View {
        let figures = try await request.application.safeguard.workflow.statistics(by: request.reader, on: request.db)
        let chart = DecisionChart(figures.decisionsByMonth, documents: request.application.safeguard.ruleSet.documents)
        var page = DashboardPage(frame: PageController.Frame("Dashboard", request: request), chart: chart, transitions: [], rules: [],
                                 stepsOwed: figures.stepsOwed.map { .init(office: $0.group["office"] ?? "", step: $0.group["step"] ?? "", count: $0.count) }
                                     .sorted { ($0.office, $0.step) < ($1.office, $1.step) })
        if let run = try await ReevaluationRun.query(on: request.db).filter(\.$finishedAt != nil).sort(\.$startedAt, .descending).first() {
            let diff = try PopulationDiff(json: run.diff)
            page.reevaluation = "Re-evaluation of \(run.processed) open encounters\(run.asOf.map { " as of \($0)" } ?? ""): \(run.changed) outcomes changed"
            let ruleSet = request.application.safeguard.ruleSet
            page.transitions = diff.transitions.filter { $0.value >= CaseStatistics.smallestCount }.sorted { $0.value > $1.value }
                .map { PopulationDiffLine.transition($0.key, count: $0.value) }
            page.rules = diff.rules.filter { $0.value >= CaseStatistics.smallestCount }.sorted { $0.value > $1.value }
                .map { PopulationDiffLine.rule($0.key, count: $0.value, in: ruleSet) }
        }
        return try await request.view.render("dashboard", page)
    }
}
