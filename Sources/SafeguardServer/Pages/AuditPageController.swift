import PolicyEngine
import SafeguardCore
import Vapor

/// The auditor's page: the audit log searched by user, record, person and time, and a button
/// that verifies the whole chain and shows the verdict.
struct AuditPageController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let pages = routes.grouped(CSRFProtection(), PageAuthenticator()).access(.roles(Entitlements.auditLogRoles, "the audit log", reach: .everyOffice))
        pages.get("audit", use: search)
        pages.post("audit", "verify", use: verify)
    }

    struct AuditPage: Encodable {
        var frame: PageController.Frame
        var username: String
        var object: String
        var person: String
        var from: String
        var to: String
        var section: ListSection<AuditLogController.AuditRecordBody>
        var verdict: String?
        var problems: [String]
    }

    func search(request: Request) async throws -> View {
        try await render(request, verdict: nil, problems: [])
    }

    func verify(request: Request) async throws -> View {
        let report = try await request.application.safeguard.audit.verify(by: request.reader, on: request.db)
        let verdict = report.isClean
            ? "The audit chain verifies: \(report.records) records in \(report.partitions) partitions, \(report.signedHeads) signed heads."
            : "The audit chain does not verify: \(report.problems.count) problems in \(report.records) records."
        return try await render(request, verdict: verdict, problems: report.problems.map(\.description))
    }

    private func render(_ request: Request, verdict: String?, problems: [String]) async throws -> View {
        func text(_ name: String) -> String? { request.query[String.self, at: name].flatMap { $0.isEmpty ? nil : $0 } }
        var problems = problems
        // A field that cannot be read is said, never ignored: the search runs without it.
        let times = [("from", "From"), ("to", "Before")].map { name, label -> String? in
            guard let typed = text(name) else { return nil }
            if CalendarDate(typed) != nil { return typed }
            problems.append("\(label): '\(typed.prefix(40))' is not a date (YYYY-MM-DD): the search runs without it.")
            return nil
        }
        let person = text("person")
        let subject = person.flatMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }
        if let person, subject == nil { problems.append("Person: '\(person.prefix(40))' is not a person's record number: the search shows every person.") }
        let search = AuditSearch(username: text("username"), object: text("object"), subject: subject, from: times[0], to: times[1])
        let records = try await ListPage<AuditRecord>.read(request, pageParameter: "page") { offset, limit in
            let found = try await request.application.safeguard.audit.search(search, offset: offset, limit: limit, by: request.reader, on: request.db)
            return (found.records, found.total)
        }
        return try await request.view.render("audit", AuditPage(
            frame: PageController.Frame("Audit log", request: request), username: search.username ?? "", object: search.object ?? "",
            person: person ?? "",
            from: text("from") ?? "", to: text("to") ?? "",
            section: ListSection(heading: "Audit records", list: records.map(AuditLogController.AuditRecordBody.init)),
            verdict: verdict, problems: problems
        ))
    }
}
