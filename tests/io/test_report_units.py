"""Unit checks of the report's helpers (scripts/report/): intervals and verdicts, number formats,
scenario colours, the EPSG:3035 projection and the shipped boundaries.

Run by CTest as: /usr/bin/python3 test_report_units.py SCRIPTS_DIR REGION_CSV
"""
import csv
import math
import sys

import numpy as np

sys.path.insert(0, sys.argv[1])
from report import geo, stats, style  # noqa: E402

region_csv = sys.argv[2]


def close(a, b, tol=1e-9):
    return abs(a - b) <= tol * max(1.0, abs(b))


# ---- Student-t intervals --------------------------------------------------------------------------
assert close(stats.t975(1), 12.706) and close(stats.t975(4), 2.776) and close(stats.t975(30), 2.042)
assert close(stats.t975(4.5), (2.776 + 2.571) / 2)
assert math.isnan(stats.t975(0)) and math.isnan(stats.t975(float("nan")))
e = stats.mean_ci([1.0, 2.0, 3.0, float("nan")])           # NaN = not measured, left out
assert e.n == 3 and close(e.value, 2.0)
assert close(e.high - e.value, 4.303 * 1.0 / math.sqrt(3))
one = stats.mean_ci([5.0])
assert one.value == 5.0 and not one.has_interval and one.n == 1

# Paired differences use the replicate-wise differences; Welch's interval is wider on this data.
base = np.array([10.0, 20.0, 30.0])
scen = base + np.array([1.0, 1.2, 0.8])
p = stats.difference(base, scen, paired=True)
assert close(p.value, 1.0) and close(p.high - p.value, 4.303 * 0.2 / math.sqrt(3))
w = stats.difference(base, scen, paired=False)
assert close(w.value, 1.0) and (w.high - w.low) > 10 * (p.high - p.low)
# A replicate missing in one run is dropped from the pairs, not counted as zero.
p2 = stats.difference([1.0, float("nan"), 3.0], [2.0, 5.0, 4.0], paired=True)
assert p2.n == 2 and close(p2.value, 1.0)

# Relative to the counterfactual level; undefined for a zero or missing level.
r = stats.relative(stats.Estimate(2.0, 1.0, 3.0, 5), 40.0)
assert close(r.value, 0.05) and close(r.low, 0.025) and close(r.high, 0.075)
assert not stats.relative(stats.Estimate(2.0, 1.0, 3.0, 5), 0.0).finite
assert not stats.relative(stats.Estimate(2.0, 1.0, 3.0, 5), float("nan")).finite
neg = stats.relative(stats.Estimate(2.0, 1.0, 3.0, 5), -40.0)      # a negative level keeps the sign of the change
assert neg.value > 0 and neg.low < neg.high

# ---- the practical verdict ------------------------------------------------------------------------
T = 0.05
V = stats.verdict
assert V(stats.Estimate(0.08, 0.06, 0.10, 5), T)[0] == stats.MEANINGFUL
assert V(stats.Estimate(-0.08, -0.10, -0.06, 5), T)[0] == stats.MEANINGFUL
# Statistically clear but tiny: +0.3% of the level is not practically meaningful.
code, detail = V(stats.Estimate(0.003, 0.002, 0.004, 5), T)
assert code == stats.NEGLIGIBLE and "excludes 0" in detail
assert V(stats.Estimate(0.0, -0.01, 0.01, 5), T)[0] == stats.NEGLIGIBLE
assert V(stats.Estimate(0.05, 0.02, 0.08, 5), T)[0] == stats.UNCERTAIN
assert V(stats.Estimate(0.02, -0.03, 0.09, 5), T)[0] == stats.INCONCLUSIVE
code, detail = V(stats.Estimate(0.2, n=1), T)
assert code == stats.NOT_AVAILABLE and "one replicate" in detail
assert V(stats.NAN_ESTIMATE, T)[0] == stats.NOT_AVAILABLE
assert stats.VERDICT_TEXT[stats.NOT_AVAILABLE] == "n/a"
# The threshold matters: the same interval is meaningful at 1%, not at 5%.
assert V(stats.Estimate(0.03, 0.02, 0.04, 5), 0.01)[0] == stats.MEANINGFUL
assert V(stats.Estimate(0.03, 0.02, 0.04, 5), 0.05)[0] == stats.NEGLIGIBLE

assert stats.peak([0.0, 0.1, -0.3, 0.2, float("nan")]) == 2
assert stats.peak([0.0, 0.0]) is None and stats.peak([float("nan")]) is None

