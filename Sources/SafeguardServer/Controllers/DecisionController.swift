import PolicyEngine
import Vapor

/// `POST /api/v1/decisions`: the contract over HTTP. The case in, the decision out; nothing is
/// stored, so no sign-in is needed.
struct DecisionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.anyone).post("decisions", use: decide)
    }

    func decide(request: Request) async throws -> Response {
        let body = try request.strictJSONBody()
        let facts: CaseFacts
        do {
            facts = try CaseDecoder.decode(body)
        } catch {
            throw ProblemError.invalid(error.errors)
        }
        let services = request.application.safeguard
        let ruleSet = services.ruleSet
        let decision = ruleSet.evaluate(facts)
        services.workflow.metrics.decided(decision.disposition)
        let response = Response(status: .ok, body: .init(string: decision.json(in: ruleSet, caseId: facts.caseId).serialized()))
        response.headers.contentType = .json
        return response
    }
}
