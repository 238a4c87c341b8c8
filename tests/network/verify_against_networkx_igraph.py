#!/usr/bin/python3
"""Differential test of the network metrics: `clusternet analyze` and the engine's metric call
(tests/network/metrics_driver) against exact arithmetic, python-igraph and NetworkX.

Usage: verify_against_networkx_igraph.py CLUSTERNET_BINARY METRICS_DRIVER WORK_DIR [CASE ...]

Graph families, generated reproducibly from fixed seeds by the generators below (not by igraph's or
NetworkX's, whose output may change between versions): G(n, p) sparse and dense, Barabasi-Albert,
Chung-Lu graphs with power-law expected degrees (exponents 2.1 to 3), stars, cliques, disjoint
unions with isolated vertices, inputs with self-loops and repeated lines (reversed too), weighted
graphs with weights from 2^-110 to 2^110 (and, through the driver, 1e-300 to 1e308) and ties of
weight 0, random node attributes (region, country, kind, area, cohesion category, unknown values
included), and one graph above 2^20 slots so that the parallel kernels run. Each graph goes
through `analyze` and through the driver on 1, 2 and 8 threads; every scalar is compared with its
reference to 1e-9 (relative, or absolute below 1), and the runs must agree bit for bit across
thread counts, and between `analyze` and the driver where both read the same weights.

References (see exact_metrics.py): exact integers and fractions for counts, shares, Gini, degree
assortativity, region degree and strength, and the modularity of the partition clusternet returns
(analyze's --partition-out, the driver's community array); python-igraph for components, k-cores,
clustering, betweenness and the all-pairs hop-distance histogram; NetworkX for the weighted region
betweenness, and as a second reference on the small graphs. The edge lists contain self-loops and
repeated lines on purpose: the references are built from the same rows after clusternet's
simplification (loops dropped, repeats merged with weights and renewals summed), so the comparison
checks the simplification and the metrics, not a convention about loops.
"""
import csv
import json
import math
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import exact_metrics as ref  # noqa: E402

import igraph as ig  # noqa: E402
import networkx as nx  # noqa: E402

TOL = 1e-9
THREADS = (1, 2, 8)
KIND_NAMES = ("sme_micro", "sme_small", "sme_medium", "large_firm", "research", "cluster")
failures = []


# ---------------------------------------------------------------------------------------------
# Generators: (u, v, weight) rows over vertices 0..n-1, loops and repeats allowed.

def gnp(rnd, n, p):
    """G(n, p) by geometric skipping (Batagelj and Brandes 2005): O(n + m)."""
    rows, v, w, lp = [], 1, -1, math.log(1.0 - p)
    while v < n:
        w += 1 + int(math.log(1.0 - rnd.random()) / lp)
        while w >= v and v < n:
            w -= v
            v += 1
        if v < n:
            rows.append((w, v, 1))
    return rows


def barabasi_albert(rnd, n, k):
    """Each new vertex joins k distinct earlier vertices chosen in proportion to degree."""
    rows = [(a, b, 1) for a in range(k + 1) for b in range(a + 1, k + 1)]
    ends = [x for a, b, _ in rows for x in (a, b)]
    for v in range(k + 1, n):
        targets = set()
        while len(targets) < k:
            targets.add(rnd.choice(ends))
        for t in sorted(targets):
            rows.append((v, t, 1))
            ends += (v, t)
    return rows


def chung_lu(rnd, n, m, exponent):
    """m ties whose ends are drawn in proportion to i^(-1/(exponent-1)) (the expected degrees of a
    power law with that exponent, as igraph's Static_Power_Law). Loops and repeats are kept in the
    rows: the simplification must handle them."""
    alpha = 1.0 / (exponent - 1.0)
    weights = [(i + 1) ** -alpha for i in range(n)]
    ends = rnd.choices(range(n), weights=weights, k=2 * m)
    return [(ends[2 * i], ends[2 * i + 1], 1) for i in range(m)]


