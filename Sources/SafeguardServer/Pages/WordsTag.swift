import LeafKit
import PolicyEngine
import SafeguardCore

/// `#words(code, "vocabulary")`: a code in plain words (`PageWords`; the vocabulary `policy`
/// names the rule set's documents), so that templates never show a code.
struct WordsTag: LeafTag {
    /// Policy id → what pages call the document.
    let policyNames: [String: String]

    init(ruleSet: RuleSet) {
        policyNames = Dictionary(uniqueKeysWithValues: ruleSet.documents.map { ($0.id, $0.name) })
    }

    func render(_ context: LeafContext) throws -> LeafData {
        try context.requireParameterCount(2)
        guard let vocabulary = context.parameters[1].string else { throw LeafError(.unknownError("#words: the second parameter names a vocabulary")) }
        // An absent value (an optional field left empty) shows as nothing.
        guard let code = context.parameters[0].string else { return .string("") }
        if vocabulary == "policy" { return .string(policyNames[code] ?? code) }
        return .string(try PageWords.words(code, in: vocabulary))
    }
}
