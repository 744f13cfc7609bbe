import PolicyEngine
import Vapor

/// An RFC 9457 problem document: `type`, `title`, `status`, `detail`, and for bad input the
/// errors with their paths.
struct ProblemDetails: Content {
    var type: String
    var title: String
    var status: Int
    var detail: String
    var errors: [FieldErrorBody]?
    /// For a refusal at the gate: what stands in the way.
    var disposition: String?
    var requiredSteps: [String]?
    var rules: [String]?
    var currentVersion: Int?
    /// For a refusal under § 1367(a)(1): the law, and the items the basis consisted of.
    var citation: String?
    var excludedInformation: [String]?

    struct FieldErrorBody: Content, Equatable {
        var path: String
        var message: String
    }

    init(status: HTTPResponseStatus, slug: String, detail: String, errors: [FieldError]? = nil) {
        type = "tag:safeguard,2026:problem:\(slug)"
        title = status.reasonPhrase
        self.status = Int(status.code)
        self.detail = detail
        self.errors = errors?.map { FieldErrorBody(path: $0.path, message: $0.message) }
    }

    static let mediaType = HTTPMediaType(type: "application", subType: "problem+json")
}

/// A request that a route refuses with a problem document.
struct ProblemError: Error {
    var problem: ProblemDetails

    static func invalid(_ errors: [FieldError]) -> ProblemError {
        ProblemError(problem: ProblemDetails(
            status: .unprocessableEntity, slug: "invalid-input",
            detail: errors.count == 1 ? "1 field is not acceptable" : "\(errors.count) fields are not acceptable", errors: errors
        ))
    }

    static func badRequest(_ detail: String) -> ProblemError {
        ProblemError(problem: ProblemDetails(status: .badRequest, slug: "malformed-request", detail: detail))
    }
}
