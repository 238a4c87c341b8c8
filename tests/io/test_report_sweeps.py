"""scripts/report.py on real sweep files of the small CI world: a budget sweep beside the runs it
contains, a Morris screening with a contrast, a Sobol' design and a Latin hypercube; the numbers on
the page are those of `clusternet sweep-report --json`; unusable sweeps and options are refused.

Run by CTest as: /usr/bin/python3 test_report_sweeps.py REPORT_PY CLUSTERNET SCENARIOS_DIR
(about 20 seconds: ten small sweeps and runs, six reports).
"""
import html
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

import h5py

report, clusternet, scenarios = sys.argv[1:4]
ci_small = os.path.abspath(os.path.join(scenarios, "ci-small.yaml"))

BUDGET = """name: ci-small-budget
description: ci-small with the JCI-like budget swept
extends: {ci_small}
sweep:
  parameter: instruments.jci.budget
  values: [0, 3M, 6M]
"""
# Shorter worlds for the designs with many points (a year, half of it burn-in).
DESIGN = """name: ci-small-{name}
extends: {ci_small}
horizon: {{months: 12, burn_in_months: 6}}
sweep:
{body}
"""
MORRIS = """  design: morris
  trajectories: 3
  bootstrap_resamples: 200
  parameters:
    - key: behaviour.repeat_tie_propensity
      range: {from: 0.05, to: 0.3}
    - key: behaviour.distance_decay_km
      range: {from: 150, to: 1000, scale: log}
  contrast: {key: instruments.jci.budget, values: [0, 6M]}"""
SOBOL = """  design: sobol
  base_samples: 4
  bootstrap_resamples: 200
  parameters:
    - key: behaviour.repeat_tie_propensity
      range: {from: 0.05, to: 0.3}
    - key: behaviour.distance_decay_km
      range: {from: 150, to: 1000}"""
LHS = """  design: latin_hypercube
  samples: 3
  parameters:
    - key: behaviour.repeat_tie_propensity
      range: {from: 0.05, to: 0.3}"""


def png_dpi(path):
    with open(path, "rb") as f:
        blob = f.read()
    assert blob[:8] == b"\x89PNG\r\n\x1a\n", path
    pos = 8
    while pos < len(blob):
        length, kind = struct.unpack(">I4s", blob[pos:pos + 8])
        if kind == b"pHYs":
            return struct.unpack(">I", blob[pos + 8:pos + 12])[0] * 0.0254
        pos += 12 + length
    raise AssertionError(f"{path}: no pHYs chunk")


