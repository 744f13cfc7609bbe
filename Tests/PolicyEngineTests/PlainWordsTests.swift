@testable import PolicyEngine
import Testing

/// Every code of the engine's vocabularies has its words, in the same order, and the words are
/// not the code again (pages show the words).
@Suite struct PlainWordsTests {
    func check<Vocabulary: ContractEnum>(_ type: Vocabulary.Type) {
        #expect(Vocabulary.plainWords.count == Vocabulary.spellings.count, "\(Vocabulary.vocabularyName)")
        for (spelling, words) in zip(Vocabulary.spellings, Vocabulary.plainWords) where spelling.contains("-") {
            #expect(!words.contains(spelling), "\(Vocabulary.vocabularyName): '\(words)' is the code again")
        }
    }

    @Test func everyCodeHasItsWords() {
        check(Action.self); check(BenefitType.self); check(BenefitRole.self); check(BenefitStatus.self); check(VictimIndicium.self)
        check(InformationSource.self); check(Step.self); check(Duty.self); check(ReliefOption.self); check(FactorWeight.self)
        check(Disposition.self)
        #expect(Step.benefitVerification.label == "Verify the claimed filing")
    }
}
