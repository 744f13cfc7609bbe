import Foundation
import PolicyEngine

extension Person {
    /// Whether the text is an A-number: `A` and 8 or 9 digits.
    public static func isANumber(_ text: String) -> Bool {
        text.range(of: "^A[0-9]{8,9}$", options: .regularExpression) != nil
    }

    /// Takes the person fields of a body: `{"aNumber", "givenName", "familyName", "dateOfBirth",
    /// "country"}`, all required when creating, any when changing. Nothing is taken unless all hold;
    /// names hide nothing (`BodyReader.plainText`) and nobody is born after `today`.
    public func take(body: JSONValue, creating: Bool, today: CalendarDate) throws(WorkflowError) {
        var reader = BodyReader(body)
        let aNumber = reader.string("aNumber", required: creating, maxLength: 10)
        if let aNumber, !Self.isANumber(aNumber) {
            reader.report("aNumber", "'\(aNumber)' is not an A-number: 'A' and 8 or 9 digits")
        }
        let givenName = reader.plainText("givenName", required: creating, minLength: 1, maxLength: 200)
        let familyName = reader.plainText("familyName", required: creating, minLength: 1, maxLength: 200)
        let dateOfBirth = reader.date("dateOfBirth", required: creating)
        if let dateOfBirth, today < dateOfBirth { reader.report("dateOfBirth", "'\(dateOfBirth)' is after today (\(today))") }
        let country = reader.plainText("country", required: creating, minLength: 1, maxLength: 100)
        try reader.finish()
        if let aNumber { self.aNumber = aNumber }
        if let givenName { self.givenName = givenName }
        if let familyName { self.familyName = familyName }
        if let dateOfBirth { self.dateOfBirth = dateOfBirth.description }
        if let country { self.country = country }
    }
}

extension BenefitFilingRecord {
    /// A claimed filing of the person: `{"type", "role", "status", "receiptNumber"?, "filedOn"?}`.
    public convenience init(body: JSONValue, personID: UUID) throws(WorkflowError) {
        var reader = BodyReader(body)
        let type: BenefitType? = reader.enumeration("type", required: true)
        let role: BenefitRole? = reader.enumeration("role", required: true)
        let status: BenefitStatus? = reader.enumeration("status", required: true)
        let receipt = reader.string("receiptNumber", minLength: 1, maxLength: 20)
        let filedOn = reader.date("filedOn")
        try reader.finish()
        guard let type, let role, let status else { throw WorkflowError.invalid(reader.problems) }
        self.init(personID: personID, type: type, role: role, status: status, receiptNumber: receipt, filedOn: filedOn?.description)
    }
}
