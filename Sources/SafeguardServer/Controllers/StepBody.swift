import Foundation
import SafeguardCore
import Vapor

/// A step record as the API and the pages show it: the core's `StepView`, already withheld where
/// the user may not see it.
struct StepBody: Content {
    var id: UUID
    var step: String
    var summary: String
    var counterpart: String
    var filingId: UUID?
    var confirmed: Bool?
    var recordedBy: UUID
    var recordedRole: String
    var recordedAt: Date?
    /// The evidence an adverse step rests on (labels of statements: protected).
    var basis: [String]?
    /// An exceptional-circumstances approval declined; `summary` says why.
    var declined: Bool

    /// The step as the core shows it to this user (`StepView`).
    init(_ view: StepView) throws {
        let record = view.record
        id = try record.requireID()
        step = record.step
        summary = view.summary
        counterpart = record.counterpart
        filingId = view.filingID
        confirmed = view.confirmed
        recordedBy = record.recordedBy
        recordedRole = record.recordedRole
        declined = record.declined
        recordedAt = record.recordedAt
        basis = view.basis
    }
}
