import Fluent
import FluentPostgresDriver
import PolicyEngine
import SafeguardCore
import Vapor

/// Turns every error into a problem document with the right status — for a page, an error page
/// (`ErrorPage`) — and an unexpected error is logged and answered with a 500 that reveals nothing
/// of it.
struct ProblemMiddleware: AsyncMiddleware {
    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            var problem = Self.problem(for: error, request: request)
            var retryAfter: TimeInterval?
            switch error {
            case WorkflowError.throttled(let wait), WorkflowError.tooOften(_, let wait): retryAfter = wait
            default: break
            }
            if Self.isDenial(error) {
                do {
                    let (audit, database, entry) = (request.application.safeguard.audit, request.db, try await Self.denial(of: request))
                    let caller = (try? request.actor).map(RefusalAllowance.caller) ?? RefusalAllowance.caller(address: request.remoteAddress?.ipAddress)
                    if let wait = try await request.owedWriteTurns.run({ try await audit.appendRefusal(entry, by: caller, on: database) }) {
                        // Past the caller's allowance; a throttle's longer wait (sign-in, PIN) still stands.
                        (problem, retryAfter) = (Self.tooManyRefusals(wait), max(wait, retryAfter ?? 0))
                    }
                } catch {
                    request.logger.error("the audit record of a denial could not be written: \(String(reflecting: type(of: error)))")
                    problem = ProblemDetails(status: .internalServerError, slug: "internal-error", detail: "an internal error occurred; nothing was changed")
                }
            }
            let response = ErrorPage.isPage(request) ? try await ErrorPage.response(for: problem, request: request) : try Self.response(for: problem)
            if let retryAfter, problem.status == Int(HTTPResponseStatus.tooManyRequests.code) {
                response.headers.replaceOrAdd(name: .retryAfter, value: String(Int(retryAfter.rounded(.up))))
            }
            if response.status == .serviceUnavailable { response.headers.replaceOrAdd(name: .retryAfter, value: "5") }
            // Headers an error carries (WWW-Authenticate on a 401) go out with the problem.
            if let abort = error as? any AbortError {
                for (name, value) in abort.headers where name.lowercased() != "content-type" { response.headers.add(name: name, value: value) }
            }
            return response
        }
    }

    static func problem(for error: any Error, request: Request) -> ProblemDetails {
        switch error {
        case let error as ProblemError:
            return error.problem
        case let error as WorkflowError:
            return problem(for: error)
        case let error as any DatabaseError where error.isConstraintFailure:
            // A unique index caught what a check before the write could not (two writers at once).
            return ProblemDetails(status: .conflict, slug: "conflict", detail: "the change conflicts with an existing record; nothing was changed")
        case is ConnectionPoolTimeoutError:
            // Every database connection stayed busy for the whole wait: overload, not a fault of
            // the request, which may be sent again.
            request.logger.warning("no database connection came free in time")
            return ProblemDetails(status: .serviceUnavailable, slug: "busy", detail: "the service is busy; nothing was changed; try again shortly")
        case let error as any AbortError:
            let slug = error.status == .payloadTooLarge ? "body-too-large" : error.status == .notFound ? "not-found" : "request-refused"
            return ProblemDetails(status: error.status, slug: slug, detail: error.reason)
        default:
            // The type, and PostgreSQL's error code: what went wrong, never the data involved.
            let code = (error as? PSQLError)?.serverInfo?[.sqlState].map { " (SQLSTATE \($0))" } ?? ""
            request.logger.error("internal error: \(String(reflecting: type(of: error)))\(code)")
            return ProblemDetails(status: .internalServerError, slug: "internal-error", detail: "an internal error occurred; nothing was changed")
        }
    }

    /// Whether the error refuses the user something, which the audit chain records: no sign-in or
    /// entitlement, the source prohibition, a record not found (another office's, to its users,
    /// is one), too many attempts or asks. (The gate records its own refusals: the core's `recordEnforcementAction`, for the
    /// API and the pages alike.)
    static func isDenial(_ error: any Error) -> Bool {
        switch error {
        case WorkflowError.forbidden, WorkflowError.sourceProhibited, WorkflowError.notFound, WorkflowError.throttled, WorkflowError.tooOften: true
        case let error as any AbortError: [.unauthorized, .forbidden].contains(error.status)
        default: false
        }
    }

    static func tooManyRefusals(_ wait: TimeInterval) -> ProblemDetails {
        ProblemDetails(status: .tooManyRequests, slug: "too-many-refusals",
                       detail: "too many refused requests from this caller; try again in \(Int(wait.rounded(.up))) s")
    }

    /// The audit entry of a refused request: who (when known), the record or route refused, and
    /// the person the record is about.
    static func denial(of request: Request) async throws -> AuditEntry {
        let kinds = [("encounterID", "encounter"), ("personID", "person"), ("followUpID", "follow-up")]
        // What a record stores of a request is bounded: a record id only when it is one, so that no
        // caller grows the log faster than its requests (a 60,000-character path is one short record).
        let object = kinds.lazy.compactMap { name, kind in request.parameters.get(name).map { "\(kind)/\(UUID(uuidString: $0)?.uuidString ?? "not-an-id")" } }.first
            ?? request.route.map { "route " + $0.path.map(\.description).joined(separator: "/") } ?? "route unmatched"
        let subject = try await AuditSubject.person(of: object, on: request.db)
        if let actor = try? request.actor {
            return AuditEntry(actor, .denial, object, .denied, purpose: try? request.purpose, subject: subject)
        }
        return AuditEntry(actorID: nil, username: "", role: "", office: "", action: .denial, object: object, outcome: .denied, subject: subject)
    }

    static func problem(for error: WorkflowError) -> ProblemDetails {
        switch error {
        case .notFound(let what):
            return ProblemDetails(status: .notFound, slug: "not-found", detail: "no \(what)")
        case .forbidden(let reason):
            return ProblemDetails(status: .forbidden, slug: "not-entitled", detail: reason)
        case .invalid(let errors):
            return ProblemError.invalid(errors).problem
        case .staleVersion(let current):
            var problem = ProblemDetails(status: .preconditionFailed, slug: "stale-version",
                                         detail: "the record changed since it was read; read it again (version \(current)) and retry")
            problem.currentVersion = current
            return problem
        case .conflict(let reason):
            return ProblemDetails(status: .conflict, slug: "conflict", detail: reason)
        case .sourceProhibited(let items):
            var problem = ProblemDetails(
                status: .conflict, slug: "source-prohibition",
                detail: "\(SourceProhibition.citation) bars an adverse determination resting solely on information furnished by an abuser "
                    + "or the abuser's household, or by the perpetrator or trafficker of a person who applied for protection; "
                    + "what this determination rests on is only such information (\(items.joined(separator: ", "))); "
                    + "it may rest on evidence from another source, named in its basis"
            )
            problem.citation = SourceProhibition.citation
            problem.excludedInformation = items
            return problem
        case .gateRefused(let refusal):
            var problem = ProblemDetails(status: .conflict, slug: "enforcement-gate", detail: refusal.explanation)
            problem.disposition = refusal.disposition.spelling
            problem.requiredSteps = refusal.requiredSteps
            problem.rules = refusal.rules
            return problem
        case .throttled(let wait):
            return ProblemDetails(status: .tooManyRequests, slug: "too-many-attempts", detail: "too many failed attempts; try again in \(Int(wait.rounded(.up))) s")
        case .tooOften(let reason, let wait):
            return ProblemDetails(status: .tooManyRequests, slug: "too-often", detail: "\(reason); try again in \(Int(wait.rounded(.up))) s")
        }
    }

    static func response(for problem: ProblemDetails) throws -> Response {
        let response = Response(status: HTTPResponseStatus(statusCode: problem.status))
        try response.content.encode(problem, as: .json)
        response.headers.contentType = ProblemDetails.mediaType
        return response
    }
}
