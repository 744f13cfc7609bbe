extension CaseFacts {
    /// The case in the contract's input form, listing only what differs from the defaults.
    public var json: JSONValue {
        var members: [JSONMember] = []
        func flag(_ key: String, _ value: Bool, into list: inout [JSONMember]) {
            if value { list.append(JSONMember(key: key, value: .bool(true))) }
        }
        if let caseId { members.append(JSONMember(key: "caseId", value: .string(caseId))) }
        members.append(JSONMember(key: "asOf", value: .string(asOf.description)))
        members.append(JSONMember(key: "action", value: .string(action.spelling)))
        var subjectMembers: [JSONMember] = []
        if !subject.benefits.isEmpty {
            subjectMembers.append(JSONMember(key: "benefits", value: .array(subject.benefits.map { filing in
                .object([
                    JSONMember(key: "type", value: .string(filing.type.spelling)),
                    JSONMember(key: "role", value: .string(filing.role.spelling)),
                    JSONMember(key: "status", value: .string(filing.status.spelling)),
                    JSONMember(key: "verified", value: .bool(filing.verified)),
                ])
            })))
        }
        if !subject.victimIndicia.isEmpty {
            subjectMembers.append(JSONMember(key: "victimIndicia", value: .array(subject.victimIndicia.spellings.map(JSONValue.string))))
        }
        flag("immediateVictimOrWitness", subject.immediateVictimOrWitness, into: &subjectMembers)
        flag("pendingCriminalCase", subject.pendingCriminalCase, into: &subjectMembers)
        flag("crimeReported", subject.crimeReported, into: &subjectMembers)
        flag("wishesToReport", subject.wishesToReport, into: &subjectMembers)
        flag("detained", subject.detained, into: &subjectMembers)
        flag("outsideUnitedStates", subject.outsideUnitedStates, into: &subjectMembers)
        if !subjectMembers.isEmpty { members.append(JSONMember(key: "subject", value: .object(subjectMembers))) }
        flag("lawEnforcementInterest", lawEnforcementInterest, into: &members)
        flag("exceptionalCircumstances", exceptionalCircumstances, into: &members)
        flag("aggravatingFactors", aggravatingFactors, into: &members)
        flag("expediteInAgencyInterest", expediteInAgencyInterest, into: &members)
        if !information.isEmpty {
            members.append(JSONMember(key: "information", value: .array(information.map { item in
                .object([
                    JSONMember(key: "id", value: .string(item.id)),
                    JSONMember(key: "source", value: .string(item.source.spelling)),
                    JSONMember(key: "adverse", value: .bool(item.adverse)),
                ])
            })))
        }
        flag("convicted237a2", convicted237a2, into: &members)
        if !stepsCompleted.isEmpty {
            members.append(JSONMember(key: "stepsCompleted", value: .array(stepsCompleted.spellings.map(JSONValue.string))))
        }
        return .object(members)
    }
}
