import LeafKit

/// `#fieldProblem("field")`: the problem a refused form left for one field (`Flash.problems`),
/// shown beside it as the error summary links to it; nothing when the field had none.
struct FieldProblemTag: UnsafeUnescapedLeafTag {
    func render(_ context: LeafContext) throws -> LeafData {
        try context.requireParameterCount(1)
        guard let field = context.parameters[0].string else { throw LeafError(.unknownError("#fieldProblem: the parameter names a field")) }
        let problems = context.data["flash"]?.dictionary?["problems"]?.array ?? []
        let texts = problems.compactMap(\.dictionary).filter { $0["field"]?.string == field }.compactMap { $0["text"]?.string }
        guard !texts.isEmpty else { return .string("") }
        return .string(#"<span class="field-problem" id="\#(field.htmlEscaped)-problem">"# + texts.map(\.htmlEscaped).joined(separator: " ") + "</span>")
    }
}
