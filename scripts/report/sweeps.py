"""The parts of the page drawn from sweep files: the budget response (outcomes against the budget,
what each extra million euros buys) and the sensitivity charts (Morris, Sobol').

Every number here comes from `clusternet sweep-report --json` (read in data.SweepResult): the
means and intervals per point, the paired differences to the first point, the marginal effects of
the grid steps and the indices with their bootstrap intervals are computed once, in C++
(sim/experiments), and only arranged and drawn in Python.

Imported by sections.py at its end (it uses its cell helpers); builders take the same Context.
"""
import math

import numpy as np

from matplotlib.ticker import FuncFormatter

from . import figures, stats, style
from .names import plain, short
from .sections import cell, grouped

# What the report asks sweep-report for (those the file holds), in the order tables list them.
SWEEP_OUTCOMES = [
    "partnerships_funded", "continuations", "proposals_submitted", "success_rate", "cluster_orgs_in_partnerships",
    "smes_supported", "budget_committed_eur", "budget_spent_eur", "cost_per_sme_eur", "funded_interregional_ties",
    "interregional_ties_per_meur", "less_developed_share_in_partnerships", "innovations", "jobs_created",
    "ties", "interregional_tie_share", "cross_border_tie_share", "giant_component_share", "mean_degree",
    "transitivity", "convergence_gap", "region_strength_mean_less_developed", "region_strength_mean_more_developed",
]
# Outcomes of the funded activity: zero without funding, so their level is the response.
POLICY_RESPONSE = ["partnerships_funded", "smes_supported", "cost_per_sme_eur", "success_rate", "continuations",
                   "funded_interregional_ties"]
# Network outcomes: their level carries the replicate-to-replicate noise every point shares, so
# the response is the paired difference to the first point (the counterfactual of a budget sweep).
NETWORK_RESPONSE = ["ties", "interregional_tie_share", "cross_border_tie_share", "giant_component_share",
                    "mean_degree", "convergence_gap"]
POLICY_NAMES = set(SWEEP_OUTCOMES[:SWEEP_OUTCOMES.index("ties")])
# Columns of the visible table of marginal effects; every outcome is in the folded one.
MARGINAL_COLUMNS = ["partnerships_funded", "smes_supported", "funded_interregional_ties", "ties",
                    "interregional_tie_share"]
# Sensitivity panels, in order of preference.
SENSITIVITY_PANELS = ["partnerships_funded", "smes_supported", "ties", "interregional_tie_share",
                      "giant_component_share", "convergence_gap", "funded_interregional_ties", "cross_border_tie_share",
                      "mean_degree", "cost_per_sme_eur"]


# ---- words and numbers ---------------------------------------------------------------------------

def parameter_label(p):
    """instruments.jci.budget -> 'jci budget'; behaviour.tie_decay_rate -> 'tie decay rate'."""
    parts = p["key"].split(".")
    if parts[0] == "instruments" and len(parts) >= 3:
        return f"{parts[1]} {' '.join(parts[2:]).replace('_', ' ')}"
    return parts[-1].replace("_", " ")


def value_text(p, v):
    if not math.isfinite(v):
        return "n/a"
    if p["kind"] == "money":
        a = abs(v)
        if a >= 1e9:
            return f"{v / 1e9:,.4g}B EUR"
        if a >= 1e6:
            return f"{v / 1e6:,.4g}M EUR"
        return f"{v:,.0f} EUR"
    return f"{v:,.4g}"


def x_axis_for(p, xs):
    """Ticks at the swept values themselves when there are few (the budgets that were run), short
    labels (150M, the axis label gives the unit)."""
    def draw(ax):
        values = sorted(set(float(x) for x in xs))
        if len(values) <= 9:
            ax.set_xticks(values)
        if p["kind"] == "money":
            ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: _short_money(v)))
        else:
            style.thousands_axis(ax, "x")
        span = values[-1] - values[0] if len(values) > 1 else 1.0
        ax.set_xlim(values[0] - 0.04 * span, values[-1] + 0.04 * span)
    return draw


def _short_money(v):
    a = abs(v)
    if a >= 1e9:
        return f"{v / 1e9:g}B"
    if a >= 1e6:
        return f"{v / 1e6:g}M"
    if a >= 1e3:
        return f"{v / 1e3:g}k"
    return f"{v:g}"


