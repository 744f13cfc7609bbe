#!/usr/bin/env python3
"""Times Safeguard and the peers on the same generated cases, after checking that they agree:
for each engine, the policy's load apart from evaluation, per-decision p50/p99 one case at a
time, and batch throughput with the share of the time spent outside the engine (a peer's Python
binding building its input and reading its output; Safeguard's decoding of the JSON); for
Safeguard also its population evaluator (`safeguard measure`, checked on every case against the
per-case engine) and `safeguard batch` end to end from JSONL. Prints Markdown tables: the figures
and the ratios, like with like.
Usage: compare.py PATH-TO-SAFEGUARD [SIZES] [--series FILE] [--plot FILE]: every engine at each
population size (comma-separated; default 100000); --series keeps the end-to-end figures in a
JSON file across runs, --plot draws throughput against population size, --skip NAME (repeated
as needed) leaves out the peers whose name contains NAME. Benchmarks/peers/run
runs each size in a process of its own and draws docs/images/peers-throughput.svg."""
import json, os, resource, subprocess, sys, tempfile, time

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
    """Cedar: five requests per case, one `is_authorized_batch` per CHUNK cases (5,000,000 requests
    in one call exhaust this machine's 24 GB)."""
    binding = engine_time = 0.0
    for start in range(0, len(population), CHUNK):
        t0 = time.perf_counter()
        requests = [request for case in population[start:start + CHUNK] for request in cedar_peer.requests(case)]
        t1 = time.perf_counter()
        cedar_peer.cedarpy.is_authorized_batch(requests, engine, [])
        t2 = time.perf_counter()
        binding += t1 - t0
        engine_time += t2 - t1
    return binding + engine_time, binding


CHUNK = 100_000


def openfisca_batch(engine, population):
    t0 = time.perf_counter()
    data = openfisca_peer.columns(population)
    t1 = time.perf_counter()
    openfisca_peer.calculate(engine, data)
    t2 = time.perf_counter()
    return t2 - t0, t1 - t0


PEERS = [("Rego (regopy)", rego_peer, rego_batch), ("Cedar (cedarpy)", cedar_peer, cedar_batch), ("OpenFisca (openfisca-core)", openfisca_peer, openfisca_batch)]


def safeguard_batch(safeguard, path):
    """Seconds for `safeguard batch` over a JSONL file of cases, decisions written out."""
    started = time.perf_counter()
    subprocess.run([safeguard, "batch", path, "--out", os.devnull], check=True, capture_output=True)
    return time.perf_counter() - started


