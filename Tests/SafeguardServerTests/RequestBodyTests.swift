import Foundation
import PolicyEngine
import SafeguardCore
import Testing

/// The request bodies the OpenAPI document describes are the core's input types, member for
/// member: the members a type reads are exactly the documented ones, an undocumented one is
/// refused, the required ones are those the type requires, and the facts an officer states are
/// `EncounterFact`'s.
@Suite struct RequestBodyTests {
    /// Each closed request schema of the document and the core type that reads that body.
    static let readers: [String: @Sendable (JSONValue) throws -> Void] = [
        "PersonInput": { try Person().take(body: $0, creating: true, today: CaseCalendar().today) },
        "PersonPatch": { try Person().take(body: $0, creating: false, today: CaseCalendar().today) },
        "FilingInput": { _ = try BenefitFilingRecord(body: $0, personID: UUID()) },
        "EncounterInput": { _ = try EncounterInput(body: $0) },
        "EncounterPatch": { _ = try FactChange(body: $0) },
        "StepInput": { _ = try CaseWorkflow.StepInput(body: $0) },
        "EnforcementActionInput": { _ = try EnforcementActionInput(body: $0) },
        "FollowUpInput": { _ = try FollowUpInput(body: $0) },
        "FollowUpPatch": { _ = try FollowUpStatus(body: $0) },
        "Credentials": { _ = try SignInInput(body: $0) },
        "CallInput": { _ = try CallInput(body: $0) },
        "CallPatch": { _ = try CallChange(body: $0) },
        "RegistrationInput": { _ = try RegistrationInput(body: $0) },
        "RegistrationPatch": { _ = try RegistrationChange(body: $0) },
        "CustodyEventInput": { _ = try CustodyEventInput(body: $0) },
        "PINConfirmation": { _ = try VoiceConfirmation.pin(body: $0) },
        // A channel is read inside a registration's body: here inside a change's `addChannel`.
        "ChannelInput": { _ = try RegistrationChange(body: .object([JSONMember(key: "addChannel", value: $0)])) },
    ]
    /// Where each schema's members sit in the body its reader is given ("" for the body itself).
    static let prefixes = ["ChannelInput": "addChannel."]
    /// The contract's case, read by `CaseDecoder` and held to the contract by the engine's tests.
    static let readElsewhere: Set<String> = ["Case", "ShownCase"]

    // Read once and never changed.
    nonisolated(unsafe) static let schemas: [String: [String: Any]] = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Sources/SafeguardServer/Resources/openapi.json")
        let document = try! JSONSerialization.jsonObject(with: Data(contentsOf: file)) as! [String: Any]
        return (document["components"] as! [String: Any])["schemas"] as! [String: [String: Any]]
    }()

    /// The problems a body gets, by path below `prefix`.
    static func problems(_ read: (JSONValue) throws -> Void, _ body: JSONValue, prefix: String = "") -> [String: String] {
        do {
            try read(body)
            return [:]
        } catch WorkflowError.invalid(let errors) {
            let own = errors.filter { $0.path.hasPrefix(prefix) }.map { (String($0.path.dropFirst(prefix.count)), $0.message) }
            return Dictionary(own, uniquingKeysWith: { first, _ in first })
        } catch {
            Issue.record("not a refusal of the body: \(error)")
            return [:]
        }
    }

    @Test func everyClosedSchemaHasItsReader() {
        let closed = Set(Self.schemas.filter { $0.value["additionalProperties"] as? Bool == false }.keys)
        #expect(closed.subtracting(Self.readElsewhere) == Set(Self.readers.keys))
    }

    @Test(arguments: readers.keys.sorted())
    func theDocumentAndTheReaderAgree(_ name: String) throws {
        let schema = try #require(Self.schemas[name])
        let members = try #require(schema["properties"] as? [String: Any]).keys.sorted()
        let read = try #require(Self.readers[name])
        let prefix = Self.prefixes[name] ?? ""
        // The members the type reads are the documented ones.
        let log = BodyReader.MemberLog()
        BodyReader.$memberLog.withValue(log) { _ = Self.problems(read, .object([]), prefix: prefix) }
        #expect(log.read.filter { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }.sorted() == members, "\(name)")
        // Every documented member is read: as null, each is refused as null, none as unknown.
        let asNull = Self.problems(read, .object(members.map { JSONMember(key: $0, value: .null) }), prefix: prefix)
        for member in members { #expect(asNull[member]?.hasPrefix("null is not allowed") == true, "\(name).\(member): \(asNull[member] ?? "accepted")") }
        // A member the document does not name is refused as unknown.
        #expect(Self.problems(read, .object([JSONMember(key: "undocumented", value: .bool(true))]), prefix: prefix)["undocumented"] == "unknown field")
        // The members the type requires are those the document requires.
        let missing = Self.problems(read, .object([]), prefix: prefix).filter { $0.value == "required field is missing" }.keys.sorted()
        #expect(missing == (schema["required"] as? [String] ?? []).sorted(), "\(name)")
    }

    @Test func theFactsAnOfficerStatesAreDeclaredOnce() throws {
        for name in ["EncounterInput", "EncounterPatch"] {
            let properties = try #require(Self.schemas[name]?["properties"] as? [String: [String: Any]])
            let flags = properties.filter { $0.value["type"] as? String == "boolean" }.keys.sorted()
            #expect(flags == EncounterFact.allCases.map(\.field).sorted(), "\(name)")
        }
    }
}
