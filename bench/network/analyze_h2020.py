#!/usr/bin/python3
"""Side-by-side timing on the Horizon 2020 co-participation graph: `clusternet analyze` as a whole
process (reading and parsing the CSV included) against python-igraph's compute time for the same
metrics (igraph's loading excluded) and NetworkX for what it does in reasonable time.

Usage: analyze_h2020.py CLUSTERNET_BINARY EDGES_CSV [REPEATS]
Median of REPEATS runs (default 3) for clusternet and igraph; NetworkX once per metric.
"""
import csv
import json
import random
import statistics
import subprocess
import sys
import time

import igraph as ig
import networkx as nx

binary, edges_csv = sys.argv[1], sys.argv[2]
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
PATH_SOURCES = 256


def timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


# ---- clusternet: whole process, per-group timings from its JSON --------------------------------
runs = []
for _ in range(repeats):
    t = time.perf_counter()
    out = subprocess.run([binary, "analyze", edges_csv, "--json", "--betweenness-samples", "0",
                          "--path-samples", str(PATH_SOURCES)], capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    runs.append((wall, json.loads(out.stdout)))
cn_wall = statistics.median(r[0] for r in runs)
cn_group = {k: statistics.median(r[1]["timings_ms"][k] for r in runs) / 1000 for k in runs[0][1]["timings_ms"]}
scalars = runs[0][1]["scalars"]

# ---- load once for igraph and NetworkX (not timed) ----------------------------------------------
index, edges, weights = {}, [], []
with open(edges_csv, newline="") as f:
    reader = csv.reader(f)
    next(reader)
    for a, b, w in reader:
        edges.append((index.setdefault(a, len(index)), index.setdefault(b, len(index))))
        weights.append(float(w))
g = ig.Graph(n=len(index), edges=edges)
g.es["weight"] = weights
rnd = random.Random(1)
giant = g.connected_components().giant()
sources = rnd.sample(range(giant.vcount()), PATH_SOURCES)

igraph_metrics = {
    "basic (degrees, components)": lambda: (g.degree(), g.connected_components()),
    "clustering (transitivity + mean local)": lambda: (g.transitivity_undirected(),
                                                       g.transitivity_avglocal_undirected(mode="zero")),
    "assortativity": lambda: g.assortativity_degree(directed=False),
    f"paths ({PATH_SOURCES} BFS sources)": lambda: giant.distances(source=sources),
    "communities (multilevel + modularity)": lambda: g.community_multilevel(weights="weight").modularity,
    "kcore": lambda: max(g.coreness()),
}
cn_keys = {
    "basic (degrees, components)": "basic",
    "clustering (transitivity + mean local)": "clustering",
    "assortativity": "assortativity",
    f"paths ({PATH_SOURCES} BFS sources)": "paths",
    "communities (multilevel + modularity)": "communities",
    "kcore": "kcore",
}
ig_time = {name: statistics.median(timed(fn) for _ in range(repeats)) for name, fn in igraph_metrics.items()}
ig_total = sum(ig_time.values())

# ---- NetworkX: the metrics it finishes in reasonable time on 0.8M ties ---------------------------
h = nx.Graph()
h.add_edges_from(edges)
nx_metrics = {
    "basic (degrees, components)": lambda: (dict(h.degree()), nx.number_connected_components(h)),
    "assortativity": lambda: nx.degree_assortativity_coefficient(h),
    "kcore": lambda: max(nx.core_number(h).values()),
    "clustering (transitivity + mean local)": lambda: (nx.transitivity(h), nx.average_clustering(h)),
}
nx_time = {name: timed(fn) for name, fn in nx_metrics.items()}

print(f"graph: {scalars['organisations_active']:.0f} active organisations, {scalars['ties']:.0f} ties; "
      f"median of {repeats}; machine load at start: {open('/proc/loadavg').read().split()[0]}")
print(f"{'metric':42s} {'clusternet s':>12s} {'igraph s':>10s} {'ratio':>7s} {'networkx s':>11s} {'nx/cn':>7s}")
for name in igraph_metrics:
    cn = cn_group[cn_keys[name]]
    line = f"{name:42s} {cn:12.4f} {ig_time[name]:10.4f} {cn / ig_time[name]:7.3f}"
    if name in nx_time:
        line += f" {nx_time[name]:11.3f} {nx_time[name] / max(cn, 1e-9):7.0f}x"
    print(line)
print(f"{'clusternet read CSV + build CSR':42s} {cn_group['read'] + cn_group['build']:12.4f}")
print(f"{'WHOLE PROCESS vs igraph compute total':42s} {cn_wall:12.4f} {ig_total:10.4f} {cn_wall / ig_total:7.3f}"
      f"   (target <= 0.5)")
