/// What OPLA advised on a consultation: the action may go ahead only on advice that found no
/// legal limitation, and only while no limitation found before stands (`limitationStands`).
public enum ConsultationAdvice: String, CaseIterable, Sendable, Codable {
    case noLegalLimitation = "no-legal-limitation"
    case legalLimitation = "legal-limitation"
}

extension ConsultationAdvice {
    /// One OPLA consultation recorded on an encounter: its advice (none on a record kept before
    /// consultations recorded one) and the encounter version it was recorded at.
    struct Consulted: Sendable {
        var advice: String?
        var encounterVersion: Int
    }

    /// Whether a legal limitation OPLA found still stands, given the encounter's consultations
    /// (oldest first) and the version its facts last changed at: it stands until OPLA, consulted
    /// again on facts that changed since the limitation, finds none. A consultation on the same
    /// facts does not overturn it (no asking again until the answer suits), and a consultation
    /// that predates the latest change of facts clears nothing.
    static func limitationStands(_ consultations: [Consulted], factsVersion: Int) -> Bool {
        guard let last = consultations.lastIndex(where: { $0.advice == legalLimitation.rawValue }) else { return false }
        let onCurrentFacts = { (consulted: Consulted) in consulted.encounterVersion > factsVersion }
        return onCurrentFacts(consultations[last]) || !consultations[(last + 1)...].contains(where: onCurrentFacts)
    }
}

