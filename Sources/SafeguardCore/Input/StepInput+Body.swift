import Foundation
import PolicyEngine

extension CaseWorkflow.StepInput {
    /// `{"step", "summary", "counterpart", "filingId"?, "outcome"?, "sourceType"?, "sourceStatus"?, "advice"?, "basis"?, "declined"?}`.
    public init(body: JSONValue) throws(WorkflowError) {
        var reader = BodyReader(body)
        let step: Step? = reader.enumeration("step", required: true)
        let summary = reader.string("summary", required: true, maxLength: 4000)
        let counterpart = reader.string("counterpart", required: true, maxLength: 200)
        let filingID = reader.id("filingId")
        let outcome: VerificationOutcome? = reader.choice("outcome")
        let sourceType: BenefitType? = reader.enumeration("sourceType")
        let sourceStatus: BenefitStatus? = reader.enumeration("sourceStatus")
        let advice: ConsultationAdvice? = reader.choice("advice")
        let basis = reader.basis()
        let declined = reader.bool("declined") ?? false
        try reader.finish()
        guard let step, let summary, let counterpart else { throw WorkflowError.invalid(reader.problems) }
        self.init(step: step, summary: summary, counterpart: counterpart, filingID: filingID, outcome: outcome,
                  sourceType: sourceType, sourceStatus: sourceStatus, advice: advice, basis: basis, declined: declined)
    }
}

/// What an enforcement action is recorded on: optionally `{"basis": [labels]}`, the evidence it rests on.
public struct EnforcementActionInput: Sendable {
    public var basis: [String]

    public init(basis: [String] = []) {
        self.basis = basis
    }

    public init(body: JSONValue) throws(WorkflowError) {
        var reader = BodyReader(body)
        basis = reader.basis()
        try reader.finish()
    }
}

extension BodyReader {
    /// `basis`: the labels of the evidence an adverse determination rests on, unique; empty when absent.
    mutating func basis() -> [String] {
        let basis = list("basis", maxCount: CaseDecoder.maximumInformationItems) { value, path, errors -> String? in
            guard case .string(let label) = value, !label.isEmpty, label.count <= 200 else {
                errors.append(FieldError(path: path, message: "expected the label of an evidence item (1 to 200 characters)"))
                return nil
            }
            return label
        } ?? []
        if Set(basis).count != basis.count { report("basis", "labels must be unique") }
        return basis
    }
}
