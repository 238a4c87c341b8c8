"""The sections of the page, each built from the results by one function.

A section is a plain dict the template renders generically: {"id", "title", "intro": [paragraphs],
"blocks": [...]} where a block is {"kind": "figure", "src", "alt", "caption", "attribution"},
{"kind": "table", "caption", "columns", "rows", "note"} (a row is a list of cells {"text", "sub",
"cls", "title"}), {"kind": "details", "summary", "table"}, {"kind": "paragraph", "text"} or
{"kind": "note", "text"}; any block may carry a "heading".

SECTIONS lists the builders in page order. A builder returns None when the results hold nothing
for it. The sections drawn from sweep files (budget response, sensitivity) are in sweeps.py.
"""
import math

import numpy as np
import matplotlib.pyplot as plt

from . import data, figures, stats, style
from .names import plain

# Outcomes of funded activity: zero or undefined without funding, so they are reported as levels.
OUTCOME_ROWS = [
    "partnerships_funded", "continuations", "proposals_submitted", "success_rate", "cluster_orgs_in_partnerships",
    "smes_supported", "smes_represented", "budget_committed_eur", "budget_spent_eur", "cost_per_sme_eur",
    "funded_interregional_ties", "interregional_ties_per_meur", "less_developed_share_in_partnerships",
    "funding_gini_regions", "innovations", "jobs_created", "exchange_visits",
]
# Always shown (n/a when absent from a file); the others only when some scenario has a non-zero value.
OUTCOME_CORE = {"partnerships_funded", "continuations", "success_rate", "smes_supported", "budget_committed_eur",
                "cost_per_sme_eur"}
OUTCOME_PANELS = ["partnerships_funded", "smes_supported", "budget_committed_eur", "cost_per_sme_eur", "success_rate",
                  "continuations"]
# The network outcomes a reader asks about first, in this order.
HEADLINE = ["ties", "interregional_ties", "interregional_tie_share", "cross_border_tie_share", "organisations_active",
            "giant_component_share", "mean_degree", "transitivity", "convergence_gap",
            "region_strength_mean_less_developed", "region_strength_mean_more_developed", "repeated_tie_share",
            "mean_path_length"]
NETWORK_PANELS = ["ties", "interregional_tie_share", "giant_component_share", "mean_degree", "transitivity",
                  "convergence_gap"]
# Headline metrics in the key findings (the first of these present).
FINDING_METRICS = ["interregional_ties", "ties", "giant_component_share"]


class Context:
    """What every section builder sees."""

    def __init__(self, results, baseline, out_dir, threshold, boundaries_loader, sweeps=()):
        self.results = results
        self.baseline = baseline
        self.funded = [r for r in results if r is not baseline]
        self.all = ([baseline] if baseline is not None else []) + self.funded
        self.sweeps = list(sweeps)
        # Sweeps after the runs: a sweep never takes a colour a shipped scenario has.
        self.colours = style.scenario_colours([r.scenario for r in self.all] + [s.scenario for s in self.sweeps],
                                              baseline.scenario if baseline else None)
        self.out_dir = out_dir
        self.threshold = threshold
        self._boundaries_loader = boundaries_loader
        self._boundaries = None
        self.boundaries_error = None
        self._profiles = {}

    @property
    def boundaries(self):
        """The map boundaries, loaded on first use; None (and boundaries_error set) if unreadable."""
        if self._boundaries is None and self.boundaries_error is None:
            try:
                self._boundaries = self._boundaries_loader()
            except ValueError as e:
                self.boundaries_error = str(e)
        return self._boundaries

    def profile(self, scenario, metric):
        key = (scenario.scenario, id(scenario), metric)
        if key not in self._profiles:
            self._profiles[key] = Profile(self.baseline, scenario, metric)
        return self._profiles[key]

    @property
    def threshold_text(self):
        return f"{100 * self.threshold:g}%"


class Profile:
    """The difference scenario - counterfactual of one metric, month by month, with 95% intervals,
    absolute and relative to the counterfactual's mean level at that month."""

    def __init__(self, baseline, scenario, metric):
        self.metric = metric
        self.paired = data.paired(baseline, scenario)
        self.unit = scenario.metrics[metric].unit if metric in scenario.metrics else ""
        ia, ib = data.common_months(baseline, scenario)
        self.dates = [scenario.datetimes[j] for j in ib]
        self.labels = [scenario.dates[j] for j in ib]
        n = len(ia)
        self.diff = [stats.NAN_ESTIMATE] * n
        self.rel_est = [stats.NAN_ESTIMATE] * n
        self.base_level = np.full(n, np.nan)
        self.scen_level = np.full(n, np.nan)
        self.sparse = False
        if metric in baseline.metrics and metric in scenario.metrics and n:
            a = baseline.metrics[metric].values[:, ia]
            b = scenario.metrics[metric].values[:, ib]
            self.sparse = figures.sparse(b)
            for m in range(n):
                self.base_level[m] = stats.mean_ci(a[:, m]).value
                self.scen_level[m] = stats.mean_ci(b[:, m]).value
                self.diff[m] = stats.difference(a[:, m], b[:, m], self.paired)
                self.rel_est[m] = stats.relative(self.diff[m], self.base_level[m])
        self.rel = np.array([e.value for e in self.rel_est])
        self.rel_low = np.array([e.low for e in self.rel_est])
        self.rel_high = np.array([e.high for e in self.rel_est])
        finite = [m for m in range(n) if self.diff[m].finite]
        self.final = finite[-1] if finite else None
        self.peak = stats.peak(self.rel)

    @property
    def has_values(self):
        return bool(np.isfinite(self.rel).any())


# ---- cells ---------------------------------------------------------------------------------------

def cell(text, sub=None, cls=None, title=None):
    return {"text": text, "sub": sub, "cls": cls, "title": title}


def grouped(rows):
    """Rows whose first cell repeats the previous row's are drawn as one group: the repeat is kept
    (for copying the table) but hidden, and each group opens with a rule."""
    out, previous = [], None
    for row in rows:
        first = row[0]["text"]
        out.append({"cells": row, "cls": "cont" if first == previous else "group"})
        previous = first
    return out


