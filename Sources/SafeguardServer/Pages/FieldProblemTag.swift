import LeafKit

/// `#fieldProblem("field")`: the problem a refused form left for one field (`Flash.problems`),
/// shown beside it as the error summary links to it; nothing when the field had none.
struct FieldProblemTag: UnsafeUnescapedLeafTag {
    func render(_ context: LeafContext) throws -> LeafData {
        try context.requireParameterCount(1)
        let field = try Self.field(context)
        let texts = Self.problems(of: field, in: context)
        guard !texts.isEmpty else { return .string("") }
        return .string(#"<span class="field-problem" id="\#(field.htmlEscaped)-problem">"# + texts.map(\.htmlEscaped).joined(separator: " ") + "</span>")
    }

    /// The field the tag names first.
    static func field(_ context: LeafContext) throws -> String {
        guard let field = context.parameters.first?.string else { throw LeafError(.unknownError("a field problem tag names a field")) }
        return field
    }

    /// The texts of the field's problems in the page's flash.
    static func problems(of field: String, in context: LeafContext) -> [String] {
        let problems = context.data["flash"]?.dictionary?["problems"]?.array ?? []
        return problems.compactMap(\.dictionary).filter { $0["field"]?.string == field }.compactMap { $0["text"]?.string }
    }
}

/// `<input … #fieldInvalid("field")>` or `#fieldInvalid("field", "help-id")`: marks a field that
/// has a problem as invalid and ties it to the problem's text (and its help, if any), for screen
/// readers; a field without a problem is described by its help alone.
struct FieldInvalidTag: UnsafeUnescapedLeafTag {
    func render(_ context: LeafContext) throws -> LeafData {
        let field = try FieldProblemTag.field(context)
        let invalid = !FieldProblemTag.problems(of: field, in: context).isEmpty
        let help = context.parameters.dropFirst().compactMap(\.string).map(\.htmlEscaped)
        let described = (invalid ? ["\(field.htmlEscaped)-problem"] : []) + help
        return .string((invalid ? #" aria-invalid="true""# : "") + (described.isEmpty ? "" : #" aria-describedby="\#(described.joined(separator: " "))""#))
    }
}
