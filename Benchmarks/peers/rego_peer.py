"""The Rego peer: safeguard.rego through regopy, every case of a batch in one query."""
import json, os, regopy

POLICY = open(os.path.join(os.path.dirname(__file__), "safeguard.rego")).read()


def prepare():
    interpreter = regopy.Interpreter()
    interpreter.add_module("safeguard", POLICY)
    return interpreter


# regopy answers `<error>` to one query over 10,000 cases; batches of this size it decides.
BATCH = 1000


def decide(interpreter, cases):
    decided = {}
    for start in range(0, len(cases), BATCH):
        interpreter.set_input({"cases": cases[start:start + BATCH]})
        result = str(interpreter.query("data.safeguard.decisions"))
        if not result.startswith("{"):
            raise RuntimeError(f"regopy: {result[:200]}")
        for d in json.loads(result)["expressions"][0]:
            decided[d["caseId"]] = (d["disposition"], sorted(d["requiredSteps"]))
    return decided
