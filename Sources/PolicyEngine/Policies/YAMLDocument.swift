import Yams

/// A policy file's YAML tree, with the helpers that turn nodes into typed values and report a
/// problem at the node's line and column.
struct YAMLDocument {
    let fileName: String
    let lines: [Substring]
    let root: Node
    private(set) var problems: [PolicyProblem] = []

    init(fileName: String, text: String) throws(PolicyProblem) {
        self.fileName = fileName
        lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if let outside = YAMLSubsetScreen.firstOutside(in: text) {
            throw PolicyProblem(location: SourceLocation(file: fileName, line: outside.line, column: outside.column), message: outside.message)
        }
        do {
            guard let root = try Yams.compose(yaml: text) else {
                throw PolicyProblem(location: SourceLocation(file: fileName, line: 1, column: 1), message: "the file is empty")
            }
            self.root = root
        } catch let problem as PolicyProblem {
            throw problem
        } catch let error as YamlError {
            throw Self.problem(from: error, fileName: fileName)
        } catch {
            throw PolicyProblem(location: SourceLocation(file: fileName, line: 1, column: 1), message: "\(error)")
        }
    }

    private static func problem(from error: YamlError, fileName: String) -> PolicyProblem {
        func at(_ mark: Mark, _ message: String) -> PolicyProblem {
            PolicyProblem(location: SourceLocation(file: fileName, line: mark.line, column: mark.column), message: message)
        }
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return at(mark, "YAML syntax: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return at(context.mark, "duplicate key(s) \(duplicates.joined(separator: ", ")) in a mapping")
        default:
            return PolicyProblem(location: SourceLocation(file: fileName, line: 1, column: 1), message: "YAML: \(error)")
        }
    }

    func location(of node: Node) -> SourceLocation {
        guard let mark = node.mark else { return SourceLocation(file: fileName, line: 1, column: 1) }
        return SourceLocation(file: fileName, line: mark.line, column: mark.column)
    }

    mutating func report(_ message: String, at node: Node) {
        problems.append(PolicyProblem(location: location(of: node), message: message))
    }

    mutating func report(_ problem: PolicyProblem) {
        problems.append(problem)
    }

    /// Where offset `offset` (in Unicode scalars) of a scalar's text lies in the file. Plain and
    /// quoted scalars are on the key's line; literal and folded blocks start on the next line at
    /// that line's indentation.
    func location(ofOffset offset: Int, in node: Node) -> SourceLocation {
        guard case .scalar(let scalar) = node, let mark = scalar.mark else { return location(of: node) }
        switch scalar.style {
        case .literal, .folded:
            // The block's text starts on the next line; each source line gives its content and one
            // character for the line break (a newline, or the space that folding puts there).
            var remaining = offset
            var indentation: Int?
            // YAML breaks lines at a carriage return too, so its line can lie past the last of
            // the file's newline-separated lines: then the block's own mark has to do.
            guard mark.line < lines.count else { return location(of: node) }
            for lineIndex in mark.line..<lines.count {
                let line = lines[lineIndex]
                let leading = line.prefix(while: { $0 == " " }).count
                if indentation == nil, leading < line.count { indentation = leading }
                let content = line.unicodeScalars.count - min(leading, indentation ?? leading)
                if remaining <= content {
                    return SourceLocation(file: fileName, line: lineIndex + 1, column: (indentation ?? leading) + remaining + 1)
                }
                remaining -= content + 1
            }
            return location(of: node)
        case .singleQuoted, .doubleQuoted:
            return SourceLocation(file: fileName, line: mark.line, column: mark.column + 1 + offset)
        default:
            return SourceLocation(file: fileName, line: mark.line, column: mark.column + offset)
        }
    }

    // MARK: Typed access

    /// The pairs of a mapping with string keys; unknown keys are reported.
    mutating func mapping(_ node: Node, allowed: Set<String>? = nil, what: String) -> [(key: String, keyNode: Node, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            report("\(what) must be a mapping", at: node)
            return nil
        }
        var pairs: [(key: String, keyNode: Node, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else {
                report("keys must be plain names", at: keyNode)
                continue
            }
            if let allowed, !allowed.contains(key.string) {
                report("unknown key '\(key.string)' in \(what); expected one of: \(allowed.sorted().joined(separator: ", "))", at: keyNode)
                continue
            }
            pairs.append((key.string, keyNode, value))
        }
        return pairs
    }

    mutating func string(_ node: Node, what: String) -> String? {
        guard case .scalar(let scalar) = node, !(scalar.style == .plain && scalar.string.isEmpty) else {
            report("\(what) must be a text value", at: node)
            return nil
        }
        return scalar.string
    }

    mutating func bool(_ node: Node, what: String) -> Bool? {
        guard case .scalar(let scalar) = node, scalar.style == .plain, ["true", "false"].contains(scalar.string) else {
            report("\(what) must be true or false", at: node)
            return nil
        }
        return scalar.string == "true"
    }

    mutating func date(_ node: Node, what: String) -> CalendarDate? {
        guard let text = string(node, what: what) else { return nil }
        guard let date = CalendarDate(text) else {
            report("\(what) '\(text)' is not a valid date YYYY-MM-DD", at: node)
            return nil
        }
        return date
    }

    mutating func sequence(_ node: Node, what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            report("\(what) must be a list", at: node)
            return nil
        }
        return Array(sequence)
    }

    mutating func strings(_ node: Node, what: String) -> [(String, Node)]? {
        guard let items = sequence(node, what: what) else { return nil }
        return items.compactMap { item in string(item, what: "an item of \(what)").map { ($0, item) } }
    }

    mutating func vocabulary<E: ContractEnum>(_ node: Node, what: String) -> E? {
        guard let text = string(node, what: what) else { return nil }
        guard let value = E(spelling: text) else {
            report("'\(text)' is not a valid \(E.vocabularyName); expected \(E.expectation)", at: node)
            return nil
        }
        return value
    }

    mutating func vocabularySet<E: ContractEnum>(_ node: Node, what: String) -> EnumSet<E> {
        var result = EnumSet<E>()
        for item in sequence(node, what: what) ?? [] {
            if let value: E = vocabulary(item, what: "an item of \(what)"), !result.insert(value) {
                report("'\(value.spelling)' is listed twice", at: item)
            }
        }
        return result
    }
}
