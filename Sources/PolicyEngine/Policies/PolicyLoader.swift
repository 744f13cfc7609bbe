import Foundation
import Yams

/// Reads a folder's policy files into a `RuleSet`: metadata, parameters, definitions and rules,
/// every condition parsed and type-checked, periods derived from what supersedes or rescinds what.
/// It collects every problem it finds before giving up.
struct PolicyLoader {
    private let files: [(name: String, bytes: [UInt8])]
    private var problems: [PolicyProblem] = []
    private let slots = SlotCounter()
    private let usage = FieldUsage()

    init(files: [(name: String, bytes: [UInt8])]) {
        self.files = files
    }

    private static let policyKeys: Set<String> = [
        "kind", "id", "number", "name", "title", "issued", "inForceFrom", "supersedes", "rescinds", "summary",
        "parameters", "definitions", "rules", "invariants",
    ]
    private static let termsKeys: Set<String> = ["kind", "title", "summary", "parameters", "definitions"]

    /// One file after the first pass: metadata, parameters and the raw definitions and rules.
    private struct ParsedFile {
        var document: YAMLDocument
        var policy: PolicyDocument?
        var parameters: [String: Parameter] = [:]
        var definitionNodes: [(name: String, keyNode: Node, value: Node)] = []
        var ruleNodes: [Node] = []
        var invariantNodes: [Node] = []
        var endingNodes: [String: Node] = [:]
    }

    mutating func load() throws(PolicyLoadError) -> RuleSet {
        var parsed: [ParsedFile] = []
        for file in files {
            guard let text = String(validating: file.bytes, as: UTF8.self) else {
                problems.append(PolicyProblem(location: SourceLocation(file: file.name, line: 1, column: 1), message: "the file is not valid UTF-8"))
                continue
            }
            do {
                parsed.append(readMetadata(try YAMLDocument(fileName: file.name, text: text)))
            } catch {
                problems.append(error)
            }
        }
        let definitions = readDefinitions(&parsed)
        for index in parsed.indices {
            compileRules(&parsed[index], definitions: definitions)
            problems += parsed[index].document.problems
        }
        var documents = parsed.compactMap(\.policy)
        deriveEnds(&documents, parsed: parsed)
        checkUniqueness(documents)
        guard problems.isEmpty else { throw PolicyLoadError(problems.sorted { ($0.location.file, $0.location.line, $0.location.column) < ($1.location.file, $1.location.line, $1.location.column) }) }
        documents.sort { ($0.inForceFrom?.ordinal ?? 0, $0.id) < ($1.inForceFrom?.ordinal ?? 0, $1.id) }
        return RuleSet(
            documents: documents, definitions: definitions, files: files, digest: RuleSet.digest(of: files),
            fieldUsage: usage, slotCount: slots.count
        )
    }

    // MARK: First pass

    private func readMetadata(_ document: YAMLDocument) -> ParsedFile {
        var file = ParsedFile(document: document)
        let root = document.root
        let isTerms = root["kind"]?.string == "terms"
        guard let pairs = file.document.mapping(root, allowed: isTerms ? Self.termsKeys : Self.policyKeys, what: "a policy file") else {
            return file
        }
        var values: [String: Node] = [:]
        for pair in pairs { values[pair.key] = pair.value }
        if let kind = values["kind"], let text = file.document.string(kind, what: "kind"), !["policy", "terms"].contains(text) {
            file.document.report("kind must be 'policy' or 'terms'", at: kind)
        }
        if let node = values["parameters"] { file.parameters = readParameters(node, &file.document) }
        if let node = values["definitions"], let pairs = file.document.mapping(node, what: "definitions") {
            file.definitionNodes = pairs.map { ($0.key, $0.keyNode, $0.value) }
        }
        guard !isTerms else { return file }

        func required(_ key: String) -> Node? {
            guard let node = values[key] else {
                file.document.report("missing key '\(key)'", at: root)
                return nil
            }
            return node
        }
        let id = required("id").flatMap { file.document.string($0, what: "id") } ?? ""
        if !id.isEmpty, document.fileName != "\(id).yaml" {
            file.document.report("a policy file is named after its id: expected '\(id).yaml'", at: values["id"]!)
        }
        let title = required("title").flatMap { file.document.string($0, what: "title") } ?? ""
        func references(_ key: String) -> [String] {
            guard let node = values[key], let items = file.document.strings(node, what: key) else { return [] }
            for (name, node) in items { file.endingNodes[name] = node }
            return items.map(\.0)
        }
        let rules = required("rules").flatMap { file.document.sequence($0, what: "rules") } ?? []
        file.ruleNodes = rules
        file.invariantNodes = values["invariants"].flatMap { file.document.sequence($0, what: "invariants") } ?? []
        file.policy = PolicyDocument(
            id: id,
            number: values["number"].flatMap { file.document.string($0, what: "number") },
            title: title,
            name: values["name"].flatMap { file.document.string($0, what: "name") } ?? title,
            issued: values["issued"].flatMap { file.document.date($0, what: "issued") },
            inForceFrom: values["inForceFrom"].flatMap { file.document.date($0, what: "inForceFrom") },
            supersedes: references("supersedes"),
            rescinds: references("rescinds"),
            summary: values["summary"].flatMap { file.document.string($0, what: "summary") } ?? "",
            fileName: document.fileName,
            parameters: file.parameters.values.sorted { $0.name < $1.name },
            rules: []
        )
        return file
    }

