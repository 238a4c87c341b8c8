"""The report's figures. Each function draws one PNG into the output folder and returns its file
name, or None when the results hold nothing to draw (the section then says so in words).

Conventions (style.py): one colour per scenario everywhere, the counterfactual dark grey; dates on
every time axis; EUR, shares and counts in their own tick formats; 160 dpi.
"""
import math
import os

import numpy as np
import matplotlib.pyplot as plt
from matplotlib import colors as mcolors
from matplotlib.lines import Line2D

from . import geo, stats, style
from .names import short


def _save(fig, out_dir, name):
    fig.savefig(os.path.join(out_dir, name), dpi=style.DPI, facecolor="white")
    plt.close(fig)
    return name


def _grid(n, cols=3, width=11.0, row_height=3.0):
    cols = min(cols, n)
    rows = math.ceil(n / cols)
    fig, axes = plt.subplots(rows, cols, figsize=(width, row_height * rows + 0.5), squeeze=False)
    for ax in list(axes.flat)[n:]:
        ax.axis("off")
    return fig, list(axes.flat)[:n]


def _scenario_legend(fig, names, colours, extra=()):
    handles = [Line2D([], [], color=colours[n], lw=2.5) for n in names] + [h for h, _ in extra]
    labels = list(names) + [l for _, l in extra]
    fig.legend(handles, labels, loc="upper center", ncol=min(len(labels), 5), frameon=False,
               bbox_to_anchor=(0.5, 1.0))


def _finish(fig, legend_inches=0.45):
    """Lay out the panels below a figure-level legend that takes legend_inches at the top."""
    height = fig.get_size_inches()[1]
    fig.tight_layout(rect=(0, 0, 1, 1 - legend_inches / height))


def band(values):
    """Per month: mean and 95% interval over replicates (arrays of equal length)."""
    ests = [stats.mean_ci(values[:, m]) for m in range(values.shape[1])]
    return (np.array([e.value for e in ests]), np.array([e.low for e in ests]), np.array([e.high for e in ests]))


def _plot_band(ax, x, mid, lo, hi, colour, label=None, sparse=False):
    ok = np.isfinite(mid)
    if not ok.any():
        return False
    xs = [x[i] for i in np.flatnonzero(ok)]
    ax.plot(xs, mid[ok], color=colour, lw=2, label=label, marker="o" if sparse else None, ms=4)
    ok2 = ok & np.isfinite(lo) & np.isfinite(hi)
    if ok2.any():
        xs2 = [x[i] for i in np.flatnonzero(ok2)]
        ax.fill_between(xs2, lo[ok2], hi[ok2], color=colour, alpha=0.18, lw=0)
    return True


def sparse(values):
    """True for metrics measured only every few months (drawn with markers)."""
    measured = np.isfinite(values).any(axis=0)
    return measured.sum() < 0.5 * values.shape[1]


def levels_over_time(out_dir, name, results, metrics, colours, cols=3):
    """Levels over time (mean and 95% band) of `metrics` for each result that measured them."""
    metrics = [m for m in metrics if any(m in r.metrics and r.metrics[m].measured for r in results)]
    if not metrics:
        return None
    fig, axes = _grid(len(metrics), cols)
    shown = []
    for ax, metric in zip(axes, metrics):
        unit = ""
        for r in results:
            s = r.metrics.get(metric)
            if s is None or not s.measured:
                continue
            mid, lo, hi = band(s.values)
            if _plot_band(ax, r.datetimes, mid, lo, hi, colours[r.scenario], sparse=sparse(s.values)):
                unit = s.unit
                if r.scenario not in shown:
                    shown.append(r.scenario)
        ax.set_title(short(metric), loc="left")
        style.value_axis(ax, unit, metric)
        label = style.unit_label(unit, metric)
        if label and label != "%" and not style.is_eur(unit):
            ax.set_ylabel(label)
        style.date_axis(ax)
    _scenario_legend(fig, shown, colours)
    _finish(fig)
    return _save(fig, out_dir, name)


