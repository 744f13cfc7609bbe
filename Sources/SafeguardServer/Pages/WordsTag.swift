import LeafKit
import SafeguardCore

/// `#words(code, "vocabulary")`: a code in plain words (`PageWords`), so that templates never
/// show a code.
struct WordsTag: LeafTag {
    func render(_ context: LeafContext) throws -> LeafData {
        try context.requireParameterCount(2)
        guard let vocabulary = context.parameters[1].string else { throw LeafError(.unknownError("#words: the second parameter names a vocabulary")) }
        // An absent value (an optional field left empty) shows as nothing.
        guard let code = context.parameters[0].string else { return .string("") }
        return .string(try PageWords.words(code, in: vocabulary))
    }
}
