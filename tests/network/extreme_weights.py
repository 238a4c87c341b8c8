#!/usr/bin/python3
"""Regression tests for issue 14's crashes 1 and 2: network metrics on ties that weigh 0 or almost 0.

Usage: extreme_weights.py CLUSTERNET_BINARY SCENARIO_DIR WORK_DIR

`analyze` on one tie of weight 0 segfaulted (Louvain placed no vertex, and the metric code then
indexed with the "no community" marker), as did any graph whose weights were all tiny, and a run
whose tie weights underflowed to 0. Each must now succeed: modularity and communities are NaN
(JSON null) when no tie has weight, every other metric is the unweighted one, and a common factor
of the weights changes neither the partition nor the modularity (to rounding).
"""
import json
import os
import subprocess
import sys

binary, scenarios, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
failures = []


def analyze(name, rows, threads, weighted=True):
    path = os.path.join(work, name + ".csv")
    with open(path, "w") as f:
        f.write("source,target,weight\n" if weighted else "source,target\n")
        for row in rows:
            f.write(",".join(str(x) for x in (row if weighted else row[:2])) + "\n")
    partition = os.path.join(work, f"{name}_{threads}_partition.csv")
    out = subprocess.run([binary, "analyze", path, "--json", "--threads", str(threads), "--partition-out", partition],
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        failures.append(f"{name} on {threads} threads: exit {out.returncode}: {out.stderr.strip()}")
        return None, None
    with open(partition) as f:
        return json.loads(out.stdout)["scalars"], f.read()


# Ring of 8 cliques of 6 with weights 1..4: a clear modularity optimum.
ring = []
for c in range(8):
    ring += [(c * 6 + a, c * 6 + b, 1 + (a * 7 + b * 3) % 4) for a in range(6) for b in range(a + 1, 6)]
    ring.append((c * 6 + 5, (c * 6 + 6) % 48, 2))

for threads in (1, 2, 8):
    # Crash 2: one tie of weight 0.
    s, partition = analyze("one_zero_tie", [(0, 1, 0)], threads)
    if s is not None:
        if s["ties"] != 1 or s["modularity"] is not None or s["communities"] is not None:
            failures.append(f"one_zero_tie: expected 1 tie and null modularity/communities, got {s}")
        if partition != "id,community\n":
            failures.append(f"one_zero_tie: partition file should list no vertex, got {partition!r}")
    # Every tie weighs 0: communities undefined, the rest as unweighted.
    zero, _ = analyze("ring_zero", [(u, v, 0) for u, v, _ in ring], threads)
    plain, _ = analyze("ring_plain", ring, threads, weighted=False)
    if zero is not None and plain is not None:
        for k, v in zero.items():
            expected = None if k in ("modularity", "communities") else plain[k]
            if v != expected:
                failures.append(f"ring_zero on {threads} threads: {k} = {v}, expected {expected}")
    # A common factor: tiny (1e-30, still a normal single-precision number) against 1.
    base, base_partition = analyze("ring", ring, threads)
    tiny, tiny_partition = analyze("ring_tiny", [(u, v, w * 1e-30) for u, v, w in ring], threads)
    if base is not None and tiny is not None:
        if tiny_partition != base_partition:
            failures.append(f"ring_tiny on {threads} threads: the partition differs from weights x 1")
        if abs(tiny["modularity"] - base["modularity"]) > 1e-12:
            failures.append(f"ring_tiny on {threads} threads: modularity {tiny['modularity']} vs {base['modularity']}")

# Crash 1: a run whose tie weights are 1e-300 (0 once rounded to the snapshot's precision).
out_file = os.path.join(work, "tiny_weights.h5")
run = subprocess.run([binary, "run", os.path.join(scenarios, "ci-small.yaml"), "-o", out_file, "--force", "--quiet",
                      "--set", "behaviour.tie_initial_weight=1e-300", "--set", "behaviour.tie_dissolution_threshold=0",
                      "--set", "behaviour.tie_renewal_increment=0"], capture_output=True, text=True, timeout=300)
if run.returncode != 0 or not os.path.exists(out_file):
    failures.append(f"run with tie_initial_weight=1e-300: exit {run.returncode}: {run.stderr.strip()[-500:]}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print("extreme weights: every case ran and agreed")
