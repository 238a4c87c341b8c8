"""The Horizon 2020 co-participation graph from the compact files under tests/network/data/.

Two organisations are tied when they take part in the same project; a tie's weight is the number
of projects they share (bench/network/build_h2020_graph.py's rule, on the same CORDIS extract).
"""
import csv
import gzip
import io
import itertools
import os


def load(data_dir):
    """-> (vertex count, {(a, b): shared projects} with a < b, country per vertex, kind per vertex
    ('research' or None))."""
    country, kind = [], []
    with gzip.open(os.path.join(data_dir, "h2020_organisations.csv.gz"), "rt", newline="") as f:
        for i, row in enumerate(csv.DictReader(f)):
            if int(row["organisation"]) != i:
                raise ValueError(f"h2020_organisations: row {i} holds organisation {row['organisation']}")
            country.append(row["country"] or None)
            kind.append(row["kind"] or None)
    weight = {}
    with gzip.open(os.path.join(data_dir, "h2020_projects.txt.gz"), "rt") as f:
        for line in f:
            members = [int(x) for x in line.split()]
            for pair in itertools.combinations(members, 2):  # members are sorted: a < b
                weight[pair] = weight.get(pair, 0) + 1
    return len(country), weight, country, kind


def write_analyze_inputs(data_dir, work):
    """Edge list and node table for `clusternet analyze`; returns their paths and the graph."""
    n, weight, country, kind = load(data_dir)
    edges = os.path.join(work, "h2020_edges.csv")
    text = io.StringIO()
    text.write("source,target,weight\n")
    for (a, b), w in weight.items():
        text.write(f"{a},{b},{w}\n")
    with open(edges, "w") as f:
        f.write(text.getvalue())
    nodes = os.path.join(work, "h2020_nodes.csv")
    with open(nodes, "w") as f:
        f.write("id,country,kind\n")
        for v in range(n):
            f.write(f"{v},{country[v] or ''},{kind[v] or ''}\n")
    return edges, nodes, (n, weight, country, kind)