def additionality_over_time(out_dir, name, profiles, colours, threshold, cols=3):
    """Relative difference to the counterfactual over time, per metric and scenario, with the
    +-threshold band of practically negligible effects and the peak marked.

    profiles: list of (metric, [(scenario, Profile)])."""
    profiles = [(m, rows) for m, rows in profiles if any(p.has_values for _, p in rows)]
    if not profiles:
        return None
    fig, axes = _grid(len(profiles), cols)
    shown = []
    for ax, (metric, rows) in zip(axes, profiles):
        ax.axhspan(-threshold, threshold, color="#e9e9e9", lw=0, zorder=0)
        ax.axhline(0, color="#7a7a7a", lw=0.9, zorder=1)
        for scenario, p in rows:
            if not p.has_values:
                continue
            colour = colours[scenario]
            _plot_band(ax, p.dates, p.rel, p.rel_low, p.rel_high, colour, sparse=p.sparse)
            if p.peak is not None:
                ax.plot([p.dates[p.peak]], [p.rel[p.peak]], marker="D", ms=7, color=colour, mec="white", mew=1.2,
                        zorder=5)
            if scenario not in shown:
                shown.append(scenario)
        ax.set_title(short(metric), loc="left")
        style.percent_axis(ax, signed=True)
        style.date_axis(ax)
    axes[0].set_ylabel("difference, % of counterfactual")
    extra = [(plt.Rectangle((0, 0), 1, 1, color="#e9e9e9"), f"within ±{100 * threshold:g}%: not practically meaningful"),
             (Line2D([], [], marker="D", ls="", color="#555555", mec="white"), "peak")]
    _scenario_legend(fig, shown, colours, extra)
    _finish(fig)
    return _save(fig, out_dir, name)


def effects_forest(out_dir, name, rows, colours, threshold, title_date):
    """Final-month relative differences with 95% intervals, one line per outcome and scenario.

    rows: list of (metric, [(scenario, rel Estimate)])."""
    rows = [(m, [(s, e) for s, e in ests if e.finite]) for m, ests in rows]
    rows = [(m, ests) for m, ests in rows if ests]
    if not rows:
        return None
    scenarios = []
    for _, ests in rows:
        for s, _ in ests:
            if s not in scenarios:
                scenarios.append(s)
    k = len(scenarios)
    fig, ax = plt.subplots(figsize=(10, 1.3 + len(rows) * (0.22 + 0.16 * k)))
    ax.axvspan(-100 * threshold, 100 * threshold, color="#e9e9e9", lw=0, zorder=0)
    ax.axvline(0, color="#7a7a7a", lw=0.9)
    step = 0.7 / max(1, k)
    ticks, labels = [], []
    for i, (metric, ests) in enumerate(rows):
        y0 = len(rows) - 1 - i
        ticks.append(y0)
        labels.append(short(metric))
        if i % 2 == 0:
            ax.axhspan(y0 - 0.5, y0 + 0.5, color="#f7f7f7", lw=0, zorder=-1)
        for s, e in ests:
            j = scenarios.index(s)
            y = y0 + (k - 1) * step / 2 - j * step
            if e.has_interval:
                ax.errorbar([100 * e.value], [y], xerr=[[100 * (e.value - e.low)], [100 * (e.high - e.value)]],
                            fmt="o", color=colours[s], ms=6, capsize=3, lw=1.8, zorder=3)
            else:
                ax.plot([100 * e.value], [y], "o", color=colours[s], ms=6, mfc="white", zorder=3)
    ax.set_yticks(ticks)
    ax.set_yticklabels(labels)
    ax.grid(axis="y", visible=False)
    ax.set_ylim(-0.5, len(rows) - 0.5)
    ax.set_xlabel(f"difference to the counterfactual at {title_date}, % of its level (95% CI)")
    style.percent_axis(ax, axis="x", scale=1.0, signed=True)
    handles = [Line2D([], [], marker="o", color=colours[s], lw=1.8) for s in scenarios]
    handles.append(plt.Rectangle((0, 0), 1, 1, color="#e9e9e9"))
    fig.legend(handles, scenarios + [f"within ±{100 * threshold:g}%: not practically meaningful"], loc="upper center",
               bbox_to_anchor=(0.5, 1.0), ncol=min(4, k + 1), frameon=False)
    _finish(fig)
    return _save(fig, out_dir, name)


