import PolicyEngine
import SafeguardTestSupport
import Testing

@Suite struct CaseDecoderTests {
    func errors(_ json: String) -> [String] {
        do {
            _ = try CaseDecoder.decode(json: Array(json.utf8))
            return []
        } catch {
            return error.errors.map(\.description)
        }
    }

    @Test func aFullCaseDecodes() throws {
        let facts = try CaseDecoder.decode(json: Array("""
        {"caseId": "c-1", "asOf": "2024-02-29", "action": "removal",
         "subject": {"benefits": [{"type": "VAWA", "role": "derivative", "status": "denied-final", "verified": true}],
                     "victimIndicia": ["self-report", "other"], "detained": true, "outsideUnitedStates": false},
         "information": [{"id": "e\\u00e9", "source": "abuser-household", "adverse": true}],
         "convicted237a2": true, "stepsCompleted": ["opla-consultation"]}
        """.utf8))
        #expect(facts.caseId == "c-1")
        #expect(facts.asOf == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(facts.action == .removal)
        #expect(facts.subject.benefits == [BenefitFiling(type: .vawa, role: .derivative, status: .deniedFinal, verified: true)])
        #expect(facts.subject.victimIndicia == EnumSet([.selfReport, .other]))
        #expect(facts.subject.detained && !facts.subject.pendingCriminalCase)
        #expect(facts.information == [InformationItem(id: "eé", source: .abuserHousehold, adverse: true)])
        #expect(facts.convicted237a2)
        #expect(facts.stepsCompleted == EnumSet([.oplaConsultation]))
    }

    @Test func omittedBooleansAreFalseAndListsEmpty() throws {
        let facts = try CaseDecoder.decode(json: Array(#"{"asOf": "2020-01-01", "action": "arrest"}"#.utf8))
        #expect(facts == CaseFacts(asOf: CalendarDate(year: 2020, month: 1, day: 1)!, action: .arrest))
    }

    @Test func everyErrorIsReportedWithItsPath() {
        let found = errors("""
        {"asOf": "2023-02-30", "action": "deport", "extra": 1,
         "subject": {"benefits": [{"type": "X", "role": "principal", "status": "pending"}], "detained": "yes",
                     "victimIndicia": ["other", "other"]},
         "information": [{"id": "", "source": "abuser", "adverse": null}],
         "stepsCompleted": ["opla-consultation", "opla-consultation"]}
        """)
        #expect(found.contains("asOf: '2023-02-30' is not a valid date YYYY-MM-DD"))
        #expect(found.contains { $0.hasPrefix("action: 'deport' is not a valid action; expected one of 'arrest'") })
        #expect(found.contains("extra: unknown field"))
        #expect(found.contains { $0.hasPrefix("subject.benefits[0].type: 'X' is not a valid benefit type") })
        #expect(found.contains("subject.benefits[0].verified: required field is missing"))
        #expect(found.contains("subject.detained: expected true or false, found a string"))
        #expect(found.contains { $0.hasPrefix("subject.victimIndicia[1]: duplicate 'other'") })
        #expect(found.contains("information[0].id: must not be empty"))
        #expect(found.contains("information[0].adverse: null is not allowed; omit the field instead"))
        #expect(found.contains { $0.hasPrefix("stepsCompleted[1]: duplicate") })
        #expect(found.count == 10)
    }

    @Test func missingRequiredFields() {
        #expect(errors("{}") == ["asOf: required field is missing", "action: required field is missing"])
    }

    @Test(arguments: ["2023-02-29", "2023-13-01", "2023-1-01", "23-01-01", "2023-01-01T00:00", "2023/01/01", "0000-01-01"])
    func malformedDates(_ text: String) {
        #expect(errors(#"{"asOf": "\#(text)", "action": "arrest"}"#) == ["asOf: '\(text)' is not a valid date YYYY-MM-DD"])
    }

    @Test func leapDaysAreDates() {
        #expect(CalendarDate("2024-02-29") != nil)
        #expect(CalendarDate("2000-02-29") != nil)
        #expect(CalendarDate("1900-02-29") == nil)
    }

    @Test(arguments: [
        #"{"asOf": "2020-01-01", "action": "arrest",}"#,
        #"{"asOf": "2020-01-01" "action": "arrest"}"#,
        #"{"asOf": "2020-01-01", "action": "arrest"} x"#,
        "",
        "[1, 2",
        #"{"a": "\ud800"}"#,
        #"{"a": 01}"#,
    ])
    func malformedJSONIsOneErrorForTheDocument(_ text: String) {
        let found = errors(text)
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("malformed JSON at 1:") == true)
    }

    @Test func invalidUTF8IsMalformed() {
        #expect(throws: CaseInputError.self) { try CaseDecoder.decode(json: [0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) }
    }

    @Test func deepNestingIsRefusedNotOverflowed() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(errors(deep).first?.contains("nesting deeper than") == true)
    }

    @Test func aWrongTypeAtTheRootIsReported() {
        #expect(errors("[]") == ["expected an object, found an array"])
        #expect(errors(#"{"asOf": "2020-01-01", "action": "arrest", "subject": []}"#) == ["subject: expected an object, found an array"])
    }

    @Test func duplicateMembersAreReported() {
        #expect(errors(#"{"asOf": "2020-01-01", "action": "arrest", "action": "removal"}"#) == ["action: duplicate member"])
    }

    @Test func theDecodedCaseRoundTripsThroughItsJSON() throws {
        var generator = CaseGenerator(seed: 7, ruleSet: Fixtures.ruleSet)
        for index in 0..<500 {
            let facts = generator.next(caseId: "c\(index)")
            #expect(try CaseDecoder.decode(json: Array(facts.json.serialized().utf8)) == facts)
        }
    }
}
