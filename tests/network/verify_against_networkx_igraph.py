#!/usr/bin/python3
"""Compares `clusternet analyze --json` with NetworkX and python-igraph on generated graphs.

Usage: verify_against_networkx_igraph.py CLUSTERNET_BINARY WORK_DIR

Honesty about simplification: clusternet drops self-loops and merges multi-edges (summing their
weights) before measuring. The edge lists written here contain self-loops and duplicates on
purpose; the reference graphs are built from the same rows *after the same simplification*
(networkx Graph with loops removed and weights summed, igraph simplify(combine_edges="sum")), so
the comparison checks that the simplification and the metrics are right, not that loops count.
clusternet measures over active organisations (degree >= 1): the references drop isolated
vertices (which the node table adds) before computing components, shares and mean clustering.
"""
import csv
import json
import math
import os
import random
import subprocess
import sys

import igraph as ig
import networkx as nx

TOL = 1e-9
failures = []


def close(a, b, tol=TOL):
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return (a is None) and (b is None or (isinstance(b, float) and math.isnan(b)))
    return abs(a - b) <= tol * max(1.0, abs(b))


def check(graph_name, metric, ours, reference, source, tol=TOL):
    if not close(ours, reference, tol):
        failures.append(f"{graph_name}: {metric}: clusternet {ours!r} vs {source} {reference!r}")


def node_id(i):
    # Every seventh id holds a comma, so the CSV writer quotes it and the reader must unquote.
    return f"n,{i}" if i % 7 == 0 else f"n{i}"


