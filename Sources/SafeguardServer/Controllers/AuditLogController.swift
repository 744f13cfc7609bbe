import PolicyEngine
import SafeguardCore
import Vapor

/// `GET /api/v1/audit-records`: auditors search the audit log by user, record and time. The
/// search itself is recorded.
struct AuditLogController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.roles(Entitlements.auditLogRoles, "the audit log", reach: .everyOffice)).get("audit-records", use: search)
    }

    struct AuditRecordBody: Content {
        var partition: String
        var sequence: Int
        var recordedAt: String
        var actorId: String?
        var username: String
        var role: String
        var office: String
        var action: String
        var object: String
        var outcome: String
        var purpose: String?
        /// The person the record is about, when it is about one.
        var subject: String?
        var hash: String

        init(_ record: AuditRecord) {
            (partition, sequence, recordedAt, actorId) = (record.partition, record.sequence, record.recordedAt, record.actorID)
            (username, role, office, action, object) = (record.username, record.role, record.office, record.action, record.object)
            (outcome, purpose, subject, hash) = (record.outcome, record.purpose, record.subject, record.hash)
        }
    }

    func search(request: Request) async throws -> PageBody<AuditRecordBody> {
        let paging = try Paging(request)
        var errors: [FieldError] = []
        func time(_ name: String) -> String? {
            guard let text = request.query[String.self, at: name] else { return nil }
            if CalendarDate(text) != nil || (try? Date(text, strategy: .iso8601)) != nil { return text }
            errors.append(FieldError(path: name, message: "'\(text)' is not a date (YYYY-MM-DD) or an ISO 8601 time in UTC"))
            return nil
        }
        var person: UUID?
        if let text = request.query[String.self, at: "person"] {
            person = UUID(uuidString: text)
            if person == nil { errors.append(FieldError(path: "person", message: "'\(text.prefix(40))' is not a person's id")) }
        }
        let search = AuditSearch(username: request.query[String.self, at: "username"], object: request.query[String.self, at: "object"],
                                 subject: person, from: time("from"), to: time("to"))
        guard errors.isEmpty else { throw ProblemError.invalid(errors) }
        let (records, total) = try await request.application.safeguard.audit.search(search, offset: paging.offset, limit: paging.per,
                                                                                    by: request.reader, on: request.db)
        return PageBody(items: records.map(AuditRecordBody.init), page: paging.page, per: paging.per, total: total)
    }
}
