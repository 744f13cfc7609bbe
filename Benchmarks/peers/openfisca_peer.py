"""The OpenFisca peer: the same rules as OpenFisca variables over a population, each formula one
numpy expression over every case at once (OpenFisca's vectorised calculation). The binding
prepares the columns OpenFisca reads: the date as a number, the action as a code, the flags,
the steps done, and the filings counted by status and verification (OpenFisca has no lists
inside an entity; known live CP filings are counted apart, for the 2025 deconfliction). `known`,
`live` and every rule are formulas."""
import numpy
from openfisca_core.entities import build_entity
from openfisca_core.periods import DateUnit
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

Case = build_entity(key="case", plural="cases", label="A case", is_person=True)
ACTIONS = ["arrest", "detention", "initiate-removal-proceedings", "removal"]
STATUSES = ["pending", "approved", "denied", "denied-final", "revoked"]
STEPS = ["opla-consultation", "exceptional-circumstances-approval", "law-enforcement-deconfliction", "benefit-verification"]
FLAGS = ["immediateVictimOrWitness", "pendingCriminalCase", "exceptionalCircumstances", "aggravatingFactors", "lawEnforcementInterest"]
DISPOSITIONS = ["proceed", "proceed-after-steps", "refrain"]
# Every variable is yearly and computed for one year: a case's own date is an input column.
PERIOD = "2026"


def column(name, kind):
    return type(name, (Variable,), {"value_type": kind, "entity": Case, "definition_period": DateUnit.YEAR, "label": name})


def formula(name, kind, body):
    return type(name, (Variable,), {"value_type": kind, "entity": Case, "definition_period": DateUnit.YEAR, "label": name,
                                    "formula": body})


def filings(case, period, verified):
    return sum(case(f"filings_{status}_{'verified' if verified else 'unverified'}", period) for status in ["pending", "approved"])


INPUTS = ([column("as_of", int), column("action", int)] + [column(flag, bool) for flag in FLAGS]
          + [column(f"done_{step.replace('-', '_')}", bool) for step in STEPS]
          + [column(f"filings_{status.replace('-', '_')}_{v}", int) for status in STATUSES for v in ["verified", "unverified"]]
          + [column("filings_cp_known_live", int)])

RULES = [
    # A filing is known when verified, live when pending or approved; every contract type is victim-based.
    formula("known_live", bool, lambda case, period: filings(case, period, True) > 0),
    formula("claimed_live", bool, lambda case, period: filings(case, period, False) > 0),
    formula("victim_centered", bool, lambda case, period: (case("as_of", period) >= 20210810) & (case("as_of", period) < 20250130)),
    formula("interim_2025", bool, lambda case, period: case("as_of", period) >= 20250130),
    formula("protected", bool, lambda case, period: case("known_live", period) | case("pendingCriminalCase", period)),
    formula("refrains", bool, lambda case, period: case("victim_centered", period) & (
        (case("protected", period) & ~case("exceptionalCircumstances", period))
        | (case("immediateVictimOrWitness", period) & (case("action", period) == ACTIONS.index("initiate-removal-proceedings"))
           & ~case("aggravatingFactors", period)))),
    formula("owes_exceptional_circumstances_approval", bool, lambda case, period: case("victim_centered", period) & case("protected", period)
            & case("exceptionalCircumstances", period) & ~case("done_exceptional_circumstances_approval", period)),
    formula("owes_benefit_verification", bool, lambda case, period: (case("victim_centered", period) | case("interim_2025", period)) & case("claimed_live", period)
            & ~case("known_live", period) & ~case("done_benefit_verification", period)),
    formula("owes_law_enforcement_deconfliction", bool, lambda case, period: case("interim_2025", period)
            & (case("lawEnforcementInterest", period) | case("pendingCriminalCase", period) | (case("filings_cp_known_live", period) > 0))
            & ~case("done_law_enforcement_deconfliction", period)),
    formula("owes_opla_consultation", bool, lambda case, period: case("interim_2025", period) & case("known_live", period)
            & ~case("done_opla_consultation", period)),
    formula("disposition", int, lambda case, period: numpy.where(case("refrains", period), 2, numpy.where(
        sum(case(f"owes_{step.replace('-', '_')}", period) for step in STEPS) > 0, 1, 0))),
]


def prepare():
    system = TaxBenefitSystem([Case])
    for variable in INPUTS + RULES:
        system.add_variable(variable)
    return system


def columns(cases):
    """The population as OpenFisca's input columns (the binding)."""
    count = len(cases)
    data = {"as_of": numpy.fromiter((int(c["asOf"].replace("-", "")) for c in cases), dtype=numpy.int32, count=count),
            "action": numpy.fromiter((ACTIONS.index(c["action"]) for c in cases), dtype=numpy.int32, count=count)}
    for flag in FLAGS:
        data[flag] = numpy.fromiter((bool(c.get("subject", {}).get(flag, c.get(flag, False))) for c in cases), dtype=bool, count=count)
    for step in STEPS:
        data[f"done_{step.replace('-', '_')}"] = numpy.fromiter((step in c.get("stepsCompleted", []) for c in cases), dtype=bool, count=count)
    for status in STATUSES:
        for verified in [True, False]:
            data[f"filings_{status.replace('-', '_')}_{'verified' if verified else 'unverified'}"] = numpy.fromiter(
                (sum(1 for b in c.get("subject", {}).get("benefits", []) if b["status"] == status and b["verified"] == verified) for c in cases),
                dtype=numpy.int32, count=count)
    data["filings_cp_known_live"] = numpy.fromiter(
        (sum(1 for b in c.get("subject", {}).get("benefits", []) if b["type"] == "CP" and b["verified"] and b["status"] in ("pending", "approved"))
         for c in cases), dtype=numpy.int32, count=count)
    return data


def calculate(system, data):
    """OpenFisca's calculation from prepared columns: dispositions and the steps owed, as arrays."""
    count = len(data["as_of"])
    simulation = SimulationBuilder().build_default_simulation(system, count)
    for name, values in data.items():
        simulation.set_input(name, PERIOD, values)
    disposition = simulation.calculate("disposition", PERIOD)
    owed = {step: simulation.calculate(f"owes_{step.replace('-', '_')}", PERIOD) for step in STEPS}
    return disposition, owed


def decide(system, cases):
    disposition, owed = calculate(system, columns(cases))
    return {case["caseId"]: (DISPOSITIONS[disposition[i]], sorted(step for step in STEPS if owed[step][i])) for i, case in enumerate(cases)}