def estimate_cell(est, unit, name, difference=False, bounded=False):
    """A mean (or difference) with its interval below it. bounded: the quantity cannot be negative
    (a count, an amount, a share: also not above 1), so the t-interval is cut at those limits; with
    two replicates the interval is flagged as rough (t = 12.7 makes it very wide)."""
    fn = (lambda x: style.points_or_number(x, unit, name)) if difference else (lambda x: style.number(x, unit, name))
    if not est.finite:
        return cell("n/a", cls="na")
    sub = None
    if est.has_interval:
        if bounded:
            top = 1.0 if style.is_fraction(unit, name) or unit == "index" else float("inf")
            est = stats.Estimate(est.value, max(est.low, 0.0), min(est.high, top), est.n)
        sub = style.interval(est, fn)
        if est.n < 3:
            sub += f" ({est.n} replicates: rough)"
    elif est.n == 1:
        sub = "one replicate: no interval"
    return cell(fn(est.value), sub=sub, cls="num")


def verdict_cell(rel, threshold):
    code, detail = stats.verdict(rel, threshold)
    return cell(stats.VERDICT_TEXT[code], sub=detail, cls=f"verdict v-{code.replace('/', '')}")


def verdict_words(rel, threshold):
    code, _ = stats.verdict(rel, threshold)
    t = f"{100 * threshold:g}%"
    if code == stats.MEANINGFUL:
        return f"practically meaningful (the whole interval is beyond ±{t} of the counterfactual level)"
    if code == stats.NEGLIGIBLE:
        clear = rel.low > 0 or rel.high < 0
        return (f"not practically meaningful: {'statistically detectable, but ' if clear else ''}the whole interval "
                f"is within ±{t}")
    if code == stats.UNCERTAIN:
        return f"clearly {'positive' if rel.value > 0 else 'negative'}, but possibly smaller than the {t} threshold"
    if code == stats.INCONCLUSIVE:
        return "inconclusive with these replicates: the interval holds both zero and effects beyond the threshold"
    return "not assessable (" + stats.verdict(rel, threshold)[1] + ")"


def _month_label(date):
    return date.strftime("%b %Y")


# ---- key findings --------------------------------------------------------------------------------

def key_findings(ctx):
    """Short paragraphs per funded scenario, in words, every number with its interval."""
    out = []
    if ctx.baseline is None and ctx.all:
        out.append({"scenario": None, "colour": None, "sentences": [
            "No counterfactual was given (a result whose scenario is named 'base', or --baseline), so no "
            "difference to a world without funding can be shown; levels only."]})
    elif ctx.baseline is not None and not ctx.funded:
        out.append({"scenario": ctx.baseline.scenario, "colour": ctx.colours[ctx.baseline.scenario], "sentences": [
            f"Only the counterfactual ({ctx.baseline.scenario}) was given: there is no funded scenario to compare "
            "with it, so additionality is not shown."]})
    for r in ctx.funded:
        sentences = []
        end = r.dates[-1] if r.dates else "the end"
        parts = []

        def final(name):
            return stats.mean_ci(r.final(name)[0]) if name in r.metrics else stats.NAN_ESTIMATE

        for name, fmt in [("partnerships_funded", "{} partnerships funded"), ("continuations", "{} of them continued"),
                          ("smes_supported", "{} SMEs supported"), ("budget_committed_eur", "{} committed"),
                          ("cost_per_sme_eur", "{} per SME supported"), ("success_rate", "{} of proposals funded")]:
            e = final(name)
            if e.finite:
                unit = r.metrics[name].unit
                parts.append(fmt.format(style.number(e.value, unit, name)))
        if parts:
            sentences.append(f"By {end}: " + ", ".join(parts) + " (means over "
                             f"{r.replicates} replicate{'s' if r.replicates != 1 else ''}).")
        if ctx.baseline is not None:
            metric = next((m for m in FINDING_METRICS if m in r.metrics and m in ctx.baseline.metrics), None)
            if metric:
                p = ctx.profile(r, metric)
                if p.final is not None:
                    d, rel = p.diff[p.final], p.rel_est[p.final]
                    unit = p.unit
                    text = (f"Against the counterfactual, {plain(metric)}: "
                            f"{style.points_or_number(d.value, unit, metric)} at {p.labels[p.final]} "
                            f"({style.percent(rel.value)} of its level")
                    if rel.has_interval:
                        text += f", 95% CI {style.percent(rel.low)} to {style.percent(rel.high)}"
                    text += f"): {verdict_words(rel, ctx.threshold)}."
                    sentences.append(text)
                    if p.peak is not None and p.peak != p.final and p.has_values:
                        pk = p.rel_est[p.peak]
                        text = (f"The effect is largest in {_month_label(p.dates[p.peak])} "
                                f"({style.percent(pk.value)}")
                        if pk.has_interval:
                            text += f", 95% CI {style.percent(pk.low)} to {style.percent(pk.high)}"
                        text += ") and "
                        text += ("smaller by the end." if abs(rel.value) < abs(pk.value) else "about as large at the end.")
                        sentences.append(text)
            gross = final("funded_interregional_ties")
            net = net_interregional_per_meur(ctx.baseline, r)
            spent = final("budget_spent_eur")
            if gross.finite and net.finite and spent.finite and spent.value > 0:
                gross_per = final("interregional_ties_per_meur")
                text = (f"Funded activity formed {style.number(gross.value)} new interregional ties"
                        + (f" ({style.number(gross_per.value)} per million EUR spent)" if gross_per.finite else "")
                        + f"; net of the counterfactual the network ends with {style.number(net.value)} more "
                        f"interregional ties per million EUR (95% CI {style.interval(net, style.number)}).")
                if gross_per.finite and net.value < gross_per.value:
                    # Funded ties that are not in the final difference either replaced ties the
                    # organisations would have formed anyway or have dissolved since.
                    text += " The gap is ties that would have formed without funding or that dissolved before the end."
                sentences.append(text)
            conv = convergence_sentence(ctx, r)
            if conv:
                sentences.append(conv)
            meaningful = []
            for metric in HEADLINE:
                if metric in r.metrics and metric in ctx.baseline.metrics:
                    p = ctx.profile(r, metric)
                    if p.final is not None and stats.verdict(p.rel_est[p.final], ctx.threshold)[0] == stats.MEANINGFUL:
                        meaningful.append(plain(metric))
            if meaningful:
                sentences.append(f"Practically meaningful at {end} (whole 95% interval beyond ±{ctx.threshold_text} "
                                 f"of the counterfactual): {'; '.join(meaningful)}.")
            else:
                sentences.append(f"No headline network outcome moves by ±{ctx.threshold_text} of its counterfactual "
                                 f"level or more with confidence at {end}.")
        out.append({"scenario": r.scenario, "colour": ctx.colours[r.scenario], "sentences": sentences,
                    "description": r.description})
    extra = extra_budget_sentences(ctx)
    if extra:
        out.append({"scenario": "What the extra budget buys", "colour": None, "sentences": extra})
    out += sweeps.response_findings(ctx)
    validation = []
    for r in ctx.all:
        for name, (table, _) in r.calibration.items():
            if is_validation_table(table):
                counts = validation_counts(table)
                parts = [f"{hit} of {total} {role} facts" for role, (hit, total) in
                         sorted(counts.items(), key=lambda kv: ROLE_ORDER.get(kv[0], 2)) if total]
                if parts:
                    validation.append(f"{name} ({r.scenario}): within tolerance for " + " and ".join(parts) + ".")
    if validation:
        out.append({"scenario": "Calibration and validation", "colour": None, "sentences": validation})
    return out