def significant(x, digits=3, signed=True):
    """x with `digits` significant digits in fixed notation (0.0000344, not 3.44e-05)."""
    if x == 0:
        return "0"
    decimals = max(digits - 1 - int(math.floor(math.log10(abs(x)))), 0)
    text = f"{x:{'+' if signed else ''},.{decimals}f}"
    return text


def effect_text(x, unit, name):
    """A change (a difference or a marginal effect): pp for shares, EUR for money, else 3 digits."""
    if x is None or not math.isfinite(x):
        return "n/a"
    if style.is_fraction(unit, name):
        return f"{significant(100 * x)} pp"
    if style.is_eur(unit):
        return ("+" if x > 0 else "") + style.eur(x)
    if abs(x) >= 100:
        return f"{x:+,.0f}"
    return significant(x)


def change_cell(est, unit, name, rough_note=True):
    """A difference or marginal effect with its interval below; greyed when the interval holds 0
    (no change distinguishable with these replicates), never hidden."""
    if est is None or not est.finite:
        return cell("n/a", cls="na")
    if not est.has_interval:
        return cell(effect_text(est.value, unit, name), sub="no interval (one replicate)", cls="num")
    sub = f"{effect_text(est.low, unit, name)} to {effect_text(est.high, unit, name)}"
    if rough_note and 0 < est.n < 3:
        sub += f" ({est.n} replicates: rough)"
    holds_zero = est.low <= 0 <= est.high
    return cell(effect_text(est.value, unit, name), sub=sub, cls="num weak" if holds_zero else "num",
                title="the 95% interval holds 0" if holds_zero else None)


def level_cell(est, unit, name):
    if est is None or not est.finite:
        return cell("n/a", cls="na")
    fn = (lambda x: style.number(x, unit, name))
    sub = None
    if est.has_interval:
        # Counts, amounts and shares cannot be negative (nor shares above 1): cut as the run tables do.
        lo, hi = est.low, est.high
        if name in POLICY_NAMES or unit in ("ties", "organisations", "partnerships") or style.is_fraction(unit, name):
            lo = max(lo, 0.0)
            if style.is_fraction(unit, name):
                hi = min(hi, 1.0)
        sub = f"{fn(lo)} to {fn(hi)}"
    elif est.n == 1:
        sub = "one replicate: no interval"
    return cell(fn(est.value), sub=sub, cls="num")


def sweep_words(s):
    keys = ", ".join(parameter_label(p) for p in s.design_parameters)
    design = {"grid": "grid", "latin_hypercube": "Latin hypercube", "morris": "Morris screening",
              "sobol": "Sobol' design"}.get(s.design, s.design)
    return (f"{design} over {keys}: {s.points:,} points × {s.replicates} replicate{'s' if s.replicates != 1 else ''}, "
            f"seed {s.seed}")


def _suffix(i, n):
    return "" if n == 1 else f"-{i + 1}"


# ---- budget response -----------------------------------------------------------------------------

def _markers(ctx, s, p, colours):
    """(x, scenario, colour) for each run file that is one of the sweep's points."""
    out = []
    for r in ctx.all:
        point = s.point_of(r)
        if point is not None:
            out.append((float(s.point_values[p["key"]][point]), r.scenario, colours[r.scenario]))
    return out


def _steps(s, outcome):
    """[(from_point, to_point, Estimate per unit step, per)] along the sweep's axis, in point order."""
    out = []
    for to, steps in enumerate(outcome.steps):
        for st in steps:
            out.append((st.from_point, to, st.effect, st.per))
    return out


def response_section(ctx):
    sweeps = [s for s in ctx.sweeps if s.is_response]
    if not sweeps:
        return None
    money = all(s.design_parameters[0]["kind"] == "money" for s in sweeps)
    blocks, intro = [], []
    for i, s in enumerate(sweeps):
        blocks += response_blocks(ctx, s, _suffix(i, len(sweeps)), len(sweeps) > 1)
    if money:
        intro.append("What the programme delivers at each budget, from a sweep that runs the same scenario at every "
                     "budget with the same replicates and random numbers: a difference between two budgets is "
                     "therefore paired replicate by replicate, which removes the noise the runs share.")
    title = "Budget response" if money else "Response to the swept setting"
    return {"id": "response", "title": title, "intro": intro, "blocks": blocks}


