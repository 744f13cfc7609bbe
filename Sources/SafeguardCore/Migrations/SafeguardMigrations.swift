import FluentKit

/// Every migration, in order. Append only: a migration that has run anywhere is never changed;
/// a change of schema is a new migration at the end. The same list serves SQLite and PostgreSQL.
public enum SafeguardMigrations {
    public static let all: [any Migration] = [
        CreateUsers(),
        CreateAPITokens(),
        CreatePeople(),
        CreateBenefitFilings(),
        CreateEncounters(),
        CreateEvidence(),
        CreateStepRecords(),
        CreateDecisions(),
        CreateFollowUps(),
        CreateReevaluationRuns(),
        CreateLookupIndexes(),
        CreateAuditChain(),
        AddBasis(),
        AddStepDeclined(),
        AddRequiredSteps(),
        CreateHotline(),
        CreatePageSessions(),
        AddHeadSignatures(),
        AddVerificationOutcomes(),
        AddTokenExpiry(),
        AddPersonOffice(),
        AddPINLockout(),
        AddOneCurrentDecision(),
        AddFactsVersion(),
        AddAuditSubject(),
        AddStepFactsDigest(),
        CreateAuditQueue(),
        AddVerificationAnswer(),
        AddSourceAskedAt(),
    ]
}
