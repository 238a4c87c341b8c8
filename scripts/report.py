"""Writes an HTML report of one or more ClusterNet result files.

Usage: /usr/bin/python3 scripts/report.py RESULT.h5 [RESULT2.h5 ...] -o output/report/ [--baseline BASE.h5]

The page (index.html, with PNG figures beside it) shows: a plain-language summary; key outcomes over
time with 95% confidence bands per scenario; differences to the counterfactual (additionality) with
95% intervals, paired by replicate when the runs share seed and replicate count; the degree
distribution (log-log); a map of regions sized and coloured by network centrality with less
developed regions marked; and the calibration tables when a file has /calibration. Optional parts
are skipped when their data are absent; one replicate gives lines without bands.
Needs h5py, numpy and matplotlib (Debian: python3-h5py python3-numpy python3-matplotlib).
"""
import argparse
import html
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import h5py  # noqa: E402
import numpy as np  # noqa: E402

KEY_OUTCOMES = [
    "partnerships_funded", "smes_supported", "budget_committed_eur", "cluster_orgs_in_partnerships",
    "interregional_tie_share", "giant_component_share", "mean_degree", "transitivity", "convergence_gap",
    "less_developed_share_in_partnerships", "interregional_ties_per_meur", "cost_per_sme_eur",
]
PLAIN = {
    "partnerships_funded": "partnerships funded", "smes_supported": "SMEs supported",
    "budget_committed_eur": "budget committed", "cluster_orgs_in_partnerships": "cluster organisations in partnerships",
    "interregional_tie_share": "share of ties between regions", "giant_component_share": "share of organisations in the connected core",
    "mean_degree": "partners per organisation", "transitivity": "clustering (partners of partners)",
    "convergence_gap": "gap between less and more developed regions", "less_developed_share_in_partnerships": "share of partners from less developed regions",
    "interregional_ties_per_meur": "new interregional ties per million EUR", "cost_per_sme_eur": "cost per SME supported",
}

# Two-sided 95% Student-t critical values t(0.975, df) for df = 1..30 (standard tables); beyond 30
# the normal value with a small correction is within 0.3% (no scipy needed on Debian's Python).
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def t975(df):
    if not df or df < 1 or not math.isfinite(df):
        return float("nan")
    if df <= 30:
        lo = int(math.floor(df))
        hi = min(lo + 1, 30)
        frac = df - lo
        return T975[lo - 1] * (1 - frac) + T975[hi - 1] * frac
    return 1.95996 + 2.4 / df


def mean_ci(values):
    """Mean and 95% t interval over the finite values (NaN interval when fewer than 2)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return float("nan"), float("nan"), float("nan")
    m = float(v.mean())
    if len(v) < 2:
        return m, float("nan"), float("nan")
    half = t975(len(v) - 1) * float(v.std(ddof=1)) / math.sqrt(len(v))
    return m, m - half, m + half


def difference(a, b, paired):
    """b - a with a 95% interval: paired by replicate or Welch."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if paired:
        ok = np.isfinite(a) & np.isfinite(b)
        return mean_ci(b[ok] - a[ok])
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if len(a) == 0 or len(b) == 0:
        return float("nan"), float("nan"), float("nan")
    d = float(b.mean() - a.mean())
    if len(a) < 2 or len(b) < 2:
        return d, float("nan"), float("nan")
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    if se == 0:
        return d, d, d
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    return d, d - t975(df) * se, d + t975(df) * se


