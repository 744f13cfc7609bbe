import FluentKit
import Foundation

/// An item of evidence in an encounter and where it came from; `information[]` of the case.
public final class EvidenceRecord: Model, @unchecked Sendable {
    public static let schema = "evidence"

    @ID(key: .id) public var id: UUID?
    @Parent(key: "encounter_id") public var encounter: Encounter
    /// The id the case and the decision use for this item (`excludedInformation`).
    @Field(key: "label") public var label: String
    @Field(key: "source") public var source: String
    @Field(key: "adverse") public var adverse: Bool
    @Timestamp(key: "created_at", on: .create) public var createdAt: Date?
    /// Listed here, so that FluentKit need not find them by reflection for every row it reads.
    public var properties: [any AnyProperty] { [$id, $encounter, $label, $source, $adverse, $createdAt] }

    public init() {}

    public init(encounterID: UUID, label: String, source: String, adverse: Bool) {
        $encounter.id = encounterID
        self.label = label
        self.source = source
        self.adverse = adverse
    }
}