def response_blocks(ctx, s, suffix, several):
    p = s.design_parameters[0]
    key = p["key"]
    xs = s.point_values[key]
    colour = ctx.colours[s.scenario]
    what = parameter_label(p)
    lo_x, hi_x = float(np.min(xs)), float(np.max(xs))
    first = value_text(p, float(xs[0]))
    any_outcome = next(iter(s.outcomes.values()), None)
    date = any_outcome.date if any_outcome else (s.dates[-1] if s.dates else "the end")
    markers = _markers(ctx, s, p, ctx.colours)
    blocks = []
    lead = (f"{s.scenario}: {sweep_words(s)}; {what} from {value_text(p, lo_x)} to {value_text(p, hi_x)}. "
            f"Outcomes at {_month(date)}, the last month measured.")
    if markers:
        lead += (" The points at " + ", ".join(f"{value_text(p, x)} ({name})" for x, name, _ in markers)
                 + " are, number for number, the runs of those scenarios in this report (every metric equal in "
                 "every replicate), so the curve and the comparison above agree.")
    blocks.append({"kind": "paragraph", "text": lead, "heading": s.scenario if several else None})
    if not s.outcomes:
        blocks.append({"kind": "note", "text": f"{s.path} holds none of the outcomes this report shows."})
        return blocks

    def panel(metric, difference):
        o = s.outcomes[metric]
        ests = o.vs_point0 if difference else o.mean
        title = short(metric) + (f" vs {first}" if difference else "")
        return (title, o.unit, metric, xs, ests, difference)

    x_label = what + (" (EUR)" if p["kind"] == "money" else "")
    policy = [panel(m, False) for m in POLICY_RESPONSE if m in s.outcomes]
    src = figures.response_curves(ctx.out_dir, f"budget-response{suffix}.png", policy, colour, x_axis_for(p, xs),
                                  x_label, markers)
    if src:
        blocks.append({"kind": "figure", "src": src, "alt": f"Policy outcomes against the {what}",
                       "heading": f"What each {what} buys",
                       "caption": f"Policy outcomes at {_month(date)} against the {what}: the mean over "
                                  f"{s.replicates} replicates at each of the {s.points} points (dots) with its 95% "
                                  "confidence band, cut at zero since none of these can be negative."
                                  + (" Rings: points that are runs shown elsewhere in this report." if markers else "")})
    network = [panel(m, True) for m in NETWORK_RESPONSE if m in s.outcomes]
    src = figures.response_curves(ctx.out_dir, f"budget-network{suffix}.png", network, colour, x_axis_for(p, xs),
                                  x_label, markers)
    if src:
        blocks.append({"kind": "figure", "src": src, "alt": f"Network outcomes against the {what}",
                       "heading": f"What it changes in the network, against {first}",
                       "caption": f"Difference to the point at {first} at {_month(date)}, replicate by replicate "
                                  "(paired: every point draws the same random numbers), mean and 95% confidence "
                                  "band. Shares are in percentage points. A band that holds 0 is no change "
                                  "distinguishable with these replicates."})
    blocks += marginal_blocks(s, p)
    blocks.append(levels_table(s, p))
    return blocks