def extra_budget_sentences(ctx):
    """Between funded scenarios ordered by budget committed: the larger minus the smaller, replicate
    by replicate when they share seed and replicates, and per extra million EUR."""
    have = [r for r in ctx.funded if "budget_committed_eur" in r.metrics]
    budget = {id(r): stats.mean_ci(r.final("budget_committed_eur")[0]).value for r in have}
    have = sorted((r for r in have if math.isfinite(budget[id(r)])), key=lambda r: budget[id(r)])
    out = []
    for low, high in zip(have, have[1:]):
        ia, ib = data.common_months(low, high)
        if not len(ia) or budget[id(high)] <= budget[id(low)]:
            continue
        pair = data.paired(low, high)
        ma, mb = ia[-1], ib[-1]
        extra = stats.difference(low.metrics["budget_committed_eur"].values[:, ma],
                                 high.metrics["budget_committed_eur"].values[:, mb], pair)
        parts = []
        for name, words, per_meur in [
                ("partnerships_funded", "partnerships", False), ("smes_supported", "SMEs supported", True),
                ("interregional_ties", f"interregional ties in the network at {high.dates[mb]}", True)]:
            if name not in low.metrics or name not in high.metrics:
                continue
            a, b = low.metrics[name].values[:, ma], high.metrics[name].values[:, mb]
            d = stats.difference(a, b, pair)
            if not d.finite:
                continue
            text = f"{style.points_or_number(d.value)} {words}"
            if d.has_interval:
                text += f" (95% CI {style.interval(d, style.points_or_number)})"
            if pair and per_meur:
                with np.errstate(divide="ignore", invalid="ignore"):
                    spent = (high.metrics["budget_committed_eur"].values[:, mb]
                             - low.metrics["budget_committed_eur"].values[:, ma]) / 1e6
                    per = stats.mean_ci(np.where(spent > 0, (b - a) / spent, np.nan))
                if per.finite:
                    text += f", {style.number(per.value)} per extra million EUR"
            parts.append(text)
        if parts:
            out.append(f"{high.scenario} against {low.scenario}: {style.eur(extra.value)} more committed buys "
                       + "; ".join(parts) + ".")
    return out


def net_interregional_per_meur(baseline, r):
    """Interregional ties added to the network (scenario - counterfactual) per million EUR spent,
    at the final month: replicate by replicate when paired, else as a ratio of means (no interval)."""
    if baseline is None or "interregional_ties" not in r.metrics or "interregional_ties" not in baseline.metrics \
            or "budget_spent_eur" not in r.metrics:
        return stats.NAN_ESTIMATE
    ia, ib = data.common_months(baseline, r)
    if not len(ia):
        return stats.NAN_ESTIMATE
    a = baseline.metrics["interregional_ties"].values[:, ia[-1]]
    b = r.metrics["interregional_ties"].values[:, ib[-1]]
    spent = r.metrics["budget_spent_eur"].values[:, ib[-1]] / 1e6
    if data.paired(baseline, r):
        with np.errstate(divide="ignore", invalid="ignore"):
            per = np.where(spent > 0, (b - a) / spent, np.nan)
        return stats.mean_ci(per)
    d = stats.difference(a, b, False)
    s = stats.mean_ci(spent).value
    return stats.Estimate(d.value / s) if s and math.isfinite(s) and s > 0 else stats.NAN_ESTIMATE


def convergence_sentence(ctx, r):
    cats = [("less_developed", "less developed"), ("more_developed", "more developed")]
    rels = []
    for cat, words in cats:
        metric = f"region_strength_mean_{cat}"
        if metric not in r.metrics or metric not in ctx.baseline.metrics:
            return None
        p = ctx.profile(r, metric)
        if p.final is None:
            return None
        rels.append((words, p.rel_est[p.final]))
    text = "Interregional ties per region change by " + " and ".join(
        f"{style.percent(e.value)} in {w} regions" for w, e in rels) + "."
    if "convergence_gap" in r.metrics and "convergence_gap" in ctx.baseline.metrics:
        p = ctx.profile(r, "convergence_gap")
        if p.final is not None:
            rel = p.rel_est[p.final]
            direction = "narrows" if p.diff[p.final].value < 0 else "widens"
            text += (f" The convergence gap {direction} by {style.percent(abs(rel.value), signed=False)} of its level "
                     f"({verdict_words(rel, ctx.threshold)}).")
    return text


# ---- sections -------------------------------------------------------------------------------------

def outcomes_section(ctx):
    if not ctx.funded:
        return None
    rows = []
    for name in OUTCOME_ROWS:
        ests = [stats.mean_ci(r.final(name)[0]) if name in r.metrics else stats.NAN_ESTIMATE for r in ctx.funded]
        if name not in OUTCOME_CORE and not any(e.finite and e.value != 0 for e in ests):
            continue
        unit = next((r.metrics[name].unit for r in ctx.funded if name in r.metrics), "")
        rows.append([cell(plain(name)), cell(style.unit_label(unit, name) or "–", cls="unit")]
                    + [estimate_cell(e, unit, name, bounded=True) for e in ests])
        if name == "interregional_ties_per_meur" and ctx.baseline is not None:
            nets = [net_interregional_per_meur(ctx.baseline, r) for r in ctx.funded]
            if any(e.finite for e in nets):
                rows.append([cell("interregional ties added to the network per million EUR spent (net of the "
                                  f"counterfactual {ctx.baseline.scenario})"),
                             cell("ties per million EUR", cls="unit")] + [estimate_cell(e, "", "") for e in nets])
    blocks = [{"kind": "table", "caption": "Cumulative outcomes of the funded activity at the final month",
               "columns": ["outcome", "unit"] + [r.scenario for r in ctx.funded],
               "column_colours": [None, None] + [ctx.colours[r.scenario] for r in ctx.funded],
               "rows": rows,
               "note": "Mean over replicates; below it the 95% confidence interval of the mean, cut at zero (and at "
                       "100% for shares) since none of these can be negative. Counts are cumulative since the start; "
                       "rates and costs are at the final month. Without funding these outcomes are zero or undefined "
                       "(0/0), so they are levels, not differences."}]
    src = figures.levels_over_time(ctx.out_dir, "outcomes.png", ctx.funded, OUTCOME_PANELS, ctx.colours)
    if src:
        blocks.append({"kind": "figure", "src": src, "alt": "Policy outcomes over time per scenario",
                       "caption": "Policy outcomes over time. Line: mean over replicates; shaded: 95% confidence "
                                  "band. Cost per SME and success rate are undefined until the first SME is "
                                  "supported and the first proposal is submitted."})
    return {"id": "outcomes", "title": "Policy outcomes", "intro": [], "blocks": blocks}


