import FluentKit
import Foundation
@testable import SafeguardCore
import Testing

/// Every model lists its properties itself (FluentKit would find them by reflection for every row
/// it reads), and each list must be exactly what the class declares, in order: a property left out
/// would silently never be stored or read.
@Suite struct ModelPropertyListTests {
    static let models: [any Model.Type] = [
        APIToken.self, BenefitFilingRecord.self, CustodyEvent.self, DecisionRecord.self, Encounter.self, EvidenceRecord.self,
        FollowUp.self, GatewayHealth.self, HotlineCall.self, OutboxNotification.self, Person.self, ReevaluationRun.self,
        Registration.self, RegistrationChannel.self, StepRecord.self, User.self,
    ]

    @Test(arguments: models.map { ModelType($0) })
    func theListIsWhatTheClassDeclares(_ model: ModelType) {
        let instance = model.type.init()
        let reflected = Mirror(reflecting: instance).children.compactMap { $0.value as? any AnyProperty }.map { ObjectIdentifier($0 as AnyObject) }
        let listed = instance.properties.map { ObjectIdentifier($0 as AnyObject) }
        #expect(!reflected.isEmpty)
        #expect(listed == reflected, "\(model): \(listed.count) listed, \(reflected.count) declared")
    }

    /// A new model must join the list above (and list its properties).
    @Test func everyModelOfTheSourcesIsChecked() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/SafeguardCore").standardized
        let declaration = /final class (\w+): Model\b/
        var declared: Set<String> = []
        for case let file as URL in FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil)! where file.pathExtension == "swift" {
            for match in try String(contentsOf: file, encoding: .utf8).matches(of: declaration) { declared.insert(String(match.1)) }
        }
        #expect(declared == Set(Self.models.map { String(describing: $0) }))
    }

    struct ModelType: CustomStringConvertible, Sendable {
        let type: any Model.Type
        init(_ type: any Model.Type) { self.type = type }
        var description: String { String(describing: type) }
    }
}