    private static let parameterKeys: Set<String> = ["type", "value", "notInTexts", "description"]

    private func readParameters(_ node: Node, _ document: inout YAMLDocument) -> [String: Parameter] {
        var parameters: [String: Parameter] = [:]
        for (name, keyNode, declaration) in document.mapping(node, what: "parameters") ?? [] {
            guard let fields = document.mapping(declaration, allowed: Self.parameterKeys, what: "a parameter") else { continue }
            var values: [String: Node] = [:]
            for field in fields { values[field.key] = field.value }
            guard let typeNode = values["type"], let valueNode = values["value"] else {
                document.report("parameter '\(name)' needs a type and a value", at: keyNode)
                continue
            }
            guard let typeText = document.string(typeNode, what: "type") else { continue }
            guard let type = ValueType(declaration: typeText) else {
                document.report("unknown type '\(typeText)'; use bool, int, string, date, a vocabulary (\(Vocabulary.all.map(\.typeName).joined(separator: ", "))) or list<…>", at: typeNode)
                continue
            }
            guard let (constant, display) = constant(valueNode, type: type, &document) else { continue }
            parameters[name] = Parameter(
                name: name, type: type, displayValue: display,
                description: values["description"].flatMap { document.string($0, what: "description") } ?? "",
                notInTexts: values["notInTexts"].flatMap { document.bool($0, what: "notInTexts") } ?? false,
                constant: constant
            )
        }
        return parameters
    }

    /// A parameter's value as a compiled constant, checked against its declared type.
    private func constant(_ node: Node, type: ValueType, _ document: inout YAMLDocument) -> (Compiled, String)? {
        if case .list(let element) = type {
            guard let items = document.sequence(node, what: "a value of type \(type)") else { return nil }
            var elements: [Compiled] = []
            var shown: [String] = []
            for item in items {
                guard let (value, text) = constant(item, type: element, &document) else { return nil }
                elements.append(value)
                shown.append(text)
            }
            do {
                return (try ConditionCompiler.list(of: elements, elementType: element, at: 0), "[" + shown.joined(separator: ", ") + "]")
            } catch {
                document.report(error.message, at: node)
                return nil
            }
        }
        guard let text = document.string(node, what: "a value of type \(type)") else { return nil }
        switch type {
        case .bool:
            guard let flag = document.bool(node, what: "a bool value") else { return nil }
            return (.bool { _ in flag }, text)
        case .int:
            guard let number = Int(text) else {
                document.report("'\(text)' is not an int", at: node)
                return nil
            }
            return (.scalar(.int, { _ in number }), text)
        case .string:
            return (.string { _ in text }, text)
        case .date:
            guard let date = document.date(node, what: "a date value") else { return nil }
            let ordinal = date.ordinal
            return (.scalar(.date, { _ in ordinal }), text)
        case .enumeration(let vocabulary):
            guard let ordinal = vocabulary.ordinal(of: text) else {
                document.report("'\(text)' is not a value of \(vocabulary.typeName); expected one of \(vocabulary.spellings.joined(separator: ", "))", at: node)
                return nil
            }
            return (.scalar(type, { _ in ordinal }), text)
        default:
            document.report("a parameter cannot be of type \(type)", at: node)
            return nil
        }
    }

