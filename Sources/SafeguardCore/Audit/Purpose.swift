/// Why a user reads protected data, from a fixed list; it is stated for each request and
/// recorded in the audit chain with every read it allows.
public enum Purpose: String, Sendable, CaseIterable, Codable {
    case lawEnforcement = "law-enforcement"
    case legalConsultation = "legal-consultation"
    case adjudication
    case victimAssistance = "victim-assistance"
    case audit
}
