import FluentKit
import Foundation
import PolicyEngine

/// Realistic synthetic records for a demonstration: people with filings of every type and status,
/// encounters opened today and, as history, encounters of every policy period with their actions,
/// steps at every stage, and one user per role. Deterministic
/// except for the passwords, which are random and returned once.
public struct DemoSeeder: Sendable {
    public let workflow: CaseWorkflow
    public let users: UserDirectory

    public init(workflow: CaseWorkflow, users: UserDirectory) {
        self.workflow = workflow
        self.users = users
    }

    /// A demo user and the password generated for it.
    public struct DemoUser: Sendable {
        public var username: String
        public var role: Role
        public var office: String
        public var password: String
    }

    public struct Summary: Sendable {
        public var users: [DemoUser]
        public var people: Int
        public var encounters: Int
        public var steps: Int
        public var actionsRecorded: Int
        public var calls = 0
        public var registrations = 0
        public var custodyEvents = 0
    }

    static let givenNames = ["Ana", "Luis", "Marisol", "Jorge", "Rosa", "Tomás", "Elena", "Samuel", "Wendy", "Kevin"]
    static let familyNames = ["García", "Hernández", "López", "Martínez", "Pérez", "Ramírez", "Cruz", "Flores", "Reyes", "Morales"]
    static let countries = ["GT", "HN", "SV", "MX", "EC", "CO", "VE", "HT"]
    /// A day inside each of the four policy periods.
    static let periodDays = ["2015-06-01", "2020-03-01", "2023-05-01", "2026-01-15"]

    /// A clock stopped at noon of a day of the demo's history.
    struct HistoricalClock: WallClock {
        let now: Date

        init(noonOf day: CalendarDate, in calendar: CaseCalendar) {
            now = calendar.start(of: day).addingTimeInterval(12 * 3600)
        }

        func sleep(for duration: Duration) async throws {
            try await Task.sleep(for: duration)
        }
    }

    public func seed(people count: Int = 40, password: @Sendable () -> String, on database: any Database) async throws -> Summary {
        var demoUsers: [DemoUser] = []
        for (role, office) in Role.allCases.map({ ($0, "NYC") }) + [(.officer, "LAX")] {
            let username = "\(role.rawValue)-\(office.lowercased())"
            let secret = password()
            _ = try await users.add(username: username, displayName: "Demo \(role.rawValue) (\(office))", role: role, office: office,
                                    password: secret, on: database)
            demoUsers.append(DemoUser(username: username, role: role, office: office, password: secret))
        }
        let actors = try await Dictionary(uniqueKeysWithValues: demoUsers.asyncMap { user in
            (user.username, try await users.user(named: user.username, on: database).actor!)
        })
        let officer = actors["officer-nyc"]!, supervisor = actors["supervisor-nyc"]!, attorney = actors["opla-attorney-nyc"]!
        var summary = Summary(users: demoUsers, people: 0, encounters: 0, steps: 0, actionsRecorded: 0)
        for index in 0..<count {
            // Every third encounter of New York with its steps goes to its enforcement action: those
            // are the history, seeded on the workflow's clock moved to a day of each policy period;
            // the rest are open today (one the gate refuses stays open from its day, as it would).
            let office = index % 5 == 4 ? "LAX" : "NYC"
            let history = index % 3 == 0 && index % 5 != 1 && office == "NYC"
            let workflow = history
                ? self.workflow.on(HistoricalClock(noonOf: CalendarDate(Self.periodDays[index % 4])!, in: self.workflow.calendar))
                : self.workflow
            let person = Person(
                aNumber: String(format: "A%09d", 201_000_000 + index * 7_919),
                givenName: Self.givenNames[index % Self.givenNames.count],
                familyName: Self.familyNames[(index / 3) % Self.familyNames.count],
                dateOfBirth: String(format: "%04d-%02d-%02d", 1970 + index % 35, 1 + index % 12, 1 + index % 28),
                country: Self.countries[index % Self.countries.count], office: office
            )
            let opener = office == "LAX" ? actors["officer-lax"]! : officer
            try await person.create(on: database)
            try await workflow.audit.append(AuditEntry(opener, .write, "person/\(try person.requireID())", subject: person.id), on: database)
            summary.people += 1
            var filings: [BenefitFilingRecord] = []
            for offset in 0..<(1 + index % 3) where index % 7 != 6 {
                let ordinal = index + offset
                let filing = BenefitFilingRecord(
                    personID: try person.requireID(), type: BenefitType.allCases[(index * 2 + offset) % 5], role: BenefitRole.allCases[ordinal % 2],
                    status: BenefitStatus.allCases[(index / 5 + offset * 2) % 5], receiptNumber: "EAC\(2_290_000_000 + ordinal)",
                    filedOn: "20\(10 + ordinal % 15)-0\(1 + ordinal % 9)-15"
                )
                try await filing.create(on: database)
                try await workflow.audit.append(AuditEntry(opener, .write, "filing/\(try filing.requireID())", subject: person.id), on: database)
                filings.append(filing)
            }
            let encounter = Encounter(
                personID: try person.requireID(), office: office, action: Action.allCases[index % 4],
                asOf: workflow.calendar.today, openedBy: opener.userID
            )
            encounter.detained = index % 4 == 1
            encounter.immediateVictimOrWitness = index % 6 == 0
            encounter.pendingCriminalCase = index % 7 == 3
            encounter.lawEnforcementInterest = index % 5 == 2
            encounter.exceptionalCircumstances = index % 4 == 2 && index % 3 == 0
            encounter.wishesToReport = index % 8 == 1
            encounter.victimIndicia = index % 3 == 0 ? ["self-report"] : []
            try await encounter.create(on: database)
            try await workflow.audit.append(AuditEntry(opener, .write, "encounter/\(try encounter.requireID())", subject: person.id), on: database)
            if index % 10 == 7 {
                try await EvidenceRecord(encounterID: encounter.requireID(), label: "statement-\(index)", source: "abuser", adverse: true).create(on: database)
            }
            summary.encounters += 1
            let encounterID = try encounter.requireID()
            _ = try await workflow.decide(encounterID, by: opener, on: database)
            // Steps at every stage: none yet for some, verifications for others, consultations and approvals for a few.
            guard index % 5 != 1 else { continue }
            for (offset, filing) in filings.enumerated() where encounter.office == "NYC" {
                _ = try await workflow.recordStep(.init(step: .benefitVerification, summary: "Checked against the benefits system.",
                                                        counterpart: "CLAIMS3", filingID: filing.requireID(),
                                                        outcome: offset % 2 == 0 ? .confirmed : .notFound),
                                                  on: encounterID, by: officer, purpose: .lawEnforcement, on: database)
                summary.steps += 1
            }
            guard encounter.office == "NYC" else { continue }
            let decision = try await workflow.decide(encounterID, by: officer, on: database)
            if decision.decision.contains("\"opla-consultation\""), index % 8 == 3 {
                _ = try await workflow.recordStep(.init(step: .oplaConsultation, summary: "No legal limitation found.", counterpart: "OPLA New York",
                                                        advice: .noLegalLimitation),
                                                  on: encounterID, by: attorney, purpose: .legalConsultation, on: database)
                summary.steps += 1
            }
            if decision.decision.contains("\"law-enforcement-deconfliction\"") {
                _ = try await workflow.recordStep(.init(step: .lawEnforcementDeconfliction, summary: "The investigation is not affected.",
                                                        counterpart: "HSI New York"),
                                                  on: encounterID, by: officer, purpose: .lawEnforcement, on: database)
                summary.steps += 1
            }
            if decision.decision.contains("\"exceptional-circumstances-approval\"") {
                _ = try await workflow.recordStep(.init(step: .exceptionalCircumstancesApproval, summary: "Documented threat to public safety.",
                                                        counterpart: "Field Office Director, New York"),
                                                  on: encounterID, by: supervisor, purpose: .lawEnforcement, on: database)
                summary.steps += 1
            }
            if history {
                do {
                    _ = try await workflow.recordEnforcementAction(encounterID, expectedVersion: nil, by: officer, purpose: nil, on: database)
                    summary.actionsRecorded += 1
                } catch WorkflowError.gateRefused {
                    // The gate held and recorded its refusal: the encounter stays open, as it would for an officer.
                } catch WorkflowError.sourceProhibited {
                    // Only the abuser's statement is adverse here: § 1367(a)(1) holds the action back.
                }
            }
        }
        try await seedHotline(specialist: actors["hotline-specialist-nyc"]!, feed: actors["integration-nyc"]!, into: &summary, on: database)
        return summary
    }

