extension StringProtocol {
    /// The text with its first letter capitalized, to begin a sentence or a label.
    var sentenceCased: String { prefix(1).uppercased() + dropFirst() }
}
