import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// The form that opens an encounter: every fact of the case contract that an officer states, each
/// with its question in plain words. Filings come from the person's records, never from the form.
struct EncounterForm: Encodable {
    struct Fact: Encodable {
        var field: String
        var question: String
        var checked: Bool
    }

    /// A row of evidence: a label, who furnished it, whether it goes against the person.
    struct EvidenceRow: Encodable {
        var index: Int
        var label: String
        var sources: [FormChoice]
        var adverse: Bool
    }

    var frame: PageController.Frame
    var aNumber: String
    var asOf: String
    var actions: [FormChoice]
    var facts: [Fact]
    var indicia: [FormChoice]
    var evidence: [EvidenceRow]
    var errors: [String] = []

    /// Rows of evidence the form offers; without script a form cannot add rows.
    static let evidenceRows = 5

    /// What the officer sent, as the form reads it back.
    struct Submission: Content {
        var aNumber: String?
        var action: String?
        var asOf: String?
        var facts: [String]?
        var indicia: [String]?
        var evidenceLabel: [String]?
        var evidenceSource: [String]?
        var evidenceAdverse: [String]?
    }

    /// - Parameter today: the day the form proposes when the submission names none.
    init(frame: PageController.Frame, submission: Submission, today: CalendarDate) {
        self.frame = frame
        aNumber = submission.aNumber ?? ""
        asOf = submission.asOf ?? today.description
        actions = Action.allCases.map { FormChoice(value: $0.spelling, label: $0.label.sentenceCased, selected: $0.spelling == submission.action) }
        facts = EncounterFact.allCases.map { Fact(field: $0.field, question: $0.question, checked: submission.facts?.contains($0.field) ?? false) }
        indicia = VictimIndicium.allCases.map {
            FormChoice(value: $0.spelling, label: $0.label.sentenceCased, selected: submission.indicia?.contains($0.spelling) ?? false)
        }
        evidence = (0..<Self.evidenceRows).map { index in
            let source = submission.evidenceSource?[safe: index]
            return EvidenceRow(
                index: index + 1, label: submission.evidenceLabel?[safe: index] ?? "",
                sources: InformationSource.allCases.map { FormChoice(value: $0.spelling, label: $0.label.sentenceCased, selected: $0.spelling == source) },
                adverse: submission.evidenceAdverse?[safe: index] == "adverse"
            )
        }
    }

    /// What is wrong with a submission, field by field.
    struct Rejection: Error {
        var messages: [String]
    }

    /// A refusal of the core, in the words of the form's fields.
    static func message(_ error: FieldError) -> String {
        let labels = ["asOf": "Date", "personId": "A-number", "information": "Evidence", "action": "Action"]
        return "\(labels[error.path] ?? error.path): \(error.message)"
    }

    /// The encounter the submission states, or what is wrong with it. The person is found by the
    /// core's A-number search, of any office, recorded as such.
    static func input(from submission: Submission, people: PersonBook, reader: Reader, on database: any Database) async throws -> Result<EncounterInput, Rejection> {
        var errors: [String] = []
        let aNumber = submission.aNumber?.trimmingCharacters(in: .whitespaces) ?? ""
        var person: Person?
        if aNumber.isEmpty {
            errors.append("A-number: required")
        } else if !Person.isANumber(aNumber) {
            errors.append("A-number: '\(aNumber.prefix(20))' is not an A-number: 'A' and 8 or 9 digits")
        } else {
            person = try await people.list(aNumber: aNumber, offset: 0, limit: 1, to: reader, on: database).people.first
            if person == nil { errors.append("A-number: no person \(aNumber) on record") }
        }
        let action = submission.action.flatMap(Action.init(spelling:))
        if action == nil { errors.append("Action: choose one") }
        let asOf = submission.asOf.flatMap { CalendarDate($0) }
        if asOf == nil { errors.append("Date: '\(submission.asOf ?? "")' is not a date (YYYY-MM-DD)") }
        var facts = Set<EncounterFact>()
        for field in submission.facts ?? [] {
            if let fact = EncounterFact(rawValue: field) { facts.insert(fact) } else { errors.append("Facts: '\(field)' is not a fact") }
        }
        var indicia = EnumSet<VictimIndicium>()
        for spelling in submission.indicia ?? [] {
            if let indicium = VictimIndicium(spelling: spelling) { indicia.insert(indicium) } else { errors.append("Victim indicia: '\(spelling)' is not one") }
        }
        var information: [InformationItem] = []
        for (index, label) in (submission.evidenceLabel ?? []).enumerated() {
            let label = label.trimmingCharacters(in: .whitespaces)
            guard !label.isEmpty else { continue }
            guard let source = submission.evidenceSource?[safe: index].flatMap(InformationSource.init(spelling:)) else {
                errors.append("Evidence \(index + 1): choose who furnished it")
                continue
            }
            if label.count > CaseDecoder.maximumIdentifierLength { errors.append("Evidence \(index + 1): the label is longer than \(CaseDecoder.maximumIdentifierLength) characters") }
            information.append(InformationItem(id: label, source: source, adverse: submission.evidenceAdverse?[safe: index] == "adverse"))
        }
        guard errors.isEmpty, let person, let action, let asOf else { return .failure(Rejection(messages: errors)) }
        return .success(EncounterInput(personID: try person.requireID(), action: action, asOf: asOf, facts: facts, victimIndicia: indicia,
                                       information: information))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