def effects_section(ctx):
    if ctx.baseline is None or not ctx.funded:
        return None
    metrics = [m for m in HEADLINE if m in ctx.baseline.metrics and any(m in r.metrics for r in ctx.funded)]
    if not metrics:
        # No headline metric (a file written with network measurement off): compare what there is.
        metrics = sorted(m for m in ctx.baseline.metrics if ctx.baseline.metrics[m].group != "policy"
                         and any(m in r.metrics for r in ctx.funded))[:len(HEADLINE)]
    if not metrics:
        return {"id": "effects", "title": "Effect sizes against the counterfactual", "intro": [], "blocks": [
            {"kind": "note", "text": "The result files hold no network metrics (network measurement was off), so "
                                     "there is no effect on the network to show; the policy outcomes are above."}]}
    rows = []
    forest = []
    final_label = None
    for metric in metrics:
        ests = []
        for r in ctx.funded:
            if metric not in r.metrics:
                continue
            p = ctx.profile(r, metric)
            rows.append(effect_row(ctx, r, p, metric))
            if p.final is not None:
                ests.append((r.scenario, p.rel_est[p.final]))
                final_label = final_label or p.labels[p.final]
        forest.append((metric, ests))
    blocks = []
    src = figures.effects_forest(ctx.out_dir, "effects.png", forest, ctx.colours, ctx.threshold, final_label or "the end")
    if src:
        blocks.append({"kind": "figure", "src": src, "alt": "Effect sizes relative to the counterfactual",
                       "caption": f"Difference to the counterfactual at the final month, as a percentage of the "
                                  f"counterfactual's level, with 95% confidence intervals. Grey band: within "
                                  f"±{ctx.threshold_text}, the threshold below which a difference is not treated as "
                                  "practically meaningful. An open marker has no interval (one replicate)."})
    columns = ["outcome", "scenario", "counterfactual", "scenario", "difference (95% CI)",
               "relative (95% CI)", f"practically meaningful (±{ctx.threshold_text})", "peak"]
    blocks.append({"kind": "table", "caption": "Differences to the counterfactual at the final month", "columns": columns,
                   "rows": grouped(rows), "note": "Levels and differences are means over replicates; below each, its "
                   "95% confidence interval. Peak: the month with the largest relative difference."})
    # Everything else the files measured, folded away.
    others = sorted(m for m in ctx.baseline.metrics if m not in metrics and ctx.baseline.metrics[m].group != "policy"
                    and any(m in r.metrics for r in ctx.funded))
    more = []
    for metric in others:
        for r in ctx.funded:
            if metric in r.metrics:
                more.append(effect_row(ctx, r, ctx.profile(r, metric), metric))
    if more:
        blocks.append({"kind": "details", "summary": f"All other network metrics ({len(others)})",
                       "table": {"caption": None, "columns": columns, "rows": grouped(more), "note": None}})
    undefined = [m for m in ("cost_per_sme_eur", "interregional_ties_per_meur", "less_developed_share_in_partnerships",
                             "success_rate")
                 if m in ctx.baseline.metrics and not ctx.baseline.metrics[m].measured
                 and any(m in r.metrics and r.metrics[m].measured for r in ctx.funded)]
    if undefined:
        blocks.append({"kind": "note", "text":
                       "Not compared with the counterfactual: " + ", ".join(plain(m) for m in undefined)
                       + ". Without funding they are 0/0 (no money spent, no SME supported, no proposal), so they have "
                       "no counterfactual value to subtract; they are shown as levels under Policy outcomes, where "
                       "the net counterpart of the ties per million EUR is given too."})
    intro = [f"Each difference is the scenario minus the counterfactual ({ctx.baseline.scenario}), "
             + ("replicate by replicate (the runs share seed and replicates: common random numbers)"
                if all(data.paired(ctx.baseline, r) for r in ctx.funded) else
                "paired replicate by replicate where the runs share seed and replicate count, otherwise Welch's "
                "unpaired interval")
             + f". It counts as practically meaningful only when its whole 95% interval lies beyond ±"
             f"{ctx.threshold_text} of the counterfactual's level (report option --meaningful); a statistically "
             "clear difference inside that band is reported as not practically meaningful."]
    return {"id": "effects", "title": "Effect sizes against the counterfactual", "intro": intro, "blocks": blocks}


def effect_row(ctx, r, p, metric):
    unit = p.unit
    name_cell = cell(plain(metric), title=metric)
    scen_cell = cell(r.scenario, cls="scenario", title=r.scenario)
    if p.final is None:
        na = cell("n/a", cls="na")
        return [name_cell, scen_cell, na, na, na, na, cell("n/a", sub="not measured in both runs", cls="verdict v-na"), na]
    m = p.final
    base = stats.Estimate(p.base_level[m])
    level = stats.Estimate(p.scen_level[m])
    rel = p.rel_est[m]
    if p.peak is not None:
        pk = p.rel_est[p.peak]
        peak_cell = cell(style.percent(pk.value), sub=_month_label(p.dates[p.peak]) + (" (final)" if p.peak == m else ""),
                         cls="num")
    else:
        peak_cell = cell("n/a", cls="na")
    rel_cell = cell(style.percent(rel.value), sub=style.interval(rel, style.percent) if rel.has_interval else None,
                    cls="num" if rel.finite else "na")
    return [name_cell, scen_cell, cell(style.number(base.value, unit, metric), cls="num"),
            cell(style.number(level.value, unit, metric), cls="num"),
            estimate_cell(p.diff[m], unit, metric, difference=True), rel_cell, verdict_cell(rel, ctx.threshold),
            peak_cell]