# ---- maps --------------------------------------------------------------------------------------

def _map_layout(n, extra_bottom=1.3):
    """A figure with n maps in one or two columns, placed by hand so that the maps, not the margins,
    take the space (equal-aspect axes in a grid otherwise shrink to fit). Returns (figure, map axes,
    colour-bar axes)."""
    x0, x1, y0, y1 = geo.MAIN_EXTENT
    ratio = (y1 - y0) / (x1 - x0)
    cols = 1 if n == 1 else 2
    rows = math.ceil(n / cols)
    map_w = 7.0 if cols == 1 else 5.9
    map_h = map_w * ratio
    gap_x, title_h, margin = 0.2, 0.38, 0.1
    width = cols * map_w + (cols - 1) * gap_x + 2 * margin
    height = rows * (map_h + title_h) + extra_bottom + margin
    fig = plt.figure(figsize=(width, height))
    axes = []
    for i in range(n):
        r, c = divmod(i, cols)
        left = margin + c * (map_w + gap_x)
        top = height - margin - r * (map_h + title_h) - title_h
        axes.append(fig.add_axes([left / width, (top - map_h) / height, map_w / width, map_h / height]))
    bar_w = min(width - 2 * margin, 7.5)
    cax = fig.add_axes([(width - bar_w) / 2 / width, 0.85 / height, bar_w / width, 0.16 / height])
    return fig, axes, cax


def _attribution(fig):
    fig.text(0.008, 0.008, geo.ATTRIBUTION, fontsize=8.5, color="#555555", ha="left", va="bottom")


def region_value_maps(out_dir, name, boundaries, codes, panels, cmap, norm, colorbar_label, value_format,
                      legend_no_data="no data", labels=None):
    """One map per panel with a shared colour scale. panels: list of (title, values per region in
    `codes` order, NaN = no data). Returns (file name, codes without a polygon)."""
    if not panels:
        return None, []
    fig, axes, cax = _map_layout(len(panels))
    missing = []
    for ax, (title, values) in zip(axes, panels):
        faces = [None if not math.isfinite(v) else cmap(norm(v)) for v in values]
        missing = geo.draw(ax, boundaries, codes, faces, title=title, labels=labels)
    sm = plt.cm.ScalarMappable(norm=norm, cmap=cmap)
    cbar = fig.colorbar(sm, cax=cax, orientation="horizontal",
                        format=plt.FuncFormatter(lambda v, _p: value_format(v)))
    cbar.set_label(colorbar_label)
    cbar.outline.set_linewidth(0.5)
    fig.legend(geo.legend_patches(), [legend_no_data, "outside the simulated world"], loc="lower right",
               frameon=False, fontsize=9, ncol=2, bbox_to_anchor=(1.0, 0.0))
    _attribution(fig)
    fig.savefig(os.path.join(out_dir, name), dpi=style.DPI, facecolor="white", bbox_inches=None)
    plt.close(fig)
    return name, missing


def diverging_norm(panels):
    """A colour scale centred on zero, symmetric, clipped at the 98th percentile of |value| so a
    single large region does not wash out the others."""
    allv = np.concatenate([np.asarray(v, dtype=float) for _, v in panels])
    allv = allv[np.isfinite(allv)]
    top = float(np.percentile(np.abs(allv), 98)) if len(allv) else 1.0
    top = top if top > 0 else 1.0
    return mcolors.Normalize(vmin=-top, vmax=top)


