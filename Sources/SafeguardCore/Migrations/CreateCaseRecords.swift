import FluentKit

struct CreatePeople: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Person.schema)
            .id()
            .field("a_number", .string, .required)
            .field("given_name", .string, .required)
            .field("family_name", .string, .required)
            .field("date_of_birth", .string, .required)
            .field("country", .string, .required)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "a_number")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Person.schema).delete()
    }
}

struct CreateBenefitFilings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(BenefitFilingRecord.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("type", .string, .required)
            .field("role", .string, .required)
            .field("status", .string, .required)
            .field("receipt_number", .string)
            .field("filed_on", .string)
            .field("decided_on", .string)
            .field("verification_source", .string)
            .field("verified_by", .uuid)
            .field("verified_at", .datetime)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(BenefitFilingRecord.schema).delete()
    }
}

struct CreateEncounters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Encounter.schema)
            .id()
            .field("person_id", .uuid, .required, .references(Person.schema, .id))
            .field("office", .string, .required)
            .field("action", .string, .required)
            .field("as_of", .string, .required)
            .field("victim_indicia", .array(of: .string), .required)
            .field("immediate_victim_or_witness", .bool, .required)
            .field("pending_criminal_case", .bool, .required)
            .field("crime_reported", .bool, .required)
            .field("wishes_to_report", .bool, .required)
            .field("detained", .bool, .required)
            .field("outside_united_states", .bool, .required)
            .field("law_enforcement_interest", .bool, .required)
            .field("exceptional_circumstances", .bool, .required)
            .field("aggravating_factors", .bool, .required)
            .field("expedite_in_agency_interest", .bool, .required)
            .field("convicted_237a2", .bool, .required)
            .field("status", .string, .required)
            .field("opened_by", .uuid, .required)
            .field("action_recorded_by", .uuid)
            .field("action_recorded_at", .datetime)
            .field("version", .int, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Encounter.schema).delete()
    }
}

struct CreateEvidence: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(EvidenceRecord.schema)
            .id()
            .field("encounter_id", .uuid, .required, .references(Encounter.schema, .id))
            .field("label", .string, .required)
            .field("source", .string, .required)
            .field("adverse", .bool, .required)
            .field("created_at", .datetime)
            .unique(on: "encounter_id", "label")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(EvidenceRecord.schema).delete()
    }
}

struct CreateStepRecords: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(StepRecord.schema)
            .id()
            .field("encounter_id", .uuid, .required, .references(Encounter.schema, .id))
            .field("step", .string, .required)
            .field("recorded_by", .uuid, .required)
            .field("recorded_role", .string, .required)
            .field("summary", .string, .required)
            .field("counterpart", .string, .required)
            .field("filing_id", .uuid, .references(BenefitFilingRecord.schema, .id))
            .field("confirmed", .bool)
            .field("recorded_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(StepRecord.schema).delete()
    }
}

struct CreateDecisions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(DecisionRecord.schema)
            .id()
            .field("encounter_id", .uuid, .required, .references(Encounter.schema, .id))
            .field("as_of", .string, .required)
            .field("disposition", .string, .required)
            .field("rule_set_digest", .string, .required)
            .field("facts", .string, .required)
            .field("decision", .string, .required)
            .field("computed_by", .uuid, .required)
            .field("superseded_by", .uuid)
            .field("computed_at", .datetime)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DecisionRecord.schema).delete()
    }
}