def profiles_section(ctx):
    if ctx.baseline is None or not ctx.funded:
        return None
    metrics = [m for m in HEADLINE if m in ctx.baseline.metrics and any(m in r.metrics for r in ctx.funded)]
    profiles = [(m, [(r.scenario, ctx.profile(r, m)) for r in ctx.funded if m in r.metrics]) for m in metrics]
    src = figures.additionality_over_time(ctx.out_dir, "additionality.png", profiles, ctx.colours, ctx.threshold)
    if not src:
        return None
    peaks = []
    lead = next((m for m in FINDING_METRICS if m in metrics), None)
    for m, rows in profiles:
        if m != lead:
            continue
        for s, p in rows:
            if p.peak is not None and p.final is not None and p.peak != p.final:
                peaks.append(f"in {s} they peak in {_month_label(p.dates[p.peak])} at "
                             f"{style.percent(p.rel[p.peak])} and are {style.percent(p.rel[p.final])} at the end")
    intro = ["How the difference to the counterfactual develops over the period, not only at its end: a "
             "funded partnership's ties can fade after the project, so an effect may peak and decline."]
    if peaks:
        intro.append(f"For {plain(lead)}: " + "; ".join(peaks) + ".")
    return {"id": "profiles", "title": "Effects over time", "intro": intro, "blocks": [
        {"kind": "figure", "src": src, "alt": "Difference to the counterfactual over time",
         "caption": f"Difference to the counterfactual, % of its level, month by month. Line: mean; shaded: 95% "
                    f"confidence band; diamond: the peak (largest absolute difference); grey: within ±"
                    f"{ctx.threshold_text}. Metrics measured only every few months are drawn with dots."}]}


def _region_codes(r):
    return r.regions["nuts_id"] if r.regions is not None else []


def _outside_table(codes, names, panels, fmt, boundaries):
    """Rows for the regions that have no polygon in the boundary files (the outermost regions)."""
    rows = []
    index = {c: i for i, c in enumerate(codes)}
    for code in codes:
        if code in boundaries.regions:
            continue
        i = index[code]
        rows.append([cell(code), cell(names[i])] + [cell(fmt(v[i]), cls="num") for _, v in panels])
    return rows


# Per-region series, in the order of preference for the map, with how to speak of their difference.
REGION_SERIES = {
    "region_strength": ("additional interregional ties", "Additional interregional ties per region",
                        "interregional ties of the region's organisations"),
    "region_degree": ("additional partner regions", "Additional partner regions per region",
                      "partner regions in the region-to-region graph"),
    "region_betweenness": ("change in betweenness", "Change in each region's brokerage (betweenness)",
                           "betweenness of the region in the region-to-region graph"),
}


def primary_region_series(ctx):
    """The region series to map: the first of REGION_SERIES the files hold, else any they hold."""
    have = [n for n in (ctx.funded or ctx.all)[0].region_series]
    if ctx.baseline is not None and ctx.funded:
        have = [n for n in have if n in ctx.baseline.region_series]
    return next((n for n in REGION_SERIES if n in have), have[0] if have else None)


def _signed(v):
    if not math.isfinite(v):
        return "n/a"
    if v == 0:
        return "0"
    return f"{v:+,.0f}" if abs(v) >= 10 else f"{v:+,.2g}" if abs(v) < 1 else f"{v:+,.1f}"


def region_difference_maps(ctx, series, codes, names):
    panels = []
    for r in ctx.funded:
        values = region_difference(ctx.baseline, r, series, codes)
        if values is not None and np.isfinite(values).any():
            panels.append((r.scenario, values))
    if not panels:
        return []
    words, heading, what = REGION_SERIES.get(series, (f"difference in {series}", f"Difference in {series} per region",
                                                      series.replace("_", " ")))
    date = (ctx.funded[0].dates or ["the end"])[-1]
    src, _ = figures.region_value_maps(
        ctx.out_dir, "map-additional-ties.png", ctx.boundaries, codes, panels, plt.get_cmap("RdBu"),
        figures.diverging_norm(panels),
        f"{words}, {date} (scenario − {ctx.baseline.scenario}, mean over replicates)", _signed)
    blocks = [{"kind": "figure", "src": src, "alt": f"Map: {heading.lower()}", "heading": heading,
               "caption": f"The {what}, scenario minus counterfactual, at the last month both measured it (mean of "
                          "the replicate differences). Blue: more than without funding; red: less. The colour scale "
                          "is clipped at the 98th percentile of the absolute values.",
               "attribution": True}]
    blocks += _outside_block(codes, names, panels, _signed, ctx.boundaries)
    blocks.append(top_regions_block(codes, names, panels, words))
    return blocks


def region_level_maps(ctx, series, codes, names):
    """Without a comparison: the level of the series at the final month, per result."""
    panels = []
    for r in ctx.all:
        s = r.region_series.get(series)
        if s is None or list(_region_codes(r)) != list(codes):
            continue
        values = s.values
        last = next((m for m in range(values.shape[1] - 1, -1, -1) if np.isfinite(values[:, m, :]).any()), None)
        if last is not None:
            with np.errstate(invalid="ignore"):
                panels.append((r.scenario, np.nanmean(values[:, last, :], axis=0)))
    if not panels:
        return []
    what = REGION_SERIES.get(series, (None, None, series.replace("_", " ")))[2]
    src, _ = figures.region_value_maps(ctx.out_dir, "map-regions.png", ctx.boundaries, codes, panels,
                                       plt.get_cmap("YlGnBu"), figures.sequential_norm(panels),
                                       f"{what}, final month (mean over replicates)", lambda v: f"{v:,.3g}")
    blocks = [{"kind": "figure", "src": src, "alt": f"Map of the {what}", "heading": f"{what[0].upper()}{what[1:]}",
               "caption": f"The {what} at the final month. No counterfactual was given, so this is a level, "
                          "not an effect.", "attribution": True}]
    return blocks + _outside_block(codes, names, panels, lambda v: f"{v:,.3g}" if math.isfinite(v) else "n/a",
                                   ctx.boundaries)


