#!/usr/bin/env python3
"""Times Safeguard and the peers on the same generated cases, after checking that they agree:
for each peer, the parse cost (loading the policy) apart from evaluation, per-decision p50/p99
one case at a time, and batch throughput, with the share of the batch time spent in the Python
binding (building the engine's input and reading its output); for Safeguard, `safeguard batch`
end to end from JSONL. Prints a Markdown table of ratios.
Usage: compare.py PATH-TO-SAFEGUARD [N] [--plot SIZES FILE]   (N cases per batch; default 100,000;
--plot 10000,100000 docs/images/peers-throughput.svg also times every engine at each size and
draws throughput against population size)"""
import json, os, subprocess, sys, tempfile, time

import cases
import cedar_peer
import openfisca_peer
import plot
import rego_peer


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def one_at_a_time(decide, engine, population, count=300):
    """Seconds per decision, one case per call, over `count` cases."""
    times = []
    for case in population[:count]:
        started = time.perf_counter()
        decide(engine, [case])
        times.append(time.perf_counter() - started)
    return percentile(times, 0.5), percentile(times, 0.99)


def rego_batch(engine, population):
    """Rego: the engine's query apart from the binding (input conversion, output parsing)."""
    binding = engine_time = 0.0
    for start in range(0, len(population), rego_peer.BATCH):
        t0 = time.perf_counter()
        engine.set_input({"cases": population[start:start + rego_peer.BATCH]})
        t1 = time.perf_counter()
        result = engine.query("data.safeguard.decisions")
        t2 = time.perf_counter()
        json.loads(str(result))
        t3 = time.perf_counter()
        binding += (t1 - t0) + (t3 - t2)
        engine_time += t2 - t1
    return binding + engine_time, binding


def cedar_batch(engine, population):
    t0 = time.perf_counter()
    requests = [request for case in population for request in cedar_peer.requests(case)]
    t1 = time.perf_counter()
    cedar_peer.cedarpy.is_authorized_batch(requests, engine, [])
    t2 = time.perf_counter()
    return t2 - t0, t1 - t0


def openfisca_batch(engine, population):
    t0 = time.perf_counter()
    data = openfisca_peer.columns(population)
    t1 = time.perf_counter()
    openfisca_peer.calculate(engine, data)
    t2 = time.perf_counter()
    return t2 - t0, t1 - t0


PEERS = [("Rego (regopy)", rego_peer, rego_batch), ("Cedar (cedarpy)", cedar_peer, cedar_batch), ("OpenFisca (openfisca-core)", openfisca_peer, openfisca_batch)]


def safeguard_batch(safeguard, population):
    """Seconds for `safeguard batch` over the population, from a JSONL file to decisions."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as file:
        file.writelines(json.dumps(case) + "\n" for case in population)
    started = time.perf_counter()
    subprocess.run([safeguard, "batch", file.name, "--out", os.devnull], check=True, capture_output=True)
    seconds = time.perf_counter() - started
    os.unlink(file.name)
    return seconds


def scaling(safeguard, sizes, path):
    """Every engine's end-to-end batch throughput at each size, drawn to `path`."""
    series = {"Safeguard": []} | {name: [] for name, _, _ in PEERS}
    for size in sizes:
        population = cases.generate(safeguard, size)
        series["Safeguard"].append((size, size / safeguard_batch(safeguard, population)))
        for name, peer, batch in PEERS:
            series[name].append((size, size / batch(peer.prepare(), population)[0]))
        print(f"{size:,}: " + ", ".join(f"{name} {points[-1][1]:,.0f}/s" for name, points in series.items()))
    with open(path, "w") as file:
        file.write(plot.svg(series, "Decisions per second against batch size (2021 and 2025 rules; end to end)"))


def main():
    safeguard, count = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 100_000
    if "--plot" in sys.argv:
        at = sys.argv.index("--plot")
        scaling(safeguard, [int(size) for size in sys.argv[at + 1].split(",")], sys.argv[at + 2])
        return
    population = cases.generate(safeguard, count)
    expected = cases.safeguard_decisions(safeguard, population[:10_000])
    safeguard_seconds = safeguard_batch(safeguard, population)
    rows = [("Safeguard (`safeguard batch`, JSONL in, decisions out)", None, None, None, safeguard_seconds, None)]
    for name, peer, batch in PEERS:
        t0 = time.perf_counter()
        engine = peer.prepare()
        parse = time.perf_counter() - t0
        agreed = peer.decide(engine, population[:10_000])
        if any(agreed[k] != expected[k] for k in expected):
            sys.exit(f"{name} disagrees with Safeguard: not timed")
        p50, p99 = one_at_a_time(peer.decide, engine, population)
        seconds, binding = batch(engine, population)
        rows.append((name, parse, p50, p99, seconds, binding))
    print(f"{count:,} cases, {os.cpu_count()} cores; every peer agreed with Safeguard on 10,000 of them first\n")
    print("| engine | parse (ms) | one case p50 (µs) | one case p99 (µs) | batch, end to end (cases/s) | binding share | engine alone (cases/s) | Safeguard end to end is faster by |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, parse, p50, p99, seconds, binding in rows:
        ratio = "—" if parse is None else f"{seconds / safeguard_seconds:,.0f}×"
        cells = ["—" if v is None else f"{v * 1e3:,.1f}" for v in [parse]] + ["—" if v is None else f"{v * 1e6:,.0f}" for v in [p50, p99]]
        share = "—" if binding is None else f"{binding / seconds:.0%}"
        alone = "—" if binding is None else f"{count / (seconds - binding):,.0f}"
        print(f"| {name} | {cells[0]} | {cells[1]} | {cells[2]} | {count / seconds:,.0f} | {share} | {alone} | {ratio} |")


if __name__ == "__main__":
    main()
