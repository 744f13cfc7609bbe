/// One of the contract's closed vocabularies (`action`, benefit `type`, step names, …).
///
/// Cases are stored as their ordinal (`rawValue`, declaration order) so that conditions compare small
/// integers and sets of them are bit masks; `spellings` holds the contract's words in the same order.
public protocol ContractEnum: RawRepresentable, CaseIterable, Hashable, Sendable, CustomStringConvertible
where RawValue == UInt8 {
    /// What the vocabulary is called in error messages and in the condition language's types.
    static var vocabularyName: String { get }
    /// The contract's spelling of every case, in declaration order.
    static var spellings: [String] { get }
    /// Every case in plain words, in declaration order (`PlainWords.swift`).
    static var plainWords: [String] { get }
}

extension ContractEnum {
    public var spelling: String { Self.spellings[Int(rawValue)] }
    public var description: String { spelling }

    public init?(spelling: some StringProtocol) {
        guard let index = Self.spellings.firstIndex(where: { $0 == spelling }) else { return nil }
        self.init(rawValue: UInt8(index))
    }

    /// "one of `a`, `b`, `c`", for error messages.
    public static var expectation: String {
        "one of " + spellings.map { "'\($0)'" }.joined(separator: ", ")
    }
}

/// A set of cases of a contract vocabulary, as a bit mask over their ordinals.
public struct EnumSet<Element: ContractEnum>: Hashable, Sendable, Sequence {
    public private(set) var bits: UInt64

    public init() { bits = 0 }
    public init(bits: UInt64) { self.bits = bits }
    public init(_ elements: some Sequence<Element>) {
        bits = 0
        for element in elements { insert(element) }
    }

    public var isEmpty: Bool { bits == 0 }
    public var count: Int { bits.nonzeroBitCount }
    public func contains(_ element: Element) -> Bool { bits & (1 << UInt64(element.rawValue)) != 0 }

    /// Inserts the element and says whether it was new.
    @discardableResult
    public mutating func insert(_ element: Element) -> Bool {
        let mask: UInt64 = 1 << UInt64(element.rawValue)
        defer { bits |= mask }
        return bits & mask == 0
    }

    public func union(_ other: EnumSet) -> EnumSet { EnumSet(bits: bits | other.bits) }
    public func subtracting(_ other: EnumSet) -> EnumSet { EnumSet(bits: bits & ~other.bits) }
    public func intersection(_ other: EnumSet) -> EnumSet { EnumSet(bits: bits & other.bits) }

    public func makeIterator() -> Iterator { Iterator(remaining: bits) }

    /// Yields the elements in ordinal order.
    public struct Iterator: IteratorProtocol {
        var remaining: UInt64

        public mutating func next() -> Element? {
            guard remaining != 0 else { return nil }
            let ordinal = remaining.trailingZeroBitCount
            remaining &= remaining - 1
            return Element(rawValue: UInt8(ordinal))
        }
    }

    public var spellings: [String] { map(\.spelling) }
}
