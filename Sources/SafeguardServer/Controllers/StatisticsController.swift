import SafeguardCore
import Vapor

/// `GET /api/v1/statistics`: aggregate figures for analysts, never a person; groups smaller
/// than `smallestCount` are left out.
struct StatisticsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.roles(Entitlements.statisticsRoles, "aggregate figures", reach: .noRecord)).get("statistics", use: statistics)
    }

    struct CellBody: Content {
        var group: [String: String]
        var count: Int
    }

    struct StatisticsBody: Content {
        var smallestCount: Int
        var encounters: [CellBody]
        var currentDecisions: [CellBody]
        var followUps: [CellBody]
        /// Steps owed by open encounters, by office and step.
        var stepsOwed: [CellBody]
    }

    func statistics(request: Request) async throws -> StatisticsBody {
        let figures = try await request.application.safeguard.workflow.statistics(by: request.reader, on: request.db)
        func body(_ cells: [CaseStatistics.Cell]) -> [CellBody] { cells.map { CellBody(group: $0.group, count: $0.count) } }
        return StatisticsBody(smallestCount: CaseStatistics.smallestCount, encounters: body(figures.encounters),
                              currentDecisions: body(figures.decisions), followUps: body(figures.followUps),
                              stepsOwed: body(figures.stepsOwed))
    }
}
