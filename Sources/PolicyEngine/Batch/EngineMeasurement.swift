/// Times the engine's stages on one set of cases, each apart: decoding the JSON, deciding one
/// case at a time, laying the population out in columns, and deciding it as a population — and
/// checks the population's outcomes against the per-case decisions on every case.
public struct EngineMeasurement: Sendable {
    public var cases = 0
    /// Loading and compiling the policy files, as the caller timed it.
    public var policyLoadSeconds = 0.0
    /// Parse cost: JSON lines to typed facts, all cases, one core.
    public var decodeSeconds = 0.0
    /// One case at a time from decoded facts, each timed on its own.
    public var decisionP50Nanoseconds = 0.0
    public var decisionP99Nanoseconds = 0.0
    /// All cases one after another on one core, without a clock read between them.
    public var decideAllSeconds = 0.0
    /// Decoded facts to columns, chunk by chunk on every core.
    public var columnsSeconds = 0.0
    /// The population evaluator over the columns, on every core: the best of the runs.
    public var populationSeconds = 0.0
    /// Cases whose population outcome differs from the per-case decision, and the first few.
    public var disagreements = 0
    public var firstDisagreements: [String] = []

    /// A line that is not a valid case.
    public struct BadLine: Error {
        public var lineNumber: Int
        public var error: CaseInputError
    }

    public static func run(
        _ lines: [ArraySlice<UInt8>], ruleSet: RuleSet, policyLoad: Duration = .zero, populationRuns: Int = 5
    ) throws -> EngineMeasurement {
        let clock = ContinuousClock()
        var figures = EngineMeasurement()
        figures.cases = lines.count
        figures.policyLoadSeconds = seconds(policyLoad)
        var facts: [CaseFacts] = []
        facts.reserveCapacity(lines.count)
        var start = clock.now
        for (index, line) in lines.enumerated() {
            do {
                facts.append(try CaseDecoder.decode(json: line))
            } catch {
                throw BadLine(lineNumber: index + 1, error: error)
            }
        }
        figures.decodeSeconds = seconds(clock.now - start)

        let scope = ruleSet.makeScope()
        var timings: [Double] = []
        timings.reserveCapacity(facts.count)
        var refrained = 0
        for case_ in facts {
            let before = clock.now
            let decision = ruleSet.evaluate(case_, in: scope)
            timings.append(seconds(clock.now - before) * 1e9)
            if decision.disposition == .refrain { refrained += 1 }
        }
        timings.sort()
        if !timings.isEmpty {
            figures.decisionP50Nanoseconds = timings[timings.count / 2]
            figures.decisionP99Nanoseconds = timings[min(timings.count - 1, timings.count * 99 / 100)]
        }
        start = clock.now
        var refrainedAgain = 0
        for case_ in facts where ruleSet.evaluate(case_, in: scope).disposition == .refrain { refrainedAgain += 1 }
        figures.decideAllSeconds = seconds(clock.now - start)
        let decisions = facts.map { ruleSet.evaluate($0, in: scope) }

        start = clock.now
        let population = Population(facts)
        figures.columnsSeconds = seconds(clock.now - start)
        let evaluator = try PopulationEvaluator(ruleSet: ruleSet)
        var outcomes = evaluator.evaluate(population)
        figures.populationSeconds = .infinity
        for _ in 0..<max(1, populationRuns) {
            start = clock.now
            outcomes = evaluator.evaluate(population)
            figures.populationSeconds = min(figures.populationSeconds, seconds(clock.now - start))
        }
        for (chunk, first) in zip(outcomes, population.chunkStarts) {
            for row in chunk.dispositions.indices {
                guard let difference = chunk.difference(at: row, from: decisions[first + row]) else { continue }
                figures.disagreements += 1
                if figures.firstDisagreements.count < 5 { figures.firstDisagreements.append("case \(first + row + 1): \(difference)") }
            }
        }
        // The timed loop's answer is used, so that the optimiser cannot drop it.
        precondition(refrained == refrainedAgain && refrained == decisions.count { $0.disposition == .refrain })
        return figures
    }

    private static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }
}