    // MARK: Definitions

    private static let definitionKeys: Set<String> = ["parameters", "expression", "description"]

    /// Parses every file's definitions into one table, then checks each body with its parameters
    /// standing in, so a mistake is reported where the definition is written.
    private func readDefinitions(_ parsed: inout [ParsedFile]) -> [String: Definition] {
        var definitions: [String: Definition] = [:]
        var written: [(file: Int, name: String, expression: Node)] = []
        for index in parsed.indices {
            var document = parsed[index].document
            defer { parsed[index].document = document }
            for (name, keyNode, node) in parsed[index].definitionNodes {
                if let existing = definitions[name] {
                    document.report("definition '\(name)' is already defined at \(existing.location)", at: keyNode)
                    continue
                }
                guard let fields = document.mapping(node, allowed: Self.definitionKeys, what: "a definition") else { continue }
                var values: [String: Node] = [:]
                for field in fields { values[field.key] = field.value }
                guard let expressionNode = values["expression"], let text = document.string(expressionNode, what: "expression") else {
                    document.report("definition '\(name)' needs an expression", at: keyNode)
                    continue
                }
                var parameters: [(name: String, type: ValueType)] = []
                for (parameterName, _, typeNode) in values["parameters"].flatMap({ document.mapping($0, what: "definition parameters") }) ?? [] {
                    guard let typeText = document.string(typeNode, what: "a parameter type") else { continue }
                    guard let type = Self.definitionParameterType(typeText) else {
                        document.report("unknown type '\(typeText)'; use benefit, information, bool, int, string, date or a vocabulary", at: typeNode)
                        continue
                    }
                    parameters.append((parameterName, type))
                }
                let body: Expression
                do {
                    body = try ConditionParser.parse(text)
                } catch {
                    document.report(PolicyProblem(location: document.location(ofOffset: error.offset, in: expressionNode), message: error.message))
                    continue
                }
                definitions[name] = Definition(
                    name: name, parameters: parameters, text: text,
                    description: values["description"].flatMap { document.string($0, what: "description") } ?? "",
                    location: document.location(of: expressionNode), body: body,
                    fileParameters: parsed[index].parameters
                )
                written.append((index, name, expressionNode))
            }
        }
        // Check every body on its own, with placeholders for its parameters, once all names are known.
        for (index, name, expressionNode) in written {
            let definition = definitions[name]!
            var compiler = ConditionCompiler(definitions: definitions, parameters: definition.fileParameters, slots: SlotCounter(), usage: FieldUsage())
            compiler.expanding = [name]
            for (slot, parameter) in definition.parameters.enumerated() {
                compiler.variables[parameter.name] = Self.placeholder(parameter.type, slot: slot)
            }
            do {
                _ = try compiler.compile(definition.body)
            } catch {
                let document = parsed[index].document
                parsed[index].document.report(PolicyProblem(location: document.location(ofOffset: error.offset, in: expressionNode), message: error.message))
            }
        }
        return definitions
    }

    private static func definitionParameterType(_ text: String) -> ValueType? {
        switch text {
        case "benefit": .object(.benefit)
        case "information": .object(.information)
        default: ValueType(declaration: text)
        }
    }

    private static func placeholder(_ type: ValueType, slot: Int) -> Compiled {
        switch type {
        case .object(.benefit): .object(.benefit { $0.benefits[slot] })
        case .object(.information): .object(.information { $0.items[slot] })
        case .bool: .bool { _ in false }
        case .string: .string { _ in "" }
        case .list(let element): .list(element, .scalars { _ in [] })
        default: .scalar(type, { _ in 0 })
        }
    }

    // MARK: Rules

    private static let ruleKeys: Set<String> = ["id", "description", "when", "forEach", "effects", "citation", "source", "authority"]
    private static let effectKeys: Set<String> = ["disposition", "steps", "duties", "options", "factors", "excludeItems"]
    private static let citationKeys: Set<String> = ["document", "passage", "quote", "heldText"]

