import Crypto
import PolicyEngine

extension CaseFacts {
    /// SHA-256 of what the case states — the action, the subject (filings in a fixed order), the
    /// flags and the evidence — without the day it is decided on and the steps done: two steps
    /// recorded on the same facts carry the same digest, however the facts went back and forth
    /// between them (`ConsultationAdvice.limitationStands`).
    var factsDigest: String {
        var stated = self
        stated.caseId = nil
        stated.stepsCompleted = EnumSet()
        stated.asOf = CalendarDate(year: 2000, month: 1, day: 1)!
        stated.subject.benefits.sort { ($0.type.rawValue, $0.role.rawValue, $0.status.rawValue, $0.verified ? 1 : 0)
            < ($1.type.rawValue, $1.role.rawValue, $1.status.rawValue, $1.verified ? 1 : 0) }
        return SHA256.hash(data: Array(stated.json.serialized().utf8)).hexString
    }
}