def safeguard_measure(safeguard, path, one_core=False):
    """`safeguard measure` over a JSONL file: decoding, one decision at a time, all on one core,
    the population evaluator from decoded facts laid out in columns (both cores, or with
    `one_core` pinned to one by `taskset -c 0`), checked on every case."""
    command = (["taskset", "-c", "0"] if one_core else []) + [safeguard, "measure", path, "--json"]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def measure(safeguard, count):
    """Every engine on `count` cases: prints the tables, returns each engine's end-to-end cases/s."""
    population = cases.generate(safeguard, count)
    expected = cases.safeguard_decisions(safeguard, population[:10_000])
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as file:
        file.writelines(json.dumps(case) + "\n" for case in population)
    batch_seconds = safeguard_batch(safeguard, file.name)
    measured = safeguard_measure(safeguard, file.name)
    one_core = safeguard_measure(safeguard, file.name, one_core=True)
    os.unlink(file.name)
    decode = measured["decodeSeconds"]
    # name, parse, p50, p99, end-to-end seconds, binding seconds (end to end minus the engine alone)
    per_case = ("Safeguard, per-case engine (one core)", measured["policyLoadSeconds"], measured["decisionP50Nanoseconds"] * 1e-9,
                measured["decisionP99Nanoseconds"] * 1e-9, decode + measured["decideAllSeconds"], decode)
    columnar = ("Safeguard, population evaluator (columns, both cores)", None, None, None,
                decode + measured["columnsSeconds"] + measured["populationSeconds"], decode + measured["columnsSeconds"])
    columnar_one_core = ("Safeguard, population evaluator (columns, one core)", None, None, None,
                         decode + one_core["columnsSeconds"] + one_core["populationSeconds"], decode + one_core["columnsSeconds"])
    batch_row = ("Safeguard, `safeguard batch` (JSONL in, decisions out, both cores)", None, None, None, batch_seconds, None)
    rows = [per_case, columnar, columnar_one_core, batch_row]
    skipped = [sys.argv[index + 1] for index, argument in enumerate(sys.argv[:-1]) if argument == "--skip"]
    for name, peer, batch in PEERS:
        if any(skip in name for skip in skipped):
            print(f"{count:,}: {name} not run (--skip)", file=sys.stderr)
            continue
        t0 = time.perf_counter()
        engine = peer.prepare()
        parse = time.perf_counter() - t0
        agreed = peer.decide(engine, population[:10_000])
        if any(agreed[k] != expected[k] for k in expected):
            sys.exit(f"{name} disagrees with Safeguard: not timed")
        p50, p99 = one_at_a_time(peer.decide, engine, population)
        seconds, binding = batch(engine, population)
        rows.append((name, parse, p50, p99, seconds, binding))
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"{count:,}: timed {name} ({seconds:.1f} s; peak memory so far {peak:,} MB)", file=sys.stderr, flush=True)
    print(f"\n### {count:,} cases\n\n{os.cpu_count()} cores; every peer agreed with Safeguard on {min(count, 10_000):,} of them first, "
          f"and Safeguard's population evaluator with its per-case engine on all {measured['cases']:,} "
          f"({measured['disagreements']} disagreements on both cores, {one_core['disagreements']} on one)\n")
    print("| engine | policy load (ms) | one case p50 (µs) | one case p99 (µs) | end to end (cases/s) | binding share | engine alone (cases/s) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for name, parse, p50, p99, seconds, binding in rows:
        cells = ["—" if parse is None else f"{parse * 1e3:,.1f}"] + ["—" if v is None else f"{v * 1e6:,.2f}" for v in [p50, p99]]
        share = "—" if binding is None else f"{binding / seconds:.0%}"
        alone = "—" if binding is None else f"{count / (seconds - binding):,.0f}"
        print(f"| {name} | {cells[0]} | {cells[1]} | {cells[2]} | {count / seconds:,.0f} | {share} | {alone} |")
    short = {per_case[0]: "Safeguard per-case engine", columnar[0]: "Safeguard population evaluator",
             columnar_one_core[0]: "Safeguard population evaluator, one core", batch_row[0]: "Safeguard batch"}
    alone = {name: seconds - binding for name, _, _, _, seconds, binding in rows if binding is not None}
    whole = {name: seconds for name, _, _, _, seconds, _ in rows}
    p50s = {name: p50 for name, _, p50, _, _, _ in rows if p50 is not None}
    print("\n| comparison (like with like) | Safeguard is faster by |")
    print("| --- | --- |")
    for peer_name in [name for name, _, _ in PEERS[:2] if name in alone]:
        print(f"| per decision in a batch, engine alone: per-case engine vs {peer_name} | {alone[peer_name] / alone[per_case[0]]:,.0f}× |")
        print(f"| one case at a time, p50: per-case engine vs {peer_name} | {p50s[peer_name] / p50s[per_case[0]]:,.0f}× |")
        print(f"| end to end: `safeguard batch` vs {peer_name} | {whole[peer_name] / batch_seconds:,.0f}× |")
    openfisca = PEERS[2][0]
    if openfisca not in alone:
        return {short.get(name, name): count / seconds for name, _, _, _, seconds, _ in rows}
    print(f"| columns to outcomes: population evaluator vs {openfisca}'s calculation | {alone[openfisca] / alone[columnar[0]]:,.1f}× |")
    print(f"| columns to outcomes, one core each: population evaluator vs {openfisca}'s calculation | {alone[openfisca] / alone[columnar_one_core[0]]:,.1f}× |")
    print(f"| end to end from JSON: population evaluator vs {openfisca} | {whole[openfisca] / whole[columnar[0]]:,.1f}× |")
    print(f"| end to end: `safeguard batch` vs {openfisca} | {whole[openfisca] / batch_seconds:,.1f}× |", flush=True)
    return {short.get(name, name): count / seconds for name, _, _, _, seconds, _ in rows}


def main():
    """Each size in turn; with --series FILE the end-to-end figures are added to those the file
    holds (so that each size can run in a process of its own), with --plot FILE drawn."""
    sizes = [int(size) for size in (sys.argv[2] if len(sys.argv) > 2 and not sys.argv[2].startswith("--") else "100000").split(",")]
    store = sys.argv[sys.argv.index("--series") + 1] if "--series" in sys.argv else None
    series = json.load(open(store)) if store and os.path.exists(store) else {}
    for size in sizes:
        for name, rate in measure(sys.argv[1], size).items():
            series[name] = sorted([point for point in series.get(name, []) if point[0] != size] + [[size, rate]])
    if store:
        with open(store, "w") as file:
            json.dump(series, file)
    if "--plot" in sys.argv:
        with open(sys.argv[sys.argv.index("--plot") + 1], "w") as file:
            file.write(plot.svg({name: [tuple(point) for point in points] for name, points in series.items()},
                                "Decisions per second against population size (2021 and 2025 rules; end to end from JSON)"))


if __name__ == "__main__":
    main()
