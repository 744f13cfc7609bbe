import Foundation

/// Decides a stream of cases, one JSON object per line, writing one compact decision per line in
/// the same order. Lines are taken in chunks that the cores decide in parallel, so memory stays
/// flat and both cores work.
public struct BatchEvaluator: Sendable {
    public let ruleSet: RuleSet
    /// Replaces each case's `asOf` when set.
    public let asOf: CalendarDate?
    /// Also decides each case on this date and reports what changed.
    public let compareTo: CalendarDate?
    public let linesPerChunk: Int
    public let workers: Int
    private let writer: CompactDecisionWriter

    public init(ruleSet: RuleSet, asOf: CalendarDate? = nil, compareTo: CalendarDate? = nil,
                linesPerChunk: Int = 8192, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.ruleSet = ruleSet
        self.asOf = asOf
        self.compareTo = compareTo
        self.linesPerChunk = linesPerChunk
        self.workers = max(1, workers)
        writer = CompactDecisionWriter(ruleSet: ruleSet)
    }

    /// A line that could not be decided.
    public struct BadLine: Sendable {
        public var lineNumber: Int
        public var error: CaseInputError
    }

    private struct ChunkResult: Sendable {
        var output: [UInt8] = []
        var badLines: [BadLine] = []
        var summary = BatchSummary()
    }

    /// Runs the whole input. `write` receives output in order; `badLine` each bad line in order;
    /// `progress` the number of lines read so far, after each chunk.
    public func run(
        _ reader: inout LineReader,
        write: ([UInt8]) throws -> Void,
        badLine: (BadLine) -> Void,
        progress: (Int) -> Void = { _ in }
    ) throws -> BatchSummary {
        var summary = BatchSummary()
        var lineNumber = 0
        while true {
            // A line too long to read is nil here and reported as bad.
            var lines: [[UInt8]?] = []
            lines.reserveCapacity(linesPerChunk)
            while lines.count < linesPerChunk, let line = try reader.nextLine() {
                if case .text(let text) = line { lines.append(Array(text)) } else { lines.append(nil) }
            }
            if lines.isEmpty { break }
            let firstLine = lineNumber + 1
            lineNumber += lines.count
            let parts = min(workers, max(1, lines.count / 256))
            let chunk = lines
            let maximumLineLength = reader.maximumLineLength
            let results = concurrentMap(0..<parts) { part in
                let range = (chunk.count * part / parts)..<(chunk.count * (part + 1) / parts)
                return decide(chunk[range], firstLine: firstLine + range.lowerBound, maximumLineLength: maximumLineLength)
            }
            for result in results {
                try write(result.output)
                result.badLines.forEach(badLine)
                summary.merge(result.summary)
            }
            progress(lineNumber)
        }
        return summary
    }

    private func decide(_ lines: ArraySlice<[UInt8]?>, firstLine: Int, maximumLineLength: Int) -> ChunkResult {
        var result = ChunkResult()
        let scope = ruleSet.makeScope()
        result.output.reserveCapacity(lines.count * 300)
        for (offset, line) in lines.enumerated() {
            guard let line else {
                let error = CaseInputError([FieldError(path: "", message: "the line is longer than \(maximumLineLength) bytes")])
                result.badLines.append(BadLine(lineNumber: firstLine + offset, error: error))
                result.summary.badLines += 1
                continue
            }
            // A blank line is no case; skip it silently, as JSONL readers do.
            if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            var facts: CaseFacts
            do {
                facts = try CaseDecoder.decode(json: line)
            } catch {
                result.badLines.append(BadLine(lineNumber: firstLine + offset, error: error))
                result.summary.badLines += 1
                continue
            }
            if let asOf { facts.asOf = asOf }
            let decision = ruleSet.evaluate(facts, in: scope)
            result.summary.cases += 1
            result.summary.dispositions[decision.disposition, default: 0] += 1
            var comparison: CompactDecisionWriter.Comparison?
            if let compareTo {
                var earlier = facts
                earlier.asOf = compareTo
                let before = ruleSet.evaluate(earlier, in: scope)
                let diff = DecisionDiff(before: before, after: decision, in: ruleSet)
                result.summary.transitions[BatchSummary.Transition(from: before.disposition, to: decision.disposition), default: 0] += 1
                if diff.outcomeChanged {
                    result.summary.changedOutcomes += 1
                    for rule in diff.rulesNoLongerFiring + diff.rulesNewlyFiring { result.summary.changeCauses[rule, default: 0] += 1 }
                }
                comparison = .init(asOf: compareTo, disposition: before.disposition, outcomeChanged: diff.outcomeChanged)
            }
            writer.write(decision, caseId: facts.caseId, comparison: comparison, to: &result.output)
        }
        return result
    }
}
