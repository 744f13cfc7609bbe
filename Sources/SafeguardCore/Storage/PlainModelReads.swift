import FluentKit
import FluentSQL
import Foundation
import SQLKit

/// Reads of whole models by `SELECT *`, each row decoded as the model. Fluent's own queries name
/// every column of a model with a table and an alias, each quoted in turn: on the reads every
/// request makes (an encounter, a person, the current decisions) building that text cost more
/// CPU than the database's work.
enum PlainModelReads {
    /// The model with the id, or nil.
    static func find<M: Model>(_ type: M.Type, _ id: UUID, on database: any Database) async throws -> M? where M.IDValue == UUID {
        try await CaseRecords.sqlDatabase(database).select().column(SQLLiteral.all).from(M.schema).where("id", .equal, id).first()
            .map { try $0.decode(fluentModel: M.self) }
    }

    /// The models whose `column` is one of `values` (none for none) and, given `unset`, whose
    /// `unset` column is null.
    static func all<M: Model>(_ type: M.Type, where column: String, in values: [UUID], whereNull unset: String? = nil,
                              on database: any Database) async throws -> [M] {
        // `IN ()` is an error in PostgreSQL.
        guard !values.isEmpty else { return [] }
        let select = try CaseRecords.sqlDatabase(database).select().column(SQLLiteral.all).from(M.schema).where(SQLIdentifier(column), .in, values)
        if let unset { select.where(SQLIdentifier(unset), .is, SQLLiteral.null) }
        return try await select.all().map { try $0.decode(fluentModel: M.self) }
    }
}