    private func compileRules(_ file: inout ParsedFile, definitions: [String: Definition]) {
        guard var policy = file.policy else { return }
        for node in file.ruleNodes {
            if let rule = compileRule(node, policy: policy, parameters: file.parameters, definitions: definitions, &file.document) {
                policy.rules.append(rule)
            }
        }
        for node in file.invariantNodes {
            if let invariant = compileInvariant(node, policy: policy, parameters: file.parameters, definitions: definitions, &file.document) {
                policy.invariants.append(invariant)
            }
        }
        file.policy = policy
    }

    private func compileRule(
        _ node: Node, policy: PolicyDocument, parameters: [String: Parameter], definitions: [String: Definition],
        _ document: inout YAMLDocument
    ) -> Rule? {
        guard let values = entry(node, allowed: Self.ruleKeys, required: ["id", "when", "effects", "citation", "source"], what: "a rule", &document) else {
            return nil
        }
        guard let idNode = values["id"], let id = document.string(idNode, what: "id"),
              let whenNode = values["when"], let when = document.string(whenNode, what: "when"),
              let effectsNode = values["effects"], let citationNode = values["citation"],
              let sourceNode = values["source"] else { return nil }
        checkID(id, of: "a rule", in: policy, at: idNode, &document)
        let source = document.string(sourceNode, what: "source").flatMap { text -> SourceKind? in
            guard let kind = SourceKind(rawValue: text) else {
                document.report("source must be 'primary' or 'secondary'", at: sourceNode)
                return nil
            }
            return kind
        }
        let citation = readCitation(citationNode, source: source, &document)
        let reads = FieldUsage()
        defer { usage.record(contentsOf: reads) }
        var compiler = ConditionCompiler(definitions: definitions, parameters: parameters, slots: slots, usage: reads)
        var forEachText: String?
        var loop: (slot: Int, list: ListAccess, variable: String, expression: Expression)?
        if let forEachNode = values["forEach"], let text = document.string(forEachNode, what: "forEach") {
            forEachText = text
            guard let bound = bindLoop(text, node: forEachNode, compiler: &compiler, &document) else { return nil }
            loop = bound
        }
        let effects = readEffects(effectsNode, loopsOverInformation: { if case .information = loop?.list { true } else { false } }(), &document)
        let condition: CompiledCondition
        let parsedWhen: Expression
        do {
            parsedWhen = try ConditionParser.parse(when)
            condition = try compiler.condition(parsedWhen)
        } catch {
            document.report(PolicyProblem(location: document.location(ofOffset: error.offset, in: whenNode), message: error.message))
            return nil
        }
        guard let effects, let citation, let source else { return nil }
        let matcher: RuleMatcher = switch loop?.list {
        case .information: .eachInformationItem(slot: loop!.slot, condition)
        case .benefits: .eachBenefit(slot: loop!.slot, condition)
        default: .whole(condition)
        }
        return Rule(
            id: id, policyID: policy.id,
            description: description(values["description"], &document),
            when: when, forEach: forEachText, effects: effects, citation: citation, source: source,
            authority: values["authority"].flatMap { document.string($0, what: "authority") },
            location: document.location(of: node), reads: reads.paths, matcher: matcher,
            parsed: ParsedCondition(when: parsedWhen, loop: loop.map { ($0.variable, $0.expression) }, parameters: parameters)
        )
    }

    /// The fields of a rule or an invariant by key, with each required key that is missing reported.
    private func entry(
        _ node: Node, allowed: Set<String>, required: [String], what: String, _ document: inout YAMLDocument
    ) -> [String: Node]? {
        guard let fields = document.mapping(node, allowed: allowed, what: what) else { return nil }
        var values: [String: Node] = [:]
        for field in fields { values[field.key] = field.value }
        for key in required where values[key] == nil {
            document.report("\(what) needs '\(key)'", at: node)
        }
        return values
    }

    /// Rule and invariant ids are `POLICY-ID/name`.
    private func checkID(_ id: String, of what: String, in policy: PolicyDocument, at node: Node, _ document: inout YAMLDocument) {
        if !id.hasPrefix(policy.id + "/") || id.count <= policy.id.count + 1 {
            document.report("\(what) id is 'POLICY-ID/name': expected '\(policy.id)/…'", at: node)
        }
    }