# ---- formats ----------------------------------------------------------------------------------
assert style.eur(150e6) == "150.0M EUR" and style.eur(1.25e9) == "1.25B EUR" and style.eur(80413.4) == "80,413 EUR"
assert style.eur(float("nan")) == "n/a"
assert style.number(1234567, "SMEs") == "1,234,567" and style.number(26.0, "partnerships") == "26"
assert style.number(12.666, "partnerships") == "12.7"
assert style.number(0.303, "fraction", "success_rate") == "30.3%"
assert style.number(0.7606, "1", "interregional_tie_share") == "76.1%"
assert style.number(2.5e8, "EUR") == "250.0M EUR"
assert style.points_or_number(0.0056, "1", "interregional_tie_share") == "+0.56 pp"
assert style.points_or_number(635.3, "ties", "ties") == "+635"
assert style.percent(0.069) == "+6.9%" and style.percent(float("nan")) == "n/a"
assert style.interval(stats.Estimate(1, n=1), style.number) == "n/a"

# Axis ticks read "150M EUR", not an offset like 1e8.
import matplotlib.pyplot as plt  # noqa: E402
fig, ax = plt.subplots()
ax.plot([0, 1], [0, 3e8])
style.eur_axis(ax)
fig.canvas.draw()
labels = [t.get_text() for t in ax.get_yticklabels()]
assert "150M EUR" in labels and not any("e" in l.replace("EUR", "") for l in labels), labels
plt.close(fig)

# ---- colours: the counterfactual always grey, one fixed colour per scenario ------------------------
c1 = style.scenario_colours(["base", "jci-150m", "jci-300m"], "base")
c2 = style.scenario_colours(["jci-300m", "my-run", "jci-150m", "counterfactual-x"], "counterfactual-x")
assert c1["base"] == style.BASELINE_COLOUR == c2["counterfactual-x"]
assert c1["jci-150m"] == c2["jci-150m"] and c1["jci-300m"] == c2["jci-300m"]
assert len(set(c2.values())) == len(c2)
many = style.scenario_colours([f"s{i}" for i in range(8)], None)
assert len(set(many.values())) == 8 and style.BASELINE_COLOUR not in many.values()

# ---- projection: IOGP Guidance Note 7-2 worked example for EPSG:3035 ---------------------------------
east, north = geo.laea(5.0, 50.0)
assert abs(east - 3962799.45) < 0.01 and abs(north - 2999718.85) < 0.01, (east, north)
east, north = geo.laea(10.0, 52.0)                  # the projection's origin
assert abs(east - 4321000.0) < 1e-6 and abs(north - 3210000.0) < 1e-6

# ---- boundaries: every EU region but the six outermost ones, holes kept ------------------------------
b = geo.Boundaries()
with open(region_csv, encoding="utf-8", newline="") as f:
    rows = list(csv.DictReader(f))
eu = [r["nuts_id"] for r in rows if r["eu27"] == "1"]
assert len(eu) == 242
missing = sorted(c for c in eu if c not in b.regions)
assert missing == ["ES70", "FRY1", "FRY2", "FRY3", "FRY4", "FRY5"], missing
# Vienna (AT13) lies in a hole of Lower Austria (AT12): filling AT12 must leave Vienna empty.
# (Path.contains_point ignores holes, so this is checked on rendered pixels, as a reader sees it.)
from matplotlib.patches import PathPatch  # noqa: E402


def pixel_at(fig, ax, x, y):
    fig.canvas.draw()
    px, py = ax.transData.transform((x, y))
    img = np.asarray(fig.canvas.buffer_rgba())
    return img[img.shape[0] - 1 - int(round(py)), int(round(px)), :3]


point = {r["nuts_id"]: geo.laea(float(r["lon"]), float(r["lat"])) for r in rows if r["nuts_id"] in ("AT12", "AT13")}
fig, ax = plt.subplots(figsize=(4, 4), dpi=100)
x0, x1, y0, y1 = b.regions["AT12"].bbox
ax.set_xlim(x0, x1)
ax.set_ylim(y0, y1)
ax.add_patch(PathPatch(b.regions["AT12"].path, facecolor=(1, 0, 0), edgecolor="none"))
assert b.regions["AT13"].path.contains_point(tuple(float(v) for v in point["AT13"]))
assert tuple(pixel_at(fig, ax, *point["AT12"])) == (255, 0, 0)
assert tuple(pixel_at(fig, ax, *point["AT13"])) == (255, 255, 255), "Vienna is painted as Lower Austria"
plt.close(fig)
# Everything continental lies in the map window; the Azores and Madeira go to insets.
outside = sorted(c for c in eu if c in b.regions and not geo._inside(b.regions[c].bbox, geo.MAIN_EXTENT))
assert outside == ["PT20", "PT30"], outside
try:
    geo.Boundaries("/nonexistent-geo-dir")
    raise AssertionError("a missing boundary folder must raise ValueError")
except ValueError as err:
    assert "nonexistent-geo-dir" in str(err)
print("report units passed")
