import Foundation
import PolicyEngine
import SafeguardCore
import SafeguardTestSupport
import Testing

/// The `safeguard` executable as a user runs it: outputs, and exit code 2 with a located message
/// for every kind of bad input.
@Suite struct CommandLineTests {
    let folder: URL

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("safeguard-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ name: String, _ text: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    static let knownU = #"{"asOf": "2023-05-01", "action": "arrest", "subject": {"benefits": [{"type": "U", "role": "principal", "status": "pending", "verified": true}]}}"#

    /// Every public example of the contract through `safeguard evaluate --format json`.
    @Test(.enabled(if: Fixtures.sharedIsExpected)) func everyContractExampleThroughTheCommandLine() async throws {
        for example in try ContractExamples.all() {
            let result = try await CommandLineRunner.run(["evaluate", example.casePath, "--format", "json"])
            #expect(result.status == 0, "\(example.name): \(result.standardError)")
            let decision = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
            #expect(ContractExamples.mismatches(decision, example.expected) == [], "\(example.name)")
            #expect((decision["ruleSetDigest"] as? String) == Fixtures.ruleSet.digest)
        }
    }

    @Test func evaluateExplainsRuleByRule() async throws {
        let result = try await CommandLineRunner.run(["evaluate", try write("case.json", Self.knownU)])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("Disposition: REFRAIN"))
        #expect(result.standardOutput.contains("ice-directive-11005.3/refrain-known-beneficiary → refrain"))
        #expect(result.standardOutput.contains("absent exceptional circumstances ICE will refrain"))
        #expect(result.standardOutput.contains("Rule set \(Fixtures.ruleSet.digest)"))
    }

