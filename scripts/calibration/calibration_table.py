#!/usr/bin/python3
"""Prints the /calibration/h2020 table of a result file (clusternet calibrate --h2020 -o FILE) as
Markdown: fact | scope | period | real [95% CI] | simulated mean [95% CI] | fitted or held-out |
within tolerance. docs/calibration.md's results table is this script's output.

Usage: calibration_table.py FILE.h5 [--scope autonomous|funded]
"""
import argparse
import math
import sys

import h5py

parser = argparse.ArgumentParser()
parser.add_argument("file")
parser.add_argument("--scope", choices=["autonomous", "funded"])
args = parser.parse_args()


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def number(x):
    if x is None or not math.isfinite(x):
        return ""
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def with_interval(mean, low, high):
    if not math.isfinite(mean):
        return "n/a"
    if math.isfinite(low) and math.isfinite(high):
        return f"{number(mean)} [{number(low)}, {number(high)}]"
    return number(mean)


with h5py.File(args.file, "r") as f:
    if "calibration/h2020" not in f:
        sys.exit(f"{args.file}: no /calibration/h2020 table (write one with clusternet calibrate --h2020 -o FILE)")
    rows = f["calibration/h2020"][()]
    replicates = f.attrs.get("replicates", "?")
    scenario = text(f.attrs.get("scenario_name", "?"))
print(f"Scenario `{scenario}`, {replicates} replicates.\n")
print("| fact | scope | period | real [95% CI] | simulated [95% CI] | role | within |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for r in rows:
    if args.scope and text(r["scope"]) != args.scope:
        continue
    print(f"| {text(r['fact'])} | {text(r['scope'])} | {text(r['period'])} | "
          f"{with_interval(r['real'], r['real_ci95_low'], r['real_ci95_high'])} | "
          f"{with_interval(r['simulated_mean'], r['simulated_ci95_low'], r['simulated_ci95_high'])} | "
          f"{text(r['role'])} | {text(r['within'])} |")