def cli(*args):
    p = subprocess.run([clusternet, *args], capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, f"clusternet {' '.join(args)}: {p.stderr}"
    return p.stdout


def run_report(*args, ok=True):
    p = subprocess.run([sys.executable, report, *args], capture_output=True, text=True, timeout=300)
    if ok:
        assert p.returncode == 0, p.stderr
    return p


def page_of(folder):
    with open(os.path.join(folder, "index.html"), encoding="utf-8") as f:
        return f.read()


def section(page, ident):
    start = page.index(f'<section id="{ident}">')
    return page[start:page.index("</section>", start)]


def images(page):
    return re.findall(r'<img src="([^"]+)"', page)


with tempfile.TemporaryDirectory(prefix="clusternet-report-sweeps-") as work:
    def sweep(name, text):
        yaml = os.path.join(work, f"{name}.yaml")
        with open(yaml, "w") as f:
            f.write(text)
        out = os.path.join(work, f"{name}.h5")
        cli("sweep", yaml, "-o", out, "--quiet")
        return out

    budget = sweep("budget", BUDGET.format(ci_small=ci_small))
    morris = sweep("morris", DESIGN.format(name="morris", ci_small=ci_small, body=MORRIS))
    sobol = sweep("sobol", DESIGN.format(name="sobol", ci_small=ci_small, body=SOBOL))
    lhs = sweep("lhs", DESIGN.format(name="lhs", ci_small=ci_small, body=LHS))
    # The runs of two of the budget sweep's points: same scenario, seed and replicates.
    base = os.path.join(work, "ci-small-base.h5")
    funded = os.path.join(work, "ci-small.h5")
    cli("run", ci_small, "-o", base, "--quiet", "--set", "instruments.jci.budget=0", "--set", "name=ci-small-base")
    cli("run", ci_small, "-o", funded, "--quiet")
    truth = json.loads(cli("sweep-report", budget, "--json", "--outcome", "partnerships_funded", "--outcome",
                           "smes_supported", "--outcome", "ties"))
    outcomes = {o["name"]: o for o in truth["outcomes"]}

    # --- runs and a budget sweep together ------------------------------------------------------------
    out = os.path.join(work, "report")
    os.makedirs(out)
    with open(os.path.join(out, "sensitivity-3.png"), "w") as f:    # a figure of an older report
        f.write("old")
    run_report(base, funded, budget, "--baseline", base, "-o", out, "--clusternet", clusternet)
    page = page_of(out)
    assert not os.path.exists(os.path.join(out, "sensitivity-3.png")), "a stale sweep figure was kept"
    srcs = images(page)
    for png in ["budget-response.png", "budget-network.png", "map-additional-ties.png", "effects.png"]:
        assert png in srcs, (png, srcs)
    for png in srcs:
        assert os.path.getsize(os.path.join(out, png)) > 5000 and png_dpi(os.path.join(out, png)) >= 150, png
    resp = section(page, "response")
    assert "<h2>Budget response</h2>" in resp
    # The two runs are points 0 and 2 of the sweep, number for number, and the page says so.
    assert "0 EUR (ci-small-base), 6M EUR (ci-small) are, number for number, the runs" in resp, resp[:2000]
    # Marginal effects per extra million EUR between neighbouring budgets, as sweep-report gives them.
    table = resp[resp.index("Marginal effect of each step, per extra million EUR"):]
    table = table[:table.index("</table>")]
    steps = re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)[1:]
    assert len(steps) == 2 and "0 EUR → 3M EUR" in steps[0] and "3M EUR → 6M EUR" in steps[1], steps
    step = outcomes["partnerships_funded"]["points"][2]["steps"][0]
    assert step["from_point"] == 1 and step["per"] == 1e6
    cells = re.findall(r"<td[^>]*>(.*?)</td>", steps[1], re.S)
    assert cells[1].startswith(f"{step['effect']:+.3g}"), (cells[1], step)
    if step["ci95_low"] is not None and step["ci95_low"] <= 0 <= step["ci95_high"]:
        assert 'class="num weak"' in steps[1]        # an interval holding zero is greyed, not hidden
    assert "2 replicates the intervals are rough" in resp
    # The folded tables: every outcome step by step and at every point.
    assert "Every outcome, step by step" in resp and "Every outcome at every point" in resp
    # The key finding quotes the sweep's own means at the ends of the range.
    smes = outcomes["smes_supported"]["points"]
    finding = re.search(r"SMEs supported directly \(unique\) by \w+ \d+: ([\d,.]+) at 0 EUR, ([\d,.]+) at 6M EUR",
                        page)
    assert finding, "no key finding on SMEs against the budget"
    assert float(finding.group(1).replace(",", "")) == 0 and smes[0]["mean"] == 0, finding.group(0)
    assert abs(float(finding.group(2).replace(",", "")) - smes[2]["mean"]) <= 0.5, (finding.group(0), smes[2])
    # The sweep has its own colour, not one of the runs'.
    colours = re.findall(r'<span class="swatch" style="background: (#[0-9A-Fa-f]{6})"></span>([^<]+)</h3>', page)
    by_name = {name.strip(): c for c, name in colours}
    assert by_name["Budget sweep ci-small-budget"] not in (by_name["ci-small"], "#4d4d4d"), by_name
    # The sweep is listed among the files, with no time stamp (sweep files hold none).
    method = section(page, "method")
    assert "budget.h5" in method and "grid sweep, 3 points" in method

    # --- a Morris screening, a Sobol' design and a Latin hypercube, without runs ----------------------
    out2 = os.path.join(work, "report-sensitivity")
    run_report(morris, sobol, lhs, "-o", out2, "--clusternet", clusternet)
    page2 = page_of(out2)
    assert "No counterfactual was given" not in page2       # sweeps only: nothing is missing
    assert "Cluster policy sweeps:" in page2
    sens = html.unescape(section(page2, "sensitivity"))
    assert ["sensitivity-1.png", "sensitivity-2.png"] == [s for s in images(page2) if s.startswith("sensitivity")]
    assert "ci-small-morris: Morris screening" in sens and "ci-small-sobol: Sobol indices" in sens
    assert "the paired difference jci budget 6M EUR − 0 EUR" in sens      # the contrast's target, in words
    morris_truth = json.loads(cli("sweep-report", morris, "--json", "--outcome", "ties"))
    rows = morris_truth["outcomes"][0]["indices"][0]["parameters"]
    top = max(rows, key=lambda r: r["mu_star"])
    lead = sens[sens.index("Morris indices of"):]
    lead = lead[:lead.index("</table>")]
    assert "Morris indices of collaboration ties, largest μ* first" in lead, lead[:300]
    label = top["parameter"].split(".")[-1].replace("_", " ")
    first_row = re.findall(r"<tr[^>]*>(.*?)</tr>", lead, re.S)[1]
    assert label in first_row and f"{top['mu_star']:,.4g}" in first_row, (first_row, top)
    assert "Sobol' indices of" in sens and "total order (95% CI)" in sens
    # The Latin hypercube is named with what to use for it instead of being silently dropped.
    assert "ci-small-lhs" in sens and "clusternet sweep-report" in sens
    for png in images(page2):
        assert png_dpi(os.path.join(out2, png)) >= 150, png

    # --- refused: a sweep as the counterfactual, a missing program, an unfinished sweep ---------------
    p = run_report(funded, "--baseline", budget, "-o", out2, "--clusternet", clusternet, ok=False)
    assert p.returncode == 2 and "--baseline" in p.stderr and "sweep" in p.stderr, p.stderr
    p = run_report(budget, "-o", out2, "--clusternet", os.path.join(work, "no-such-program"), ok=False)
    assert p.returncode == 2 and "no-such-program" in p.stderr, p.stderr
    unfinished = os.path.join(work, "unfinished.h5")
    shutil.copy(budget, unfinished)
    with h5py.File(unfinished, "a") as f:
        f.attrs["complete"] = 0
    p = run_report(unfinished, "-o", out2, "--clusternet", clusternet, ok=False)
    assert p.returncode == 2 and "incomplete sweep" in p.stderr, p.stderr
print("report sweeps passed")
