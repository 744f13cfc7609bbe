/// The parsed form of a condition: a small subset of Google's CEL.
public struct Expression: Sendable, Equatable {
    public indirect enum Kind: Sendable, Equatable {
        case boolLiteral(Bool)
        case intLiteral(Int)
        case stringLiteral(String)
        case identifier(String)
        /// `target.name`
        case member(Expression, String)
        /// `name(arguments)` or `target.name(arguments)`
        case call(target: Expression?, name: String, arguments: [Expression])
        case list([Expression])
        case not(Expression)
        case negate(Expression)
        case binary(BinaryOperator, Expression, Expression)
    }

    public let kind: Kind
    /// Offset of the expression's first character, in Unicode scalars.
    public let offset: Int
    /// Levels of the tree from here down: 1 for a leaf. The parser bounds it, because the type
    /// checker and the compilers recurse over the tree.
    public let height: Int

    public init(kind: Kind, offset: Int) {
        self.kind = kind
        self.offset = offset
        let children: [Expression] = switch kind {
        case .boolLiteral, .intLiteral, .stringLiteral, .identifier: []
        case .member(let target, _), .not(let target), .negate(let target): [target]
        case .call(let target, _, let arguments): (target.map { [$0] } ?? []) + arguments
        case .list(let elements): elements
        case .binary(_, let left, let right): [left, right]
        }
        height = 1 + (children.map(\.height).max() ?? 0)
    }
}

public enum BinaryOperator: String, Sendable, Equatable {
    case or = "||", and = "&&"
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case `in` = "in"
}

/// A token of the condition language.
struct Token: Equatable {
    enum Kind: Equatable {
        case identifier(String)
        case int(Int)
        case string(String)
        case symbol(String)
        case end
    }

    var kind: Kind
    var offset: Int
}

/// Splits a condition into tokens.
struct Lexer {
    private let scalars: [Unicode.Scalar]
    private var index = 0

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    static func tokens(of text: String) throws(ConditionError) -> [Token] {
        var lexer = Lexer(text)
        var tokens: [Token] = []
        while true {
            let token = try lexer.next()
            tokens.append(token)
            if token.kind == .end { return tokens }
        }
    }

    private static let symbols = ["&&", "||", "==", "!=", "<=", ">=", "<", ">", "!", "(", ")", "[", "]", ",", ".", "-"]

    private mutating func next() throws(ConditionError) -> Token {
        while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
        let start = index
        guard index < scalars.count else { return Token(kind: .end, offset: start) }
        let scalar = scalars[index]
        if scalar == "_" || scalar.properties.isAlphabetic, scalar.isASCII {
            while index < scalars.count, scalars[index].isASCII,
                  scalars[index] == "_" || scalars[index].properties.isAlphabetic || ("0"..."9").contains(scalars[index]) {
                index += 1
            }
            return Token(kind: .identifier(String(String.UnicodeScalarView(scalars[start..<index]))), offset: start)
        }
        if ("0"..."9").contains(scalar) {
            var value = 0
            while index < scalars.count, ("0"..."9").contains(scalars[index]) {
                let (product, overflow) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = product.addingReportingOverflow(Int(scalars[index].value) - 48)
                guard !overflow, !overflow2 else { throw ConditionError(offset: start, message: "integer literal too large") }
                value = sum
                index += 1
            }
            return Token(kind: .int(value), offset: start)
        }
        if scalar == "'" || scalar == "\"" {
            index += 1
            var text = String.UnicodeScalarView()
            while index < scalars.count, scalars[index] != scalar {
                if scalars[index] == "\\" {
                    index += 1
                    guard index < scalars.count else { break }
                    switch scalars[index] {
                    case "\\", "'", "\"": text.append(scalars[index])
                    case "n": text.append("\n")
                    case "t": text.append("\t")
                    default: throw ConditionError(offset: index - 1, message: "unknown escape '\\\(scalars[index])' in a string")
                    }
                } else {
                    text.append(scalars[index])
                }
                index += 1
            }
            guard index < scalars.count else { throw ConditionError(offset: start, message: "unterminated string literal") }
            index += 1
            return Token(kind: .string(String(text)), offset: start)
        }
        for symbol in Lexer.symbols {
            let symbolScalars = Array(symbol.unicodeScalars)
            if index + symbolScalars.count <= scalars.count, Array(scalars[index..<index + symbolScalars.count]) == symbolScalars {
                index += symbolScalars.count
                return Token(kind: .symbol(symbol), offset: start)
            }
        }
        if scalar == "=" { throw ConditionError(offset: start, message: "unexpected '='; compare with '=='") }
        if scalar == "&" || scalar == "|" {
            throw ConditionError(offset: start, message: "unexpected '\(scalar)'; use '\(scalar)\(scalar)'")
        }
        throw ConditionError(offset: start, message: "unexpected character '\(scalar)'")
    }
}

/// Parses a condition into an `Expression`, by recursive descent over CEL's precedence levels:
/// `||`, `&&`, relations (`==` `!=` `<` `<=` `>` `>=` `in`), unary `!` and `-`, member access and calls.
public struct ConditionParser {
    /// The deepest tree a condition may make (`Expression.height`). Policies nest a few levels;
    /// a deeper condition is refused instead of exhausting the stack of whoever recurses over it.
    public static let maximumHeight = 100
    private let tokens: [Token]
    private var position = 0
    /// Frames of `parseUnary` open now: every recursion of the descent passes through it.
    private var nesting = 0