def star(leaves, centre=0):
    return [(centre, centre + 1 + i, 1) for i in range(leaves)]


def clique(k, base=0):
    return [(base + a, base + b, 1) for a in range(k) for b in range(a + 1, k)]


def shifted(rows, by):
    return [(u + by, v + by, w) for u, v, w in rows]


def with_loops_and_repeats(rnd, rows, n):
    rows = list(rows)
    rows += [(u, u, 1) for u in rnd.sample(range(n), max(1, n // 50))]
    repeats = rnd.sample(rows, len(rows) // 10)
    rows += [(v, u, w) if i % 2 else (u, v, w) for i, (u, v, w) in enumerate(repeats)]
    return rows


def float_exact_weight(rnd, low, high):
    """k * 2^e, 1 <= k < 256: exact in single precision (analyze reads weights as floats)."""
    return rnd.randrange(1, 256) * 2.0 ** rnd.randint(low, high)


def random_attributes(rnd, n, regions=12, countries=5):
    """Per-vertex region, country, kind and area names ('' = unknown) and per-region cohesion.
    The first `regions` vertices take regions 0..regions-1 in order, so `analyze` (which numbers
    region names by first appearance) numbers them as here."""
    region_country = [rnd.randrange(countries) for _ in range(regions)]
    cohesion = [rnd.choice(ref.COHESION + ("",)) for _ in range(regions)]
    cohesion[0], cohesion[1] = "less_developed", "more_developed"  # both ends of convergence_gap
    attrs = {"region": [], "country": [], "kind": [], "area": []}
    for v in range(n):
        r = v if v < regions else (None if rnd.random() < 0.05 else rnd.randrange(regions))
        attrs["region"].append(r)
        c = region_country[r] if r is not None else rnd.randrange(countries)
        attrs["country"].append(None if rnd.random() < 0.03 else c)
        k = rnd.choice(KIND_NAMES + ("sme", "", KIND_NAMES[0], KIND_NAMES[4]))
        attrs["kind"].append(k or None)
        attrs["area"].append(None if rnd.random() < 0.04 else rnd.randrange(21))
    return attrs, regions, [ref.COHESION.index(c) if c else None for c in cohesion]


# ---------------------------------------------------------------------------------------------

class Case:
    def __init__(self, name, n, rows, weighted=False, attributes=None, regions=0, cohesion=None,
                 renewals=None, exact=True, analyze=True, seed=3, networkx=False):
        self.name, self.n, self.rows, self.weighted = name, n, rows, weighted
        self.attributes, self.regions, self.cohesion = attributes, regions, cohesion
        self.renewals = renewals  # per row, or None
        self.exact, self.analyze, self.seed, self.networkx = exact, analyze, seed, networkx
        self.modularity_cache, self.igraph_modularity = {}, None
        self.degrees = self.weights_total = None


def cases():
    rnd = random.Random(20240611)
    out = []
    # The original four graphs of this test.
    rows = [(rnd.randrange(400), rnd.randrange(400), 1) for _ in range(1500)]
    rows += [(u, u, 1) for u in range(0, 400, 13)] + rows[:200]
    out.append(Case("random_loops_duplicates", 400, rows, networkx=True))
    hk = nx.powerlaw_cluster_graph(500, 4, 0.6, seed=5)
    rows = [(u, v, rnd.randint(1, 4)) for u, v in hk.edges()]
    rows += [(v, u, 2) for u, v, _ in rows[:100]]
    out.append(Case("clustered_weighted_isolated", 530, rows, weighted=True, networkx=True))
    rows, offset = [], 0
    for size in (120, 60, 30, 5, 2, 2):
        p = 0.15 if size > 5 else 1.0
        rows += [(offset + a, offset + b, 1) for a in range(size) for b in range(a + 1, size) if rnd.random() < p]
        offset += size
    out.append(Case("disconnected", offset, rows, seed=11, networkx=True))
    rows = []
    for c in range(8):
        rows += clique(6, c * 6) + [(c * 6 + 5, (c * 6 + 6) % 48, 1)]
    rows += [(47, 48, 1), (48, 49, 1), (49, 50, 1)]
    out.append(Case("ring_of_cliques", 51, rows, networkx=True))

    # G(n, p): sparse (many components, leaves, long paths) and dense (long rows).
    a, r, c = random_attributes(rnd, 3000)
    out.append(Case("gnp_sparse", 3000, with_loops_and_repeats(rnd, gnp(rnd, 3000, 1.5 / 3000), 3000),
                    attributes=a, regions=r, cohesion=c))
    out.append(Case("gnp_dense", 300, gnp(rnd, 300, 0.3)))
    # Barabasi-Albert: hubs, one component; a dense variant whose hub blocks are read row by row.
    a, r, c = random_attributes(rnd, 3000, regions=20)
    out.append(Case("barabasi_albert_3", 3000, barabasi_albert(rnd, 3000, 3), attributes=a, regions=r, cohesion=c))
    out.append(Case("barabasi_albert_25", 1500, barabasi_albert(rnd, 1500, 25)))
    # Chung-Lu power laws: hubs next to many leaves (issue 19's failing family).
    for n, m, exponent in ((2000, 10000, 2.1), (5000, 20000, 2.1), (3000, 12000, 2.5), (3000, 9000, 3.0)):
        name = f"chung_lu_{n}_{m}_{exponent}"
        if exponent == 2.5:
            a, r, c = random_attributes(rnd, n)
            renewals = [rnd.choice((0, 0, 1, 3)) for _ in range(m)]
            out.append(Case(name, n, chung_lu(rnd, n, m, exponent), attributes=a, regions=r, cohesion=c,
                            renewals=renewals))
        else:
            out.append(Case(name, n, chung_lu(rnd, n, m, exponent)))
    # Stars, cliques, and a disjoint union with isolated vertices (listed in the node table only).
    out.append(Case("star_5000", 5001, star(5000)))
    out.append(Case("clique_60", 60, clique(60)))
    rows = star(50) + shifted(clique(12), 51) + [(63 + i, 64 + i, 1) for i in range(29)]
    rows += [(93 + i, 93 + (i + 1) % 20, 1) for i in range(20)] + [(113 + 2 * i, 114 + 2 * i, 1) for i in range(10)]
    out.append(Case("disjoint_union_isolated", 173, with_loops_and_repeats(rnd, rows, 133), networkx=True))
    out.append(Case("no_ties", 7, [(3, 3, 1)]))  # one self-loop: nothing is left
    # Weights: tiny, huge and spanning 2^-110..2^110 (exact in single precision), some zero.
    base = barabasi_albert(rnd, 800, 4)
    for name, low, high in (("tiny", -110, -100), ("huge", 100, 110), ("spanning", -110, 110)):
        rows = [(u, v, float_exact_weight(rnd, low, high)) for u, v, _ in base]
        rows += [(v, u, w) for u, v, w in rnd.sample(rows, 150)]  # repeats: weights add up
        out.append(Case(f"weights_{name}", 800, rows, weighted=True))
    rows = [(u, v, 0.0 if rnd.random() < 0.2 else float(rnd.randint(1, 9))) for u, v, _ in base]
    out.append(Case("weights_some_zero", 800, rows, weighted=True))
    out.append(Case("weights_all_zero", 800, [(u, v, 0.0) for u, v, _ in base], weighted=True))
    # Beyond single precision: through the driver only, until analyze reads weights as doubles.
    for name, scale in (("1e-300", 1e-300), ("1e300", 1e300)):
        rows = [(u, v, scale * rnd.uniform(1, 50)) for u, v, _ in base]
        out.append(Case(f"weights_double_{name}", 800, rows, weighted=True, analyze=False))
    rows = [(u, v, 1e308 if i % 97 == 0 else rnd.uniform(0.5, 2.0)) for i, (u, v, _) in enumerate(base)]
    out.append(Case("weights_double_1e308", 800, rows, weighted=True, analyze=False))
    # Above 2^20 slots: the parallel tie pass, triangle count and builders. Sampled paths only.
    a, r, c = random_attributes(rnd, 150000, regions=30, countries=8)
    rows = chung_lu(rnd, 150000, 545000, 2.5)
    if len(ref.simplify(rows)) < 2 ** 19:
        raise RuntimeError("chung_lu_parallel: fewer than 2^20 slots, the parallel kernels would not run")
    out.append(Case("chung_lu_parallel", 150000, rows, attributes=a, regions=r, cohesion=c, exact=False))
    return out


# ---------------------------------------------------------------------------------------------
# Inputs for the two tools.

def node_id(i):
    # Every seventh id holds a comma, so the CSV writer quotes it and the reader must unquote.
    return f"n,{i}" if i % 7 == 0 else f"n{i}"


def write_analyze_inputs(work, case):
    edges = os.path.join(work, case.name + "_edges.csv")
    with open(edges, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "target"] + (["weight"] if case.weighted else []) + (["renewals"] if case.renewals else []))
        for i, (u, v, wt) in enumerate(case.rows):
            w.writerow([node_id(u), node_id(v)] + ([repr(wt)] if case.weighted else []) +
                       ([case.renewals[i]] if case.renewals else []))
    nodes = os.path.join(work, case.name + "_nodes.csv")
    a = case.attributes
    with open(nodes, "w", newline="") as f:
        w = csv.writer(f)
        # Every vertex listed in index order: analyze numbers them as here, isolated ones included.
        w.writerow(["id"] + (["region", "country", "kind", "area", "cohesion"] if a else []))
        for v in range(case.n):
            extra = []
            if a:
                r = a["region"][v]
                extra = ["" if r is None else f"R{r}", "" if a["country"][v] is None else f"C{a['country'][v]}",
                         a["kind"][v] or "", "" if a["area"][v] is None else f"A{a['area'][v]}",
                         "" if r is None or case.cohesion[r] is None else ref.COHESION[case.cohesion[r]]]
            w.writerow([node_id(v)] + extra)
    return edges, nodes


def write_driver_input(work, case, edges, renewals):
    path = os.path.join(work, case.name + "_driver.txt")
    weighted = case.weighted
    with open(path, "w") as f:
        f.write(f"vertices {case.n}\nties {len(edges)} {int(weighted)} {int(renewals is not None)}\n")
        for (u, v), w in edges.items():
            f.write(f"{u} {v}" + (f" {float(w)!r}" if weighted else "") + (f" {renewals[(u, v)]}" if renewals else "") + "\n")
        a = case.attributes
        f.write(f"attributes {int(a is not None)}\n")
        if a:
            f.write(f"regions {case.regions}\n")
            for v in range(case.n):
                kind = a["kind"][v]
                k = -1 if kind is None else (1 if kind == "sme" else KIND_NAMES.index(kind))
                vals = [a["region"][v], a["country"][v], k, a["area"][v]]
                f.write(" ".join(str(-1 if x is None else x) for x in vals) + "\n")
            f.write(" ".join(str(-1 if c is None else c) for c in case.cohesion) + "\n")
    return path


def run_tool(cmd):
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        return None, out.stderr.strip()
    return json.loads(out.stdout), None


# ---------------------------------------------------------------------------------------------
# References.

def close(ours, expected, tol=TOL):
    if expected is None or (isinstance(expected, float) and math.isnan(expected)):
        return ours is None
    if ours is None:
        return False
    return abs(ours - expected) <= tol * max(1.0, abs(expected))


def check(label, metric, ours, expected, source):
    if not close(ours, expected):
        failures.append(f"{label}: {metric}: clusternet {ours!r} vs {source} {expected!r}")


def exact_betweenness(case):
    return case.exact and case.n <= 2000


def references(case, edges, renewals):
    """Every scalar with a reference, plus the per-vertex and per-region references."""
    n = case.n
    a = case.attributes
    attrs = None
    if a is not None:
        attrs = {"region": a["region"], "country": a["country"], "area": a["area"], "kind": a["kind"]}
    scalars = ref.exact_scalars(n, edges, attrs, renewals, case.regions, case.cohesion)
    regions = scalars.pop("_regions", None)
    scalars.update(ref.igraph_scalars(n, edges, exact_paths=case.exact))
    extra = {"regions": regions}
    d = ref.degrees(n, edges)
    counts = []
    lo = 1
    while lo <= max(d, default=0):
        counts.append(sum(1 for x in d if lo <= x < 2 * lo))
        lo *= 2
    extra["degree_histogram"] = counts
    if case.exact:
        g = ref.igraph_graph(n, edges)
        active = sum(1 for x in d if x > 0)
        if active >= 3 and exact_betweenness(case):
            scale = (active - 1) * (active - 2) / 2.0
            extra["betweenness"] = [b / scale for b in g.betweenness()]
        if n <= 5000:
            hist = ref.distance_histogram(g)
            extra["distance_histogram"] = [hist.get(k, 0) for k in range(max(hist) + 1)] if hist else []
    return scalars, extra


def networkx_checks(label, case, edges, s):
    """Second opinions on the small graphs (NetworkX's own definitions where they coincide)."""
    g = nx.Graph()
    g.add_weighted_edges_from((u, v, float(w)) for (u, v), w in edges.items())
    check(label, "transitivity", s["transitivity"], nx.transitivity(g), "networkx")
    # networkx averages over the vertices of its graph: here the active ones, degree-1 counting 0.
    check(label, "mean_local_clustering", s["mean_local_clustering"], nx.average_clustering(g), "networkx")
    check(label, "degree_assortativity", s["degree_assortativity"], nx.degree_assortativity_coefficient(g), "networkx")
    giant = g.subgraph(max(nx.connected_components(g), key=len))
    check(label, "mean_path_length", s["mean_path_length"], nx.average_shortest_path_length(giant), "networkx")
    check(label, "max_kcore", s["max_kcore"], max(nx.core_number(g).values()), "networkx")


def read_partition(path, n):
    """The id,community CSV of --partition-out as a community (or None) per vertex."""
    membership = [None] * n
    with open(path) as f:
        next(f)  # header id,community
        for line in f:  # "n,7" quoted, else n8: the vertex number is the digits before the last comma
            head, _, community = line.rpartition(",")
            membership[int(head.strip('"').lstrip("n,"))] = int(community)
    return membership


def check_partition(label, case, edges, s, membership):
    """membership: per vertex a community or None. Modularity of this very partition, exactly."""
    if case.degrees is None:
        case.degrees = ref.degrees(case.n, edges)
        case.weights_total = sum(edges.values())
    d, weights_total = case.degrees, case.weights_total
    for v in range(case.n):
        placed = membership[v] is not None
        if placed != (d[v] > 0 and weights_total > 0):
            failures.append(f"{label}: vertex {v} (degree {d[v]}) {'has' if placed else 'lacks'} a community")
            return
    labels = {c for c in membership if c is not None}
    check(label, "communities", s["communities"], len(labels) if labels else None, "partition")
    key = tuple(membership)  # the thread counts and the two tools give one partition: compute once
    if key not in case.modularity_cache:
        case.modularity_cache[key] = ref.modularity(case.n, edges, membership)
    check(label, "modularity", s["modularity"], case.modularity_cache[key], "exact modularity")
    # Quality: not far below igraph's multilevel on the same weights (scaled to at most 1, which
    # changes no modularity, so that 1e308 cannot overflow). Not on the largest graph, where
    # igraph takes 20 s and the check proves nothing about exactness.
    if labels and len(edges) <= 50000:
        if case.igraph_modularity is None:
            top = max(edges.values())
            g = ig.Graph(n=case.n, edges=list(edges))
            w = [float(x / top) for x in edges.values()]
            case.igraph_modularity = g.community_multilevel(weights=w).modularity if top > 0 else math.nan
        q = case.igraph_modularity
        if s["modularity"] < q - 0.03:
            failures.append(f"{label}: modularity {s['modularity']} much below igraph multilevel {q}")


def compare(label, case, edges, scalars_ref, extra, result, membership, regions_out, distance_histogram):
    s = result["scalars"]
    for k, v in scalars_ref.items():
        if k in s:
            check(label, k, s[k], v, "reference")
    check_partition(label, case, edges, s, membership)
    hist = result["degree_histogram"]
    counts = hist["counts"] if isinstance(hist, dict) else hist
    if counts != extra["degree_histogram"]:
        failures.append(f"{label}: degree histogram {counts} vs {extra['degree_histogram']}")
    regions = extra["regions"]
    if regions is not None and regions_out is None:
        failures.append(f"{label}: no region metrics")
    if regions is not None and regions_out is not None:
        degree, strength, betweenness = regions_out
        if degree != regions["region_degree"] or strength != [float(x) for x in regions["region_strength"]]:
            failures.append(f"{label}: region degree/strength differ from the exact count")
        for r, (x, y) in enumerate(zip(betweenness, regions["region_betweenness"])):
            check(label, f"region_betweenness[{r}]", x, y, "networkx")
    if "betweenness" in extra:
        bc = extra["betweenness"]
        top = result["betweenness_top"]
        if not top or not close(top[0][1], max(bc)):
            failures.append(f"{label}: betweenness top {top[:1]} vs max {max(bc)}")
        for v, score in top:
            check(label, f"betweenness[{v}]", score, bc[v], "igraph")
    if distance_histogram is not None and "distance_histogram" in extra:
        if distance_histogram != extra["distance_histogram"]:
            failures.append(f"{label}: distance histogram {distance_histogram[:8]} vs igraph {extra['distance_histogram'][:8]}")


def verify(binary, driver, work, case):
    started = time.monotonic()
    edges = ref.simplify(case.rows)
    renewals = None
    if case.renewals is not None:
        renewals = {}
        for (u, v, _), r in zip(case.rows, case.renewals):
            if u != v:
                key = (min(u, v), max(u, v))
                renewals[key] = renewals.get(key, 0) + r
    if not case.weighted:
        edges = {e: 1 for e in edges}
    scalars_ref, extra = references(case, edges, renewals)
    options = ["--seed", str(case.seed)]
    options += ["--exact-paths"] if case.exact else ["--path-samples", "64"]
    # Exact betweenness (every source) where it costs little: up to 2000 vertices.
    options += ["--betweenness-samples", "1000000", "--top", "10"] if exact_betweenness(case) else \
        ["--betweenness-samples", "0"]
    by_tool = {}
    if case.analyze:
        edges_csv, nodes_csv = write_analyze_inputs(work, case)
        for t in THREADS:
            label = f"{case.name} analyze/{t}"
            partition = os.path.join(work, f"{case.name}_{t}_partition.csv")
            result, err = run_tool([binary, "analyze", edges_csv, "--json", "--nodes", nodes_csv, "--threads", str(t),
                                    "--partition-out", partition] + options)
            if result is None:
                failures.append(f"{label}: failed: {err}")
                continue
            membership = read_partition(partition, case.n)
            result["betweenness_top"] = [(int(e["id"].replace("n,", "").replace("n", "")), e["score"])
                                         for e in result["betweenness_top"]]
            regions_out = None
            if result["regions"]:
                regions_out = ([e["degree"] for e in result["regions"]], [e["strength"] for e in result["regions"]],
                               [e["betweenness"] for e in result["regions"]])
                if [e["region"] for e in result["regions"]] != [f"R{r}" for r in range(case.regions)]:
                    failures.append(f"{label}: regions listed out of order")
            compare(label, case, edges, scalars_ref, extra, result, membership, regions_out, None)
            if case.networkx and t == 1:
                networkx_checks(label, case, edges, result["scalars"])
            by_tool.setdefault("analyze", []).append(result["scalars"])
        # Louvain's parallel local moving (issue 18): its own partition, the same on every thread
        # count, its modularity exact for that partition and not far below igraph's.
        parallel = []
        for t in (THREADS[0], THREADS[-1]):
            label = f"{case.name} analyze --louvain-moving parallel/{t}"
            partition = os.path.join(work, f"{case.name}_{t}_parallel_partition.csv")
            result, err = run_tool([binary, "analyze", edges_csv, "--json", "--nodes", nodes_csv, "--threads", str(t),
                                    "--partition-out", partition, "--louvain-moving", "parallel"] + options)
            if result is None:
                failures.append(f"{label}: failed: {err}")
                continue
            if result.get("louvain_moving") != "parallel":
                failures.append(f"{label}: louvain_moving {result.get('louvain_moving')!r}")
            membership = read_partition(partition, case.n)
            check_partition(label, case, edges, result["scalars"], membership)
            parallel.append((result["scalars"], membership))
        if any(p != parallel[0] for p in parallel[1:]):
            failures.append(f"{case.name}: parallel Louvain differs between thread counts")
    # The engine builds its weighted snapshot with a renewal count on every tie (0 when none), so
    # the driver measures repeated_tie_share there even without a renewals column (the engine then
    # records the tie store's own count instead).
    driver_ref = dict(scalars_ref)
    if case.weighted and renewals is None:
        driver_ref["repeated_tie_share"] = 0.0 if edges else ref.NAN
    driver_input = write_driver_input(work, case, edges, renewals)
    for t in THREADS:
        label = f"{case.name} driver/{t}"
        result, err = run_tool([driver, driver_input, "--threads", str(t)] + options +
                               (["--histogram"] if case.exact else []))
        if result is None:
            failures.append(f"{label}: failed: {err}")
            continue
        result["betweenness_top"] = list(zip(result["betweenness_top_vertices"], result["betweenness_top_scores"]))
        regions_out = None
        if result["region_degree"]:
            regions_out = (result["region_degree"], result["region_strength"], result["region_betweenness"])
        compare(label, case, edges, driver_ref, extra, result, result["community"], regions_out,
                result.get("distance_histogram"))
        by_tool.setdefault("driver", []).append(result["scalars"])
    # Bit for bit: every thread count alike; analyze like the driver when both read the same
    # graph (repeated weighted lines are summed by analyze in its own order, so not there).
    for tool, runs in by_tool.items():
        if any(r != runs[0] for r in runs[1:]):
            failures.append(f"{case.name}: {tool} scalars differ between thread counts")
    repeated_weights = case.weighted and len(edges) != sum(1 for u, v, _ in case.rows if u != v)
    if "analyze" in by_tool and "driver" in by_tool and not repeated_weights:
        a, d = by_tool["analyze"][0], by_tool["driver"][0]
        diff = [k for k in a if a[k] != d[k] and not (k == "repeated_tie_share" and k in driver_ref and
                                                       driver_ref[k] != scalars_ref[k])]
        if diff:
            failures.append(f"{case.name}: analyze and the driver differ on {diff}")
    print(f"{case.name}: {case.n} vertices, {len(edges)} ties, {len(by_tool)} tool(s) x {len(THREADS)} thread counts "
          f"({time.monotonic() - started:.1f} s)", flush=True)


def main():
    binary, driver, work = sys.argv[1], sys.argv[2], sys.argv[3]
    only = set(sys.argv[4:])
    os.makedirs(work, exist_ok=True)
    for case in cases():
        if not only or case.name in only:
            verify(binary, driver, work, case)
    if failures:
        print("\n".join(failures[:200]))
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("all comparisons within", TOL)


if __name__ == "__main__":
    main()
