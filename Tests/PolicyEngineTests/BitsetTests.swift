@testable import PolicyEngine
import Testing

/// Bitsets built from a predicate per row, by row or by a column's values: every row's bit as
/// the predicate says, whole words and a partial last word alike, and nothing past the last row.
@Suite struct BitsetTests {
    @Test(arguments: [0, 1, 63, 64, 65, 127, 128, 130, 1000])
    func everyRowsBitIsWhatThePredicateSays(count: Int) {
        let byRow = Bitset(count: count) { $0 % 3 == 0 || $0 % 64 == 63 }
        let values = (0..<count).map { Int32($0 % 7) }
        let byValue = Bitset(values) { $0 == 2 || $0 == 6 }
        #expect(byRow.count == count && byValue.count == count)
        #expect((0..<count).allSatisfy { byRow[$0] == ($0 % 3 == 0 || $0 % 64 == 63) })
        #expect((0..<count).allSatisfy { byValue[$0] == [2, 6].contains($0 % 7) })
        #expect(byRow.nonzeroBitCount == (0..<count).filter { $0 % 3 == 0 || $0 % 64 == 63 }.count, "no bit past the last row")
        #expect(byValue.nonzeroBitCount == values.filter { $0 == 2 || $0 == 6 }.count, "no bit past the last row")
    }
}