def sequential_norm(panels):
    allv = np.concatenate([np.asarray(v, dtype=float) for _, v in panels])
    allv = allv[np.isfinite(allv)]
    top = float(np.percentile(allv, 98)) if len(allv) else 1.0
    return mcolors.Normalize(vmin=0, vmax=top if top > 0 else 1.0)


def convergence_figure(out_dir, name, boundaries, codes, categories, bars, gap_rows, colours, date_label, labels=None):
    """Left: the regions by cohesion category. Right: additional interregional ties per region,
    mean by category, per scenario (95% CI); below it the change in the convergence gap.

    bars: {scenario: {category: Estimate}}; gap_rows: [(scenario, Estimate of the gap's change)]."""
    width, height = 12.4, 6.9
    x0, x1, y0, y1 = geo.MAIN_EXTENT
    map_w = 6.3
    map_h = map_w * (y1 - y0) / (x1 - x0)
    fig = plt.figure(figsize=(width, height))
    ax_map = fig.add_axes([0.1 / width, 0.45 / height, map_w / width, map_h / height])
    faces = [style.CATEGORY_COLOUR.get(c) for c in categories]
    missing = geo.draw(ax_map, boundaries, codes, faces, title="Cohesion category 2021-27 (approximate)",
                       labels=labels)
    handles = [plt.Rectangle((0, 0), 1, 1, facecolor=style.CATEGORY_COLOUR[c], edgecolor="white")
               for c in style.CATEGORY_ORDER]
    ax_map.legend(handles, [style.CATEGORY_NAME[c] for c in style.CATEGORY_ORDER], loc="upper right", fontsize=9,
                  framealpha=0.92)

    ax_bar = fig.add_axes([7.55 / width, 3.85 / height, 4.7 / width, 2.25 / height])
    scen = list(bars)
    if scen:
        bar_w = 0.8 / len(scen)
        for j, s in enumerate(scen):
            xs = np.arange(len(style.CATEGORY_ORDER)) - 0.4 + bar_w * (j + 0.5)
            est = [bars[s].get(c, stats.NAN_ESTIMATE) for c in style.CATEGORY_ORDER]
            vals = [e.value if e.finite else 0 for e in est]
            err = [[e.value - e.low if e.has_interval else 0 for e in est],
                   [e.high - e.value if e.has_interval else 0 for e in est]]
            ax_bar.bar(xs, vals, bar_w * 0.92, color=colours[s], label=s, yerr=err, capsize=3,
                       error_kw={"lw": 1.2, "ecolor": "#333333"})
        ax_bar.axhline(0, color="#7a7a7a", lw=0.9)
        ax_bar.set_xticks(np.arange(len(style.CATEGORY_ORDER)))
        ax_bar.set_xticklabels([style.CATEGORY_NAME[c] for c in style.CATEGORY_ORDER])
        ax_bar.set_title(f"Additional interregional ties per region, {date_label}", loc="left", pad=24)
        ax_bar.set_ylabel("ties")
        ax_bar.grid(axis="x", visible=False)
        ax_bar.legend(frameon=False, fontsize=9, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(scen),
                      borderaxespad=0.1)
    else:
        ax_bar.axis("off")

    ax_gap = fig.add_axes([8.55 / width, 0.95 / height, 3.7 / width, 1.75 / height])
    gap_rows = [(s, e) for s, e in gap_rows if e.finite]
    if gap_rows:
        ys = np.arange(len(gap_rows))[::-1]
        for y, (s, e) in zip(ys, gap_rows):
            xerr = [[e.value - e.low], [e.high - e.value]] if e.has_interval else None
            ax_gap.errorbar([e.value], [y], xerr=xerr, fmt="o", color=colours[s], ms=7, capsize=3, lw=1.8)
        ax_gap.axvline(0, color="#7a7a7a", lw=0.9)
        ax_gap.set_yticks(ys)
        ax_gap.set_yticklabels([s for s, _ in gap_rows])
        ax_gap.set_title("Change in the convergence gap", loc="left")
        ax_gap.set_xlabel("scenario − counterfactual (below 0: regions closer)")
        ax_gap.grid(axis="y", visible=False)
        lim = max(abs(v) for _, e in gap_rows for v in (e.value, e.low, e.high) if math.isfinite(v)) * 1.15
        ax_gap.set_xlim(-lim, lim)
        ax_gap.set_ylim(-0.6, len(gap_rows) - 0.4)
    else:
        ax_gap.axis("off")
    _attribution(fig)
    fig.savefig(os.path.join(out_dir, name), dpi=style.DPI, facecolor="white", bbox_inches=None)
    plt.close(fig)
    return name, missing


