/// What a benefit verification found of one named filing in the source's records.
public enum VerificationOutcome: String, CaseIterable, Sendable, Codable {
    /// On record as claimed: the filing becomes known, as the source gives it.
    case confirmed
    /// Not on record: the claim counts for nothing further.
    case notFound = "not-found"
    /// On record otherwise: the source's type and status replace the claimed ones, and the filing
    /// is known as the source gives it (never finally denied from a status alone: an appeal is
    /// not seen there).
    case contradicted
}
