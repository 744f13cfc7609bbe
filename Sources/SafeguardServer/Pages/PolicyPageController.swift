import PolicyEngine
import SafeguardCore
import Vapor

/// `/policies`: the policy versions on a timeline, each rule with what it does and its citation,
/// and one case evaluated on two dates side by side. Policy texts are public: any signed-in user
/// may read them, and the case compared is typed in, not read from records.
struct PolicyPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let policies = routes.grouped(CSRFProtection(), PageAuthenticator()).access(.signedIn("the policies", reach: .noRecord)).grouped("policies")
        policies.get(use: timeline)
        policies.get("compare", use: compare)
    }

    struct PolicyPage: Encodable {
        struct Document: Encodable {
            var id: String
            var title: String
            var period: String
            var summary: String
            /// "1 rule", "9 rules".
            var size: String
            var rules: [RuleLine]
        }

        struct RuleLine: Encodable {
            var id: String
            var description: String
            var effect: String
            var document: String
            var passage: String
            /// Nil when the rule rests on a secondary account we hold no text of.
            var quote: String?
            var authority: String?
            var secondary: Bool
        }

        var frame: PageController.Frame
        var digest: String
        var documents: [Document]
    }

    func timeline(request: Request) async throws -> View {
        let ruleSet = request.application.safeguard.ruleSet
        let documents = ruleSet.documents.map { document in
            PolicyPage.Document(
                id: document.id, title: document.title, period: document.periodDescription, summary: document.summary,
                size: document.rules.count == 1 ? "1 rule" : "\(document.rules.count) rules",
                rules: document.rules.map { rule in
                    PolicyPage.RuleLine(id: rule.id, description: rule.description, effect: rule.effects.summary, document: rule.citation.document,
                                        passage: rule.citation.passage, quote: rule.citation.quote.isEmpty ? nil : rule.citation.quote,
                                        authority: rule.authority, secondary: rule.source == .secondary)
                }
            )
        }
        return try await request.view.render("policies", PolicyPage(frame: PageController.Frame("Policies", request: request), digest: ruleSet.digest,
                                                                    documents: documents))
    }

    /// One case stated on a form, evaluated on two days side by side, with what changes.
    func compare(request: Request) async throws -> View {
        let query = try request.query.decode(DateComparisonPage.Query.self)
        let page = DateComparisonPage(frame: PageController.Frame("One case on two dates", request: request), query: query,
                                      ruleSet: request.application.safeguard.ruleSet)
        return try await request.view.render("policies-compare", page)
    }
}