def degree_distribution(out_dir, name, results, colours):
    """Organisations by number of partners at the final month (log-log, replicate 0)."""
    fig, ax = plt.subplots(figsize=(7.5, 4.8))
    drawn = False
    for r in results:
        # Exact degrees from the stored final network; otherwise the recorded log2 histogram (bin b
        # holds degrees 2^b .. 2^(b+1)-1), shown per unit degree at the bin's geometric middle.
        if r.edges is not None and len(r.edges) and r.edges.dtype.names and "source" in r.edges.dtype.names:
            ends = np.concatenate([r.edges["source"], r.edges["target"]])
            _, deg = np.unique(ends, return_counts=True)
            counts = np.bincount(deg).astype(float)
            k = np.arange(len(counts), dtype=float)
        elif r.histogram is not None:
            binned = np.nan_to_num(np.asarray(r.histogram, dtype=float))
            width = 2.0 ** np.arange(len(binned))
            k = width * math.sqrt(2.0)
            counts = binned / width
        else:
            continue
        ok = (k > 0) & (counts > 0)
        if ok.any():
            ax.loglog(k[ok], counts[ok], "o-", ms=4, lw=1.5, color=colours[r.scenario], label=r.scenario)
            drawn = True
    if not drawn:
        plt.close(fig)
        return None
    ax.set_xlabel("partners (degree)")
    ax.set_ylabel("organisations")
    ax.legend(frameon=False)
    fig.tight_layout()
    return _save(fig, out_dir, name)


# ---- sweeps ------------------------------------------------------------------------------------

