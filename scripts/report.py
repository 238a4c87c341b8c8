"""Writes an HTML policy report of one or more ClusterNet result files and sweep files.

Usage: /usr/bin/python3 scripts/report.py RESULT.h5 [RESULT2.h5 ... SWEEP.h5 ...] -o output/report/
                                          [--baseline BASE.h5] [--meaningful 0.05] [--clusternet PATH]

The page (index.html, with its PNG figures beside it; nothing is fetched from the network) shows:
key findings in words; the cumulative policy outcomes (partnerships, SMEs, cost per SME, success
rate, continuations) with 95% intervals; every difference to the counterfactual with its paired 95%
interval, relative to the counterfactual's level and labelled practically meaningful or not
against the --meaningful threshold; the differences over time with bands and their peaks;
choropleth maps of the NUTS-2 regions (additional interregional ties, grants per inhabitant) and
the cohesion categories with the convergence gap; the network over time and its degree
distribution; for a budget sweep (clusternet sweep) the outcomes against the budget and what each
extra million EUR buys; for a Morris or Sobol' sweep the sensitivity charts; the calibration and
validation table when a file has /calibration; and the files behind it all. Sweep estimates come
from `clusternet sweep-report --json` (the program is found in build/bin, beside an installed
script, on PATH, or by --clusternet).
The counterfactual is the result whose scenario is named 'base', or --baseline. docs/report.md
describes every part. Needs python3-h5py, python3-numpy, python3-matplotlib, python3-jinja2.
Exit status: 0 written, 2 bad command line or unusable result file, 1 the report could not be written.
"""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

try:
    import jinja2
except ImportError:  # a clear message rather than a traceback on a machine without the set-up
    print("report.py: needs the Python package jinja2 (Debian: apt-get install python3-jinja2, or run "
          "scripts/setup.sh)", file=sys.stderr)
    sys.exit(2)

from report import data, geo, sections, style  # noqa: E402
from report import sweeps as sweeps_module  # noqa: E402

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "report", "templates")
# Every file the report may write, removed first so that a folder reused for a different set of
# results never shows a stale figure.
OUTPUT_FILES = ["index.html", "outcomes.png", "effects.png", "additionality.png", "map-additional-ties.png",
                "map-funding.png", "map-regions.png", "convergence.png", "network.png", "degree.png", "map.png"]
# ... and the sweep figures, numbered when there are several sweeps.
OUTPUT_PATTERN = re.compile(r"^(budget-response|budget-network|sensitivity)(-\d+)?\.png$")


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                epilog="See docs/report.md for what each part of the page shows.")
    p.add_argument("results", nargs="+", help="result files (.h5) written by clusternet run, and sweep files written "
                                              "by clusternet sweep")
    p.add_argument("-o", "--output", default="output/report", help="output folder (default output/report)")
    p.add_argument("--baseline", help="the counterfactual result (default: the result whose scenario is 'base')")
    p.add_argument("--meaningful", type=float, default=0.05, metavar="FRACTION",
                   help="practical-significance threshold as a fraction of the counterfactual's level: a difference "
                        "is practically meaningful only if its whole 95%% interval lies beyond +-FRACTION of that "
                        "level (default 0.05, i.e. 5%%)")
    p.add_argument("--geo-dir", default=geo.GEO_DIR,
                   help="folder with nuts2_2021_60m.geojson and countries_2021_60m.geojson (default: the shipped "
                        "scenarios/data/geo)")
    p.add_argument("--clusternet", metavar="PATH",
                   help="the clusternet program, for the estimates of sweep files (default: build/bin/clusternet of "
                        "this source tree, the installed one beside this script, or clusternet on PATH)")
    args = p.parse_args(argv)
    if not (0 < args.meaningful < 10):
        p.error(f"--meaningful {args.meaningful}: must be a fraction above 0, e.g. 0.05 for 5% of the "
                "counterfactual's level")
    return args


