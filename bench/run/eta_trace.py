#!/usr/bin/env python3
"""How well `clusternet run`'s ETA holds (issue 18): runs it under a pseudo-terminal, so that it
draws its progress bar, reads every redraw (months done, the ETA it prints) with the time it came,
and compares each printed ETA with the time the bar in fact took to reach 100%.

    bench/run/eta_trace.py [--bin build/bin/clusternet] [--scenario scenarios/jci-150m.yaml]
                           [--scale 10] [--threads 2] [--trace OUT.tsv]

Prints the relative error of the printed ETA, (ETA - true time left) / true time left, as median,
minimum and maximum over three phases of the run: the burn-in, the first two cycles of measured
months (when only the prior or the first cycle is known) and the rest; redraws with less than 5%
of the run left are not counted (there a second is a large share). Then the cost of a month in
each phase: the burn-in's mean, the first cycle of measured months, and the later cycles (their
mean, and each against it), which are what the estimator's prior and cycles stand for. The file
the run writes goes to a scratch directory and is removed.
"""
import argparse
import os
import pty
import re
import shutil
import sys
import tempfile
import time

HEADER = re.compile(rb"replicate\(s\) x (\d+) months")
BAR = re.compile(rb"months (\d+)/(\d+)\s+replicates (\d+)/(\d+)\s+\S+ months/s\s+ETA ([^\r\n]*?)\s*$")


def seconds(text):
    """'42s', '12m 05s', '2h 03m' -> seconds."""
    total = 0
    for value, unit in re.findall(r"(\d+)([hms])", text):
        total += int(value) * {"h": 3600, "m": 60, "s": 1}[unit]
    return total


def split_lines(text):
    """The whole lines of a terminal's output (a progress bar redraws after a carriage return) and
    what is left after the last one."""
    parts = re.split(rb"[\r\n]", text)
    return parts[:-1], parts[-1]


def trace(command):
    start = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvp(command[0], command)
    rows, pending, horizon = [], b"", None
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        now = time.monotonic() - start
        lines, pending = split_lines(pending + data)
        for part in lines:
            h = HEADER.search(part)
            if h:
                horizon = int(h.group(1))
            m = BAR.search(part)
            if m:
                rows.append((now, int(m.group(1)), int(m.group(2)), seconds(m.group(5).decode())))
    _, status = os.waitpid(pid, 0)
    return rows, horizon, os.waitstatus_to_exitcode(status), time.monotonic() - start


def run_parser(doc):
    """The options of a bench script that runs one replicate of `clusternet run` (also
    interrupt_latency.py's): --bin, --scenario, --scale, --threads."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    parser.add_argument("--bin", default=os.path.join(root, "build", "bin", "clusternet"))
    parser.add_argument("--scenario", default=os.path.join(root, "scenarios", "jci-150m.yaml"))
    parser.add_argument("--scale", default="10")
    parser.add_argument("--threads", default="2")
    return parser


def run_command(args, output):
    """`clusternet run` of one replicate as the options say, its result written to `output`."""
    if not os.access(args.bin, os.X_OK):
        sys.exit(f"{os.path.basename(sys.argv[0])}: no clusternet at {args.bin} (bash scripts/build.sh)")
    return [args.bin, "run", args.scenario, "--replicates", "1", "--threads", args.threads,
            "--set", f"world.scale={args.scale}", "-o", output]


def main():
    parser = run_parser(__doc__)
    parser.add_argument("--cycle", type=int, default=12,
                        help="the scenario's measurement.expensive_every_months (default 12)")
    parser.add_argument("--trace", help="also write the redraws (seconds, months, total, printed ETA) here")
    args = parser.parse_args()
    scratch = tempfile.mkdtemp()
    try:
        rows, horizon, code, wall = trace(run_command(args, os.path.join(scratch, "run.h5")))
    finally:
        shutil.rmtree(scratch)
    if code != 0 or not rows or horizon is None:
        sys.exit(f"eta_trace.py: the run failed (exit {code}, {len(rows)} progress redraws, "
                 f"horizon {'not ' if horizon is None else ''}read)")
    if args.trace:
        with open(args.trace, "w") as f:
            for r in rows:
                f.write("%.3f\t%d\t%d\t%d\n" % r)
    total = rows[-1][2]
    done_at = next(t for t, m, _, _ in rows if m == total)
    # The measured months from the run's header line; the rest of the months are the burn-in.
    burn_in, cycle = total - horizon, args.cycle
    print(f"scale {args.scale}: bar at 100% after {done_at:.1f} s, process ended after {wall:.1f} s "
          f"({len(rows)} redraws)")
    phases = {"burn-in": [], "first two cycles": [], "later": []}
    for t, m, _, eta in rows:
        left = done_at - t
        if left < 0.05 * done_at:
            continue
        phase = "burn-in" if m < burn_in else "first two cycles" if m < burn_in + 2 * cycle else "later"
        phases[phase].append((eta - left) / left)
    for name, errors in phases.items():
        if errors:
            errors.sort()
            print(f"  ETA error, {name:17s} median {errors[len(errors) // 2]:+6.0%}  min {errors[0]:+6.0%}  "
                  f"max {errors[-1]:+6.0%}  ({len(errors)} redraws)")

    def time_at(months):
        return next(t for t, m, _, _ in rows if m >= months)

    # From the first redraw on: the estimator's clock starts after the world is built.
    burn = (time_at(burn_in) - rows[0][0]) / (burn_in - rows[0][1])
    cycles = [(time_at(burn_in + cycle * (k + 1)) - time_at(burn_in + cycle * k)) / cycle
              for k in range((total - burn_in) // cycle)]
    later = sum(cycles[1:]) / max(1, len(cycles) - 1)
    print(f"  month cost: burn-in {burn:.3f} s; measured: first cycle {cycles[0]:.3f} s, later cycles {later:.3f} s "
          f"({later / burn:.2f} burn-in months; first / later {cycles[0] / later:.2f}); later cycles against their "
          f"mean: {' '.join(f'{c / later:.2f}' for c in cycles[1:])}")


if __name__ == "__main__":
    main()