def marginal_blocks(s, p):
    """The marginal effect of each step between neighbouring points, per extra million EUR (per
    unit of a setting that is not money), with its paired 95% interval."""
    per_words = "per extra million EUR" if p["kind"] == "money" else f"per unit of {parameter_label(p)}"
    columns = [m for m in MARGINAL_COLUMNS if m in s.outcomes]
    ref = s.outcomes[columns[0]] if columns else next(iter(s.outcomes.values()))
    steps = _steps(s, ref)
    if not steps:
        return []
    xs = s.point_values[p["key"]]

    def step_name(a, b):
        return f"{value_text(p, float(xs[a]))} → {value_text(p, float(xs[b]))}"

    rows = []
    for a, b, _, _ in steps:
        row = [cell(step_name(a, b), cls="nowrap")]
        for m in columns:
            o = s.outcomes[m]
            est = next((st.effect for st in o.steps[b] if st.from_point == a), None)
            row.append(change_cell(est, o.unit, m, rough_note=False))
        rows.append(row)
    units = [style.unit_label(s.outcomes[m].unit, m) for m in columns]
    heads = [short(m) + (f" ({u})" if u and u != "%" and not style.is_eur(s.outcomes[m].unit) else "")
             for m, u in zip(columns, units)]
    blocks = [{"kind": "table", "heading": f"What each step buys, {per_words}",
               "caption": f"Marginal effect of each step, {per_words} (95% CI)",
               "columns": ["step"] + heads, "rows": rows,
               "note": ("Each cell: the paired difference between the two neighbouring points (replicate k against "
                       "replicate k) divided by the size of the step in millions of EUR; below it the 95% interval. "
                       "Greyed: the interval holds 0. A falling marginal effect is diminishing returns."
                       if p["kind"] == "money" else
                       "Each cell: the paired difference between the two neighbouring points divided by the size of "
                       "the step; below it the 95% interval. Greyed: the interval holds 0.")
               + (f" With {s.replicates} replicates the intervals are rough (t = 12.7)." if s.replicates == 2 else "")}]
    more = []
    for m in SWEEP_OUTCOMES:
        if m not in s.outcomes:
            continue
        o = s.outcomes[m]
        for a, b, _, _ in _steps(s, o):
            est = next(st.effect for st in o.steps[b] if st.from_point == a)
            diff = o.vs_point0[b]
            prev = o.vs_point0[a]
            step_diff = None
            if est is not None and est.finite:
                # The step's own difference is the marginal effect times the step size.
                size = (float(xs[b]) - float(xs[a])) / next(st.per for st in o.steps[b] if st.from_point == a)
                step_diff = stats.Estimate(est.value * size, min(est.low * size, est.high * size),
                                           max(est.low * size, est.high * size), est.n)
            before = change_cell(prev, o.unit, m) if a != 0 else cell("–", cls="na")   # point 0 vs itself
            more.append([cell(plain(m), title=m), cell(step_name(a, b), cls="nowrap"), change_cell(step_diff, o.unit, m),
                         change_cell(est, o.unit, m), before, change_cell(diff, o.unit, m)])
    if more:
        blocks.append({"kind": "details", "summary": f"Every outcome, step by step ({len(more)} rows)",
                       "table": {"caption": None, "columns": ["outcome", "step", "difference (95% CI)",
                                                              f"{per_words} (95% CI)",
                                                              f"before the step, vs {value_text(p, float(xs[0]))}",
                                                              f"after the step, vs {value_text(p, float(xs[0]))}"],
                                 "rows": grouped(more), "note": None}})
    return blocks


def levels_table(s, p):
    xs = s.point_values[p["key"]]
    order = list(np.argsort(xs, kind="stable"))
    rows = []
    for m in SWEEP_OUTCOMES:
        if m not in s.outcomes:
            continue
        o = s.outcomes[m]
        rows.append([cell(plain(m), title=m), cell(style.unit_label(o.unit, m) or "–", cls="unit")]
                    + [level_cell(o.mean[i], o.unit, m) for i in order])
    return {"kind": "details", "summary": f"Every outcome at every point (mean and 95% CI, {len(rows)} outcomes)",
            "table": {"caption": None, "columns": ["outcome", "unit"] + [value_text(p, float(xs[i])) for i in order],
                      "rows": rows, "note": None}}


def _capital(text):
    return text[:1].upper() + text[1:]


def _month(date):
    """'2030-12' -> 'Dec 2030' (as the rest of the page writes months)."""
    try:
        from .data import parse_month
        return parse_month(date).strftime("%b %Y")
    except ValueError:
        return date


