#!/usr/bin/env python3
"""Checks that every peer decides as Safeguard does before any is timed: N generated cases dated
under Directive 11005.3 or the 2025 interim guidance, disposition and required steps compared
case by case. Usage: agree.py PATH-TO-SAFEGUARD [N]. Exit code 1 on any disagreement."""
import sys

import cases
import cedar_peer
import openfisca_peer
import rego_peer

PEERS = {"rego (regopy)": rego_peer, "cedar (cedarpy)": cedar_peer, "openfisca (openfisca-core)": openfisca_peer}


def main():
    safeguard, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10_000
    population = cases.generate(safeguard, count)
    expected = cases.safeguard_decisions(safeguard, population)
    failed = False
    for name, peer in PEERS.items():
        decided = peer.decide(peer.prepare(), population)
        disagreements = [case for case in population if decided.get(case["caseId"]) != expected[case["caseId"]]]
        print(f"{name}: {count - len(disagreements)} of {count} cases agree with Safeguard")
        for case in disagreements[:3]:
            print(f"  {case['caseId']}: Safeguard {expected[case['caseId']]}, {name} {decided.get(case['caseId'])}: {case}")
        failed = failed or bool(disagreements)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
