/// What OPLA advised on a consultation: the action may go ahead only on advice that found no
/// legal limitation, and only while no limitation found before stands (`limitationStands`).
public enum ConsultationAdvice: String, CaseIterable, Sendable, Codable {
    case noLegalLimitation = "no-legal-limitation"
    case legalLimitation = "legal-limitation"
}

extension ConsultationAdvice {
    /// One OPLA consultation recorded on an encounter: its advice (none on a record kept before
    /// consultations recorded one), the encounter version it was recorded at, and the digest of
    /// the facts it was given on (none on a record kept before).
    struct Consulted: Sendable {
        var advice: String?
        var encounterVersion: Int
        var factsDigest: String?
    }

    /// Whether a legal limitation OPLA found still stands, given the encounter's consultations
    /// in the order they were recorded (by encounter version, which only grows under the
    /// encounter's turn) and the version its facts last changed at: it stands until OPLA,
    /// consulted again on the facts as they are now, and those differ from the facts the
    /// limitation was found on, finds none. Asking again on the same facts does not overturn it
    /// (no asking until the answer suits), nor does changing a fact and changing it back; a
    /// consultation that predates the latest change of facts clears nothing, so a limitation
    /// once cleared stands again after a later change, until OPLA is consulted on that.
    static func limitationStands(_ consultations: [Consulted], factsVersion: Int) -> Bool {
        guard let last = consultations.lastIndex(where: { $0.advice == legalLimitation.rawValue }) else { return false }
        let limitation = consultations[last]
        let onCurrentFacts = { (consulted: Consulted) in consulted.encounterVersion > factsVersion }
        if onCurrentFacts(limitation) { return true }
        return !consultations[(last + 1)...].contains { consulted in
            guard onCurrentFacts(consulted) else { return false }
            // Records kept before digests are judged by the facts version alone.
            guard let before = limitation.factsDigest, let now = consulted.factsDigest else { return true }
            return before != now
        }
    }
}

