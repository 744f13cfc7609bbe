# Safeguard's disposition and required steps under Directive 11005.3 (with Policy 10076.1, in force
# beside it) and the 2025 interim guidance, after ../../../shared/policy-reference.md, in Rego.
# `decisions` decides every case of `input.cases` in one query (the batch API of a Rego engine).
package safeguard

victim_based := {"T", "U", "VAWA", "SIJ", "CP"}

live := {"pending", "approved"}

steps := ["opla-consultation", "exceptional-circumstances-approval", "law-enforcement-deconfliction", "benefit-verification"]

benefits(c) := object.get(object.get(c, "subject", {}), "benefits", [])

known_live(c) if {
	some b in benefits(c)
	b.verified
	b.status in live
	b.type in victim_based
}

known_live_cp(c) if {
	some b in benefits(c)
	b.verified
	b.status in live
	b.type == "CP"
}

claimed_live(c) if {
	some b in benefits(c)
	not b.verified
	b.status in live
	b.type in victim_based
}

flag(c, name) := object.get(c, name, false)

subject_flag(c, name) := object.get(object.get(c, "subject", {}), name, false)

victim_centered(c) if {
	c.asOf >= "2021-08-10"
	c.asOf < "2025-01-30"
}

interim_2025(c) if c.asOf >= "2025-01-30"

protected(c) if known_live(c)

protected(c) if subject_flag(c, "pendingCriminalCase")

# 11005.3: refrain from action against known beneficiaries, absent exceptional circumstances.
refrains(c) if {
	victim_centered(c)
	protected(c)
	not flag(c, "exceptionalCircumstances")
}

# 10076.1: no removal proceedings against an immediate victim or witness, absent aggravating factors.
refrains(c) if {
	victim_centered(c)
	subject_flag(c, "immediateVictimOrWitness")
	c.action == "initiate-removal-proceedings"
	not flag(c, "aggravatingFactors")
}

step(c, "exceptional-circumstances-approval") if {
	victim_centered(c)
	protected(c)
	flag(c, "exceptionalCircumstances")
}

# 11005.3, and the 2025 guidance read the same way: a claimed live filing, none known, is verified first.
step(c, "benefit-verification") if {
	c.asOf >= "2021-08-10"
	claimed_live(c)
	not known_live(c)
}

step(c, "law-enforcement-deconfliction") if {
	interim_2025(c)
	flag(c, "lawEnforcementInterest")
}

step(c, "law-enforcement-deconfliction") if {
	interim_2025(c)
	subject_flag(c, "pendingCriminalCase")
}

step(c, "law-enforcement-deconfliction") if {
	interim_2025(c)
	known_live_cp(c)
}

step(c, "opla-consultation") if {
	interim_2025(c)
	known_live(c)
}

required(c) := [s |
	some s in steps
	step(c, s)
	not s in object.get(c, "stepsCompleted", [])
]

disposition(c) := "refrain" if refrains(c)

disposition(c) := "proceed-after-steps" if {
	not refrains(c)
	count(required(c)) > 0
}

disposition(c) := "proceed" if {
	not refrains(c)
	count(required(c)) == 0
}

decisions := [{"caseId": c.caseId, "disposition": disposition(c), "requiredSteps": required(c)} | some c in input.cases]
