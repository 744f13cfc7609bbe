import FluentKit
import SQLKit

/// A multi-row `INSERT` through SQLKit, for loads of thousands of rows: Fluent's model encoding
/// reflects over every property of every row, which costs more than the database's work. Split
/// into statements of at most `maximumBinds` bound values (SQLite allows 32,766, PostgreSQL 65,535).
struct BulkInsert {
    static let maximumBinds = 30_000

    let table: String
    let columns: [String]
    private(set) var rows: [[any SQLExpression]] = []

    init(into table: String, columns: [String]) {
        self.table = table
        self.columns = columns
    }

    /// Adds a row: one value per column, in the order of `columns`; nil is SQL `NULL`.
    mutating func append(_ values: [(any Encodable & Sendable)?]) {
        precondition(values.count == columns.count, "a row of \(table) needs \(columns.count) values")
        rows.append(values.map { value -> any SQLExpression in value.map { SQLBind($0) } ?? SQLLiteral.null })
    }

    private var rowsPerStatement: Int { max(1, Self.maximumBinds / columns.count) }

    func run(on database: any Database) async throws {
        guard !rows.isEmpty else { return }
        guard let sql = database as? any SQLDatabase else { preconditionFailure("Safeguard's databases speak SQL") }
        for start in stride(from: 0, to: rows.count, by: rowsPerStatement) {
            let insert = rows[start..<min(start + rowsPerStatement, rows.count)]
                .reduce(sql.insert(into: table).columns(columns)) { $0.values($1) }
            try await insert.run()
        }
    }

    /// Runs every row or none: one statement is atomic by itself, so a transaction (two more round
    /// trips to the database) is begun only for more rows than one statement takes.
    func runAtomically(on database: any Database) async throws {
        if rows.count <= rowsPerStatement || database.inTransaction {
            try await run(on: database)
        } else {
            try await database.transaction { try await run(on: $0) }
        }
    }
}

extension Array where Element: FluentKit.Model {
    /// Creates the models in as few statements as the databases' limit on bound values allows
    /// (Fluent's own `create` of a collection puts every row in one statement, whatever its size).
    func createInStatements(on database: any Database) async throws {
        guard !isEmpty else { return }
        let rowsPerStatement = Swift.max(1, BulkInsert.maximumBinds / Element.keys.count)
        for start in stride(from: 0, to: count, by: rowsPerStatement) {
            try await self[start..<Swift.min(start + rowsPerStatement, count)].create(on: database)
        }
    }
}