def response_curves(out_dir, name, panels, colour, x_axis, x_label, markers=(), cols=3):
    """Outcomes against a swept value (a budget), one panel per outcome: the estimate at each point
    with its 95% band.

    panels: list of (title, unit, metric, xs, [Estimate per point], difference: bool); a difference
    panel gets a zero line and its values as changes (percentage points for shares). A level panel
    is of a quantity that cannot be negative (a count, an amount, a rate): its band is cut at zero
    (and at 100% for a share) and its axis starts at zero, so that a flat line looks flat.
    x_axis(ax): formats the x axis (EUR for a budget). markers: [(x, label, colour)]: points that
    are runs shown elsewhere in the report, drawn as rings in their scenario's colour."""
    panels = [p for p in panels if any(e is not None and e.finite for e in p[4])]
    if not panels:
        return None
    fig, axes = _grid(len(panels), cols, row_height=3.1)
    shown = {}
    for ax, (title, unit, metric, xs, ests, difference) in zip(axes, panels):
        order = np.argsort(xs, kind="stable")
        x = np.asarray(xs, dtype=float)[order]
        mid = np.array([ests[i].value if ests[i] is not None else np.nan for i in order])
        lo = np.array([ests[i].low if ests[i] is not None else np.nan for i in order])
        hi = np.array([ests[i].high if ests[i] is not None else np.nan for i in order])
        if difference:
            ax.axhline(0, color="#7a7a7a", lw=0.9, zorder=1)
        else:
            lo = np.maximum(lo, 0.0)
            if style.is_fraction(unit, metric):
                hi = np.minimum(hi, 1.0)
        ok = np.isfinite(mid)
        ax.plot(x[ok], mid[ok], color=colour, lw=2, marker="o", ms=5, zorder=3)
        band_ok = ok & np.isfinite(lo) & np.isfinite(hi)
        if band_ok.any():
            ax.fill_between(x[band_ok], lo[band_ok], hi[band_ok], color=colour, alpha=0.2, lw=0, zorder=2)
        for mx, label, mcolour in markers:
            j = np.flatnonzero(np.isclose(x, mx) & ok)
            if len(j):
                ax.plot([mx], [mid[j[0]]], "o", ms=11, mfc="none", mec=mcolour, mew=2.2, zorder=4)
                shown[label] = mcolour
        if not difference:
            top = np.nanmax(np.where(band_ok, hi, mid)) if ok.any() else np.nan
            ax.set_ylim(0, top * 1.08 if np.isfinite(top) and top > 0 else None)
        ax.set_title(title, loc="left")
        if difference and style.is_fraction(unit, metric):
            style.percent_axis(ax, signed=True)
            ax.set_ylabel("percentage points")
        else:
            style.value_axis(ax, unit, metric)
            label = style.unit_label(unit, metric)
            if label and label != "%" and not style.is_eur(unit):
                ax.set_ylabel(label)
        x_axis(ax)
        ax.set_xlabel(x_label)
    handles = [Line2D([], [], color=colour, lw=2, marker="o", ms=5),
               plt.Rectangle((0, 0), 1, 1, color=colour, alpha=0.2)]
    labels = ["mean over replicates", "95% confidence band"]
    for label, mcolour in shown.items():
        handles.append(Line2D([], [], ls="", marker="o", ms=10, mfc="none", mec=mcolour, mew=2.2))
        labels.append(f"= the run {label}")
    fig.legend(handles, labels, loc="upper center", ncol=len(labels), frameon=False, bbox_to_anchor=(0.5, 1.0))
    _finish(fig)
    return _save(fig, out_dir, name)


def parameter_colours(parameters):
    """One colour per swept parameter, the same in every sensitivity chart of a sweep."""
    palette = style.OKABE_ITO + [plt.get_cmap("tab20")(i) for i in range(0, 20, 2)]
    return {p: palette[i % len(palette)] for i, p in enumerate(parameters)}


def _parameter_legend(fig, parameters, colours, labels, extra=()):
    handles = [Line2D([], [], ls="", marker="o", ms=8, color=colours[p]) for p in parameters] + [h for h, _ in extra]
    names = [labels[p] for p in parameters] + [l for _, l in extra]
    fig.legend(handles, names, loc="upper center", ncol=min(4, len(names)), frameon=False, bbox_to_anchor=(0.5, 1.0))


