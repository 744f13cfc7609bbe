/// Finds, before Yams composes a policy file, the YAML that policy files have no use for and that
/// composing can spend exponential time on: keys that are not scalars (the explicit-key indicator
/// `?`, a flow collection followed by `:`) and aliases (`*name`). Yams checks a mapping's keys for
/// duplicates by hashing them and sorts duplicates by comparing whole key subtrees, twice per
/// level: fuzzing found a 1.6 KB file of nested explicit keys that took 13 s to load, and one of
/// aliases in key position (each standing for a million nodes) that took longer.
///
/// It reads the text as YAML's scanner does, as far as that needs: quoted scalars (which may span
/// lines), comments, block scalars (`|`, `>`: their lines are content) and the flow depth.
/// A `?` or `*` that begins a line of a multi-line plain scalar is taken for the indicator too.
struct YAMLSubsetScreen {
    struct Finding: Equatable {
        /// 1-based, as the loader reports places.
        var line: Int
        var column: Int
        var message: String
    }

    static func firstOutside(in text: String) -> Finding? {
        var screen = YAMLSubsetScreen()
        // Lines end where YAML's do, at a carriage return too (and, erring towards more token
        // starts, at every other line separator).
        for (index, line) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            if let finding = screen.scan(Array(line.unicodeScalars), lineNumber: index + 1) { return finding }
        }
        return nil
    }

    /// The quote a scalar opened on an earlier line and has not closed yet.
    private var openQuote: Unicode.Scalar?
    /// Inside a block scalar: the indentation its content lines exceed.
    private var blockScalarParentIndentation: Int?
    private var flowDepth = 0

    private mutating func scan(_ line: [Unicode.Scalar], lineNumber: Int) -> Finding? {
        let indentation = line.prefix(while: { $0 == " " }).count
        if let parent = blockScalarParentIndentation {
            if indentation == line.count || indentation > parent { return nil }
            blockScalarParentIndentation = nil
        }
        func isBlank(_ index: Int) -> Bool { index >= line.count || line[index] == " " || line[index] == "\t" || line[index] == "\r" }
        func found(_ index: Int, _ message: String) -> Finding { Finding(line: lineNumber, column: index + 1, message: message) }
        // The column of the line's node once its "- " entries are passed: a block scalar's
        // content is indented past it (past the node's parent, strictly, so this errs towards
        // reading more lines as YAML).
        var nodeColumn = indentation
        while nodeColumn < line.count, line[nodeColumn] == "-", isBlank(nodeColumn + 1) {
            nodeColumn += 1
            while nodeColumn < line.count, line[nodeColumn] == " " { nodeColumn += 1 }
        }
        // Whether the next character begins a token (a node, a key) rather than continuing one.
        var atTokenStart = true
        var index = indentation
        while index < line.count {
            let character = line[index]
            defer { index += 1 }
            if let quote = openQuote {
                if character == "\\" && quote == "\"" {
                    index += 1
                } else if character == quote {
                    // In a single-quoted scalar '' is a quote, not the end.
                    if quote == "'" && index + 1 < line.count && line[index + 1] == "'" { index += 1 } else { openQuote = nil; atTokenStart = false }
                }
                continue
            }
            if character == " " || character == "\t" || character == "\r" { continue }
            if character == "#" && (index == 0 || isBlank(index - 1)) { return nil }
            if atTokenStart && (character == "\"" || character == "'") {
                openQuote = character
            } else if atTokenStart && character == "?" && isBlank(index + 1) {
                return found(index, "an explicit key ('? '): policy files use plain keys")
            } else if atTokenStart && (character == "&" || character == "!") {
                // A node's anchor or tag: the node itself comes after it.
                while index + 1 < line.count, !isBlank(index + 1) { index += 1 }
            } else if atTokenStart && character == "*" && !isBlank(index + 1) {
                return found(index, "an alias ('*name'): policy files write each value out")
            } else if atTokenStart && (character == "[" || character == "{") {
                flowDepth += 1
            } else if flowDepth > 0 && (character == "]" || character == "}") {
                flowDepth -= 1
                var next = index + 1
                while next < line.count, line[next] == " " || line[next] == "\t" { next += 1 }
                if next < line.count, line[next] == ":" { return found(index, "a flow collection as a key: policy files use plain keys") }
                atTokenStart = false
            } else if flowDepth > 0 && (character == "," || character == ":") {
                atTokenStart = true
            } else if (character == "-" || character == ":") && isBlank(index + 1) {
                atTokenStart = true
            } else if atTokenStart && (character == "|" || character == ">") {
                // A block scalar's header: its indicators, then nothing but a comment.
                var next = index + 1
                while next < line.count, "+-0123456789".unicodeScalars.contains(line[next]) { next += 1 }
                while next < line.count, line[next] == " " || line[next] == "\t" { next += 1 }
                if next == line.count || line[next] == "#" { blockScalarParentIndentation = nodeColumn }
                return nil
            } else {
                atTokenStart = false
            }
        }
        return nil
    }
}
