/// What OPLA advised on a consultation: the action may go ahead only on advice that found no
/// legal limitation, and only while that is the latest advice on the encounter.
public enum ConsultationAdvice: String, CaseIterable, Sendable, Codable {
    case noLegalLimitation = "no-legal-limitation"
    case legalLimitation = "legal-limitation"
}
