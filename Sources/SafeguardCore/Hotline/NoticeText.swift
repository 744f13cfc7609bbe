/// The words of a notice, in the registrant's language.
enum NoticeText {
    static func text(for kind: CustodyEventKind, detainee: String, occurredAt: String, details: String, language: NoticeLanguage, voice: Bool) -> String {
        let what: String
        switch (kind, language) {
        case (.booked, .english): what = "was booked into ICE custody"
        case (.booked, .spanish): what = "fue ingresado bajo custodia de ICE"
        case (.transferred, .english): what = "was transferred to another facility"
        case (.transferred, .spanish): what = "fue trasladado a otro centro"
        case (.releasedOnBond, .english): what = "was released on bond"
        case (.releasedOnBond, .spanish): what = "fue puesto en libertad bajo fianza"
        case (.releasedOnOrderOfSupervision, .english): what = "was released on an order of supervision"
        case (.releasedOnOrderOfSupervision, .spanish): what = "fue puesto en libertad bajo una orden de supervisión"
        case (.releasedOther, .english): what = "was released from ICE custody"
        case (.releasedOther, .spanish): what = "fue puesto en libertad de la custodia de ICE"
        case (.removed, .english): what = "was removed from the United States"
        case (.removed, .spanish): what = "fue expulsado de los Estados Unidos"
        case (.escaped, .english): what = "escaped from custody"
        case (.escaped, .spanish): what = "se fugó de la custodia"
        case (.died, .english): what = "died in custody"
        case (.died, .spanish): what = "falleció bajo custodia"
        case (.caseOutcome, .english): what = "has an outcome in their case"
        case (.caseOutcome, .spanish): what = "tiene un resultado en su caso"
        }
        let opening = language == .english ? "Victim notification: \(detainee) \(what) (\(occurredAt))." : "Notificación a víctimas: \(detainee) \(what) (\(occurredAt))."
        let confirm = language == .english ? " Enter your PIN to confirm that you received this notice." : " Marque su PIN para confirmar que recibió este aviso."
        return opening + (details.isEmpty ? "" : " \(details)") + (voice ? confirm : "")
    }
}
