import Foundation
import PolicyEngine

/// Every code a page could show, in plain words, by vocabulary: the engine's vocabularies
/// (`plainWords`) and the records' own (roles, purposes, statuses, the hotline's). The one table
/// pages read; codes stay in the JSON, the command line and the policies page. Vocabularies are
/// kept apart because one code means different things in two of them (`pending`: a filing, a
/// notice).
public enum PageWords {
    /// Vocabulary name → code → words.
    public static let vocabularies: [String: [String: String]] = {
        var table: [String: [String: String]] = [:]
        func add<Vocabulary: ContractEnum>(_ type: Vocabulary.Type) {
            table[Vocabulary.vocabularyName] = Dictionary(uniqueKeysWithValues: zip(Vocabulary.spellings, Vocabulary.plainWords))
        }
        add(Action.self); add(BenefitType.self); add(BenefitRole.self); add(BenefitStatus.self); add(VictimIndicium.self)
        add(InformationSource.self); add(Step.self); add(Duty.self); add(ReliefOption.self); add(FactorWeight.self)
        add(Disposition.self)
        table["role"] = Dictionary(uniqueKeysWithValues: Role.allCases.map { ($0.rawValue, $0.words) })
        table["purpose"] = [
            "law-enforcement": "law enforcement", "legal-consultation": "legal consultation", "adjudication": "adjudication",
            "victim-assistance": "victim assistance", "audit": "audit",
        ]
        table["encounter status"] = [Encounter.open: "open", Encounter.actionRecorded: "action recorded"]
        table["fact"] = Dictionary(uniqueKeysWithValues: EncounterFact.allCases.map { ($0.field, $0.name) })
        table["verification outcome"] = [
            "confirmed": "on record as stated", "not-found": "not on record", "contradicted": "the records say otherwise",
        ]
        table["advice"] = ["no-legal-limitation": "no legal limitation found", "legal-limitation": "a legal limitation found"]
        table["follow-up kind"] = [
            "unreported-crime-referral": "referral of the unreported crime", "expedited-adjudication-request": "request to expedite the filing",
            "continued-presence-request": "request for Continued Presence", "parole-request": "request for parole",
        ]
        table["follow-up status"] = [
            "requested": "requested", "submitted": "submitted", "granted": "granted", "denied": "denied", "withdrawn": "withdrawn",
        ]
        table["call category"] = [
            "abuse-in-detention": "abuse in detention", "victim-assistance": "victim assistance", "notification-request": "notification request",
            "crime-tip": "crime tip", "other": "something else",
        ]
        table["call status"] = ["open": "open", "referred": "referred", "closed": "closed"]
        table["registration status"] = ["active": "active", "withdrawn": "withdrawn"]
        table["channel"] = ["sms": "text message", "email": "email", "voice": "voice call"]
        table["language"] = ["en": "English", "es": "Spanish"]
        table["detainee reference"] = ["a-number": "A-number", "detention-id": "detention number"]
        table["custody event"] = [
            "booked": "booked into custody", "transferred": "transferred", "released-bond": "released on bond",
            "released-order-of-supervision": "released on an order of supervision", "released-other": "released",
            "removed": "removed", "escaped": "escaped", "died": "died in custody", "case-outcome": "case outcome",
        ]
        table["notification status"] = [
            "pending": "waiting to be sent", "sending": "being sent", "awaiting-confirmation": "waiting for the registrant to confirm",
            "delivered": "delivered", "dead": "given up", "cancelled": "cancelled", "pin-locked": "locked after wrong PINs",
        ]
        return table
    }()

    /// `code` of `vocabulary` in words; the code itself when the vocabulary has no such code, so
    /// that a gap shows (the browser walkthrough looks for codes on every page).
    /// - Throws: when there is no such vocabulary: a page's mistake.
    public static func words(_ code: String, in vocabulary: String) throws -> String {
        guard let words = vocabularies[vocabulary] else { throw UnknownVocabulary(name: vocabulary) }
        return words[code] ?? code
    }

    /// A code of one of the records' vocabularies in words, for Swift that writes a page's text
    /// (the tables hold every case of them: `PageWordsTests` checks it).
    public static func words<Code: RawRepresentable>(of code: Code, in vocabulary: String) -> String where Code.RawValue == String {
        vocabularies[vocabulary]?[code.rawValue] ?? code.rawValue
    }

    /// A country as pages show it: the English name of a two-letter ISO 3166 code ("GT" is
    /// "Guatemala"), otherwise as recorded (a name typed in full).
    public static func country(_ recorded: String) -> String {
        guard recorded.count == 2, recorded.allSatisfy({ $0.isASCII && $0.isUppercase }) else { return recorded }
        return Locale(identifier: "en_US").localizedString(forRegionCode: recorded) ?? recorded
    }

    public struct UnknownVocabulary: Error, CustomStringConvertible {
        public var name: String
        public var description: String { "no vocabulary '\(name)' of plain words" }
    }
}

extension Role {
    /// The role in plain words.
    public var words: String {
        switch self {
        case .officer: "officer"
        case .supervisor: "supervisor (FOD or SAC)"
        case .oplaAttorney: "OPLA attorney"
        case .hotlineSpecialist: "hotline specialist"
        case .analyst: "analyst"
        case .auditor: "auditor"
        case .admin: "administrator"
        case .integration: "connected system"
        }
    }

    /// "an officer", "a supervisor (FOD or SAC)".
    public var wordsWithArticle: String {
        ("aeiou".contains(words.prefix(1).lowercased()) ? "an " : "a ") + words
    }
}