def response_findings(ctx):
    """A box of key findings per budget (response) sweep, in words."""
    out = []
    for s in ctx.sweeps:
        if not s.is_response or not s.outcomes:
            continue
        p = s.design_parameters[0]
        xs = s.point_values[p["key"]]
        order = list(np.argsort(xs, kind="stable"))
        lo, hi = order[0], order[-1]
        per_words = "per extra million EUR" if p["kind"] == "money" else f"per unit of {parameter_label(p)}"
        sentences = [f"{sweep_words(s)}; {parameter_label(p)} from {value_text(p, float(xs[lo]))} to "
                     f"{value_text(p, float(xs[hi]))}."]
        for m in ("partnerships_funded", "smes_supported"):
            if m not in s.outcomes:
                continue
            o = s.outcomes[m]
            a, b = o.mean[lo], o.mean[hi]
            if not (a.finite and b.finite):
                continue
            text = (f"{_capital(plain(m))} by {_month(o.date)}: {style.number(a.value, o.unit, m)} at "
                    f"{value_text(p, float(xs[lo]))}, {style.number(b.value, o.unit, m)} at "
                    f"{value_text(p, float(xs[hi]))}")
            steps = [st for st in _steps(s, o) if st[2] is not None and st[2].finite]
            if len(steps) >= 2:
                (a0, b0, e0, _), (a1, b1, e1, _) = steps[0], steps[-1]
                text += (f"; {per_words}: {effect_text(e0.value, o.unit, m)}"
                         + (f" (95% CI {effect_text(e0.low, o.unit, m)} to {effect_text(e0.high, o.unit, m)})"
                            if e0.has_interval else "")
                         + f" between {value_text(p, float(xs[a0]))} and {value_text(p, float(xs[b0]))}, "
                         f"{effect_text(e1.value, o.unit, m)}"
                         + (f" (95% CI {effect_text(e1.low, o.unit, m)} to {effect_text(e1.high, o.unit, m)})"
                            if e1.has_interval else "")
                         + f" between {value_text(p, float(xs[a1]))} and {value_text(p, float(xs[b1]))}")
            sentences.append(text + ".")
        for m in ("ties", "interregional_tie_share"):
            if m not in s.outcomes:
                continue
            o = s.outcomes[m]
            d = o.vs_point0[hi] if hi != 0 else None
            if d is None or not d.finite:
                continue
            text = (f"{_capital(plain(m))} at {_month(o.date)}: {effect_text(d.value, o.unit, m)} at "
                    f"{value_text(p, float(xs[hi]))} against {value_text(p, float(xs[0]))}")
            if d.has_interval:
                text += f" (paired 95% CI {effect_text(d.low, o.unit, m)} to {effect_text(d.high, o.unit, m)})"
                if d.low <= 0 <= d.high:
                    text += ", not distinguishable from no change with these replicates"
            sentences.append(text + ".")
        out.append({"scenario": f"Budget sweep {s.scenario}" if p["kind"] == "money" else f"Sweep {s.scenario}",
                    "colour": ctx.colours[s.scenario], "sentences": sentences, "description": s.description})
    return out


# ---- sensitivity ---------------------------------------------------------------------------------

def _arm_values(s):
    """The contrast key's value in each arm, or None without a contrast."""
    c = s.contrast
    if c is None:
        return None
    values = s.point_values[c["key"]]
    return {int(a): float(values[np.flatnonzero(s.arm == a)[0]]) for a in np.unique(s.arm)}


def _target_words(s, target):
    """'level' -> 'the level'; 'arm 1 - arm 0' -> 'the difference jci budget 6M EUR − 0 EUR'."""
    if target == "level" or s.contrast is None:
        return "the outcome's level"
    arms = _arm_values(s)
    try:
        a = int(target.split()[1])
    except (IndexError, ValueError):
        return target
    c = s.contrast
    return (f"the paired difference {parameter_label(c)} {value_text(c, arms.get(a, float('nan')))} − "
            f"{value_text(c, arms.get(0, float('nan')))}")


def _num(x):
    return float("nan") if x is None else float(x)


def sensitivity_section(ctx):
    sweeps = [s for s in ctx.sweeps if s.design in ("morris", "sobol")]
    others = [s for s in ctx.sweeps if s.design not in ("morris", "sobol") and not s.is_response]
    if not sweeps and not others:
        return None
    blocks = []
    for i, s in enumerate(sweeps):
        blocks += sensitivity_blocks(ctx, s, _suffix(i, len(sweeps)))
    for s in others:
        blocks.append({"kind": "note", "text": f"{s.scenario} ({s.path}): {sweep_words(s)}. This report draws "
                       "budget curves (a grid along one setting) and Morris and Sobol' indices; for this design see "
                       "`clusternet sweep-report` (--csv writes every point's estimates)."})
    title = "Sensitivity to the assumptions" if sweeps else "Other sweeps"
    intro = []
    if sweeps:
        intro.append("How much the answer depends on settings that are uncertain. Morris screening ranks them by μ*, "
                     "the mean absolute change of the outcome when a setting moves across its range (one at a time, "
                     "along random trajectories), and σ, how much that change varies: a large σ means the effect "
                     "depends on where the others are (non-linear or interacting). Sobol' indices split the "
                     "outcome's variance: the first-order index is the share a setting explains alone, the "
                     "total-order index the share including its interactions. Intervals are bootstrap 95% "
                     "intervals over the design's trajectories or base samples.")
    return {"id": "sensitivity", "title": title, "intro": intro, "blocks": blocks}


