import PolicyEngine
import SafeguardCore
import Testing

/// The one table pages read: every code of every vocabulary a page shows has its words.
@Suite struct PageWordsTests {
    @Test func everyCodeAPageShowsHasItsWords() throws {
        let vocabularies: [(String, [String])] = [
            ("role", Role.allCases.map(\.rawValue)), ("purpose", Purpose.allCases.map(\.rawValue)),
            ("encounter status", [Encounter.open, Encounter.actionRecorded]), ("fact", EncounterFact.allCases.map(\.field)),
            ("verification outcome", VerificationOutcome.allCases.map(\.rawValue)), ("advice", ConsultationAdvice.allCases.map(\.rawValue)),
            ("follow-up kind", FollowUpKind.allCases.map(\.rawValue)), ("follow-up status", FollowUpStatus.allCases.map(\.rawValue)),
            ("call category", CallCategory.allCases.map(\.rawValue)), ("call status", CallStatus.allCases.map(\.rawValue)),
            ("channel", ChannelKind.allCases.map(\.rawValue)), ("language", NoticeLanguage.allCases.map(\.rawValue)),
            ("detainee reference", DetaineeReference.allCases.map(\.rawValue)), ("custody event", CustodyEventKind.allCases.map(\.rawValue)),
            ("notification status", NotificationStatus.allCases.map(\.rawValue)), ("registration status", [Registration.active, Registration.withdrawn]),
            ("step", Step.spellings), ("disposition", Disposition.spellings),
        ]
        for (vocabulary, codes) in vocabularies {
            let table = try #require(PageWords.vocabularies[vocabulary], "no vocabulary \(vocabulary)")
            #expect(Set(table.keys) == Set(codes), "\(vocabulary)")
            for code in codes where code.contains("-") || code.contains(where: \.isUppercase) {
                #expect(table[code] != code, "\(vocabulary): \(code) has no words")
            }
        }
        #expect(throws: PageWords.UnknownVocabulary.self) { try PageWords.words("open", in: "no such vocabulary") }
        #expect(PageWords.country("GT") == "Guatemala" && PageWords.country("SV") == "El Salvador")
        #expect(PageWords.country("Guatemala") == "Guatemala" && PageWords.country("QQ") == "QQ" && PageWords.country("gt") == "gt", "else as recorded")
        #expect(Role.oplaAttorney.wordsWithArticle == "an OPLA attorney" && Role.supervisor.wordsWithArticle == "a supervisor (FOD or SAC)")
    }
}
