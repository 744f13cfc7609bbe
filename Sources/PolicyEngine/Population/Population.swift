/// A population of cases in columns, cut into chunks small enough to stay in the cache while
/// each is decided; the chunks are laid out and decided on every core.
public struct Population: Sendable {
    public let chunks: [PopulationColumns]
    /// The first case of each chunk, as an index into the whole population.
    public let chunkStarts: [Int]

    public var count: Int { chunks.reduce(0) { $0 + $1.count } }

    public init(_ cases: [CaseFacts], chunkSize: Int = 1 << 15) {
        let starts = Array(stride(from: 0, to: cases.count, by: max(1, chunkSize)))
        chunkStarts = starts
        chunks = concurrentMap(starts.indices) { index in
            PopulationColumns(cases[starts[index]..<min(cases.count, starts[index] + chunkSize)])
        }
    }
}

extension PopulationEvaluator {
    /// Decides every chunk of a population, on every core; outcomes in the order of the chunks.
    public func evaluate(_ population: Population) -> [PopulationOutcomes] {
        concurrentMap(population.chunks.indices) { evaluate(population.chunks[$0]) }
    }
}