    /// A rule's or invariant's description, without the line break a folded YAML scalar ends with.
    private func description(_ node: Node?, _ document: inout YAMLDocument) -> String {
        node.flatMap { document.string($0, what: "description") }?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    /// Binds the variable of `forEach: x in LIST`, where LIST is `information` or `subject.benefits`.
    private func bindLoop(
        _ text: String, node: Node, compiler: inout ConditionCompiler, _ document: inout YAMLDocument
    ) -> (slot: Int, list: ListAccess, variable: String, expression: Expression)? {
        let parts = text.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard parts.count == 3, parts[1] == "in", let first = parts[0].unicodeScalars.first,
              first == "_" || first.properties.isAlphabetic else {
            document.report("forEach is 'VARIABLE in LIST'", at: node)
            return nil
        }
        let listText = String(parts[2])
        let listOffset = text.unicodeScalars.count - listText.unicodeScalars.count
        do {
            let listExpression = try ConditionParser.parse(listText)
            let list = try compiler.compile(listExpression)
            guard case .list(let element, let access) = list, element == .object(.information) || element == .object(.benefit) else {
                document.report("forEach ranges over information or subject.benefits, not a \(list.type)", at: node)
                return nil
            }
            let slot = slots.next()
            compiler.variables[String(parts[0])] = ConditionCompiler.boundElement(of: list, slot: slot)
            return (slot, access, String(parts[0]), listExpression)
        } catch {
            document.report(PolicyProblem(location: document.location(ofOffset: listOffset + error.offset, in: node), message: error.message))
            return nil
        }
    }

    private func readEffects(_ node: Node, loopsOverInformation: Bool, _ document: inout YAMLDocument) -> Effects? {
        guard let fields = document.mapping(node, allowed: Self.effectKeys, what: "effects") else { return nil }
        var effects = Effects(refrain: false, steps: EnumSet(), duties: EnumSet(), options: EnumSet(), factors: [], excludeItems: false)
        for (key, keyNode, value) in fields {
            switch key {
            case "disposition":
                if let disposition: Disposition = document.vocabulary(value, what: "disposition") {
                    guard disposition == .refrain else {
                        document.report("a rule's disposition can only be 'refrain'; 'proceed-after-steps' follows from the steps owed", at: value)
                        continue
                    }
                    effects.refrain = true
                }
            case "steps": effects.steps = document.vocabularySet(value, what: "steps")
            case "duties": effects.duties = document.vocabularySet(value, what: "duties")
            case "options": effects.options = document.vocabularySet(value, what: "options")
            case "factors":
                for item in document.sequence(value, what: "factors") ?? [] {
                    guard let pair = document.mapping(item, allowed: ["factor", "weight"], what: "a factor"),
                          let factorNode = pair.first(where: { $0.key == "factor" })?.value,
                          let weightNode = pair.first(where: { $0.key == "weight" })?.value else {
                        document.report("a factor is {factor, weight}", at: item)
                        continue
                    }
                    if let factor = document.string(factorNode, what: "factor"), let weight: FactorWeight = document.vocabulary(weightNode, what: "weight") {
                        effects.factors.append(DiscretionaryFactor(factor: factor, weight: weight))
                    }
                }
            case "excludeItems":
                effects.excludeItems = document.bool(value, what: "excludeItems") ?? false
                if effects.excludeItems, !loopsOverInformation {
                    document.report("excludeItems needs 'forEach: x in information'", at: keyNode)
                }
            default: break
            }
        }
        if effects.summary.isEmpty { document.report("a rule needs at least one effect", at: node) }
        return effects
    }

    /// A citation. Its quote may be empty only for a secondary source whose text we do not hold:
    /// then the document and passage name the account, and no words stand as the rule's text.
    private func readCitation(_ node: Node, source: SourceKind?, _ document: inout YAMLDocument) -> Citation? {
        guard let fields = document.mapping(node, allowed: Self.citationKeys, what: "a citation") else { return nil }
        var values: [String: String] = [:]
        var quoteNode: Node?
        for (key, _, value) in fields {
            values[key] = document.string(value, what: key)
            if key == "quote" { quoteNode = value }
        }
        for key in ["document", "passage", "quote"] where values[key] == nil {
            document.report("a citation needs '\(key)'", at: node)
        }
        guard let citedDocument = values["document"], let passage = values["passage"], let quote = values["quote"] else { return nil }
        if quote.allSatisfy(\.isWhitespace), source != .secondary || values["heldText"] != nil {
            document.report(
                "an empty quote is for a secondary source whose text is not held; quote the passage, or mark the rule 'source: secondary' without 'heldText'",
                at: quoteNode ?? node
            )
        }
        return Citation(document: citedDocument, passage: passage, quote: quote, heldText: values["heldText"])
    }

    // MARK: Invariants

    private static let invariantKeys: Set<String> = ["id", "description", "when", "expect"]

    /// An invariant: `when` is a condition over the facts, like a rule's; `expect` may also read
    /// `decision`.
    private func compileInvariant(
        _ node: Node, policy: PolicyDocument, parameters: [String: Parameter], definitions: [String: Definition],
        _ document: inout YAMLDocument
    ) -> Invariant? {
        guard let values = entry(node, allowed: Self.invariantKeys, required: ["id", "when", "expect"], what: "an invariant", &document) else {
            return nil
        }
        guard let idNode = values["id"], let id = document.string(idNode, what: "id"),
              let whenNode = values["when"], let when = document.string(whenNode, what: "when"),
              let expectNode = values["expect"], let expect = document.string(expectNode, what: "expect") else { return nil }
        checkID(id, of: "an invariant", in: policy, at: idNode, &document)
        // The facts an invariant reads are varied by the verifier like those the rules read.
        var compiler = ConditionCompiler(definitions: definitions, parameters: parameters, slots: slots, usage: usage)
        func compile(_ text: String, at textNode: Node) -> CompiledCondition? {
            do {
                return try compiler.condition(try ConditionParser.parse(text))
            } catch {
                document.report(PolicyProblem(location: document.location(ofOffset: error.offset, in: textNode), message: error.message))
                return nil
            }
        }
        let premise = compile(when, at: whenNode)
        compiler.readsDecision = true
        guard let premise, let expectation = compile(expect, at: expectNode) else { return nil }
        return Invariant(
            id: id, policyID: policy.id,
            description: description(values["description"], &document),
            when: when, expect: expect, location: document.location(of: node), premise: premise, expectation: expectation
        )
    }

    // MARK: Periods and identity

    /// A document ends the day before the earliest later document that supersedes or rescinds it
    /// takes effect.
    private mutating func deriveEnds(_ documents: inout [PolicyDocument], parsed: [ParsedFile]) {
        let ids = Set(documents.map(\.id))
        for ender in parsed {
            guard let policy = ender.policy else { continue }
            for endedID in policy.supersedes + policy.rescinds {
                let node = ender.endingNodes[endedID]!
                guard ids.contains(endedID), let index = documents.firstIndex(where: { $0.id == endedID }) else {
                    problems.append(PolicyProblem(location: ender.document.location(of: node), message: "no policy file has id '\(endedID)'"))
                    continue
                }
                guard let start = policy.inForceFrom else {
                    problems.append(PolicyProblem(location: ender.document.location(of: node), message: "a document that ends another needs inForceFrom"))
                    continue
                }
                if let endedStart = documents[index].inForceFrom, start <= endedStart {
                    problems.append(PolicyProblem(location: ender.document.location(of: node), message: "'\(endedID)' starts \(endedStart), not before this document's \(start)"))
                    continue
                }
                let end = start.previousDay
                if documents[index].inForceThrough.map({ end < $0 }) ?? true {
                    documents[index].inForceThrough = end
                    documents[index].endedBy = policy.id
                }
            }
        }
    }

    private mutating func checkUniqueness(_ documents: [PolicyDocument]) {
        var seenPolicies: [String: String] = [:]
        var seenRules: [String: SourceLocation] = [:]
        for document in documents {
            if let other = seenPolicies[document.id] {
                problems.append(PolicyProblem(location: SourceLocation(file: document.fileName, line: 1, column: 1), message: "id '\(document.id)' is also used by \(other)"))
            }
            seenPolicies[document.id] = document.fileName
            for (id, location) in document.rules.map({ ($0.id, $0.location) }) + document.invariants.map({ ($0.id, $0.location) }) {
                if let other = seenRules[id] {
                    problems.append(PolicyProblem(location: location, message: "id '\(id)' is also used at \(other)"))
                }
                seenRules[id] = location
            }
        }
    }
}
