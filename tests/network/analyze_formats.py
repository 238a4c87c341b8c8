#!/usr/bin/python3
"""`clusternet analyze` reads one graph kept in different forms (comma, tab, semicolon, whitespace;
with and without a header; columns named or by position; comments) and reports the same metrics,
and says how it read each file.

Usage: analyze_formats.py CLUSTERNET_BINARY WORK_DIR
"""
import json
import os
import random
import subprocess
import sys

binary, work = sys.argv[1], sys.argv[2]
os.makedirs(work, exist_ok=True)
rng = random.Random(7)
edges = sorted({(f"org {rng.randrange(60)}", f"org {rng.randrange(60)}") for _ in range(240)})
weights = [rng.choice([0.5, 1, 1.5, 2, 3.25]) for _ in edges]


def write(name, lines):
    path = os.path.join(work, name)
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    return path


rows = list(zip(edges, weights))
forms = {
    "reference": (write("reference.csv", ["source,target,weight"] + [f"{a},{b},{w}" for (a, b), w in rows]), [],
                  ("comma", 1)),
    "tab, no header": (write("tab.tsv", [f"{a}\t{b}\t{w}" for (a, b), w in rows]), ["--weight", "3"], ("tab", 0)),
    "semicolon, decimal comma": (write("semi.csv", ["von;nach;gewicht"] + [f"{a};{b};{str(w).replace('.', ',')}"
                                                                             for (a, b), w in rows]),
                                 ["--source", "von", "--target", "nach", "--weight", "gewicht"], ("semicolon", 1)),
    "whitespace, quoted, comments": (write("space.txt", ["# a comment", "% another"] +
                                           [f'"{a}"   "{b}"  {w}' for (a, b), w in rows]),
                                     ["--no-header", "--weight", "3"], ("whitespace", 0)),
    "positions, reordered": (write("reordered.csv", ["w,x,from,to"] + [f"{w},y,{a},{b}" for (a, b), w in rows]),
                             ["--source", "3", "--target", "4", "--weight", "1"], ("comma", 1)),
    "forced delimiter": (write("forced.txt", [f"{a}|{b}|{w}".replace("|", "\t") for (a, b), w in rows]),
                         ["--delimiter", "tab", "--no-header", "--weight", "3"], ("tab", 0)),
}
failures = []
results = {}
for label, (path, args, (delimiter, header_line)) in forms.items():
    out = subprocess.run([binary, "analyze", path, "--json", "--exact-paths", *args], capture_output=True, text=True,
                         timeout=120)
    if out.returncode != 0:
        failures.append(f"{label}: exit {out.returncode}: {out.stderr.strip()}")
        continue
    doc = json.loads(out.stdout)
    fmt = doc["format"]
    if fmt["delimiter"] != delimiter or fmt["header_line"] != header_line or fmt["weight"] is None:
        failures.append(f"{label}: read as {fmt}, expected {delimiter} with header line {header_line} and weights")
    results[label] = doc["scalars"]
reference = results.get("reference")
for label, scalars in results.items():
    if scalars != reference:
        diff = {k: (reference[k], v) for k, v in scalars.items() if reference is None or reference[k] != v}
        failures.append(f"{label}: metrics differ from the reference: {diff}")

# The text output states how the file was read.
out = subprocess.run([binary, "analyze", forms["tab, no header"][0]], capture_output=True, text=True, timeout=60)
if "read as: tab-separated, no header, source column 1, target column 2, no weights" not in out.stdout:
    failures.append(f"text output does not say how the file was read: {out.stdout[:300]!r}")
out = subprocess.run([binary, "analyze", forms["reference"][0], "--delimiter", "pipe"], capture_output=True, text=True,
                     timeout=60)
if out.returncode == 0 or "--delimiter" not in out.stderr:
    failures.append(f"--delimiter pipe: exit {out.returncode}, {out.stderr.strip()!r}")

# Sampled clustering: with more samples than wedges the transitivity is exact; with fewer, both
# values are estimates near the exact ones, the JSON names the sample and the text says so.
reference_path = forms["reference"][0]
def analyze_json(*extra):
    out = subprocess.run([binary, "analyze", reference_path, "--json", *extra], capture_output=True, text=True,
                         timeout=60)
    return json.loads(out.stdout) if out.returncode == 0 else {"error": out.stderr}
exact = analyze_json()
many = analyze_json("--clustering-samples", "100000000")
few = analyze_json("--clustering-samples", "3000")
if "error" in exact or "error" in many or "error" in few:
    failures.append(f"--clustering-samples: {exact.get('error')} {many.get('error')} {few.get('error')}")
else:
    if exact["clustering_sample_size"] is not None or few["clustering_sample_size"] != 3000:
        failures.append(f"clustering_sample_size {exact['clustering_sample_size']}, {few['clustering_sample_size']}")
    if many["scalars"]["transitivity"] != exact["scalars"]["transitivity"]:
        failures.append(f"every wedge sampled: transitivity {many['scalars']['transitivity']} != exact")
    for name in ("transitivity", "mean_local_clustering"):
        if abs(few["scalars"][name] - exact["scalars"][name]) > 5 * 0.5 / 3000 ** 0.5:
            failures.append(f"{name}: 3000 samples give {few['scalars'][name]}, exact {exact['scalars'][name]}")
    if few["scalars"]["ties"] != exact["scalars"]["ties"]:
        failures.append("sampling the clustering changed other metrics")
out = subprocess.run([binary, "analyze", reference_path, "--clustering-samples", "3000"], capture_output=True,
                     text=True, timeout=60)
if "estimated from 3000 sampled wedges" not in out.stdout:
    failures.append(f"text output does not say the clustering was sampled: {out.stdout[:400]!r}")
out = subprocess.run([binary, "analyze", reference_path, "--clustering-samples", "-1"], capture_output=True,
                     text=True, timeout=60)
if out.returncode == 0 or "--clustering-samples" not in out.stderr:
    failures.append(f"--clustering-samples -1: exit {out.returncode}, {out.stderr.strip()!r}")

if failures:
    print("\n".join(failures))
    sys.exit(1)
print(f"{len(results)} forms of one graph ({len(edges)} edges) gave identical metrics")
