"""Cases for the peers: `safeguard generate` cases dated under Directive 11005.3 or the 2025
interim guidance (the rules the peers encode), and Safeguard's own decisions of them."""
import json, subprocess

FIRST_DAY = "2021-08-10"


def generate(safeguard, count, seed=1):
    """`count` generated cases dated on or after FIRST_DAY, as JSON objects."""
    cases, batch = [], max(count * 2, 1000)
    while len(cases) < count:
        lines = subprocess.run([safeguard, "generate", "--count", str(batch), "--seed", str(seed)], capture_output=True, text=True, check=True).stdout
        cases += [case for case in map(json.loads, lines.splitlines()) if case["asOf"] >= FIRST_DAY]
        seed += 1
    for index, case in enumerate(cases[:count]):
        case["caseId"] = f"case-{index + 1}"
    return cases[:count]


def safeguard_decisions(safeguard, cases):
    """Safeguard's disposition and required steps of each case, by case id."""
    text = "\n".join(json.dumps(case) for case in cases) + "\n"
    output = subprocess.run([safeguard, "batch", "-"], input=text, capture_output=True, text=True, check=True).stdout
    return {d["caseId"]: (d["disposition"], sorted(d["requiredSteps"])) for d in map(json.loads, output.splitlines())}
