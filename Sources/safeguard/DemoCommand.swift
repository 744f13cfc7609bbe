import ArgumentParser
import PolicyEngine
import SafeguardCore
import SafeguardRuntime
import SafeguardServer

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Show sample cases under each policy period, then serve a demonstration database.",
        discussion: "The database (safeguard-demo.sqlite unless --database says otherwise) is made anew each time."
    )

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = "8080"
    @Option(help: "The demonstration database file, replaced on each run.") var database = "safeguard-demo.sqlite"
    @Flag(help: "Create the database and stop, without serving.") var noServe = false
    @Option(help: "How many people (each with an encounter) to make; more make a load for measurements.") var people = 40
    @OptionGroup var policyOptions: PolicyOptions

    /// Cases that show the policies' differences; their dates are replaced by one in each period.
    static let samples: [(title: String, facts: CaseFacts)] = {
        let someDay = CalendarDate(year: 2000, month: 1, day: 1)!
        let knownU = BenefitFiling(type: .u, role: .principal, status: .pending, verified: true)
        let claimedT = BenefitFiling(type: .t, role: .principal, status: .pending, verified: false)
        return [
            ("Arrest of a known U visa applicant", CaseFacts(asOf: someDay, action: .arrest, subject: Subject(benefits: [knownU]))),
            ("Removal of a known U visa applicant", CaseFacts(asOf: someDay, action: .removal, subject: Subject(benefits: [knownU]))),
            ("Arrest of someone who claims a T visa filing and holds a trafficking eligibility letter",
             CaseFacts(asOf: someDay, action: .arrest, subject: Subject(benefits: [claimedT], victimIndicia: EnumSet([.traffickingEligibilityLetter])))),
            ("Notice to appear for the immediate victim of a crime",
             CaseFacts(asOf: someDay, action: .initiateRemovalProceedings, subject: Subject(immediateVictimOrWitness: true))),
            ("Detention of a VAWA self-petitioner, on evidence from her abuser",
             CaseFacts(asOf: someDay, action: .detention,
                       subject: Subject(benefits: [BenefitFiling(type: .vawa, role: .principal, status: .approved, verified: true)], detained: true),
                       information: [InformationItem(id: "statement-of-spouse", source: .abuser, adverse: true)])),
            ("Removal of a U visa applicant, on a statement by the perpetrator of the crime against her",
             CaseFacts(asOf: someDay, action: .removal, subject: Subject(benefits: [knownU]),
                       information: [InformationItem(id: "statement-of-perpetrator", source: .perpetrator, adverse: true)])),
        ]
    }()

    func run() async throws {
        let ruleSet: RuleSet
        let settings: ServerSettings
        do {
            ruleSet = try policyOptions.load()
            // The demo always runs on the embedded SQLite default, whatever DATABASE_URL says.
            settings = try ServerSettings.resolve(host: host, port: port, database: database, environment: [:])
        } catch let error as BadInput {
            throw error.exit()
        } catch let error as SettingsError {
            throw BadInput(error.problems).exit()
        }
        showPolicyPeriods(ruleSet)
        let (host, serve) = (settings.host, !noServe)
        try await SafeguardService.demo(settings: settings, ruleSet: ruleSet, people: people, serve: serve) { summary, token in
            print("Demonstration database \(settings.databasePath): \(summary.people) people, \(summary.encounters) encounters, "
                  + "\(summary.steps) steps, \(summary.actionsRecorded) enforcement actions recorded.")
            let hotline = "\(summary.calls) calls, \(summary.registrations) registrations, \(summary.custodyEvents) custody events"
            print("Hotline: \(hotline); their notices wait for a gateway (SAFEGUARD_GATEWAY_SMS, _EMAIL, _VOICE).")
            print("\nDemo users (passwords are new each run):")
            for user in summary.users {
                print("  \(user.username.padding(toLength: 24, withPad: " ", startingAt: 0)) \(user.role.rawValue.padding(toLength: 20, withPad: " ", startingAt: 0)) \(user.office)  password: \(user.password)")
            }
            print("\nAPI token of officer-nyc: \(token)")
            guard serve else { return }
            print("\nSafeguard is at http://\(host):\(settings.port)/  (try: curl -H 'Authorization: Bearer \(token)' http://\(host):\(settings.port)/api/v1/encounters)")
            print("Stop it with Ctrl-C.")
        }
    }

    /// The sample cases decided in each period, with what changed from one to the next.
    func showPolicyPeriods(_ ruleSet: RuleSet) {
        do {
            let stretches = ruleSet.stretches.filter { !$0.documents.isEmpty }
            print("Safeguard demo: \(Self.samples.count) cases decided in each of \(stretches.count) policy periods.\n")
            for (title, sample) in Self.samples {
                print("■ \(title)")
                var previous: Decision?
                for stretch in stretches {
                    var facts = sample
                    facts.asOf = stretch.representativeDay
                    let decision = ruleSet.evaluate(facts)
                    let period = "\(stretch.firstDay.map(\.description) ?? "…") – \(stretch.lastDay.map(\.description) ?? "…")"
                    let steps = decision.requiredSteps.isEmpty ? "" : "  steps: \(decision.requiredSteps.spellings.joined(separator: ", "))"
                    print("  \(period)  \(decision.disposition.spelling.uppercased())\(steps)")
                    print("      in force: \(decision.policyIDs(in: ruleSet).joined(separator: ", "))")
                    if let previous {
                        let diff = DecisionDiff(before: previous, after: decision, in: ruleSet)
                        for line in diff.lines where !line.hasPrefix("disposition unchanged") && !line.hasPrefix("polic") {
                            print("      changed: \(line)")
                        }
                    }
                    previous = decision
                }
                print("")
            }
            print("Explain any case rule by rule: safeguard evaluate CASE.json (see the README).\n")
        }
    }
}