    public static func parse(_ text: String) throws(ConditionError) -> Expression {
        var parser = ConditionParser(tokens: try Lexer.tokens(of: text))
        let expression = try parser.parseOr()
        guard case .end = parser.current.kind else {
            throw ConditionError(offset: parser.current.offset, message: "unexpected \(parser.current.kind.description) after the end of the condition")
        }
        return expression
    }

    private init(tokens: [Token]) {
        self.tokens = tokens
    }

    private var current: Token { tokens[position] }

    private mutating func take(_ symbol: String) -> Bool {
        guard current.kind == .symbol(symbol) else { return false }
        position += 1
        return true
    }

    private mutating func expect(_ symbol: String, _ context: String) throws(ConditionError) {
        guard take(symbol) else {
            throw ConditionError(offset: current.offset, message: "expected '\(symbol)' \(context), found \(current.kind.description)")
        }
    }

    private mutating func parseOr() throws(ConditionError) -> Expression {
        var left = try parseAnd()
        while case .symbol("||") = current.kind {
            position += 1
            let right = try parseAnd()
            left = try bounded(Expression(kind: .binary(.or, left, right), offset: left.offset))
        }
        return left
    }

    private mutating func parseAnd() throws(ConditionError) -> Expression {
        var left = try parseRelation()
        while case .symbol("&&") = current.kind {
            position += 1
            let right = try parseRelation()
            left = try bounded(Expression(kind: .binary(.and, left, right), offset: left.offset))
        }
        return left
    }

    private mutating func parseRelation() throws(ConditionError) -> Expression {
        let left = try parseUnary()
        let relation: BinaryOperator?
        switch current.kind {
        case .symbol(let symbol): relation = BinaryOperator(rawValue: symbol).flatMap { [.or, .and].contains($0) ? nil : $0 }
        case .identifier("in"): relation = .in
        default: relation = nil
        }
        guard let relation else { return left }
        position += 1
        let right = try parseUnary()
        if case .symbol(let symbol) = current.kind, let next = BinaryOperator(rawValue: symbol), ![.or, .and].contains(next) {
            throw ConditionError(offset: current.offset, message: "comparisons do not chain; add parentheses or '&&'")
        }
        return try bounded(Expression(kind: .binary(relation, left, right), offset: left.offset))
    }

    private mutating func parseUnary() throws(ConditionError) -> Expression {
        let start = current.offset
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= Self.maximumHeight else { throw tooDeep(at: start) }
        if take("!") { return try bounded(Expression(kind: .not(try parseUnary()), offset: start)) }
        if take("-") { return try bounded(Expression(kind: .negate(try parseUnary()), offset: start)) }
        return try parseMember()
    }

    /// The node, unless it is deeper than a condition may be.
    private func bounded(_ expression: Expression) throws(ConditionError) -> Expression {
        guard expression.height <= Self.maximumHeight else { throw tooDeep(at: expression.offset) }
        return expression
    }

    private func tooDeep(at offset: Int) -> ConditionError {
        ConditionError(offset: offset, message: "the condition nests deeper than \(Self.maximumHeight) levels; split it into definitions")
    }

    private mutating func parseMember() throws(ConditionError) -> Expression {
        var expression = try parsePrimary()
        while take(".") {
            guard case .identifier(let name) = current.kind else {
                throw ConditionError(offset: current.offset, message: "expected a field or method name after '.', found \(current.kind.description)")
            }
            let nameOffset = current.offset
            position += 1
            if take("(") {
                let arguments = try parseArguments(closing: ")")
                expression = try bounded(Expression(kind: .call(target: expression, name: name, arguments: arguments), offset: nameOffset))
            } else {
                expression = try bounded(Expression(kind: .member(expression, name), offset: nameOffset))
            }
        }
        return expression
    }

    private mutating func parseArguments(closing: String) throws(ConditionError) -> [Expression] {
        var arguments: [Expression] = []
        if take(closing) { return arguments }
        repeat {
            arguments.append(try parseOr())
        } while take(",")
        try expect(closing, "to close the list")
        return arguments
    }

    private mutating func parsePrimary() throws(ConditionError) -> Expression {
        let token = current
        switch token.kind {
        case .int(let value):
            position += 1
            return Expression(kind: .intLiteral(value), offset: token.offset)
        case .string(let value):
            position += 1
            return Expression(kind: .stringLiteral(value), offset: token.offset)
        case .identifier("true"), .identifier("false"):
            position += 1
            return Expression(kind: .boolLiteral(token.kind == .identifier("true")), offset: token.offset)
        case .identifier("null"):
            throw ConditionError(offset: token.offset, message: "null is not part of the condition language: omitted facts have defaults")
        case .identifier(let name):
            position += 1
            if take("(") {
                return try bounded(Expression(kind: .call(target: nil, name: name, arguments: try parseArguments(closing: ")")), offset: token.offset))
            }
            return Expression(kind: .identifier(name), offset: token.offset)
        case .symbol("("):
            position += 1
            let inner = try parseOr()
            try expect(")", "to close the parenthesis")
            return inner
        case .symbol("["):
            position += 1
            return try bounded(Expression(kind: .list(try parseArguments(closing: "]")), offset: token.offset))
        default:
            throw ConditionError(offset: token.offset, message: "expected a value, found \(token.kind.description)")
        }
    }
}

extension Token.Kind {
    var description: String {
        switch self {
        case .identifier(let name): "'\(name)'"
        case .int(let value): "'\(value)'"
        case .string(let value): "the string '\(value)'"
        case .symbol(let symbol): "'\(symbol)'"
        case .end: "the end of the condition"
        }
    }
}
