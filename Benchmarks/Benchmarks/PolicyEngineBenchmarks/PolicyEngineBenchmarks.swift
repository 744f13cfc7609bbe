import Benchmark
import Foundation
import PolicyEngine

/// The repository's policy folder, found from this file's place in it.
let policyFolder = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Policies/documents")

let benchmarks: @Sendable () -> Void = {
    let ruleSet = try! RuleSet.load(from: policyFolder)
    var generator = CaseGenerator(seed: 2026, ruleSet: ruleSet)
    let pool = (0..<65_536).map { _ in generator.next() }
    let poolJSON = pool.map { Array($0.json.serialized().utf8) }

    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
                                           maxDuration: .seconds(5), maxIterations: 10_000_000)

    // One decision, from decoded facts to the decision value (allocations counted apart, since
    // counting them slows each sample).
    Benchmark("decide one case", configuration: .init(metrics: [.wallClock, .throughput])) { benchmark in
        let scope = ruleSet.makeScope()
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(ruleSet.evaluate(pool[index & 0xFFFF], in: scope))
            index &+= 1
        }
    }

    Benchmark("decide one case: allocations", configuration: .init(metrics: [.mallocCountTotal], maxIterations: 100_000)) { benchmark in
        let scope = ruleSet.makeScope()
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(ruleSet.evaluate(pool[index & 0xFFFF], in: scope))
            index &+= 1
        }
    }

    // Decisions per second on one core: 100,000 decisions an iteration.
    Benchmark("decide 100k cases on one core", configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .one)) { benchmark in
        let scope = ruleSet.makeScope()
        for _ in benchmark.scaledIterations {
            for index in 0..<100_000 { blackHole(ruleSet.evaluate(pool[index & 0xFFFF], in: scope)) }
        }
    }

    // The parse cost, apart from evaluation: one case's JSON to facts.
    Benchmark("decode one case", configuration: .init(metrics: [.wallClock, .throughput, .mallocCountTotal])) { benchmark in
        var index = 0
        for _ in benchmark.scaledIterations {
            blackHole(try? CaseDecoder.decode(json: poolJSON[index & 0xFFFF]))
            index &+= 1
        }
    }

    // Loading and compiling the policy files.
    Benchmark("load the policy folder", configuration: .init(metrics: [.wallClock], maxIterations: 200)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try! RuleSet.load(from: policyFolder)) }
    }

    // `batch` end to end over 1,000,000 generated cases: read, decode, decide, write (to /dev/null).
    Benchmark("batch 1M cases end to end", configuration: .init(
        metrics: [.wallClock, .peakMemoryResident], scalingFactor: .one, maxDuration: .seconds(60), maxIterations: 3
    )) { benchmark in
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("safeguard-benchmark-cases.jsonl")
        if !FileManager.default.fileExists(atPath: file.path) {
            var cases = CaseGenerator(seed: 7, ruleSet: ruleSet)
            var text: [UInt8] = []
            for index in 0..<1_000_000 {
                cases.next(caseId: "case-\(index)").json.write(to: &text, pretty: false, indent: 0)
                text.append(UInt8(ascii: "\n"))
            }
            FileManager.default.createFile(atPath: file.path, contents: Data(text))
        }
        let sink = FileHandle(forWritingAtPath: "/dev/null")!
        for _ in benchmark.scaledIterations {
            benchmark.startMeasurement()
            var reader = LineReader(handle: FileHandle(forReadingAtPath: file.path)!)
            let summary = try! BatchEvaluator(ruleSet: ruleSet).run(&reader, write: { sink.write(Data($0)) }, badLine: { _ in })
            precondition(summary.cases == 1_000_000)
            benchmark.stopMeasurement()
        }
    }

    // The population evaluator: 1,000,000 cases laid out in columns once, decided as a whole
    // (both cores); the layout timed apart.
    let million = (0..<1_000_000).map { pool[$0 & 0xFFFF] }
    let evaluator = try! PopulationEvaluator(ruleSet: ruleSet)
    Benchmark("population evaluator, 1M cases", configuration: .init(metrics: [.wallClock, .peakMemoryResident], scalingFactor: .one)) { benchmark in
        let population = Population(million)
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations { blackHole(evaluator.evaluate(population)) }
    }

    Benchmark("lay out 1M cases in columns", configuration: .init(metrics: [.wallClock], scalingFactor: .one, maxIterations: 20)) { benchmark in
        for _ in benchmark.scaledIterations { blackHole(Population(million)) }
    }
}
