#!/usr/bin/python3
"""Derives the compact Horizon 2020 test data and its reference metrics from the CORDIS extract.

Usage: make_h2020_data.py H2020_CSV_GZ OUT_DIR

Writes, under OUT_DIR:
  h2020_projects.txt.gz       one line per project (rcn in ascending order): the indices of its
                              participating organisations, space separated;
  h2020_organisations.csv.gz  organisation,country,kind: index (rank of the pic in ascending
                              numeric order), country code, and `research` for HES/REC or empty
                              (the data has no SME flag), from each pic's first row as
                              bench/network/build_h2020_graph.py takes them;
  h2020_reference.json        the exact values of the metrics the regression test checks.

Why memberships and not the edge list: the co-participation graph has 0.8M ties (18 MB of CSV,
several MB compressed), while its 145k memberships compress to about 0.35 MB and project back to
the same graph in about 2 s. The graph: two organisations are tied when they share a project, the
tie's weight is the number of projects they share (the same rule as build_h2020_graph.py).

References: integer counts with Python's exact integers (shares, assortativity, Gini, triangles,
triples), python-igraph for components, k-cores, local clustering and the all-pairs path lengths
(its BFS distances are integers; only the final means are floating point). Run once: the all-pairs
BFS over the 31.7k-vertex giant component takes a few minutes.
"""
import csv
import gzip
import io
import itertools
import json
import os
import sys
from collections import defaultdict
from fractions import Fraction

import igraph as ig


def read_extract(path):
    members, country, kind = defaultdict(set), {}, {}
    with gzip.open(path, "rt", newline="") as f:
        for row in csv.DictReader(f):
            pic = row["pic"]
            members[row["rcn"]].add(pic)
            country.setdefault(pic, row["country"])
            kind.setdefault(pic, "research" if row["type"] in ("HES", "REC") else "")
    return members, country, kind


def write_compact(out_dir, members, country, kind):
    pics = sorted(country, key=int)
    index = {p: i for i, p in enumerate(pics)}
    text = io.StringIO()
    for rcn in sorted(members, key=int):
        text.write(" ".join(str(i) for i in sorted(index[p] for p in members[rcn])) + "\n")
    # mtime=0: the same input gives the same bytes.
    with open(os.path.join(out_dir, "h2020_projects.txt.gz"), "wb") as f:
        f.write(gzip.compress(text.getvalue().encode(), 9, mtime=0))
    text = io.StringIO()
    w = csv.writer(text, lineterminator="\n")
    w.writerow(["organisation", "country", "kind"])
    for i, p in enumerate(pics):
        w.writerow([i, country[p], kind[p]])
    with open(os.path.join(out_dir, "h2020_organisations.csv.gz"), "wb") as f:
        f.write(gzip.compress(text.getvalue().encode(), 9, mtime=0))


def reference(out_dir):
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    import h2020_graph  # the test's own projection, so reference and test read the same graph
    import exact_metrics

    n, weight, country, kind = h2020_graph.load(out_dir)
    edges = sorted(weight)
    values = exact_metrics.exact_scalars(n, edges, {"country": country, "kind": kind})
    values.update(exact_metrics.igraph_scalars(n, edges, exact_paths=True))
    return values


def main():
    source, out_dir = sys.argv[1], sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    members, country, kind = read_extract(source)
    write_compact(out_dir, members, country, kind)
    # NaN (a share whose attribute the data lacks) as JSON null.
    values = {k: (None if isinstance(v, float) and v != v else v) for k, v in reference(out_dir).items()}
    with open(os.path.join(out_dir, "h2020_reference.json"), "w") as f:
        json.dump({"source": "CORDIS Horizon 2020 participations (CC BY 4.0), via zambujo/eunets",
                   "scalars": values}, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(values, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
