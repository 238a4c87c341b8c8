#!/usr/bin/python3
"""What `clusternet run` prints: progress reaches 100% only with every replicate done, the summary
names the month and date the file records, money and counts carry thousands separators, intervals
never go below what a count can be, too few replicates are flagged, and a run that samples its
clustering changes nothing else and stays within five standard errors of the exact values.

Usage: run_output.py CLUSTERNET SCENARIO (a small scenario, e.g. ci-small.yaml)
"""
import re
import subprocess
import sys
import tempfile
import os

import h5py
import numpy

binary, scenario = sys.argv[1], sys.argv[2]
failures = []
with tempfile.TemporaryDirectory(prefix="clusternet_run_output_") as work:
    for replicates in (2, 5):
        out_path = os.path.join(work, f"r{replicates}.h5")
        p = subprocess.run([binary, "run", scenario, "-o", out_path, "--replicates", str(replicates)],
                           capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            failures.append(f"run --replicates {replicates}: exit {p.returncode}: {p.stderr}")
            continue
        with h5py.File(out_path, "r") as f:
            month = int(f["time/month"][-1])
            date = f["time/date"].asstr()[-1]
            # Which values are estimates, and from what sample (ci-small: 16 path sources, 8
            # betweenness sources).
            estimators = {
                "metrics/network/mean_path_length": ("sampled", "16 sources"),
                "metrics/network/effective_diameter": ("sampled", "16 sources"),
                "metrics/network/modularity": ("heuristic", "Louvain"),
                "metrics/network/ties": ("exact", ""),
                "metrics/network/transitivity": ("exact", ""),
                "regions/region_betweenness": ("exact", ""),
                "tables/betweenness_top_score/rep_0": ("sampled", "8 sources"),
            }
            for path, (kind, detail) in estimators.items():
                text = f[path].attrs.get("estimator", "")
                if not text.startswith(kind) or detail not in text:
                    failures.append(f"{path}: estimator {text!r}, expected {kind!r} with {detail!r}")
        progress = [line for line in p.stderr.splitlines() if line.startswith("progress:")]
        full = [line for line in progress if "100%" in line]
        if len(full) != 1 or f"replicates {replicates}/{replicates}" not in full[0]:
            failures.append(f"{replicates} replicates: 100% lines {full}")
        for line in progress:
            if not re.search(r"[0-9.]+ months/s  ETA (\d+s|\d+m \d\ds|\d+h \d\dm)$", line):
                failures.append(f"progress line without months/s and ETA: {line}")
            m = re.search(r"replicates (\d+)/(\d+)", line)
            if "100%" not in line and m and m.group(1) == m.group(2):
                failures.append(f"all replicates done before 100%: {line}")
        text = p.stdout
        if f"values at month {month} ({date})" not in text:
            failures.append(f"summary does not name month {month} ({date}):\n{text}")
        for line in text.splitlines():
            parts = line.split()
            if len(parts) < 3 or not parts[0].endswith(("_eur", "ties", "smes_supported")):
                continue
            if parts[0].endswith("_eur") and "," not in line:
                failures.append(f"money without thousands separators: {line}")
            if "e+" in line:
                failures.append(f"exponent notation in the summary: {line}")
            interval = re.search(r"\[(-?[\d,.]+), ", line)
            if interval and interval.group(1).startswith("-"):
                failures.append(f"an interval of a count below zero: {line}")
        note = "from 2 replicates a 95% t interval is wide"
        if (replicates == 2) != (note in text):
            failures.append(f"{replicates} replicates: small-n note {'missing' if replicates == 2 else 'shown'}:\n{text}")
    # Sampled clustering (issue 18) on the same simulated network: the other metrics unchanged to
    # the bit, the two clustering values within five standard errors of the exact ones, and the
    # estimator attribute naming the sample.
    runs = {}
    for mode in ("exact", "sampled"):
        out_path = os.path.join(work, f"clustering_{mode}.h5")
        p = subprocess.run([binary, "run", scenario, "-o", out_path, "--replicates", "1", "--quiet",
                            "--set", f"measurement.clustering={mode}",
                            "--set", "measurement.clustering_sample_size=20000"],
                           capture_output=True, text=True, timeout=300)
        if p.returncode != 0:
            failures.append(f"run with clustering {mode}: exit {p.returncode}: {p.stderr}")
            continue
        with h5py.File(out_path, "r") as f:
            runs[mode] = {name: f["metrics/network"][name][()] for name in f["metrics/network"]}
            text = f["metrics/network/transitivity"].attrs.get("estimator", "")
            want = "20000 wedges" if mode == "sampled" else "exact"
            if want not in text or (mode == "sampled") != text.startswith("sampled"):
                failures.append(f"clustering {mode}: transitivity estimator {text!r}")
    if len(runs) == 2:
        bound = 5 * 0.5 / 20000 ** 0.5
        for name, exact in runs["exact"].items():
            sampled = runs["sampled"][name]
            if name in ("transitivity", "mean_local_clustering"):
                measured = ~numpy.isnan(exact)
                if not measured.any() or (numpy.isnan(sampled) != numpy.isnan(exact)).any():
                    failures.append(f"{name}: sampled and exact measured in different months")
                elif numpy.abs(sampled[measured] - exact[measured]).max() > bound:
                    failures.append(f"{name}: sampled differs from exact by more than {bound}")
                elif (sampled[measured] == exact[measured]).all():
                    failures.append(f"{name}: the sampled values equal the exact ones (not sampled?)")
            elif sampled.tobytes() != exact.tobytes():
                failures.append(f"{name}: changed by sampling the clustering")
if failures:
    print("\n".join(failures))
    sys.exit(1)
print("progress, month label, separators, bounds and the small-n note are right")