def maps_section(ctx):
    target = ctx.funded or ctx.all
    if not target or target[0].regions is None:
        return None
    if ctx.boundaries is None:
        return {"id": "maps", "title": "Regions", "intro": [], "blocks": [
            {"kind": "note", "text": f"Maps not drawn: {ctx.boundaries_error}"}]}
    b = ctx.boundaries
    blocks = []
    ref = target[0]
    codes, names = ref.regions["nuts_id"], ref.regions["name"]

    series = primary_region_series(ctx)
    if series is not None and ctx.baseline is not None and ctx.funded:
        blocks += region_difference_maps(ctx, series, codes, names)
    elif series is not None:
        blocks += region_level_maps(ctx, series, codes, names)

    # Funding received per inhabitant.
    panels, unplaced = [], []
    pop = np.asarray(ref.regions.get("population", np.full(len(codes), np.nan)), dtype=float)
    for r in ctx.funded:
        funding, lost = r.funding_by_region()
        if funding is None or not np.any(funding) or list(_region_codes(r)) != list(codes):
            continue
        with np.errstate(divide="ignore", invalid="ignore"):
            per_head = np.where(pop > 0, funding.mean(axis=0) / pop, np.nan)
        panels.append((r.scenario, per_head))
        unplaced.append((r.scenario, lost))
    if panels:
        norm = figures.sequential_norm(panels)
        src, _ = figures.region_value_maps(
            ctx.out_dir, "map-funding.png", b, codes, panels, plt.get_cmap("YlGnBu"), norm,
            "grants received, EUR per inhabitant (mean over replicates)", lambda v: f"{v:,.2f} EUR",
            legend_no_data="no population figure")
        lost_text = "; ".join(f"{s}: {100 * x:.1f}%" for s, x in unplaced if x > 0)
        blocks.append({"kind": "figure", "src": src, "alt": "Map of grants received per inhabitant",
                       "heading": "Grants received per inhabitant",
                       "caption": "Grants awarded to funded partnerships (continuations included), each split equally "
                                  "among its members and placed in the members' regions, per inhabitant. "
                                  + (f"Members without a tie at the final month cannot be placed from the file; "
                                     f"their part is left out ({lost_text} of the grants). " if lost_text else "")
                                  + "The colour scale is clipped at the 98th percentile.",
                       "attribution": True})
        blocks += _outside_block(codes, names, panels, lambda v: f"{v:,.2f} EUR" if math.isfinite(v) else "n/a", b)
    if not blocks:
        return None
    return {"id": "maps", "title": "Where the effects land", "intro": [
        "NUTS-2 regions of the simulated world, drawn in the Lambert azimuthal equal-area projection (EPSG:3035). "
        "Grey hatching: no value; pale grey: not part of the simulated world."], "blocks": blocks}


def _outside_block(codes, names, panels, fmt, boundaries):
    rows = _outside_table(codes, names, panels, fmt, boundaries)
    if not rows:
        return []
    return [{"kind": "table", "caption": "Regions not on the map (no boundary in the 1:60M files)", "small": True,
             "columns": ["region", "name"] + [s for s, _ in panels], "rows": rows, "note": None}]


def top_regions_block(codes, names, panels, words, n=8):
    rows = []
    columns = []
    for s, v in panels:
        order = [i for i in np.argsort(-np.nan_to_num(v, nan=-np.inf), kind="stable") if math.isfinite(v[i])][:n]
        columns.append([(codes[i], names[i], v[i]) for i in order])
    for k in range(max(len(c) for c in columns)):
        row = [cell(str(k + 1), cls="num")]
        for col in columns:
            if k < len(col):
                code, name, v = col[k]
                row += [cell(f"{name} ({code})"), cell(_signed(v), cls="num")]
            else:
                row += [cell(""), cell("")]
        rows.append(row)
    cols = ["#"]
    for s, _ in panels:
        cols += [f"{s}: region", "difference"]
    return {"kind": "table", "caption": f"Regions with the most {words}", "small": True,
            "columns": cols, "rows": rows, "note": None}


def region_difference(baseline, r, series, codes):
    """Mean over replicates of (scenario - counterfactual) of a region series at the last common
    month where it was measured, in the order of `codes`; None when the runs cannot be matched."""
    if series not in r.region_series or r.regions is None or baseline.regions is None:
        return None
    ia, ib = data.common_months(baseline, r)
    if not len(ia):
        return None
    a_all, b_all = baseline.region_series[series].values, r.region_series[series].values
    pos_a = {c: i for i, c in enumerate(baseline.regions["nuts_id"])}
    pos_b = {c: i for i, c in enumerate(r.regions["nuts_id"])}
    for k in range(len(ia) - 1, -1, -1):
        a, b = a_all[:, ia[k], :], b_all[:, ib[k], :]
        if np.isfinite(a).any() and np.isfinite(b).any():
            break
    out = np.full(len(codes), np.nan)
    for j, code in enumerate(codes):
        if code in pos_a and code in pos_b:
            out[j] = stats.difference(a[:, pos_a[code]], b[:, pos_b[code]], data.paired(baseline, r)).value
    return out


