import FluentKit
import Foundation

/// Reading the hotline's records: only the reader's office, protected details shown only to a
/// specialist assisting victims (`Disclosure`), each read recorded in the audit chain.
extension HotlineIntake {
    /// The office's calls, newest first, narrowed to a category and a status when given.
    public func calls(category: CallCategory? = nil, status: CallStatus? = nil, offset: Int = 0, limit: Int, to reader: Reader,
                      on database: any Database) async throws -> HotlineListing<HotlineCall> {
        try await HotlineReads.list(HotlineCall.self, named: "call", matching: ["category": category?.rawValue, "status": status?.rawValue],
                                    offset: offset, limit: limit, to: reader, audit: audit, on: database)
    }

    /// One call of the office.
    public func show(call id: UUID, to reader: Reader, on database: any Database) async throws -> (call: HotlineCall, shown: Bool) {
        try await HotlineReads.read(call(id, for: reader.actor, on: database), named: "call", to: reader, audit: audit, on: database)
    }
}

extension RegistrationBook {
    /// The office's registrations, newest first, narrowed to one detained person (their exact
    /// A-number or detention id) and a status when given.
    public func registrations(detaineeID: String? = nil, status: String? = nil, offset: Int = 0, limit: Int, to reader: Reader,
                              on database: any Database) async throws -> HotlineListing<Registration> {
        try await HotlineReads.list(Registration.self, named: "registration", matching: ["detainee_id": detaineeID, "status": status],
                                    offset: offset, limit: limit, to: reader, audit: audit, on: database)
    }

    /// One registration of the office.
    public func show(registration id: UUID, to reader: Reader, on database: any Database) async throws -> (registration: Registration, shown: Bool) {
        try await HotlineReads.read(registration(id, for: reader.actor, on: database), named: "registration", to: reader, audit: audit, on: database)
    }
}

/// A page of calls or registrations: those read, how many match in all, and whether their
/// protected details are shown.
public struct HotlineListing<Record: Sendable>: Sendable {
    public var records: [Record]
    public var total: Int
    public var shown: Bool
}

/// What reading calls and registrations share: both are kept by office and shown whole only to
/// an entitled specialist.
enum HotlineReads {
    /// The records of the reader's office whose columns equal the values given (a nil value
    /// narrows nothing), newest first; only those returned are recorded as read.
    static func list<Record: Model>(_ type: Record.Type, named name: String, matching columns: [String: String?], offset: Int, limit: Int,
                                    to reader: Reader, audit: AuditChain, on database: any Database) async throws -> HotlineListing<Record>
        where Record.IDValue == UUID {
        try RegistrationBook.requireHotlineRole(reader.actor)
        var query = Record.query(on: database).reachable(by: reader.actor, in: .hotline)
        for (column, value) in columns.sorted(by: { $0.key < $1.key }) {
            if let value { query = query.filter(FieldKey(stringLiteral: column), .equal, value) }
        }
        let total = try await query.count()
        let records = try await query.sort("created_at", .descending).sort("id").range(offset..<offset + limit).all()
        let shown = reader.disclosure.entitled
        try await reader.record(records.map { ("\(name)/\(try $0.requireID())", nil, shown) }, in: audit, on: database)
        return HotlineListing(records: records, total: total, shown: shown)
    }

    static func read<Record: Model>(_ record: Record, named name: String, to reader: Reader, audit: AuditChain,
                                    on database: any Database) async throws -> (Record, Bool) where Record.IDValue == UUID {
        let shown = reader.disclosure.entitled
        try await reader.record([("\(name)/\(try record.requireID())", nil, shown)], in: audit, on: database)
        return (record, shown)
    }
}
