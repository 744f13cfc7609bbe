import Fluent
import SafeguardCore
import Vapor

extension Request {
    /// Whether this request sees one person's protected data (`Disclosure`), for the body of a
    /// record it has just written; reads go through the core, which records them.
    func showsProtectedData(of personID: UUID) async throws -> Bool {
        try await reader.disclosure.shows(personID, on: db)
    }
}
