"""The Cedar peer: safeguard.cedar through cedarpy's batch API. A case is five requests: "Act"
(denied when a refrain rule applies) and one "Step" per step (allowed when it is required). The
binding turns the contract's case into a Cedar context: the date as a number (Cedar has no date
type in cedarpy's default extensions), each filing as a token, absent flags as false."""
import os, cedarpy

POLICY = open(os.path.join(os.path.dirname(__file__), "safeguard.cedar")).read()
STEPS = ["opla-consultation", "exceptional-circumstances-approval", "law-enforcement-deconfliction", "benefit-verification"]
SUBJECT_FLAGS = ["immediateVictimOrWitness", "pendingCriminalCase"]
FLAGS = ["exceptionalCircumstances", "aggravatingFactors", "lawEnforcementInterest"]


def prepare():
    return cedarpy.PolicySet.from_str(POLICY) if hasattr(cedarpy, "PolicySet") else POLICY


def context(case):
    subject = case.get("subject", {})
    return {
        "asOf": int(case["asOf"].replace("-", "")),
        "action": case["action"],
        "stepsCompleted": case.get("stepsCompleted", []),
        "benefits": [f'{b["type"]}:{b["role"]}:{b["status"]}:{"true" if b["verified"] else "false"}' for b in subject.get("benefits", [])],
        **{flag: bool(subject.get(flag, False)) for flag in SUBJECT_FLAGS},
        **{flag: bool(case.get(flag, False)) for flag in FLAGS},
    }


def requests(case):
    shared = {"principal": 'Officer::"officer"', "context": context(case)}
    yield dict(shared, action='Action::"Act"', resource='Case::"case"')
    for step in STEPS:
        yield dict(shared, action='Action::"Step"', resource=f'Step::"{step}"')


def decide(policies, cases):
    batch = [request for case in cases for request in requests(case)]
    results = cedarpy.is_authorized_batch(batch, policies, [])
    decided = {}
    for index, case in enumerate(cases):
        answers = results[index * 5:(index + 1) * 5]
        required = sorted(step for step, answer in zip(STEPS, answers[1:]) if answer.allowed)
        refrain = not answers[0].allowed
        decided[case["caseId"]] = ("refrain" if refrain else "proceed-after-steps" if required else "proceed", required)
    return decided