def convergence_section(ctx):
    target = ctx.funded or ctx.all
    if not target or target[0].regions is None or ctx.baseline is None or not ctx.funded:
        return None
    cat_metrics = {c: f"region_strength_mean_{c}" for c in style.CATEGORY_ORDER}
    if not all(m in ctx.baseline.metrics for m in cat_metrics.values()):
        return None
    ref = target[0]
    bars, table = {}, []
    date_label = None
    for r in ctx.funded:
        bars[r.scenario] = {}
        for c, m in cat_metrics.items():
            if m not in r.metrics:
                continue
            p = ctx.profile(r, m)
            if p.final is None:
                continue
            date_label = date_label or p.labels[p.final]
            bars[r.scenario][c] = p.diff[p.final]
            table.append([cell(style.CATEGORY_NAME[c], title=c), cell(r.scenario, cls="scenario"),
                          cell(style.number(p.base_level[p.final]), cls="num"),
                          estimate_cell(p.diff[p.final], "ties", m, difference=True),
                          cell(style.percent(p.rel_est[p.final].value),
                               sub=style.interval(p.rel_est[p.final], style.percent) or None, cls="num"),
                          verdict_cell(p.rel_est[p.final], ctx.threshold)])
    gap_rows = []
    for r in ctx.funded:
        if "convergence_gap" in r.metrics and "convergence_gap" in ctx.baseline.metrics:
            p = ctx.profile(r, "convergence_gap")
            if p.final is not None:
                gap_rows.append((r.scenario, p.diff[p.final]))
    blocks = []
    if ctx.boundaries is not None:
        src, _ = figures.convergence_figure(ctx.out_dir, "convergence.png", ctx.boundaries, ref.regions["nuts_id"],
                                            ref.regions.get("category", [""] * len(ref.regions["nuts_id"])), bars,
                                            gap_rows, ctx.colours, date_label or ref.dates[-1])
        blocks.append({"kind": "figure", "src": src, "alt": "Cohesion categories and the convergence gap",
                       "caption": "Left: the regions by their approximate 2021-27 cohesion category (GDP per head "
                                  "in PPS, 2015-17: below 75% of the EU average less developed, 75-100% transition). "
                                  "Top right: additional interregional ties per region, mean over the regions of "
                                  "each category, scenario minus counterfactual (95% CI). Bottom right: the "
                                  "change in the convergence gap, (mean ties of more developed regions − of less "
                                  "developed) / mean of all regions, scenario minus counterfactual (95% CI).",
                       "attribution": True})
    blocks.append({"kind": "table", "caption": "Interregional ties per region by cohesion category, final month",
                   "columns": ["category", "scenario", "counterfactual", "difference (95% CI)", "relative (95% CI)",
                               f"practically meaningful (±{ctx.threshold_text})"],
                   "rows": grouped(sorted(table, key=lambda row: style.CATEGORY_ORDER.index(row[0]["title"]))),
                   "note": "Interregional ties of the organisations of a region, mean over the regions of the category."})
    intro = []
    for r in ctx.funded:
        s = convergence_sentence(ctx, r)
        if s:
            intro.append(f"{r.scenario}: {s}")
    return {"id": "convergence", "title": "Cohesion: less and more developed regions", "intro": intro,
            "blocks": blocks}


def network_section(ctx):
    blocks = []
    src = figures.levels_over_time(ctx.out_dir, "network.png", ctx.all, NETWORK_PANELS, ctx.colours)
    if src:
        blocks.append({"kind": "figure", "src": src, "alt": "Network outcomes over time",
                       "heading": "The network over time",
                       "caption": "Levels of the collaboration network over time, every scenario including the "
                                  "counterfactual. Line: mean over replicates; shaded: 95% confidence band."})
    src = figures.degree_distribution(ctx.out_dir, "degree.png", ctx.all, ctx.colours)
    if src:
        blocks.append({"kind": "figure", "src": src, "alt": "Degree distribution", "narrow": True,
                       "heading": "Partners per organisation at the end",
                       "caption": "How many organisations have how many partners at the final month (replicate 0, "
                                  "log-log). A straight line is the mark of hubs."})
    if not blocks:
        return None
    return {"id": "network", "title": "The collaboration network", "intro": [], "blocks": blocks}


def calibration_section(ctx):
    blocks, intro = [], []
    for r in ctx.all:
        for name, (table, description) in r.calibration.items():
            if is_validation_table(table):
                block, summary = validation_table(r, name, table, description)
                blocks.append(block)
                intro.append(summary)
            else:
                blocks.append(calibration_table(r, name, table, description))
    if not blocks:
        return None
    return {"id": "calibration", "title": "Calibration and validation", "intro": [
        "Simulated figures beside published ones, as stored under /calibration in the result files. Fitted facts "
        "were used to choose the model's settings, so matching them is expected; held-out facts were not, so "
        "matching them is the evidence that the model reproduces what it was not tuned to."] + intro,
        "blocks": blocks}


# The layout `clusternet calibrate --h2020 -o FILE` writes: one row per published fact.
VALIDATION_COLUMNS = {"fact", "real", "simulated_mean"}
ROLE_ORDER = {"fitted": 0, "fit": 0, "held-out": 1, "held_out": 1}


def is_validation_table(table):
    names = getattr(np.asarray(table).dtype, "names", None) or ()
    return VALIDATION_COLUMNS <= set(names)


def validation_counts(table):
    """{role: (within tolerance, assessed)} over the rows of a validation table; 'n/a' rows are
    counted as not assessed."""
    arr = np.asarray(table).reshape(-1)
    names = arr.dtype.names
    counts = {}
    for row in arr:
        role = data._text(row["role"]).strip() if "role" in names else "fact"
        within = data._text(row["within"]).strip().lower() if "within" in names else "n/a"
        hit, total = counts.get(role, (0, 0))
        if within in ("yes", "no"):
            counts[role] = (hit + (within == "yes"), total + 1)
        else:
            counts.setdefault(role, (hit, total))
    return counts


def validation_table(r, name, table, description):
    """fact | published value [CI] | simulated mean [95% CI] | fitted or held-out | within tolerance.

    Misses are shown exactly as hits are, in the same weight, and named in the summary."""
    arr = np.asarray(table).reshape(-1)
    names = arr.dtype.names

    def text(row, col, default=""):
        return data._text(row[col]).strip() if col in names else default

    def num(row, col):
        try:
            return float(row[col]) if col in names else float("nan")
        except (TypeError, ValueError):
            return float("nan")

    def value_cell(v, lo, hi):
        if not math.isfinite(v):
            return cell("n/a", cls="na")
        sub = f"{style.number(lo)} to {style.number(hi)}" if math.isfinite(lo) and math.isfinite(hi) else None
        return cell(style.number(v), sub=sub, cls="num")

    order = sorted(range(len(arr)), key=lambda i: (ROLE_ORDER.get(text(arr[i], "role"), 2), i))
    rows, misses = [], []
    for i in order:
        row = arr[i]
        fact = text(row, "fact")
        where = ", ".join(x for x in (text(row, "scope"), text(row, "period")) if x)
        within = text(row, "within", "n/a").lower()
        tolerance = text(row, "tolerance")
        verdict = {"yes": ("yes", "hit"), "no": ("no", "miss")}.get(within, ("n/a", "na"))
        if within == "no":
            misses.append(fact + (f" ({where})" if where else ""))
        rows.append([cell(fact, sub=where or None),
                     value_cell(num(row, "real"), num(row, "real_ci95_low"), num(row, "real_ci95_high")),
                     value_cell(num(row, "simulated_mean"), num(row, "simulated_ci95_low"),
                                num(row, "simulated_ci95_high")),
                     cell(text(row, "role") or "–"),
                     cell(verdict[0], sub=f"tolerance {tolerance}" if tolerance else None,
                          cls=f"verdict v-{verdict[1]}")])
    counts = validation_counts(table)
    parts = [f"{role} facts: {hit} of {total} within tolerance" for role, (hit, total) in
             sorted(counts.items(), key=lambda kv: ROLE_ORDER.get(kv[0], 2)) if total]
    summary = f"{name} ({r.scenario}): " + ("; ".join(parts) if parts else "no fact could be assessed") + "."
    if misses:
        summary += " Outside tolerance: " + "; ".join(misses) + "."
    caption = f"{name} ({r.scenario})" + (f": {description}" if description else "")
    block = {"kind": "table", "caption": caption,
             "columns": ["fact", "published (CI)", "simulated mean (95% CI)", "fitted or held-out",
                         "within tolerance"],
             "rows": rows,
             "note": "Published: the figure from the data with its interval where the source gives one; simulated: "
                     "the mean over replicates with its 95% interval. Within tolerance: whether the simulated value "
                     "meets the fact's tolerance (n/a: not assessable, e.g. no simulated value)."}
    return block, summary