def write_inputs(work, name, rows, isolated, weighted):
    edges = os.path.join(work, name + "_edges.csv")
    with open(edges, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source", "target", "weight"] if weighted else ["source", "target"])
        for u, v, wt in rows:
            # ids as strings with a prefix and, for some, a comma (needs quoting).
            w.writerow([node_id(u), node_id(v)] + ([wt] if weighted else []))
    nodes = None
    if isolated:
        nodes = os.path.join(work, name + "_nodes.csv")
        ids = sorted({u for u, _, _ in rows} | {v for _, v, _ in rows} | set(isolated))
        with open(nodes, "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["id"])
            for i in ids:
                w.writerow([node_id(i)])
    return edges, nodes


def reference_graphs(rows):
    g = nx.Graph()
    for u, v, wt in rows:
        if u == v:
            continue
        if g.has_edge(u, v):
            g[u][v]["weight"] += wt
        else:
            g.add_edge(u, v, weight=wt)
    return g


def verify(binary, work, name, rows, isolated=(), weighted=False, seed=3):
    edges, nodes = write_inputs(work, name, rows, isolated, weighted)
    partition_file = os.path.join(work, name + "_partition.csv")
    cmd = [binary, "analyze", edges, "--json", "--exact-paths", "--seed", str(seed),
           "--betweenness-samples", "1000000", "--top", "5", "--partition-out", partition_file]
    if nodes:
        cmd += ["--nodes", nodes]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        failures.append(f"{name}: clusternet failed: {out.stderr}")
        return
    result = json.loads(out.stdout)
    s = result["scalars"]

    g = reference_graphs(rows)  # simplified, isolated vertices absent: the active organisations
    n_active = g.number_of_nodes()
    check(name, "organisations_active", s["organisations_active"], n_active, "networkx")
    check(name, "ties", s["ties"], g.number_of_edges(), "networkx")
    degrees = sorted(d for _, d in g.degree())
    check(name, "max_degree", s["max_degree"], degrees[-1], "networkx")
    gini = 2 * sum((i + 1) * d for i, d in enumerate(degrees)) / (n_active * sum(degrees)) - (n_active + 1) / n_active
    check(name, "degree_gini", s["degree_gini"], gini, "direct formula")

    comps = sorted((len(c) for c in nx.connected_components(g)), reverse=True)
    check(name, "components", s["components"], len(comps), "networkx")
    check(name, "giant_component_share", s["giant_component_share"], comps[0] / n_active, "networkx")
    check(name, "transitivity", s["transitivity"], nx.transitivity(g), "networkx")
    # networkx counts degree < 2 as 0, as clusternet does.
    check(name, "mean_local_clustering", s["mean_local_clustering"], nx.average_clustering(g), "networkx")
    check(name, "degree_assortativity", s["degree_assortativity"], nx.degree_assortativity_coefficient(g), "networkx")
    giant = g.subgraph(max(nx.connected_components(g), key=len))
    check(name, "mean_path_length", s["mean_path_length"], nx.average_shortest_path_length(giant), "networkx")
    check(name, "path_sample_size", s["path_sample_size"], giant.number_of_nodes(), "giant size")
    # Effective diameter: interpolated 90th percentile of the all-pairs distance distribution.
    hist = {}
    for _, dists in nx.all_pairs_shortest_path_length(giant):
        for d in dists.values():
            if d > 0:
                hist[d] = hist.get(d, 0) + 1
    total = sum(hist.values())
    cumulative, eff = 0, None
    for d in sorted(hist):
        if cumulative + hist[d] >= 0.9 * total:
            eff = d - 1 + (0.9 * total - cumulative) / hist[d]
            break
        cumulative += hist[d]
    check(name, "effective_diameter", s["effective_diameter"], eff, "networkx distances")
    check(name, "max_kcore", s["max_kcore"], max(nx.core_number(g).values()), "networkx")

    # igraph on the same simplified graph.
    ids = sorted(g.nodes())
    index = {v: i for i, v in enumerate(ids)}
    h = ig.Graph(n=len(ids), edges=[(index[u], index[v]) for u, v, _ in rows if u != v])
    h.es["weight"] = [float(wt) for u, v, wt in rows if u != v]
    h.simplify(multiple=True, loops=True, combine_edges="sum")
    check(name, "components", s["components"], len(h.connected_components()), "igraph")
    check(name, "transitivity", s["transitivity"], h.transitivity_undirected(), "igraph")
    check(name, "mean_local_clustering", s["mean_local_clustering"], h.transitivity_avglocal_undirected(mode="zero"), "igraph")
    check(name, "degree_assortativity", s["degree_assortativity"], h.assortativity_degree(directed=False), "igraph")
    hg = h.connected_components().giant()
    check(name, "mean_path_length", s["mean_path_length"], hg.average_path_length(), "igraph")
    check(name, "max_kcore", s["max_kcore"], max(h.coreness()), "igraph")

    # Modularity of clusternet's own partition, computed by the references (weighted).
    with open(partition_file, newline="") as f:
        membership_by_id = {row["id"]: int(row["community"]) for row in csv.DictReader(f)}
    membership = [membership_by_id[node_id(v)] for v in ids]
    communities = {}
    for v, c in zip(ids, membership):
        communities.setdefault(c, set()).add(v)
    check(name, "communities", s["communities"], len(communities), "partition file")
    # Without a weight column every merged tie has weight 1 in clusternet: the references likewise.
    wkey = "weight" if weighted else None
    check(name, "modularity", s["modularity"], nx.community.modularity(g, communities.values(), weight=wkey), "networkx")
    check(name, "modularity", s["modularity"], h.modularity(membership, weights=wkey), "igraph")
    # Louvain quality sanity: not worse than igraph's multilevel by more than a few percent.
    q_igraph = h.community_multilevel(weights=wkey).modularity
    if s["modularity"] < q_igraph - 0.03:
        failures.append(f"{name}: modularity {s['modularity']} much below igraph multilevel {q_igraph}")

    # Exact betweenness (every source sampled) against networkx, normalised.
    bc = nx.betweenness_centrality(g, normalized=True)
    for entry in result["betweenness_top"]:
        v = int(entry["id"].replace("n,", "").replace("n", ""))
        check(name, f"betweenness[{entry['id']}]", entry["score"], bc[v], "networkx")
    best = max(bc.values())
    check(name, "betweenness top score", result["betweenness_top"][0]["score"], best, "networkx")

    # Thread count must not change anything: run again on 1 thread and compare the JSON scalars.
    one = subprocess.run(cmd + ["--threads", "1"], capture_output=True, text=True, timeout=60)
    if json.loads(one.stdout)["scalars"] != s:
        failures.append(f"{name}: scalars differ between 1 thread and the default")
    print(f"{name}: {n_active} active, {g.number_of_edges()} ties, checked")


def main():
    binary, work = sys.argv[1], sys.argv[2]
    os.makedirs(work, exist_ok=True)
    rnd = random.Random(20240611)

    # 1. Random (Erdos-Renyi style) with self-loops and duplicates in the input.
    rows = []
    for _ in range(1500):
        u, v = rnd.randrange(400), rnd.randrange(400)
        rows.append((u, v, 1))
    rows += [(u, u, 1) for u in range(0, 400, 13)]          # self-loops
    rows += rows[:200]                                      # duplicates
    verify(binary, work, "random_loops_duplicates", rows)

    # 2. Clustered (Holme-Kim power law with triangles), weighted, with isolated vertices.
    hk = nx.powerlaw_cluster_graph(500, 4, 0.6, seed=5)
    rows = [(u, v, rnd.randint(1, 4)) for u, v in hk.edges()]
    rows += [(v, u, 2) for u, v, _ in rows[:100]]           # reversed duplicates: weights sum
    verify(binary, work, "clustered_weighted_isolated", rows, isolated=range(500, 530), weighted=True)

    # 3. Disconnected: planted communities, several components of different sizes.
    rows = []
    offset = 0
    for size in (120, 60, 30, 5, 2, 2):
        p = 0.15 if size > 5 else 1.0
        for a in range(size):
            for b in range(a + 1, size):
                if rnd.random() < p:
                    rows.append((offset + a, offset + b, 1))
        offset += size
    verify(binary, work, "disconnected", rows, seed=11)

    # 4. Ring of cliques: modularity has a clear optimum; a tree-like tail for the k-core.
    rows = []
    for c in range(8):
        base = c * 6
        rows += [(base + a, base + b, 1) for a in range(6) for b in range(a + 1, 6)]
        rows.append((base + 5, (base + 6) % 48, 1))
    rows += [(47, 48, 1), (48, 49, 1), (49, 50, 1)]
    verify(binary, work, "ring_of_cliques", rows)

    if failures:
        print("\n".join(failures))
        sys.exit(1)
    print("all comparisons within", TOL)


if __name__ == "__main__":
    main()
