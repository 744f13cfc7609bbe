import FluentKit
import Foundation

/// One re-evaluation of the open encounters: where it got to (so an interrupted run resumes),
/// and what changed so far.
public final class ReevaluationRun: Model, @unchecked Sendable {
    public static let schema = "reevaluation_runs"

    @ID(key: .id) public var id: UUID?
    /// The day every encounter was decided on (runs before that rule stored nil: each encounter's own day).
    @OptionalField(key: "as_of") public var asOf: String?
    @Field(key: "rule_set_digest") public var ruleSetDigest: String
    /// The last encounter done; the run goes on after it.
    @OptionalField(key: "cursor") public var cursor: UUID?
    @Field(key: "processed") public var processed: Int
    @Field(key: "changed") public var changed: Int
    /// The population diff so far, as JSON (`PopulationDiff`).
    @Field(key: "diff") public var diff: String
    @Field(key: "started_by") public var startedBy: String
    @Timestamp(key: "started_at", on: .create) public var startedAt: Date?
    @OptionalField(key: "finished_at") public var finishedAt: Date?
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] {
        [
            $id, $asOf, $ruleSetDigest, $cursor, $processed, $changed, $diff, $startedBy, $startedAt, $finishedAt
        ]
    }

    public init() {}

    init(asOf: String?, ruleSetDigest: String, startedBy: String) {
        self.asOf = asOf
        self.ruleSetDigest = ruleSetDigest
        processed = 0
        changed = 0
        diff = PopulationDiff().json
        self.startedBy = startedBy
    }
}

struct CreateReevaluationRuns: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ReevaluationRun.schema)
            .id()
            .field("as_of", .string)
            .field("rule_set_digest", .string, .required)
            .field("cursor", .uuid)
            .field("processed", .int, .required)
            .field("changed", .int, .required)
            .field("diff", .string, .required)
            .field("started_by", .string, .required)
            .field("started_at", .datetime)
            .field("finished_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ReevaluationRun.schema).delete()
    }
}
