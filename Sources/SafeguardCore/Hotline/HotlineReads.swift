import FluentKit
import Foundation

/// Reading the hotline's records: only the reader's office, protected details shown only to a
/// specialist assisting victims (`Disclosure`), each read recorded in the audit chain.
extension HotlineIntake {
    /// The office's newest calls.
    public func recentCalls(limit: Int, to reader: Reader, on database: any Database) async throws -> (calls: [HotlineCall], shown: Bool) {
        try await HotlineReads.recent(HotlineCall.self, named: "call", limit: limit, to: reader, audit: audit, on: database)
    }

    /// One call of the office.
    public func show(call id: UUID, to reader: Reader, on database: any Database) async throws -> (call: HotlineCall, shown: Bool) {
        try await HotlineReads.read(call(id, for: reader.actor, on: database), named: "call", to: reader, audit: audit, on: database)
    }
}

extension RegistrationBook {
    /// The office's newest registrations.
    public func recent(limit: Int, to reader: Reader, on database: any Database) async throws -> (registrations: [Registration], shown: Bool) {
        try await HotlineReads.recent(Registration.self, named: "registration", limit: limit, to: reader, audit: audit, on: database)
    }

    /// One registration of the office.
    public func show(registration id: UUID, to reader: Reader, on database: any Database) async throws -> (registration: Registration, shown: Bool) {
        try await HotlineReads.read(registration(id, for: reader.actor, on: database), named: "registration", to: reader, audit: audit, on: database)
    }
}

/// What reading calls and registrations share: both are kept by office and shown whole only to
/// an entitled specialist.
enum HotlineReads {
    static func recent<Record: Model>(_ type: Record.Type, named name: String, limit: Int, to reader: Reader, audit: AuditChain,
                                      on database: any Database) async throws -> ([Record], Bool) where Record.IDValue == UUID {
        try RegistrationBook.requireHotlineRole(reader.actor)
        let records = try await Record.query(on: database).reachable(by: reader.actor, in: .hotline).sort("created_at", .descending).limit(limit).all()
        let shown = reader.disclosure.entitled
        try await reader.record(records.map { ("\(name)/\(try $0.requireID())", nil, shown) }, in: audit, on: database)
        return (records, shown)
    }

    static func read<Record: Model>(_ record: Record, named name: String, to reader: Reader, audit: AuditChain,
                                    on database: any Database) async throws -> (Record, Bool) where Record.IDValue == UUID {
        let shown = reader.disclosure.entitled
        try await reader.record([("\(name)/\(try record.requireID())", nil, shown)], in: audit, on: database)
        return (record, shown)
    }
}