def load(args):
    """(run results, counterfactual or None, sweeps), each file read once."""
    found = {}

    def clusternet():
        if "path" not in found:
            found["path"] = data.find_clusternet(args.clusternet)
        return found["path"]
    results, sweeps = [], []
    for path in args.results:
        r = data.open_result(path, clusternet, sweeps_module.SWEEP_OUTCOMES)
        (sweeps if isinstance(r, data.SweepResult) else results).append(r)
    baseline = None
    if args.baseline:
        if data.file_format(args.baseline) == data.SWEEP_FORMAT:
            raise ValueError(f"--baseline {args.baseline}: a sweep file; the counterfactual is a run file (a sweep's "
                             "own first point is its reference)")
        # The counterfactual may also be among the results: use that object, so it is neither
        # compared with itself nor listed twice.
        same = [r for r in results if os.path.realpath(r.path) == os.path.realpath(args.baseline)]
        baseline = same[0] if same else data.Result(args.baseline)
        if not same:
            results.insert(0, baseline)
    else:
        baseline = next((r for r in results if r.scenario == "base"), None)
    # Two files of one scenario (e.g. two seeds) need distinct labels for colours and tables.
    labelled = results + sweeps
    seen = {}
    for r in labelled:
        seen[r.scenario] = seen.get(r.scenario, 0) + 1
    for r in labelled:
        if seen[r.scenario] > 1:
            r.scenario = f"{r.scenario} ({os.path.basename(r.path)})"
    labels = set()
    for i, r in enumerate(labelled, 1):
        if r.scenario in labels:   # the same file name twice (from two folders, or the file itself twice)
            r.scenario = f"{r.scenario} #{i}"
        labels.add(r.scenario)
    return results, baseline, sweeps


def render(ctx, built, findings):
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    funded = [r.scenario for r in ctx.funded]
    if ctx.baseline is not None and funded:
        title = f"Cluster policy scenarios: {', '.join(funded)} against {ctx.baseline.scenario}"
    elif ctx.all:
        title = "Cluster policy scenarios: " + ", ".join(r.scenario for r in ctx.all)
    else:
        title = "Cluster policy sweeps: " + ", ".join(s.scenario for s in ctx.sweeps)
    subtitle = []
    if ctx.all:
        first = ctx.all[0]
        reps = sorted({r.replicates for r in ctx.all})
        seeds = sorted({r.seed for r in ctx.all})
        subtitle.append(f"Simulated {first.dates[0]} to {first.dates[-1]} with ClusterNet; "
                        f"{' / '.join(str(x) for x in reps)} replicate{'s' if reps != [1] else ''} per scenario, "
                        f"seed{'s' if len(seeds) > 1 else ''} {', '.join(str(s) for s in seeds)}.")
    for s in ctx.sweeps:
        subtitle.append(f"Sweep {s.scenario}, simulated {s.dates[0]} to {s.dates[-1]}: "
                        f"{sweeps_module.sweep_words(s)}.")
    subtitle.append(f"Differences carry 95% confidence intervals; one is called practically meaningful only when the "
                    f"whole interval lies beyond ±{ctx.threshold_text} of the counterfactual's level."
                    if ctx.baseline is not None else "Estimates carry 95% confidence intervals.")
    return env.get_template("index.html.j2").render(
        title=title, subtitle=subtitle, findings=findings, sections=built, attribution=geo.ATTRIBUTION,
        threshold=ctx.threshold_text, files=[os.path.basename(r.path) for r in ctx.all + ctx.sweeps])


def main(argv=None):
    args = parse_args(argv)
    try:
        results, baseline, sweeps = load(args)
    except ValueError as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 2
    try:
        os.makedirs(args.output, exist_ok=True)
        for name in OUTPUT_FILES + [n for n in os.listdir(args.output) if OUTPUT_PATTERN.match(n)]:
            path = os.path.join(args.output, name)
            if os.path.isfile(path) or os.path.islink(path):
                os.remove(path)
    except OSError as e:
        print(f"report.py: cannot prepare the output folder {args.output}: {e}", file=sys.stderr)
        return 1
    style.setup_matplotlib()
    ctx = sections.Context(results, baseline, args.output, args.meaningful, lambda: geo.Boundaries(args.geo_dir),
                           sweeps)
    try:
        findings = sections.key_findings(ctx)
        built = [s for s in (build(ctx) for build in sections.SECTIONS) if s is not None]
        page = render(ctx, built, findings)
        target = os.path.join(args.output, "index.html")
        tmp = target + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(page)
        os.replace(tmp, target)
    except OSError as e:
        print(f"report.py: cannot write the report in {args.output}: {e}", file=sys.stderr)
        return 1
    print(f"report written to {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
