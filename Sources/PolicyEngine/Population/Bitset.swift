/// One bit per row of a population: the column form of a boolean. Operations run a word (64
/// rows) at a time, in loops the compiler vectorises.
public struct Bitset: Sendable, Equatable {
    public let count: Int
    public private(set) var words: [UInt64]

    public init(count: Int, filled: Bool = false) {
        self.count = count
        words = Array(repeating: filled ? ~0 : 0, count: (count + 63) / 64)
        if filled { clearTail() }
    }

    /// Sets the bits of the rows for which `body` says true.
    @inline(__always)
    public init(count: Int, _ body: (Int) -> Bool) {
        self.init(count: count)
        words.withUnsafeMutableBufferPointer { words in
            guard let last = words.indices.last else { return }
            // Without a branch: a row's bit is as likely set as not, and a branch per row
            // mispredicts. Whole words in a loop of a fixed 64 rows, which the compiler unrolls.
            for index in 0..<last {
                let first = index << 6
                var word: UInt64 = 0
                for bit in 0..<64 { word |= UInt64(body(first + bit) ? 1 : 0) << UInt64(bit) }
                words[index] = word
            }
            let first = last << 6
            var word: UInt64 = 0
            for bit in 0..<count - first { word |= UInt64(body(first + bit) ? 1 : 0) << UInt64(bit) }
            words[last] = word
        }
    }

    /// Sets the bits of the rows of a column whose value `body` says true of, reading the
    /// column's storage without a bounds check per row.
    @inline(__always)
    public init<Value>(_ values: [Value], _ body: (Value) -> Bool) {
        self = values.withUnsafeBufferPointer { values in Bitset(count: values.count) { body(values[$0]) } }
    }

    @inline(__always)
    public subscript(row: Int) -> Bool {
        get { words[row >> 6] & (1 << UInt64(row & 63)) != 0 }
        set {
            if newValue { words[row >> 6] |= 1 << UInt64(row & 63) } else { words[row >> 6] &= ~(1 << UInt64(row & 63)) }
        }
    }

    public var nonzeroBitCount: Int { words.reduce(0) { $0 + $1.nonzeroBitCount } }

    public var isEmpty: Bool { words.allSatisfy { $0 == 0 } }

    /// Calls `body` with each set row, in order.
    @inline(__always)
    public func forEachSetRow(_ body: (Int) -> Void) {
        for (index, word) in words.enumerated() {
            var remaining = word
            while remaining != 0 {
                body(index << 6 | remaining.trailingZeroBitCount)
                remaining &= remaining - 1
            }
        }
    }

    public static func & (lhs: Bitset, rhs: Bitset) -> Bitset { lhs.combined(with: rhs) { $0 & $1 } }
    public static func | (lhs: Bitset, rhs: Bitset) -> Bitset { lhs.combined(with: rhs) { $0 | $1 } }
    /// Rows where exactly one side is set.
    public static func ^ (lhs: Bitset, rhs: Bitset) -> Bitset { lhs.combined(with: rhs) { $0 ^ $1 } }

    public static prefix func ~ (operand: Bitset) -> Bitset {
        var result = operand
        result.words.withUnsafeMutableBufferPointer { words in
            for index in words.indices { words[index] = ~words[index] }
        }
        result.clearTail()
        return result
    }

    @inline(__always)
    private func combined(with other: Bitset, _ operation: (UInt64, UInt64) -> UInt64) -> Bitset {
        precondition(count == other.count, "bitsets of different populations")
        var result = self
        result.words.withUnsafeMutableBufferPointer { words in
            other.words.withUnsafeBufferPointer { others in
                for index in words.indices { words[index] = operation(words[index], others[index]) }
            }
        }
        return result
    }

    /// Keeps the bits past `count` clear, so counts and equality see only rows.
    private mutating func clearTail() {
        let used = count & 63
        if used != 0 { words[words.count - 1] &= (1 << UInt64(used)) - 1 }
    }
}