    /// Calls of each category, registrations (Spanish and English, text, email and voice), and
    /// custody events for the registered detainees: their notifications wait in the outbox for a
    /// gateway (`SAFEGUARD_GATEWAY_*`).
    func seedHotline(specialist: Actor, feed: Actor, into summary: inout Summary, on database: any Database) async throws {
        let intake = HotlineIntake(audit: workflow.audit), book = RegistrationBook(audit: workflow.audit)
        let custody = CustodyFeed(audit: workflow.audit)
        for (index, category) in CallCategory.allCases.enumerated() {
            _ = try await intake.record(CallInput(category: category, narrative: "Demo call \(index + 1): \(category.rawValue).",
                                                  followUp: "Call back within two days.", referral: index % 2 == 0 ? "NYC field office" : nil),
                                        by: specialist, on: database)
            summary.calls += 1
        }
        let registrants: [(String, NoticeLanguage, [(kind: ChannelKind, address: String)], String?)] = [
            ("Rosa Demo", .spanish, [(.sms, "+15550100001")], nil),
            ("Grace Demo", .english, [(.email, "grace@example.org"), (.sms, "+15550100002")], nil),
            ("Inés Demo", .spanish, [(.voice, "+15550100003")], "2468"),
        ]
        for (index, (name, language, channels, pin)) in registrants.enumerated() {
            let registration = try await book.register(RegistrationInput(
                detaineeReference: .aNumber, detaineeID: String(format: "A%09d", 201_000_000 + index * 7_919), registrantName: name,
                relationship: index == 1 ? "witness" : "victim", language: language, consent: true, channels: channels, voicePIN: pin
            ), by: specialist, on: database)
            for channel in try await RegistrationChannel.query(on: database).filter(\.$registration.$id == registration.requireID()).all() {
                _ = try await book.confirmChannel(try channel.requireID(), of: try registration.requireID(), by: specialist, on: database)
            }
            summary.registrations += 1
            _ = try await custody.receive(CustodyEventInput(feedEventID: "demo-\(index)", kind: index == 0 ? .releasedOnBond : .transferred,
                                                            detaineeReference: .aNumber, detaineeID: registration.detaineeID, occurredAt: "2026-01-15T10:00:00Z"),
                                          by: feed, on: database)
            summary.custodyEvents += 1
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