class Result:
    def __init__(self, path):
        self.path = path
        if path.endswith(".partial"):
            raise ValueError(f"{path}: a .partial file is an unfinished run, not a result")
        try:
            f = h5py.File(path, "r")
        except OSError as e:
            raise ValueError(f"{path}: cannot open as HDF5 ({e})")
        with f:
            if f.attrs.get("format") != "clusternet-results":
                raise ValueError(f"{path}: not a clusternet result")
            if f.attrs.get("complete") != 1:
                raise ValueError(f"{path}: incomplete result (the run did not finish)")
            self.scenario = str(f.attrs["scenario_name"])
            self.seed = int(f.attrs["seed"])
            self.replicates = int(f.attrs["replicates"])
            self.dates = list(f["time/date"].asstr()[()])
            self.metrics = {}
            for group in f.get("metrics", {}):
                for name, ds in f["metrics"][group].items():
                    self.metrics[name] = (ds[()], str(ds.attrs.get("unit", "")), str(ds.attrs.get("description", "")), group)
            self.regions = f["regions/table"][()] if "regions/table" in f else None
            self.region_series = {n: ds[()] for n, ds in f.get("regions", {}).items() if n != "table"}
            self.histogram = None
            if "tables/degree_histogram/rep_0" in f:
                ds = f["tables/degree_histogram/rep_0"]
                if ds.shape[0] > 0:
                    self.histogram = ds[-1, : int(ds.attrs["row_length"][-1])] if "row_length" in ds.attrs else ds[-1]
            self.edges = f["network/final/rep_0/edges"][()] if "network/final/rep_0/edges" in f else None
            self.calibration = {n: ds[()] for n, ds in f.get("calibration", {}).items()
                                if isinstance(ds, h5py.Dataset)}

    def final(self, name):
        """Values per replicate at the final month with any value."""
        arr = self.metrics[name][0]
        for m in range(arr.shape[1] - 1, -1, -1):
            if np.isfinite(arr[:, m]).any():
                return arr[:, m], m
        return arr[:, -1], arr.shape[1] - 1


def fmt(x, unit=""):
    if x is None or not math.isfinite(x):
        return "n/a"
    if unit.startswith("EUR") and abs(x) >= 1e6:
        return f"{x / 1e6:,.2f} M EUR"
    if unit == "share" and abs(x) <= 1:
        return f"{100 * x:.1f}%"
    if abs(x) >= 100:
        return f"{x:,.0f}" + (f" {unit}" if unit.startswith("EUR") else "")
    return f"{x:.3g}" + (f" {unit}" if unit.startswith("EUR") else "")


