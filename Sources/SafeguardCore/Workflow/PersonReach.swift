/// How a user reaches a person's record. A person is kept by the office that created the record;
/// another office finds the person only by an exact A-number (`PersonBook.list`), and reaches the
/// record through an encounter of its own on the person.
public enum PersonReach: Sendable, Equatable {
    /// The keeping office's users and the roles that span offices: they read the person, and the
    /// case-record roles among them change it.
    case keeper
    /// Another office with an encounter of its own on the person: it reads the identity, and
    /// while such an encounter is open, its entitled users read the filings its decisions rest on.
    case caseOffice(openEncounter: Bool)

    /// Whether the person's filings are read this way.
    var readsFilings: Bool { self == .keeper || self == .caseOffice(openEncounter: true) }
}
