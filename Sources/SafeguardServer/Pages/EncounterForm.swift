import Fluent
import PolicyEngine
import SafeguardCore
import Vapor

/// The form that opens an encounter: every fact of the case contract that an officer states, each
/// with its question in plain words. Filings come from the person's records, never from the form.
struct EncounterForm: Encodable {
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
    var facts: [FactQuestion]
    var indicia: [FormChoice]
    var evidence: [EvidenceRow]
    var flash: Flash?

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
        facts = FactQuestion.all(checked: { submission.facts?.contains($0.field) ?? false })
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
        var problems: [Flash.FieldProblem]
    }

    /// A refusal of the core, in the words of the form's fields and linked to the field.
    static func problem(_ error: FieldError) -> Flash.FieldProblem {
        let fields = ["asOf": ("asOf", "The day of the action"), "personId": ("aNumber", "A-number"),
                      "information": ("evidence-label-1", "Evidence"), "action": ("action", "Action")]
        let (field, label) = fields[error.path] ?? ("aNumber", error.path)
        return Flash.FieldProblem(field: field, text: "\(label): \(error.message)")
    }

    /// What the form keeps across a refusal: everything but the signs of victimisation and the
    /// evidence, which are § 1367 data and are not put in the session.
    static func kept(_ submission: Submission) -> [String: String] {
        ["aNumber": submission.aNumber, "action": submission.action, "asOf": submission.asOf, "facts": submission.facts?.joined(separator: ",")]
            .compactMapValues { $0 }
    }

    /// A submission from what the form kept.
    static func submission(kept typed: [String: String]) -> Submission {
        Submission(aNumber: typed["aNumber"], action: typed["action"], asOf: typed["asOf"],
                   facts: typed["facts"].map { $0.split(separator: ",").map(String.init) })
    }

    /// The encounter the submission states, or what is wrong with it. The person is found by the
    /// core's A-number search, of any office, recorded as such.
    static func input(from submission: Submission, people: PersonBook, reader: Reader, on database: any Database) async throws -> Result<EncounterInput, Rejection> {
        var errors: [Flash.FieldProblem] = []
        func problem(_ field: String, _ text: String) { errors.append(Flash.FieldProblem(field: field, text: text)) }
        let aNumber = submission.aNumber?.trimmingCharacters(in: .whitespaces) ?? ""
        var person: Person?
        if aNumber.isEmpty {
            problem("aNumber", "A-number: enter the person's A-number")
        } else if !Person.isANumber(aNumber) {
            problem("aNumber", "A-number: '\(aNumber.prefix(20))' is not an A-number: 'A' and 8 or 9 digits, such as A123456789")
        } else {
            person = try await people.list(aNumber: aNumber, offset: 0, limit: 1, to: reader, on: database).people.first
            if person == nil { problem("aNumber", "A-number: no one with A-number \(aNumber) is on record; add the person first") }
        }
        let action = submission.action.flatMap(Action.init(spelling:))
        if action == nil { problem("action", "Action: choose the action you are considering") }
        let asOf = submission.asOf.flatMap { CalendarDate($0) }
        if asOf == nil { problem("asOf", "The day of the action: '\(submission.asOf?.prefix(20) ?? "")' is not a date (YYYY-MM-DD)") }
        var facts = Set<EncounterFact>()
        for field in submission.facts ?? [] {
            if let fact = EncounterFact(rawValue: field) { facts.insert(fact) } else { problem("fact-\(EncounterFact.allCases[0].field)", "Facts: one ticked is not a fact of this form") }
        }
        var indicia = EnumSet<VictimIndicium>()
        for spelling in submission.indicia ?? [] {
            if let indicium = VictimIndicium(spelling: spelling) { indicia.insert(indicium) } else { problem("indicium-\(VictimIndicium.allCases[0].spelling)", "Signs of victimisation: one ticked is not a sign of this form") }
        }
        var information: [InformationItem] = []
        for (index, label) in (submission.evidenceLabel ?? []).enumerated() {
            let label = label.trimmingCharacters(in: .whitespaces)
            guard !label.isEmpty else { continue }
            guard let source = submission.evidenceSource?[safe: index].flatMap(InformationSource.init(spelling:)) else {
                problem("evidence-source-\(index + 1)", "Evidence \(index + 1): choose who furnished it")
                continue
            }
            if label.count > CaseDecoder.maximumIdentifierLength {
                problem("evidence-label-\(index + 1)", "Evidence \(index + 1): the label is longer than \(CaseDecoder.maximumIdentifierLength) characters")
            }
            information.append(InformationItem(id: label, source: source, adverse: submission.evidenceAdverse?[safe: index] == "adverse"))
        }
        guard errors.isEmpty, let person, let action, let asOf else { return .failure(Rejection(problems: errors)) }
        return .success(EncounterInput(personID: try person.requireID(), action: action, asOf: asOf, facts: facts, victimIndicia: indicia,
                                       information: information))
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
