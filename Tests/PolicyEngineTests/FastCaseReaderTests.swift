@testable import PolicyEngine
import SafeguardTestSupport
import Testing

/// The fast path of case decoding never accepts what the strict path refuses, and never reads a
/// case differently.
@Suite struct FastCaseReaderTests {
    func fast(_ text: [UInt8]) -> CaseFacts? { text.withUnsafeBufferPointer(FastCaseReader.read) }

    func strict(_ text: [UInt8]) -> CaseFacts? {
        guard let value = try? JSONParser.parse(text) else { return nil }
        return try? CaseDecoder.decode(value)
    }

    @Test func generatedCasesTakeTheFastPath() {
        var generator = CaseGenerator(seed: 3, ruleSet: Fixtures.ruleSet)
        for index in 0..<5000 {
            let text = Array(generator.next(caseId: "c\(index)").json.serialized(pretty: index % 2 == 0).utf8)
            let facts = fast(text)
            #expect(facts != nil)
            #expect(facts == strict(text))
        }
    }

    @Test func mutatedCasesAgreeWithTheStrictPath() {
        var generator = CaseGenerator(seed: 5, ruleSet: Fixtures.ruleSet)
        var random = SeededGenerator()
        let insertions: [String] = ["\"", ",", "}", "]", "null", "\\u0041", "é", " ", "1", "true", "\"x\":1,", "\"asOf\":\"2020-01-01\","]
        var fastAccepted = 0
        for index in 0..<8000 {
            var text = Array(generator.next(caseId: "c\(index)").json.serialized().utf8)
            let position = Int.random(in: 0..<text.count, using: &random)
            switch index % 3 {
            case 0: text.remove(at: position)
            case 1: text.insert(contentsOf: Array(insertions.randomElement(using: &random)!.utf8), at: position)
            default: text[position] = UInt8.random(in: 0x20...0x7E, using: &random)
            }
            let fastFacts = fast(text), strictFacts = strict(text)
            if let fastFacts {
                fastAccepted += 1
                #expect(fastFacts == strictFacts, "\(String(decoding: text, as: UTF8.self)) (replay: \(random.replay))")
            }
            if strictFacts == nil { #expect(fastFacts == nil) }
        }
        #expect(fastAccepted > 150)
    }

    @Test(arguments: [
        #"{"asOf": "2020-01-01", "action": "arrest", "action": "arrest"}"#,
        #"{"asOf": "2020-01-01", "action": "arrest", "subject": null}"#,
        #"{"asOf": "2020-01-01", "action": "arr\u0065st"}"#,
        #"{"asOf": "2020-01-01", "action": "arrest", "stepsCompleted": ["opla-consultation", "opla-consultation"]}"#,
        #"{"asOf": "2020-01-01", "action": "arrest", "information": [{"id": "", "source": "abuser", "adverse": true}]}"#,
        #"{"asOf": "2020-01-01", "action": "arrest"} {}"#,
    ])
    func theFastPathLeavesTheseToTheStrictOne(_ text: String) {
        #expect(fast(Array(text.utf8)) == nil)
    }
}