    /// A decision no rule speaks to says so, naming what was in force; `proceed` says what it is
    /// and what it is not; relief names its authority; a rule resting on an unheld secondary
    /// account quotes nothing.
    @Test func evaluateSaysWhatTheOutcomeIsAndIsNot() async throws {
        let nothing = try await CommandLineRunner.run(["evaluate", "-"], input: #"{"asOf": "2010-03-01", "action": "arrest"}"#)
        #expect(nothing.standardOutput.contains("No rule fired. In force on 2010-03-01: standing-relief, usc-8-1367; none of their rules applies to these facts."))
        #expect(nothing.standardOutput.contains("Disposition: PROCEED\n  Nothing in the victim-protection policies in force stands in the way of this action. This is not a finding that the person is removable"))
        let removal = try await CommandLineRunner.run(["evaluate", "-"], input: """
            {"asOf": "2023-05-01", "action": "removal", "exceptionalCircumstances": true, "stepsCompleted": ["exceptional-circumstances-approval"],
             "subject": {"benefits": [{"type": "T", "role": "principal", "status": "pending", "verified": true}]}}
            """)
        #expect(removal.standardOutput.contains("Disposition: PROCEED\n"))
        #expect(removal.standardOutput.contains("     Authority: 22 U.S.C. § 7105(c)(3); 28 CFR 1100.35"))
        #expect(removal.standardOutput.contains("Secondary accounts of ICE Directive 11005.3's stay provisions (the directive's text on stays is not held), "
            + "Stays of removal for known beneficiaries and applicants of victim-based benefits, on the totality of the circumstances [secondary source; no text held to quote]"))
    }

    @Test func evaluateReadsStandardInputAndOverridesTheDate() async throws {
        let result = try await CommandLineRunner.run(["evaluate", "-", "--as-of", "2025-01-30", "--format", "json"], input: Self.knownU)
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(json["asOf"] as? String == "2025-01-30")
        #expect(json["disposition"] as? String == "proceed-after-steps")
        #expect(json["requiredSteps"] as? [String] == ["opla-consultation"])
    }

    @Test(arguments: [
        ("{\"asOf\": \"2023-05-01\",", "malformed JSON at 1:23"),
        (#"{"asOf": "2023-05-01", "action": "arrest", "colour": "red"}"#, "colour: unknown field"),
        (#"{"asOf": "2023-05-01", "action": "deport"}"#, "action: 'deport' is not a valid action"),
        (#"{"asOf": "2023-02-30", "action": "arrest"}"#, "asOf: '2023-02-30' is not a valid date YYYY-MM-DD"),
        (#"{"asOf": "2023-05-01", "action": "arrest", "subject": {"benefits": [{"type": "U", "role": "boss", "status": "pending", "verified": true}]}}"#,
         "subject.benefits[0].role: 'boss' is not a valid benefit role"),
    ])
    func badCasesExitWithTwoAndSayWhere(_ text: String, _ message: String) async throws {
        let path = try write("bad.json", text)
        let result = try await CommandLineRunner.run(["evaluate", path])
        #expect(result.status == 2)
        #expect(result.standardOutput.isEmpty)
        #expect(result.standardError.contains(message), "\(result.standardError)")
    }

    @Test func anUnreadableFileExitsWithTwo() async throws {
        let result = try await CommandLineRunner.run(["evaluate", "/nonexistent/case.json"])
        #expect(result.status == 2)
        #expect(result.standardError == "/nonexistent/case.json: cannot read the file\n")
    }

    @Test func aBadDateOptionExitsWithTwo() async throws {
        let result = try await CommandLineRunner.run(["evaluate", try write("case.json", Self.knownU), "--as-of", "2025-13-01"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--as-of: '2025-13-01' is not a valid date"))
    }

    @Test func anUnknownLogLevelExitsWithTwo() async throws {
        let result = try await CommandLineRunner.run(["evaluate", try write("case.json", Self.knownU)], environment: ["LOG_LEVEL": "loud"])
        #expect(result.status == 2)
        #expect(result.standardError == "LOG_LEVEL: 'loud' is not a log level (trace, debug, info, notice, warning, error, critical)\n")
    }

    @Test func measureChecksThePopulationEvaluatorOnEveryCase() async throws {
        let cases = try await CommandLineRunner.run(["generate", "--count", "2000", "--seed", "8"]).standardOutput
        let result = try await CommandLineRunner.run(["measure", try write("cases.jsonl", cases), "--runs", "1", "--json"])
        #expect(result.status == 0)
        let figures = try #require(JSONSerialization.jsonObject(with: Data(result.standardOutput.utf8)) as? [String: Any])
        #expect(figures["cases"] as? Int == 2000)
        #expect(figures["disagreements"] as? Int == 0)
        for key in ["decodeSeconds", "decideAllSeconds", "columnsSeconds", "populationSeconds", "decisionP99Nanoseconds"] {
            #expect((figures[key] as? Double ?? 0) > 0, "\(key)")
        }
        let bad = try await CommandLineRunner.run(["measure", try write("bad.jsonl", cases + #"{"asOf": "2023-02-30", "action": "arrest"}"# + "\n")])
        #expect(bad.status == 2)
        #expect(bad.standardError.hasPrefix("\(folder.path)/bad.jsonl:2001: asOf:"))
    }

    @Test func measureNamesARuleThePopulationEvaluatorCannotRun() async throws {
        let policies = try Fixtures.policyCopy(
            editing: "ice-interim-guidance-2025.yaml",
            replacing: "when: lawEnforcementInterest || subject.pendingCriminalCase",
            with: "when: lawEnforcementInterest || information.exists(i, i.id == 'x')"
        )
        defer { try? FileManager.default.removeItem(at: policies) }
        let result = try await CommandLineRunner.run(["measure", try write("case.jsonl", Self.knownU + "\n"), "--policies", policies.path])
        #expect(result.status == 2)
        #expect(result.standardError.contains("ice-interim-guidance-2025.yaml:"))
        #expect(result.standardError.contains("cannot run an information item's id (a string) as columns"))
    }

    @Test func aPolicyFileWithATypeErrorExitsWithTwoAndItsPosition() async throws {
        let policies = try Fixtures.policyCopy(
            editing: "ice-interim-guidance-2025.yaml",
            replacing: "when: lawEnforcementInterest || subject.pendingCriminalCase",
            with: "when: lawEnforcementInterest || subject.pendingCriminalCase == 'yes'"
        )
        defer { try? FileManager.default.removeItem(at: policies) }
        let file = policies.appendingPathComponent("ice-interim-guidance-2025.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        let line = text.components(separatedBy: "\n").firstIndex { $0.contains("when: lawEnforcementInterest") }! + 1
        let result = try await CommandLineRunner.run(["evaluate", try write("case.json", Self.knownU), "--policies", policies.path])
        #expect(result.status == 2)
        #expect(result.standardError == "\(file.path):\(line):68: cannot compare a bool with a string using '=='\n")
        let check = try await CommandLineRunner.run(["policies", "check", policies.path])
        #expect(check.status == 2)
        #expect(check.standardError == result.standardError)
    }

    @Test func diffNamesTheRulesBehindTheChange() async throws {
        let result = try await CommandLineRunner.run(["diff", try write("case.json", Self.knownU), "--from", "2024-06-01", "--to", "2025-06-01"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains("disposition: refrain → proceed-after-steps"))
        #expect(result.standardOutput.contains("steps added: opla-consultation"))
        #expect(result.standardOutput.contains("rule no longer fires: ice-directive-11005.3/refrain-known-beneficiary"))
        #expect(result.standardOutput.contains("rule now fires: ice-interim-guidance-2025/consult-opla"))
    }

    @Test func batchSkipsBadLinesWithTheirNumbersAndExitsWithTwo() async throws {
        let lines = [
            #"{"caseId": "a", "asOf": "2023-05-01", "action": "arrest"}"#,
            #"{"caseId": "b", "asOf": "2023-05-01", "action": "jail"}"#,
            "",
            Self.knownU.replacingOccurrences(of: "{\"asOf\"", with: "{\"caseId\": \"c\", \"asOf\""),
            "not json",
        ]
        let path = try write("cases.jsonl", lines.joined(separator: "\n") + "\n")
        let out = folder.appendingPathComponent("decisions.jsonl").path
        let result = try await CommandLineRunner.run(["batch", path, "--out", out])
        #expect(result.status == 2)
        #expect(result.standardError.contains("\(path):2: action: 'jail' is not a valid action"))
        #expect(result.standardError.contains("\(path):5: malformed JSON at 1:1"))
        #expect(result.standardError.contains("cases decided: 2"))
        #expect(result.standardError.contains("bad lines skipped: 2"))
        let decisions = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(decisions.count == 2)
        #expect(decisions[0].hasPrefix(#"{"caseId":"a","asOf":"2023-05-01","policies":["standing-relief","usc-8-1367","ice-policy-10076.1","ice-directive-11005.3"],"disposition":"proceed""#))
        #expect(decisions[1].contains(#""caseId":"c""#) && decisions[1].contains(#""reasons":["usc-8-1367/confidentiality","#))
    }

    @Test func batchComparesTwoDates() async throws {
        let path = try write("cases.jsonl", Self.knownU + "\n")
        let result = try await CommandLineRunner.run(["batch", path, "--as-of", "2025-06-01", "--compare-to", "2024-06-01"])
        #expect(result.status == 0)
        #expect(result.standardOutput.contains(#""comparedTo":{"asOf":"2024-06-01","disposition":"refrain","outcomeChanged":true}"#))
        #expect(result.standardError.contains("refrain → proceed-after-steps"))
        #expect(result.standardError.contains("ice-interim-guidance-2025/consult-opla"))
    }

    @Test func generateIsDeterministicAndValid() async throws {
        let first = try await CommandLineRunner.run(["generate", "--count", "300", "--seed", "42"])
        let second = try await CommandLineRunner.run(["generate", "--count", "300", "--seed", "42"])
        let other = try await CommandLineRunner.run(["generate", "--count", "300", "--seed", "43"])
        #expect(first.status == 0)
        #expect(first.standardOutput == second.standardOutput)
        #expect(first.standardOutput != other.standardOutput)
        let lines = first.standardOutput.split(separator: "\n")
        #expect(lines.count == 300)
        let cases = try lines.map { try CaseDecoder.decode(json: Array($0.utf8)) }
        #expect(Set(cases.map(\.action)).count == Action.allCases.count)
        #expect(Set(cases.flatMap(\.subject.benefits).map(\.status)).count == BenefitStatus.allCases.count)
        let periods = Set(cases.map { Fixtures.ruleSet.policiesInForce(on: $0.asOf).map(\.id) })
        #expect(periods.count == Fixtures.ruleSet.stretches.count)
    }

    @Test func usersAreAddedAndGivenTokensWithoutDefaultCredentials() async throws {
        let database = folder.appendingPathComponent("users.sqlite").path
        let added = try await CommandLineRunner.run(["users", "add", "--username", "rosa", "--role", "opla-attorney", "--office", "NYC", "--database", database])
        #expect(added.status == 0, "\(added.standardError)")
        #expect(added.standardOutput.contains("password: "))
        let typed = try await CommandLineRunner.run(["users", "add", "--username", "tom", "--role", "officer", "--office", "NYC",
                                               "--password-stdin", "--database", database], input: "short\n")
        #expect(typed.status == 2)
        #expect(typed.standardError.contains("password: at least 12 characters"))
        #expect(try await CommandLineRunner.run(["users", "add", "--username", "rosa", "--role", "officer", "--office", "NYC", "--database", database]).status == 2)
        #expect(try await CommandLineRunner.run(["users", "add", "--username", "x1", "--role", "chief", "--office", "NYC", "--database", database]).status == 2)
        let token = try await CommandLineRunner.run(["users", "token", "rosa", "--database", database])
        #expect(token.status == 0 && token.standardOutput.hasPrefix("sg_"))
        #expect(try await CommandLineRunner.run(["users", "token", "rosa", "--days", "0", "--database", database]).status == 2)
        let rotated = try await CommandLineRunner.run(["users", "token", "rosa", "--days", "30", "--database", database])
        #expect(rotated.status == 0 && rotated.standardOutput.hasPrefix("sg_"))
        let revoked = try await CommandLineRunner.run(["users", "tokens", "revoke", "rosa", "--keep-newest", "--database", database])
        #expect(revoked.status == 0 && revoked.standardOutput == "revoked 1 token of rosa\n", "\(revoked.standardOutput)")
        #expect(try await CommandLineRunner.run(["users", "disable", "rosa", "--database", database]).status == 0)
        #expect(try await CommandLineRunner.run(["users", "token", "rosa", "--database", database]).status == 2)
        #expect(try await CommandLineRunner.run(["users", "token", "nobody", "--database", database]).status == 2)
    }

    @Test func reevaluateReportsThePopulationDiff() async throws {
        let database = folder.appendingPathComponent("demo.sqlite").path
        #expect(try await CommandLineRunner.run(["demo", "--no-serve", "--database", database]).status == 0)
        // Another day than today is analysis: refused unless nothing is stored.
        let stored = try await CommandLineRunner.run(["reevaluate", "--as-of", "2024-06-01", "--user", "admin-nyc", "--database", database])
        #expect(stored.status == 2 && stored.standardError.contains("--as-of: deciding on another day than today stores nothing: add --dry-run"))
        let preview = try await CommandLineRunner.run(["reevaluate", "--dry-run", "--as-of", "2024-06-01", "--user", "admin-nyc", "--batch-size", "7",
                                                       "--database", database])
        #expect(preview.status == 0, "\(preview.standardError)")
        #expect(preview.standardOutput.contains("open encounters as of 2024-06-01") && preview.standardOutput.contains("nothing stored"))
        #expect(preview.standardOutput.contains("proceed-after-steps → refrain"), "\(preview.standardOutput)")
        #expect(preview.standardOutput.contains("-ice-interim-guidance-2025/consult-opla"))
        // As of today: stored, and the day said.
        let result = try await CommandLineRunner.run(["reevaluate", "--user", "admin-nyc", "--batch-size", "7", "--database", database])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("open encounters as of \(CaseCalendar().today)"), "\(result.standardOutput)")
        let notAllowed = try await CommandLineRunner.run(["reevaluate", "--user", "officer-nyc", "--database", database])
        #expect(notAllowed.status == 2)
        #expect(notAllowed.standardError.contains("--user must name an enabled admin or supervisor"))
        #expect(try await CommandLineRunner.run(["reevaluate", "--resume", "--user", "admin-nyc", "--database", database]).status == 2)
    }

    /// A policy analyst's way with a new policy: drafted, filled in, checked and tested, then
    /// tried on the stored population as of a day it would be in force, nothing stored.
    @Test func aDraftIsWrittenCheckedTestedAndTriedOnTheStoredPopulation() async throws {
        let drafts = folder.appendingPathComponent("drafts")
        let id = DraftFixture.id
        let new = try await CommandLineRunner.run(["policies", "new", id, "--from", "\(DraftFixture.firstDay)", "--rescinds", "ice-interim-guidance-2025",
                                                   "--title", "Victim-centered approach (restored)", "--drafts", drafts.path])
        #expect(new.status == 0, "\(new.standardError)")
        #expect(try await CommandLineRunner.run(["policies", "new", id, "--from", "2027-03-01", "--drafts", drafts.path]).standardError.contains("already exists"))
        let unknown = try await CommandLineRunner.run(["policies", "new", "other-2027", "--from", "2027-03-01", "--supersedes", "ice-directive-9", "--drafts", drafts.path])
        #expect(unknown.status == 2 && unknown.standardError.contains("no document ice-directive-9"))
        #expect(try await CommandLineRunner.run(["policies", "test", "--drafts", drafts.path]).status == 0, "the skeleton loads and its cases hold")
        try DraftFixture.fill(drafts)
        let check = try await CommandLineRunner.run(["policies", "check", "--drafts", drafts.path])
        #expect(check.status == 0 && check.standardOutput.contains("7 documents"), "\(check.standardOutput)\(check.standardError)")
        let tested = try await CommandLineRunner.run(["policies", "test", "--drafts", drafts.path])
        #expect(tested.status == 0 && tested.standardOutput.contains("every rule of the drafts is tested both ways"), "\(tested.standardOutput)\(tested.standardError)")

        // A rule without a case each way, and a draft in the place of a policy in force, are refused where they are.
        let policyFile = drafts.appendingPathComponent("\(id).yaml")
        let filled = try String(contentsOf: policyFile, encoding: .utf8)
        let ruleEnd = "will refrain from taking civil immigration enforcement actions\n    source: primary\n"
        try Data(filled.replacingOccurrences(of: ruleEnd, with: ruleEnd + """
              - id: \(id)/deconflict
                description: Deconflict with law enforcement first.
                when: lawEnforcementInterest
                effects:
                  steps: [law-enforcement-deconfliction]
                citation:
                  document: Victim-centered approach (restored) (draft)
                  passage: Section 3
                  quote: coordinate and deconflict with law enforcement
                source: primary

            """).utf8).write(to: policyFile)
        let untested = try await CommandLineRunner.run(["policies", "test", "--drafts", drafts.path])
        #expect(untested.status == 2 && untested.standardError.contains("\(policyFile.path):"), "\(untested.standardError)\(untested.standardOutput)")
        #expect(untested.standardError.contains("\(id)/deconflict: no case where it fires") && untested.standardError.contains("no case where it must not fire"),
                "\(untested.standardError)")
        try Data(filled.utf8).write(to: policyFile)
        let shadow = folder.appendingPathComponent("shadow")
        try FileManager.default.createDirectory(at: shadow, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: Fixtures.policySources.appendingPathComponent("usc-8-1367.yaml"), to: shadow.appendingPathComponent("usc-8-1367.yaml"))
        let replacing = try await CommandLineRunner.run(["policies", "check", "--drafts", shadow.path])
        #expect(replacing.status == 2 && replacing.standardError.contains("\(shadow.path)/usc-8-1367.yaml:1:1: a draft has the name of a policy file in force"))

        let database = folder.appendingPathComponent("drafted.sqlite").path
        #expect(try await CommandLineRunner.run(["demo", "--no-serve", "--database", database]).status == 0)
        let stored = try await CommandLineRunner.run(["reevaluate", "--drafts", drafts.path, "--user", "admin-nyc", "--database", database])
        #expect(stored.status == 2 && stored.standardError.contains("--drafts: drafts are tried, never stored: add --dry-run"))
        let listing = folder.appendingPathComponent("changed.jsonl")
        let tried = try await CommandLineRunner.run(["reevaluate", "--dry-run", "--drafts", drafts.path, "--as-of", "\(DraftFixture.firstDay)",
                                                     "--out", listing.path, "--user", "admin-nyc", "--batch-size", "7", "--database", database])
        #expect(tried.status == 0, "\(tried.standardError)")
        let reported = try #require(tried.standardOutput.firstMatch(of: /; (\d+) outcomes would change; nothing stored/).flatMap { Int($0.1) })
        let lines = try String(contentsOf: listing, encoding: .utf8).split(separator: "\n")
        // Listed: those whose disposition or steps owed change (the rest change in what is withheld).
        #expect(reported > 0 && !lines.isEmpty && lines.count <= reported)
        #expect(tried.standardOutput.contains("+\(DraftFixture.refrainRule)") && tried.standardOutput.contains("→ refrain"), "\(tried.standardOutput)")
        let change = try JSONDecoder().decode(DraftImpact.Change.self, from: Data(lines[0].utf8))
        #expect(!change.changed.isEmpty && Set(change.changed).isSubset(of: ["disposition", "requiredSteps"]))
        let mode = try FileManager.default.attributesOfItem(atPath: listing.path)[.posixPermissions] as? Int
        #expect(mode == 0o600, "the list is its owner's to read")
        #expect(!lines.contains { $0.contains("ice-") || $0.contains("stay") }, "no rule, step or option in the list: they can tell a filing")
        let officer = try await CommandLineRunner.run(["reevaluate", "--dry-run", "--drafts", drafts.path, "--user", "officer-nyc", "--database", database])
        #expect(officer.status == 2)
        // A server offers only drafts that load: a broken one stops it at start, where it is broken.
        let served = try await CommandLineRunner.run(["serve", "--port", "65001", "--offer-drafts", shadow.path, "--database", database])
        #expect(served.status == 2 && served.standardError.contains("\(shadow.path)/usc-8-1367.yaml:1:1:"), "\(served.standardError)")
    }

    @Test func backupThenRestoreThroughTheCommandLine() async throws {
        let database = folder.appendingPathComponent("demo.sqlite").path
        #expect(try await CommandLineRunner.run(["demo", "--no-serve", "--database", database]).status == 0)
        let file = folder.appendingPathComponent("demo.backup").path
        let backup = try await CommandLineRunner.run(["backup", "--to", file, "--database", database])
        #expect(backup.status == 0, "\(backup.standardError)")
        #expect(try await CommandLineRunner.run(["backup", "--to", file, "--database", database]).status == 2)
        let restored = folder.appendingPathComponent("restored.sqlite").path
        let restore = try await CommandLineRunner.run(["restore", "--from", file, "--database", restored])
        #expect(restore.status == 0, "\(restore.standardError)")
        #expect(restore.standardOutput.contains("encounters           40 rows"))
        #expect(try await CommandLineRunner.run(["restore", "--from", file, "--database", restored]).status == 2)
    }

    /// Only `serve` and `demo` listen; every other command that opens the database offers the
    /// database's options and its own, not the server's.
    @Test(arguments: [["reevaluate"], ["migrate"], ["users", "add"], ["audit", "verify"], ["backup"], ["deliver"], ["populate"]])
    func databaseCommandsOfferNoServerOptions(_ command: [String]) async throws {
        let help = try await CommandLineRunner.run(command + ["--help"])
        #expect(help.status == 0)
        #expect(help.standardOutput.contains("--database") && help.standardOutput.contains("--audit-key"), "\(help.standardOutput)")
        #expect(!help.standardOutput.contains("--host") && !help.standardOutput.contains("--port"), "\(command): \(help.standardOutput)")
    }

    @Test func serveOffersItsHostAndPort() async throws {
        let help = try await CommandLineRunner.run(["serve", "--help"]).standardOutput
        #expect(help.contains("--host") && help.contains("--port") && help.contains("--database"))
    }

    @Test func serveListsEveryBadSettingAndExitsWithTwo() async throws {
        let result = try await CommandLineRunner.run(["serve", "--port", "0", "--host", "", "--database", "/nonexistent/x.sqlite"],
                                                     environment: ["SAFEGUARD_DATABASE_CONNECTIONS": "0", "SAFEGUARD_TOKEN_RECHECK": "60",
                                                                   "SAFEGUARD_USCIS_URL": "https://api-int.uscis.gov"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("SAFEGUARD_DATABASE_CONNECTIONS: '0' is not a number of connections per event loop (1–64)"))
        #expect(result.standardError.contains("SAFEGUARD_TOKEN_RECHECK: '60' is not a number of seconds from 0 to 10"))
        #expect(result.standardError.contains("SAFEGUARD_USCIS_URL, SAFEGUARD_USCIS_CLIENT_ID and SAFEGUARD_USCIS_CLIENT_SECRET go together"))
        #expect(result.standardError.contains("host: '' is not a host name or address"))
        #expect(result.standardError.contains("port: '0' is not a port number"))
        #expect(result.standardError.contains("database: the folder of '/nonexistent/x.sqlite' does not exist"))
    }

    @Test func serveDoesNotMixTheSimulatorWithTheRealCaseStatusAPI() async throws {
        let result = try await CommandLineRunner.run(["serve", "--uscis-simulator", "--port", "18081"], environment: [
            "SAFEGUARD_USCIS_URL": "https://api-int.uscis.gov", "SAFEGUARD_USCIS_CLIENT_ID": "id", "SAFEGUARD_USCIS_CLIENT_SECRET": "secret",
        ])
        #expect(result.status == 2)
        #expect(result.standardError.contains("--uscis-simulator: SAFEGUARD_USCIS_URL names a real Case Status API"), "\(result.standardError)")
    }

    @Test func policiesListShowAndTimeline() async throws {
        let list = try await CommandLineRunner.run(["policies", "list"])
        #expect(list.status == 0)
        #expect(list.standardOutput.contains("ice-directive-11005.3        2021-08-10 through 2025-01-29"))
        let show = try await CommandLineRunner.run(["policies", "show", "ice-directive-11005.3"])
        #expect(show.standardOutput.contains("exceptionalCircumstancesApprover: string = Field Office Director or Special Agent in Charge  [not in the texts we hold"))
        #expect(show.standardOutput.contains("Supersedes: ice-directive-11005.2"))
        let unknown = try await CommandLineRunner.run(["policies", "show", "nothing"])
        #expect(unknown.status == 2)
        let timeline = try await CommandLineRunner.run(["policies", "timeline"])
        #expect(timeline.standardOutput.contains("2021-08-10 – 2025-01-29: standing-relief, usc-8-1367, ice-policy-10076.1, ice-directive-11005.3"))
        #expect(timeline.standardOutput.contains("2025-01-30 – …: standing-relief, usc-8-1367, ice-interim-guidance-2025"))
        let relief = try await CommandLineRunner.run(["policies", "show", "standing-relief"])
        #expect(relief.standardOutput.contains("    authority: 22 U.S.C. § 7105(c)(3); 28 CFR 1100.35"))
        #expect(relief.standardOutput.contains("standing-relief/continued-presence-only-in-the-united-states: Continued Presence is never offered"))
    }

    @Test(.enabled(if: Fixtures.sharedIsExpected)) func verifySampleReportsItsCount() async throws {
        let seeds = try Fixtures.sharedFile("seeds")
        let result = try await CommandLineRunner.run(["policies", "verify", "--sample-every", "5000", "--seeds", seeds.path])
        #expect(result.status == 0, "\(result.standardOutput)\(result.standardError)")
        #expect(result.standardOutput.contains("0 invariant violations"))
        #expect(result.standardOutput.contains("0 not verbatim"))
        #expect(result.standardOutput.contains("  usc-8-1367/conviction-lifts-every-bar: "))
    }

    @Test func demoShowsEveryPeriodAndCreatesItsDatabase() async throws {
        let database = folder.appendingPathComponent("demo.sqlite").path
        let result = try await CommandLineRunner.run(["demo", "--no-serve", "--database", database])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(FileManager.default.fileExists(atPath: database))
        #expect(result.standardOutput.contains("40 people, 40 encounters"))
        #expect(result.standardOutput.contains("officer-nyc              officer              NYC  password: "))
        #expect(result.standardOutput.contains("2021-08-10 – 2025-01-29  REFRAIN"))
        #expect(result.standardOutput.contains("2025-01-30 – …  PROCEED-AFTER-STEPS  steps: opla-consultation"))
    }
}
