import Foundation
import PolicyEngine
import SafeguardTestSupport
import Testing

@Suite struct BatchEvaluatorTests {
    /// Writes `lines` to a temporary file and runs the batch over it.
    func run(_ lines: [String], evaluator: BatchEvaluator) throws -> (output: String, bad: [BatchEvaluator.BadLine], summary: BatchSummary) {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString).jsonl")
        try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var reader = LineReader(handle: try FileHandle(forReadingFrom: file), chunkSize: 4096)
        var output: [UInt8] = []
        var bad: [BatchEvaluator.BadLine] = []
        let summary = try evaluator.run(&reader, write: { output += $0 }, badLine: { bad.append($0) })
        return (String(decoding: output, as: UTF8.self), bad, summary)
    }

    /// Each compact line says what the full decision says, in input order, across chunks and workers.
    @Test func compactLinesMatchFullDecisionsInOrder() throws {
        let ruleSet = Fixtures.ruleSet
        var generator = CaseGenerator(seed: 11, ruleSet: ruleSet)
        let cases = (0..<3000).map { generator.next(caseId: "c\($0)") }
        let evaluator = BatchEvaluator(ruleSet: ruleSet, linesPerChunk: 700, workers: 3)
        let (output, bad, summary) = try run(cases.map { $0.json.serialized() }, evaluator: evaluator)
        #expect(bad.isEmpty)
        #expect(summary.cases == 3000)
        let lines = output.split(separator: "\n")
        #expect(lines.count == 3000)
        for (facts, line) in zip(cases, lines) {
            let compact = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let fullText = ruleSet.evaluate(facts).json(in: ruleSet, caseId: facts.caseId).serialized()
            var full = try #require(try JSONSerialization.jsonObject(with: Data(fullText.utf8)) as? [String: Any])
            full["reasons"] = (full["reasons"] as? [[String: Any]])?.map { $0["rule"] as? String ?? "" }
            full["ruleSetDigest"] = nil
            #expect(NSDictionary(dictionary: compact).isEqual(to: full), "\(facts.caseId ?? "")")
        }
        #expect(summary.dispositions.values.reduce(0, +) == 3000)
    }

    @Test func badLinesAreCountedWithTheirNumbers() throws {
        let lines = [
            #"{"asOf": "2023-05-01", "action": "arrest"}"#,
            #"{"asOf": "2023-05-01"}"#,
            "   ",
            #"{"asOf": "2023-05-01", "action": "arrest", "x": true}"#,
        ]
        let (output, bad, summary) = try run(lines, evaluator: BatchEvaluator(ruleSet: Fixtures.ruleSet))
        #expect(bad.map(\.lineNumber) == [2, 4])
        #expect(bad.map { $0.error.errors.map(\.description) } == [["action: required field is missing"], ["x: unknown field"]])
        #expect(summary.cases == 1 && summary.badLines == 2)
        #expect(output.split(separator: "\n").count == 1)
    }

    @Test func comparisonCountsTransitionsAndCauses() throws {
        let knownU = #"{"asOf": "2023-05-01", "action": "arrest", "subject": {"benefits": [{"type": "U", "role": "principal", "status": "pending", "verified": true}]}}"#
        let nobody = #"{"asOf": "2023-05-01", "action": "arrest"}"#
        let evaluator = BatchEvaluator(ruleSet: Fixtures.ruleSet, asOf: Fixtures.date("2025-06-01"), compareTo: Fixtures.date("2024-06-01"))
        let (_, _, summary) = try run([knownU, knownU, nobody], evaluator: evaluator)
        #expect(summary.transitions[BatchSummary.Transition(from: .refrain, to: .proceedAfterSteps)] == 2)
        #expect(summary.transitions[BatchSummary.Transition(from: .proceed, to: .proceed)] == 1)
        #expect(summary.changeCauses["ice-interim-guidance-2025/consult-opla"] == 2)
        #expect(summary.changeCauses["ice-directive-11005.3/refrain-known-beneficiary"] == 2)
        // The nobody case loses only the duty to seek indicia: an outcome change too.
        #expect(summary.changedOutcomes == 3)
    }
}

@Suite struct LineReaderTests {
    func lines(_ text: String, chunkSize: Int, limit: Int) throws -> [LineReader.Line] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("lines-\(UUID().uuidString)")
        try text.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        var reader = LineReader(handle: try FileHandle(forReadingFrom: file), chunkSize: chunkSize, maximumLineLength: limit)
        var result: [LineReader.Line] = []
        while let line = try reader.nextLine() { result.append(line) }
        return result
    }

    func text(_ value: String) -> LineReader.Line { .text(ArraySlice(value.utf8)) }

    @Test func splitsOnNewlinesAcrossChunks() throws {
        #expect(try lines("ab\r\ncd\n\nlast", chunkSize: 3, limit: 100) == [text("ab"), text("cd"), text(""), text("last")])
    }

    @Test func aLineOverTheLimitIsSkippedWhole() throws {
        let long = String(repeating: "x", count: 50)
        #expect(try lines("a\n\(long)\nb\n\(long)", chunkSize: 4, limit: 10) == [text("a"), .tooLong, text("b"), .tooLong])
    }
}