def band_plot(ax, dates, arr, label):
    x = np.arange(arr.shape[1])
    means, lows, highs = zip(*(mean_ci(arr[:, m]) for m in range(arr.shape[1])))
    means = np.array(means)
    ok = np.isfinite(means)
    line, = ax.plot(x[ok], means[ok], label=label)
    if arr.shape[0] >= 2:
        lows, highs = np.array(lows), np.array(highs)
        ok2 = ok & np.isfinite(lows)
        ax.fill_between(x[ok2], lows[ok2], highs[ok2], color=line.get_color(), alpha=0.2)
    step = max(1, len(dates) // 6)
    ax.set_xticks(x[::step])
    ax.set_xticklabels([dates[i] for i in x[::step]], rotation=30, fontsize=7)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("results", nargs="+", help="result files (.h5)")
    p.add_argument("-o", "--output", default="output/report", help="output directory (default output/report)")
    p.add_argument("--baseline", help="counterfactual result (default: a result whose scenario is 'base')")
    args = p.parse_args()
    try:
        results = [Result(r) for r in args.results]
        baseline = None
        if args.baseline:
            # The counterfactual may also be among the results: use that object, so it is neither
            # compared with itself nor listed twice.
            same = [r for r in results if os.path.realpath(r.path) == os.path.realpath(args.baseline)]
            baseline = same[0] if same else Result(args.baseline)
        else:
            baseline = next((r for r in results if r.scenario == "base"), None)
    except ValueError as e:
        print(f"report.py: {e}", file=sys.stderr)
        return 2
    os.makedirs(args.output, exist_ok=True)
    scenarios = [r for r in results if r is not baseline]
    shown = [m for m in KEY_OUTCOMES if any(m in r.metrics for r in results)]
    if not shown:  # no preferred metric present: show whatever there is
        shown = sorted({m for r in results for m in r.metrics})[:12]
    body = []
    figures = []

    # Key outcomes over time.
    if shown:
        cols = 3
        rows = math.ceil(len(shown) / cols)
        fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False)
        for ax, name in zip(axes.flat, shown):
            unit = ""
            for r in results + ([baseline] if baseline and baseline not in results else []):
                if name in r.metrics:
                    band_plot(ax, r.dates, r.metrics[name][0], r.scenario)
                    unit = r.metrics[name][1]
            ax.set_title(PLAIN.get(name, name), fontsize=9)
            ax.set_ylabel(unit, fontsize=7)
        for ax in list(axes.flat)[len(shown):]:
            ax.axis("off")
        axes.flat[0].legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(os.path.join(args.output, "outcomes.png"), dpi=90)
        plt.close(fig)
        figures.append(("Key outcomes over time", "outcomes.png",
                        "Lines: mean over replicates; shaded: 95% confidence band (none with one replicate)."))

    # Additionality against the counterfactual.
    diff_rows = []
    if baseline and scenarios:
        for r in scenarios:
            paired = r.seed == baseline.seed and r.replicates == baseline.replicates
            for name in shown:
                if name in r.metrics and name in baseline.metrics:
                    d, lo, hi = difference(baseline.final(name)[0], r.final(name)[0], paired)
                    diff_rows.append((r.scenario, name, r.metrics[name][1], mean_ci(baseline.final(name)[0])[0],
                                      mean_ci(r.final(name)[0])[0], d, lo, hi, paired))
        names = [n for n in shown if any(n in r.metrics for r in scenarios) and n in baseline.metrics]
        if names:
            cols = 3
            rows = math.ceil(len(names) / cols)
            fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False)
            for ax, name in zip(axes.flat, names):
                for r in scenarios:
                    if name not in r.metrics:
                        continue
                    a, b = baseline.metrics[name][0], r.metrics[name][0]
                    months = min(a.shape[1], b.shape[1])
                    paired = r.seed == baseline.seed and r.replicates == baseline.replicates
                    ds = [difference(a[:, m], b[:, m], paired) for m in range(months)]
                    x = np.arange(months)
                    mid = np.array([d[0] for d in ds])
                    lo = np.array([d[1] for d in ds])
                    hi = np.array([d[2] for d in ds])
                    ok = np.isfinite(mid)
                    line, = ax.plot(x[ok], mid[ok], label=r.scenario)
                    ok2 = ok & np.isfinite(lo)
                    if ok2.any():
                        ax.fill_between(x[ok2], lo[ok2], hi[ok2], color=line.get_color(), alpha=0.2)
                ax.axhline(0, color="grey", lw=0.8)
                ax.set_title(f"{PLAIN.get(name, name)}: difference to {baseline.scenario}", fontsize=8)
            for ax in list(axes.flat)[len(names):]:
                ax.axis("off")
            axes.flat[0].legend(fontsize=7)
            fig.tight_layout()
            fig.savefig(os.path.join(args.output, "additionality.png"), dpi=90)
            plt.close(fig)
            figures.append((f"Additionality: difference to the counterfactual ({baseline.scenario})", "additionality.png",
                            "Scenario minus counterfactual, with 95% confidence band."))

    # Degree distribution.
    fig, ax = plt.subplots(figsize=(5, 4))
    any_degree = False
    for r in results:
        # Exact degrees from the final network when it was stored; otherwise the recorded log2-binned
        # histogram (bin b holds degrees 2^b .. 2^(b+1)-1), drawn as organisations per unit degree.
        if r.edges is not None and len(r.edges):
            ends = np.concatenate([r.edges["source"], r.edges["target"]])
            _, deg = np.unique(ends, return_counts=True)
            counts = np.bincount(deg).astype(float)
            k = np.arange(len(counts), dtype=float)
        elif r.histogram is not None:
            binned = np.nan_to_num(np.asarray(r.histogram, dtype=float))
            width = 2.0 ** np.arange(len(binned))
            k = width * np.sqrt(2.0)
            counts = binned / width
        else:
            continue
        ok = (k > 0) & (counts > 0)
        if ok.any():
            ax.loglog(k[ok], counts[ok], "o-", ms=3, label=r.scenario)
            any_degree = True
    if any_degree:
        ax.set_xlabel("degree (partners)")
        ax.set_ylabel("organisations (per unit degree)")
        ax.legend(fontsize=7)
        fig.tight_layout()
        fig.savefig(os.path.join(args.output, "degree.png"), dpi=90)
        figures.append(("Degree distribution at the final month (log-log, replicate 0)", "degree.png",
                        "How many organisations have how many partners; a straight line suggests hubs."))
    plt.close(fig)

    # Map of regions.
    main_result = scenarios[0] if scenarios else results[0]
    if main_result.regions is not None and len(main_result.regions):
        reg = main_result.regions
        series_name = next((n for n in main_result.region_series if "centrality" in n),
                           next(iter(main_result.region_series), None))
        if series_name is not None:
            arr = main_result.region_series[series_name]
            value = np.nanmean(arr[:, -1, :], axis=0)
        else:
            value = np.ones(len(reg))
        v = np.nan_to_num(value)
        size = 20 + 300 * (v - v.min()) / (np.ptp(v) or 1)
        fig, ax = plt.subplots(figsize=(6, 5))
        sc = ax.scatter(reg["lon"], reg["lat"], s=size, c=v, cmap="viridis", alpha=0.8)
        less = np.array([c.decode() if isinstance(c, bytes) else c for c in reg["category"]]) == "less_developed"
        if less.any():
            ax.scatter(reg["lon"][less], reg["lat"][less], s=size[less], facecolors="none", edgecolors="red", lw=1.2,
                       label="less developed region")
            ax.legend(fontsize=7, loc="lower left")
        fig.colorbar(sc, ax=ax, label=series_name or "")
        ax.set_xlabel("longitude")
        ax.set_ylabel("latitude")
        ax.set_title(f"Regions in {main_result.scenario} at the final month", fontsize=9)
        fig.tight_layout()
        fig.savefig(os.path.join(args.output, "map.png"), dpi=90)
        plt.close(fig)
        figures.append(("Map of regions", "map.png",
                        f"Each point is a region, sized and coloured by {series_name or 'presence'} "
                        "(mean over replicates); red rings mark less developed regions."))

    # Plain-language summary.
    summary = []
    for r in results:
        parts = []
        for name in shown[:5]:
            if name in r.metrics:
                vals, m = r.final(name)
                mean, lo, hi = mean_ci(vals)
                unit = r.metrics[name][1]
                ci = f" (95% CI {fmt(lo, unit)} to {fmt(hi, unit)})" if math.isfinite(lo) else ""
                parts.append(f"{PLAIN.get(name, name)}: {fmt(mean, unit)}{ci}")
        end = r.dates[-1] if r.dates else "the end"
        summary.append(f"<li><b>{html.escape(r.scenario)}</b> ({r.replicates} replicate{'s' if r.replicates != 1 else ''},"
                       f" up to {html.escape(end)}): " + html.escape("; ".join(parts) or "no key outcome recorded") + ".</li>")
    for (scen, name, unit, base, val, d, lo, hi, paired) in diff_rows[:0] or diff_rows:
        if name not in ("smes_supported", "partnerships_funded", "giant_component_share", "interregional_tie_share"):
            continue
        if math.isfinite(lo):
            verdict = ("a real difference" if (lo > 0 or hi < 0) else
                       "not distinguishable from no effect with these replicates")
            summary.append(f"<li>Compared with {html.escape(baseline.scenario)}, <b>{html.escape(scen)}</b> changes "
                           f"{html.escape(PLAIN.get(name, name))} by {html.escape(fmt(d, unit))} (95% CI "
                           f"{html.escape(fmt(lo, unit))} to {html.escape(fmt(hi, unit))}): {verdict}.</li>")
        else:
            summary.append(f"<li>Compared with {html.escape(baseline.scenario)}, <b>{html.escape(scen)}</b> changes "
                           f"{html.escape(PLAIN.get(name, name))} by {html.escape(fmt(d, unit))}; with one replicate "
                           "the uncertainty cannot be estimated.</li>")
    if not baseline:
        summary.append("<li>No counterfactual (a scenario named <i>base</i> or --baseline) was given, so "
                       "additionality is not shown.</li>")
    elif not scenarios:
        summary.append(f"<li>Only the counterfactual ({html.escape(baseline.scenario)}) was given: there is no "
                       "funded scenario to compare with it, so additionality is not shown.</li>")

    body.append("<h2>Summary</h2><ul>" + "".join(summary) + "</ul>")
    body.append("<p>Values are means over replicates at the final month; a 95% confidence interval (CI) is the "
                "range in which the true mean lies with 95% confidence given the replicates run.</p>")
    if diff_rows:
        rows = "".join(
            f"<tr><td>{html.escape(s)}</td><td>{html.escape(PLAIN.get(n, n))}</td><td>{fmt(b, u)}</td><td>{fmt(v, u)}</td>"
            f"<td>{fmt(d, u)}</td><td>{fmt(lo, u)} to {fmt(hi, u)}</td><td>{'paired' if pr else 'unpaired (Welch)'}</td>"
            f"<td>{'yes' if math.isfinite(lo) and (lo > 0 or hi < 0) else 'no'}</td></tr>"
            for (s, n, u, b, v, d, lo, hi, pr) in diff_rows)
        body.append(f"<h2>Additionality against {html.escape(baseline.scenario)}</h2><table><tr><th>scenario</th>"
                    "<th>outcome</th><th>counterfactual</th><th>scenario</th><th>difference</th><th>95% CI</th>"
                    f"<th>method</th><th>CI excludes 0</th></tr>{rows}</table>")
    for title, png, caption in figures:
        body.append(f"<h2>{html.escape(title)}</h2><img src=\"{png}\" alt=\"{html.escape(title)}\">"
                    f"<p class=\"cap\">{html.escape(caption)}</p>")
    for r in results:
        for name, table in r.calibration.items():
            if table.dtype.names:
                head = "".join(f"<th>{html.escape(c)}</th>" for c in table.dtype.names)
                cells = "".join("<tr>" + "".join(
                    f"<td>{html.escape(x.decode() if isinstance(x, bytes) else str(x))}</td>" for x in row) + "</tr>"
                    for row in table)
                body.append(f"<h2>Calibration: {html.escape(name)} ({html.escape(r.scenario)})</h2>"
                            f"<table><tr>{head}</tr>{cells}</table>")
    body.append("<h2>Files</h2><ul>" + "".join(
        f"<li>{html.escape(r.path)}: scenario {html.escape(r.scenario)}, seed {r.seed}, {r.replicates} replicates</li>"
        for r in results + ([baseline] if baseline and baseline not in results else [])) + "</ul>")
    page = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>ClusterNet report</title><style>"
            "body{font-family:sans-serif;max-width:1100px;margin:auto;padding:1em}img{max-width:100%}"
            "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 6px;font-size:90%}"
            ".cap{color:#555;font-size:90%}</style></head><body><h1>ClusterNet scenario report</h1>"
            + "\n".join(body) + "</body></html>\n")
    with open(os.path.join(args.output, "index.html"), "w", encoding="utf-8") as f:
        f.write(page)
    print(f"report written to {os.path.join(args.output, 'index.html')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
