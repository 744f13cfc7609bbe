import PolicyEngine

extension JSONObjectReader {
    /// A member that must be one of a closed list of strings (the hotline's vocabularies).
    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, required: Bool = false, errors: inout [FieldError]) -> Choice?
    where Choice.RawValue == String {
        guard let text = string(key, required: required, maxLength: 64, errors: &errors) else { return nil }
        guard let value = Choice(rawValue: text) else {
            errors.append(FieldError(path: key, message: "'\(text)' is not one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))"))
            return nil
        }
        return value
    }
}
