import FluentKit
import SQLKit

/// Notifications by status, for the operator's view.
public enum DeliveryCounts {
    public static func byStatus(on database: any Database) async throws -> [String: Int] {
        let rows = try await CaseRecords.sqlDatabase(database).select().column("status").column(SQLFunction("COUNT", args: SQLLiteral.all), as: "n")
            .from(OutboxNotification.schema).groupBy("status").all()
        return try Dictionary(uniqueKeysWithValues: rows.map { (try $0.decode(column: "status", as: String.self), try $0.decode(column: "n", as: Int.self)) })
    }
}
