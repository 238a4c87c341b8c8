#!/usr/bin/python3
"""Sweep benchmarks through the command line (figures in docs/performance.md, "Sweeps").

Usage: sweep_bench.py CLUSTERNET SWEEP_YAML [--set KEY=VALUE]... [--replicates R] [--rounds N]
                      [--only overhead|mpi|memory]

overhead  `clusternet sweep` on one process against the same runs done one by one: for every
          point, `clusternet run` of the point's scenario (the sweep file without its sweep
          section, the point's values set) with the same seed and replicates; both on one thread.
          The ratio sweep / sum of runs is what a sweep costs beyond its runs (the task limit of
          issue 16 is 1.05).
mpi       the same sweep on 1 rank x 1 thread and on `mpirun -np 2` x 1 thread.
memory    peak resident memory of the sweep process (rank) against one run of one replicate: a
          rank holds one world and one task at a time, so the peak must not grow with the points.

The machine is shared and its speed drifts, so the configurations are interleaved round by round
and the report gives every round and the medians.
"""
import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

parser = argparse.ArgumentParser()
parser.add_argument("clusternet")
parser.add_argument("sweep")
parser.add_argument("--set", action="append", default=[])
parser.add_argument("--replicates", type=int, default=2)
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--only", choices=["overhead", "mpi", "memory"], action="append")
args = parser.parse_args()
only = set(args.only or ["overhead", "mpi", "memory"])
work = tempfile.mkdtemp(prefix="clusternet-sweep-bench-")
sets = [x for s in args.set for x in ("--set", s)]
common = ["--replicates", str(args.replicates), "--quiet", "--threads", "1"] + sets


cpu_log = []  # CPU seconds (user + system, the command and its descendants) of each timed command


def timed(cmd):
    """Wall time of a command; its CPU time goes to cpu_log. On a shared machine the CPU time says
    how much work a configuration did, the wall time how long it waited for the cores too."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_log.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return wall


def peak_rss_kib(cmd):
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, check=True, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, text=True).stderr
    return int(out.strip().splitlines()[-1])


def sweep_points():
    """The key and the values of each point, as `clusternet sweep-report --json` lists them."""
    out = os.path.join(work, "points.h5")
    subprocess.run([args.clusternet, "sweep", args.sweep, "-o", out, "--force"] + common, check=True)
    import h5py
    with h5py.File(out) as f:
        rows = f["sweep/points"][()]
        kinds = {r["key"].decode(): r["kind"].decode() for r in f["sweep/parameters"][()]}
    points = []
    for row in rows:
        values = []
        for key in rows.dtype.names:
            if key in ("point", "design_point", "arm"):
                continue
            v = float(row[key])
            values.append(f"{key}={int(round(v)) if kinds[key] in ('whole', 'money') else repr(v)}")
        points.append(values)
    os.remove(out)
    return points


def plain_scenario():
    """The resolved sweep file without its sweep section: what `run` runs at each point."""
    text = subprocess.run([args.clusternet, "validate", args.sweep, "--print"], check=True, capture_output=True,
                          text=True).stdout
    text = text.split("# resolved scenario", 1)[1].split("\n", 1)[1]
    plain = re.split(r"^sweep:", text, flags=re.M)[0]
    path = os.path.join(work, "plain.yaml")
    with open(path, "w") as f:
        f.write(plain)
    return path


def median(xs):
    return statistics.median(xs) if xs else float("nan")


try:
    points = sweep_points()
    print(f"{args.sweep}: {len(points)} points x {args.replicates} replicates, sets {args.set}")
    plain = plain_scenario()
    if "overhead" in only:
        sweeps, runs, cpu_ratios = [], [], []
        for r in range(args.rounds):
            out = os.path.join(work, "sweep.h5")
            sweeps.append(timed([args.clusternet, "sweep", args.sweep, "-o", out, "--force"] + common))
            sweep_cpu = cpu_log[-1]
            total = 0.0
            for p, values in enumerate(points):
                extra = [x for v in values for x in ("--set", v)]
                total += timed([args.clusternet, "run", plain, "-o", os.path.join(work, f"run{p}.h5"), "--force"]
                               + common + extra)
            runs.append(total)
            runs_cpu = sum(cpu_log[-len(points):])
            cpu_ratios.append(sweep_cpu / runs_cpu)
            print(f"round {r}: sweep {sweeps[-1]:.2f} s ({sweep_cpu:.2f} CPU s), runs one by one {runs[-1]:.2f} s "
                  f"({runs_cpu:.2f} CPU s), ratio {sweeps[-1] / runs[-1]:.3f} (CPU {cpu_ratios[-1]:.3f})")
        ratios = [s / t for s, t in zip(sweeps, runs)]
        print(f"overhead: median sweep {median(sweeps):.2f} s, median sum of runs {median(runs):.2f} s, "
              f"median ratio {median(ratios):.3f} (rounds: {', '.join(f'{x:.3f}' for x in ratios)}); "
              f"CPU-time ratio median {median(cpu_ratios):.3f}")
    if "mpi" in only and shutil.which("mpirun"):
        one, two = [], []
        root = ["--allow-run-as-root"] if os.geteuid() == 0 else []
        for r in range(args.rounds):
            out = os.path.join(work, "mpi.h5")
            one.append(timed([args.clusternet, "sweep", args.sweep, "-o", out, "--force"] + common))
            two.append(timed(["mpirun"] + root + ["-np", "2", args.clusternet, "sweep", args.sweep, "-o", out,
                                                   "--force"] + common))
            print(f"round {r}: 1 rank {one[-1]:.2f} s ({cpu_log[-2]:.2f} CPU s), 2 ranks {two[-1]:.2f} s "
                  f"({cpu_log[-1]:.2f} CPU s), speed-up {one[-1] / two[-1]:.2f}")
        speedups = [a / b for a, b in zip(one, two)]
        print(f"mpi: median 1 rank {median(one):.2f} s, median 2 ranks {median(two):.2f} s, "
              f"median speed-up {median(speedups):.2f} (rounds: {', '.join(f'{x:.2f}' for x in speedups)})")
    if "memory" in only:
        out = os.path.join(work, "memory.h5")
        sweep_rss = peak_rss_kib([args.clusternet, "sweep", args.sweep, "-o", out, "--force"] + common)
        first = [x for v in points[0] for x in ("--set", v)]
        run_rss = peak_rss_kib([args.clusternet, "run", plain, "-o", os.path.join(work, "one.h5"), "--force",
                                "--quiet", "--threads", "1", "--replicates", "1"] + sets + first)
        print(f"memory: sweep of {len(points) * args.replicates} tasks peak {sweep_rss / 1024:.0f} MiB; "
              f"one run of one replicate peak {run_rss / 1024:.0f} MiB")
finally:
    shutil.rmtree(work, ignore_errors=True)
