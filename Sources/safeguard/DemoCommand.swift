import ArgumentParser
import PolicyEngine

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Decide sample cases under each policy period and show what changed."
    )

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
        ]
    }()

    func run() throws {
        try reportingBadInput {
            let ruleSet = try policyOptions.load()
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
            print("Explain any case rule by rule: safeguard evaluate CASE.json (see the README).")
        }
    }
}