def morris_chart(out_dir, name, panels, parameters, colours, labels, cols=3):
    """Morris screening, one panel per outcome: mu* (mean absolute elementary effect, with its
    bootstrap 95% interval) across, sigma (their standard deviation) up.

    panels: list of (title, unit, metric, {parameter: (mu_star Estimate, sigma)})."""
    panels = [p for p in panels if any(math.isfinite(e.value) for e, _ in p[3].values())]
    if not panels:
        return None
    fig, axes = _grid(len(panels), cols, row_height=3.4)
    for ax, (title, unit, metric, rows) in zip(axes, panels):
        top = 0.0
        for p in parameters:
            if p not in rows:
                continue
            mu_star, sigma = rows[p]
            if not (math.isfinite(mu_star.value) and math.isfinite(sigma)):
                continue
            xerr = None
            if mu_star.has_interval:
                xerr = [[max(mu_star.value - mu_star.low, 0)], [max(mu_star.high - mu_star.value, 0)]]
            ax.errorbar([mu_star.value], [sigma], xerr=xerr, fmt="o", ms=8, color=colours[p], capsize=3, lw=1.5,
                        zorder=3)
            top = max(top, mu_star.high if mu_star.has_interval else mu_star.value, sigma)
        top = top * 1.08 if top > 0 else 1.0
        # Above the diagonal the effects vary more than their mean size: non-linear or interacting.
        ax.plot([0, top], [0, top], ls="--", color="#9a9a9a", lw=1, zorder=1)
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_title(title, loc="left")
        fraction = style.is_fraction(unit, metric)
        for axis in ("x", "y"):
            if fraction:
                style.percent_axis(ax, axis=axis)
            else:
                style.value_axis(ax, unit, metric, axis=axis)
        what = "pp" if fraction else (style.unit_label(unit, metric) or "")
        what = "" if style.is_eur(unit) else f" ({what})" if what else ""
        ax.set_xlabel(f"μ*{what}")
        ax.set_ylabel(f"σ{what}")
    _parameter_legend(fig, parameters, colours, labels,
                      [(Line2D([], [], ls="--", color="#9a9a9a"), "σ = μ*")])
    _finish(fig, legend_inches=0.25 + 0.26 * math.ceil((len(parameters) + 1) / 4))
    return _save(fig, out_dir, name)


def sobol_bars(out_dir, name, panels, parameters, colours, labels, cols=2):
    """Sobol' indices, one panel per outcome: per parameter the first-order index (solid) and the
    total-order index (hatched), each with its bootstrap 95% interval.

    panels: list of (title, {parameter: (first Estimate, total Estimate)})."""
    panels = [p for p in panels if any(math.isfinite(f.value) or math.isfinite(t.value) for f, t in p[1].values())]
    if not panels:
        return None, False
    fig, axes = _grid(len(panels), cols, width=11.0, row_height=3.4)
    clipped = False
    for ax, (title, rows) in zip(axes, panels):
        xs = np.arange(len(parameters))
        low, high = 0.0, 1.0
        for i, p in enumerate(parameters):
            if p not in rows:
                continue
            for offset, est, hatch, alpha in ((-0.2, rows[p][0], None, 1.0), (0.2, rows[p][1], "///", 0.45)):
                if not est.finite:
                    continue
                ax.bar([i + offset], [est.value], 0.38, color=colours[p], alpha=alpha, hatch=hatch,
                       edgecolor=colours[p], lw=1, zorder=2)
                if est.has_interval:
                    ax.errorbar([i + offset], [est.value], yerr=[[max(est.value - est.low, 0)],
                                                                 [max(est.high - est.value, 0)]],
                                fmt="none", ecolor="#333333", capsize=3, lw=1.2, zorder=3)
                    low, high = min(low, est.low), max(high, est.high)
        # Indices are shares of the variance; intervals far outside [0, 1] (few base samples) are
        # cut at the axis so that the estimates stay readable.
        bottom, top = max(low, -0.5), min(high, 1.5)
        clipped = clipped or bottom > low or top < high
        ax.set_ylim(min(bottom, 0) - 0.03, top + 0.05)
        ax.axhline(0, color="#7a7a7a", lw=0.9)
        ax.set_xticks(xs)
        ax.set_xticklabels([labels[p] for p in parameters], rotation=20 if len(parameters) > 3 else 0, ha="right"
                           if len(parameters) > 3 else "center")
        ax.grid(axis="x", visible=False)
        ax.set_title(title, loc="left")
        ax.set_ylabel("share of the variance")
    extra = [(plt.Rectangle((0, 0), 1, 1, facecolor="#777777"), "first order (alone)"),
             (plt.Rectangle((0, 0), 1, 1, facecolor="#777777", alpha=0.45, hatch="///", edgecolor="#777777"),
              "total order (with interactions)")]
    _parameter_legend(fig, parameters, colours, labels, extra)
    _finish(fig, legend_inches=0.25 + 0.26 * math.ceil((len(parameters) + 2) / 4))
    return _save(fig, out_dir, name), clipped