def sensitivity_blocks(ctx, s, suffix):
    params = [p["key"] for p in s.design_parameters]
    labels = {p["key"]: parameter_label(p) for p in s.design_parameters}
    colours = figures.parameter_colours(params)
    blocks = []
    date = next(iter(s.outcomes.values())).date if s.outcomes else (s.dates[-1] if s.dates else "")
    target = next((ix.target for o in s.outcomes.values() for ix in o.indices), "level")
    ranges = "; ".join(f"{labels[p['key']]} {value_text(p, p['low'])} to {value_text(p, p['high'])}"
                       + (" (log scale)" if p["scale"] == "log" else "") for p in s.design_parameters)
    method = "Morris screening" if s.design == "morris" else "Sobol indices"
    blocks.append({"kind": "paragraph", "heading": f"{s.scenario}: {method}",
                   "text": f"{sweep_words(s)}. Ranges: {ranges}. Indices of {_target_words(s, target)} at "
                           f"{_month(date)}, the last month measured."})
    undefined = []
    chosen = []
    for m in SENSITIVITY_PANELS + [m for m in SWEEP_OUTCOMES if m not in SENSITIVITY_PANELS]:
        o = s.outcomes.get(m)
        if o is None or not o.indices:
            continue
        ix = o.indices[0]
        if ix.problem:
            undefined.append(f"{plain(m)} ({ix.problem})")
            continue
        chosen.append((m, o, ix))
    # Outcomes that no setting moves (Morris: every mu* is 0; Sobol': no variance, so the indices
    # are undefined) are named in words rather than drawn as empty charts.
    key = "mu_star" if s.design == "morris" else "total"
    still = [m for m, _, ix in chosen if all(not _num(r.get(key)) or not math.isfinite(_num(r.get(key)))
                                             for r in ix.rows)]
    chosen = [c for c in chosen if c[0] not in still] + [c for c in chosen if c[0] in still]
    panels = [c for c in chosen if c[0] not in still][:6]
    if s.design == "morris":
        figure_panels = []
        for m, o, ix in panels:
            rows = {r["parameter"]: (stats.Estimate(_num(r.get("mu_star")), _num(r.get("mu_star_ci95_low")),
                                                    _num(r.get("mu_star_ci95_high"))), _num(r.get("sigma")))
                    for r in ix.rows}
            figure_panels.append((short(m), o.unit, m, rows))
        src = figures.morris_chart(ctx.out_dir, f"sensitivity{suffix}.png", figure_panels, params, colours, labels)
        if src:
            blocks.append({"kind": "figure", "src": src, "alt": "Morris screening: mu* against sigma per outcome",
                           "caption": "Each dot is one setting: across, μ* (the mean absolute change of the outcome "
                                      "when the setting moves over its whole range) with its bootstrap 95% interval; "
                                      "up, σ. Settings near the origin matter little and can stay at their "
                                      "calibrated values; above the dashed line σ = μ* the effect depends strongly on "
                                      "the other settings. Shares are in percentage points."})
        blocks += morris_tables(s, chosen, labels)
    else:
        figure_panels = []
        for m, o, ix in panels:
            rows = {r["parameter"]: (stats.Estimate(_num(r.get("first")), _num(r.get("first_ci95_low")),
                                                    _num(r.get("first_ci95_high"))),
                                     stats.Estimate(_num(r.get("total")), _num(r.get("total_ci95_low")),
                                                    _num(r.get("total_ci95_high"))))
                    for r in ix.rows}
            figure_panels.append((short(m), rows))
        src, clipped = figures.sobol_bars(ctx.out_dir, f"sensitivity{suffix}.png", figure_panels, params, colours,
                                          labels)
        if src:
            blocks.append({"kind": "figure", "src": src, "alt": "Sobol indices per outcome",
                           "caption": "Per setting: the first-order Sobol' index (solid; the share of the outcome's "
                                      "variance the setting explains alone) and the total-order index (hatched; "
                                      "including every interaction it takes part in), with bootstrap 95% intervals."
                                      + (" Intervals reaching beyond −0.5 or 1.5 are cut at the axis: too few base "
                                         "samples for precise indices." if clipped else "")})
        blocks += sobol_tables(s, chosen, labels)
    if still:
        blocks.append({"kind": "note", "text": "The same at every design point, so not charted (no setting moves "
                                               "them over these ranges): " + ", ".join(plain(m) for m in still) + "."})
    if undefined:
        blocks.append({"kind": "note", "text": "No indices, the outcome being undefined at some design point (e.g. a "
                                               "cost per SME where no SME is supported): " + "; ".join(undefined) + "."})
    return blocks


