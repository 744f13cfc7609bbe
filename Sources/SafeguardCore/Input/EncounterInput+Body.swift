import PolicyEngine

extension EncounterInput {
    /// `{"personId", "action", "asOf", "victimIndicia"?, "information"?}` and each fact an officer
    /// states (`EncounterFact`) as true or false, absent meaning false.
    public init(body: JSONValue) throws(WorkflowError) {
        var reader = BodyReader(body)
        let personID = reader.id("personId", required: true)
        let action: Action? = reader.enumeration("action", required: true)
        let asOf = reader.date("asOf", required: true)
        let indicia: EnumSet<VictimIndicium> = reader.enumerationSet("victimIndicia")
        let facts = EncounterFact.allCases.filter { reader.bool($0.field) ?? false }
        let information = reader.list("information", maxCount: CaseDecoder.maximumInformationItems, element: CaseDecoder.informationItem) ?? []
        try reader.finish()
        guard let personID, let action, let asOf else { throw WorkflowError.invalid(reader.problems) }
        self.init(personID: personID, action: action, asOf: asOf, facts: Set(facts), victimIndicia: indicia, information: information)
    }
}

extension FactChange {
    /// Any of the facts an officer states (`EncounterFact`) as true or false, and `victimIndicia`
    /// (the whole list, replacing the one before).
    public init(body: JSONValue) throws(WorkflowError) {
        var reader = BodyReader(body)
        var facts: [EncounterFact: Bool] = [:]
        for fact in EncounterFact.allCases { facts[fact] = reader.bool(fact.field) }
        let indicia: EnumSet<VictimIndicium>? = reader.member("victimIndicia") != nil ? reader.enumerationSet("victimIndicia") : nil
        try reader.finish()
        self.init(facts: facts, victimIndicia: indicia)
    }
}
