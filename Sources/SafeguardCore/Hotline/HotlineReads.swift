import FluentKit
import Foundation

/// Reading the hotline's records: only the reader's office, protected details shown only to a
/// specialist assisting victims (`Disclosure`), each read recorded in the audit chain.
extension HotlineIntake {
    /// The office's newest calls.
    public func recentCalls(limit: Int, to reader: Reader, on database: any Database) async throws -> (calls: [HotlineCall], shown: Bool) {
        try RegistrationBook.requireHotlineRole(reader.actor)
        let calls = try await HotlineCall.query(on: database).reachable(by: reader.actor, in: .hotline)
            .sort(\.$createdAt, .descending).limit(limit).all()
        let shown = reader.disclosure.entitled
        try await reader.record(calls.map { ("call/\(try $0.requireID())", shown) }, in: audit, on: database)
        return (calls, shown)
    }

    /// One call of the office.
    public func show(call id: UUID, to reader: Reader, on database: any Database) async throws -> (call: HotlineCall, shown: Bool) {
        let call = try await call(id, for: reader.actor, on: database)
        let shown = reader.disclosure.entitled
        try await reader.record([("call/\(id)", shown)], in: audit, on: database)
        return (call, shown)
    }
}

extension RegistrationBook {
    /// The office's newest registrations.
    public func recent(limit: Int, to reader: Reader, on database: any Database) async throws -> (registrations: [Registration], shown: Bool) {
        try Self.requireHotlineRole(reader.actor)
        let registrations = try await Registration.query(on: database).reachable(by: reader.actor, in: .hotline)
            .sort(\.$createdAt, .descending).limit(limit).all()
        let shown = reader.disclosure.entitled
        try await reader.record(registrations.map { ("registration/\(try $0.requireID())", shown) }, in: audit, on: database)
        return (registrations, shown)
    }

    /// One registration of the office.
    public func show(registration id: UUID, to reader: Reader, on database: any Database) async throws -> (registration: Registration, shown: Bool) {
        let registration = try await registration(id, for: reader.actor, on: database)
        let shown = reader.disclosure.entitled
        try await reader.record([("registration/\(id)", shown)], in: audit, on: database)
        return (registration, shown)
    }
}