def morris_tables(s, chosen, labels):
    rows = []
    for m, o, ix in chosen:
        fraction = style.is_fraction(o.unit, m)

        def f(x):
            if not math.isfinite(x):
                return "n/a"
            return f"{100 * x:.3g} pp" if fraction else (style.eur(x) if style.is_eur(o.unit) else f"{x:,.4g}")
        ranked = sorted(ix.rows, key=lambda r: -_num(r.get("mu_star")) if r.get("mu_star") is not None else math.inf)
        for r in ranked:
            mu_star, sigma = _num(r.get("mu_star")), _num(r.get("sigma"))
            lo, hi = _num(r.get("mu_star_ci95_low")), _num(r.get("mu_star_ci95_high"))
            rows.append([cell(plain(m), title=m), cell(labels.get(r["parameter"], r["parameter"]), title=r["parameter"]),
                         cell(f(mu_star), sub=f"{f(lo)} to {f(hi)}" if math.isfinite(lo) else None, cls="num"),
                         cell(f(_num(r.get("mu"))), cls="num"),
                         cell(f(sigma), cls="num"),
                         cell(f"{sigma / mu_star:.2f}" if mu_star and math.isfinite(sigma) else "n/a", cls="num")])
    if not rows:
        return []
    columns = ["outcome", "setting", "μ* (95% CI)", "μ (signed)", "σ", "σ / μ*"]
    lead = [r for r in rows if r[0]["title"] == chosen[0][0]]
    blocks = [{"kind": "table", "caption": f"Morris indices of {plain(chosen[0][0])}, largest μ* first",
               "columns": columns, "rows": grouped(lead),
               "note": "μ* and μ are per whole range of the setting, in the outcome's unit (shares in percentage "
                       "points). μ near −μ* or +μ*: the effect has one sign throughout; μ near 0 with a large μ*: "
                       "it changes sign."}]
    if len(rows) > len(lead):
        blocks.append({"kind": "details", "summary": f"Morris indices of every outcome ({len(chosen)})",
                       "table": {"caption": None, "columns": columns, "rows": grouped(rows), "note": None}})
    return blocks


def sobol_tables(s, chosen, labels):
    rows = []
    for m, o, ix in chosen:
        ranked = sorted(ix.rows, key=lambda r: -_num(r.get("total")) if r.get("total") is not None else math.inf)
        for r in ranked:
            first, total = _num(r.get("first")), _num(r.get("total"))

            def ci(lo, hi):
                lo, hi = _num(lo), _num(hi)
                return f"{lo:.2f} to {hi:.2f}" if math.isfinite(lo) and math.isfinite(hi) else None
            rows.append([cell(plain(m), title=m), cell(labels.get(r["parameter"], r["parameter"]), title=r["parameter"]),
                         cell(f"{first:.2f}" if math.isfinite(first) else "n/a",
                              sub=ci(r.get("first_ci95_low"), r.get("first_ci95_high")), cls="num"),
                         cell(f"{total:.2f}" if math.isfinite(total) else "n/a",
                              sub=ci(r.get("total_ci95_low"), r.get("total_ci95_high")), cls="num"),
                         cell(f"{total - first:.2f}" if math.isfinite(total) and math.isfinite(first) else "n/a",
                              cls="num")])
    if not rows:
        return []
    columns = ["outcome", "setting", "first order (95% CI)", "total order (95% CI)", "through interactions"]
    lead = [r for r in rows if r[0]["title"] == chosen[0][0]]
    blocks = [{"kind": "table", "caption": f"Sobol' indices of {plain(chosen[0][0])}, largest total order first",
               "columns": columns, "rows": grouped(lead),
               "note": "Shares of the outcome's variance over the ranges (0 to 1; estimates are not clipped, so a "
                       "setting that does not matter may come out slightly negative). Through interactions: total "
                       "minus first order."}]
    if len(rows) > len(lead):
        blocks.append({"kind": "details", "summary": f"Sobol' indices of every outcome ({len(chosen)})",
                       "table": {"caption": None, "columns": columns, "rows": grouped(rows), "note": None}})
    return blocks
