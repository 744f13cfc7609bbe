import Foundation
import PolicyEngine

/// The bodies of USCIS's Case Status API, decoded in this one place: the shape as far as the
/// published sandbox examples show it, so that a correction of the shape touches this file only.
enum CaseStatusAnswer {
    /// `POST /oauth/accesstoken`: a bearer token and how many seconds it lives.
    static func token(from body: Data) throws(FilingSourceFailure) -> (token: String, lifetime: TimeInterval) {
        struct Token: Decodable {
            let access_token: String
            let expires_in: Int
        }
        guard let token = try? JSONDecoder().decode(Token.self, from: body), !token.access_token.isEmpty, token.expires_in > 0 else {
            throw FilingSourceFailure("the token endpoint answered a body that is not a token")
        }
        return (token.access_token, TimeInterval(token.expires_in))
    }

    /// `GET /case-status/{receiptNumber}`, answered 200 with the case status of that receipt
    /// number, or 404 with `case_status: null` and a message: no such receipt. Any other body (a
    /// gateway's own 404, a status of another receipt) is no answer, never a receipt not found:
    /// not found takes a claim away.
    static func lookup(of receiptNumber: String, from body: Data, found: Bool) throws(FilingSourceFailure) -> FilingLookup {
        struct Answer: Decodable {
            struct CaseStatus: Decodable {
                let receiptNumber: String
                let formType: String
                let current_case_status_text_en: String
                let current_case_status_desc_en: String?
            }
            let case_status: CaseStatus?
            let message: String?
        }
        struct Keys: Decodable {
            let keys: Set<String>
            init(from decoder: any Decoder) throws {
                keys = Set(try decoder.container(keyedBy: AnyKey.self).allKeys.map(\.stringValue))
            }
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: body), let keys = try? JSONDecoder().decode(Keys.self, from: body) else {
            throw FilingSourceFailure("the case-status endpoint answered a body that is not a case status")
        }
        let raw = String(decoding: body, as: UTF8.self)
        guard found else {
            guard keys.keys.contains("case_status"), answer.case_status == nil, answer.message != nil else {
                throw FilingSourceFailure("the case-status endpoint answered 404 with a body that is not its answer for an unknown receipt")
            }
            return .notFound(raw: raw)
        }
        guard let status = answer.case_status, status.receiptNumber == receiptNumber else {
            throw FilingSourceFailure("the case-status endpoint answered 200 without the status of the receipt number asked")
        }
        let (benefit, role) = benefit(ofForm: status.formType, described: status.current_case_status_desc_en ?? "")
        return .found(FilingStatus(receiptNumber: status.receiptNumber, formType: status.formType, benefit: benefit, role: role,
                                   status: Self.status(ofText: status.current_case_status_text_en),
                                   statusText: status.current_case_status_text_en, raw: raw))
    }

    /// The benefit a form asks for, and the role when the form tells. An I-360 is a VAWA
    /// self-petition or a petition for SIJ: only its description says which, and it does not tell
    /// a principal from the children it includes.
    static func benefit(ofForm formType: String, described description: String) -> (BenefitType?, BenefitRole?) {
        switch formType.uppercased().replacingOccurrences(of: " ", with: "") {
        case "I-914": (.t, .principal)
        case "I-914A", "I-914SUPPLEMENTA": (.t, .derivative)
        case "I-918": (.u, .principal)
        case "I-918A", "I-918SUPPLEMENTA": (.u, .derivative)
        case "I-360" where description.localizedCaseInsensitiveContains("Violence Against Women Act"): (.vawa, nil)
        case "I-360" where description.localizedCaseInsensitiveContains("Special Immigrant Juvenile"): (.sij, nil)
        default: (nil, nil)
        }
    }

    /// The contract's status for a status text, or nil for one not recognised.
    static func status(ofText text: String) -> BenefitStatus? {
        switch text.trimmingCharacters(in: .whitespaces).lowercased() {
        case "case was received", "case is being actively reviewed by uscis", "request for evidence was sent", "case was reopened",
             "case was transferred and a new office has jurisdiction": .pending
        case "case was approved": .approved
        case "case was denied": .denied
        default: nil
        }
    }
}

/// Any key of a JSON object, to see which keys a body has.
private struct AnyKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}
