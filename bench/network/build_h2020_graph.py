#!/usr/bin/python3
"""Builds the Horizon 2020 co-participation graph from CORDIS participations.

Two organisations (pic) are tied when they take part in the same project (rcn); the tie's weight
is the number of projects they share. Writes EDGES.csv (source,target,weight) and NODES.csv
(id,country,kind) where kind maps HES/REC to research and leaves other types unknown (the data has
no SME flag).

Usage: build_h2020_graph.py H2020_CSV_GZ OUT_DIR
"""
import csv
import gzip
import itertools
import os
import sys
from collections import defaultdict

source, out_dir = sys.argv[1], sys.argv[2]
os.makedirs(out_dir, exist_ok=True)
members = defaultdict(set)
country, kind = {}, {}
with gzip.open(source, "rt", newline="") as f:
    for row in csv.DictReader(f):
        pic = row["pic"]
        members[row["rcn"]].add(pic)
        country.setdefault(pic, row["country"])
        kind.setdefault(pic, "research" if row["type"] in ("HES", "REC") else "")

weight = defaultdict(int)
for rcn in sorted(members):
    for a, b in itertools.combinations(sorted(members[rcn]), 2):
        weight[(a, b)] += 1

with open(os.path.join(out_dir, "h2020_edges.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["source", "target", "weight"])
    for (a, b), x in weight.items():
        w.writerow([a, b, x])
with open(os.path.join(out_dir, "h2020_nodes.csv"), "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["id", "country", "kind"])
    for pic in sorted(country):
        w.writerow([pic, country[pic], kind[pic]])
active = {p for e in weight for p in e}
print(f"{len(country)} organisations, {len(active)} with a tie, {len(weight)} ties")