def calibration_table(r, name, table, description):
    """Any table under /calibration: its columns as they are, numbers formatted, strings decoded.
    Columns named observed/simulated (and ci95_low/high) get a relative-deviation column."""
    caption = f"{name} ({r.scenario})" + (f": {description}" if description else "")
    arr = np.asarray(table)
    if arr.dtype.names:
        columns = list(arr.dtype.names)
        rows = [[_any_cell(row[c]) for c in columns] for row in arr.reshape(-1)]
        if "observed" in columns and "simulated" in columns:
            columns.append("simulated vs observed")
            for row, raw in zip(rows, arr.reshape(-1)):
                try:
                    o, s = float(raw["observed"]), float(raw["simulated"])
                except (TypeError, ValueError):
                    row.append(cell("n/a", cls="na"))
                    continue
                row.append(cell(style.percent((s - o) / abs(o)) if math.isfinite(o) and o != 0 and math.isfinite(s)
                                else "n/a", cls="num"))
    elif arr.ndim == 0:
        columns, rows = ["value"], [[_any_cell(arr[()])]]
    elif arr.ndim == 1:
        columns, rows = ["value"], [[_any_cell(x)] for x in arr]
    else:
        columns = [f"column {j}" for j in range(arr.shape[1])]
        rows = [[_any_cell(x) for x in row] for row in arr.reshape(arr.shape[0], -1)]
    return {"kind": "table", "caption": caption, "columns": columns, "rows": rows, "note": None}


def _any_cell(x):
    if isinstance(x, bytes):
        return cell(x.decode("utf-8", "replace"))
    if isinstance(x, (np.floating, float)):
        return cell(style.number(float(x)), cls="num")
    if isinstance(x, (np.integer, int)):
        return cell(f"{int(x):,}", cls="num")
    return cell(str(x))


def method_section(ctx):
    paras = [
        "Every scenario is run several times (replicates) with the same seed. With the same seed and replicate count "
        "the funded run and the counterfactual share every random draw except those the funding changes (common "
        "random numbers), so differences are taken replicate by replicate, which removes most of the noise. A 95% "
        "confidence interval (CI) is the Student-t interval of the mean over replicates; with one replicate there is "
        "none and the page says n/a.",
        f"Relative effects divide the difference by the counterfactual's mean level at the same month. A difference "
        f"is called practically meaningful when its whole 95% CI lies beyond ±{ctx.threshold_text} of that level; "
        f"not meaningful when the whole CI is within ±{ctx.threshold_text} (even if it excludes zero); uncertain when "
        "the CI excludes zero but reaches inside the band; inconclusive when it holds zero and reaches beyond the "
        "band. The threshold is a report option (--meaningful; a policy judgement, not a statistical one).",
        "Shares (of ties, of organisations) are compared in percentage points (pp) and, relative to their level, in %. "
        "Metrics recorded as NaN (not measured that month, e.g. path lengths measured once a year) are left out, "
        "never counted as zero.",
        "The interregional tie count is derived from the file as ties × share of interregional ties. Maps use Eurostat "
        "GISCO NUTS 2021 boundaries at 1:60M (scenarios/data/geo/), " + "© EuroGeographics for the administrative "
        "boundaries.",
    ]
    if ctx.sweeps:
        paras.append("Sweep files: every estimate shown for them (the mean at each point with its 95% interval, the "
                     "paired differences between points, the marginal effect of each step, the Morris and Sobol' "
                     "indices with their bootstrap intervals) is computed by `clusternet sweep-report --json` from "
                     "the file, at the last month measured, and only arranged and drawn here, so the page and the "
                     "command line agree. Every point of a sweep runs the same replicates with the same random "
                     "numbers, so differences between points are paired.")
    files = []
    for r in ctx.all:
        role = "counterfactual" if r is ctx.baseline else "scenario"
        files.append([cell(r.scenario, cls="scenario"), cell(role), cell(r.path), cell(f"{r.seed}", cls="num"),
                      cell(f"{r.replicates}", cls="num"),
                      cell(f"{r.dates[0]} to {r.dates[-1]}" if r.dates else "n/a"),
                      cell(f"{r.version} ({r.git_revision})" if r.git_revision else r.version), cell(r.created_utc)])
    for s in ctx.sweeps:
        files.append([cell(s.scenario, cls="scenario"), cell(f"{s.design} sweep, {s.points:,} points"), cell(s.path),
                      cell(f"{s.seed}", cls="num"), cell(f"{s.replicates}", cls="num"),
                      cell(f"{s.dates[0]} to {s.dates[-1]}" if s.dates else "n/a"),
                      cell(f"{s.version} ({s.git_revision})" if s.git_revision else s.version),
                      cell("not recorded", title="sweep files hold no time stamp, so that they are reproducible "
                                                 "byte for byte")])
    blocks = [{"kind": "table", "caption": "Result files", "small": True,
               "columns": ["scenario", "role", "file", "seed", "replicates", "months", "clusternet", "written (UTC)"],
               "rows": files, "note": None}]
    notes = sorted({n for r in ctx.all + ctx.sweeps for n in r.notes})
    if notes:
        blocks.append({"kind": "details", "summary": f"Notes on the input data ({len(notes)})",
                       "list": notes})
    return {"id": "method", "title": "Method and files", "intro": paras, "blocks": blocks}


# sweeps.py uses the cell helpers above, so it is imported once they exist.
from . import sweeps  # noqa: E402

SECTIONS = [outcomes_section, effects_section, profiles_section, sweeps.response_section, sweeps.sensitivity_section,
            maps_section, convergence_section, network_section, calibration_section, method_section]
