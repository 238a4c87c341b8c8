"""Conventions shared by every figure and table: scenario colours, number formats, plain names.

Colours: a scenario keeps one colour in every figure of a report. The counterfactual is always dark
grey, the shipped scenarios have fixed colours (so two reports of the same scenarios look alike),
and any other scenario takes the next unused colour of the Okabe-Ito palette (safe for the common
colour-vision deficiencies) in the order the files were given.
"""
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

DPI = 160

BASELINE_COLOUR = "#4d4d4d"
OKABE_ITO = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8c6d31", "#000000"]
SHIPPED_COLOURS = {
    "jci-150m": "#0072B2",        # blue
    "jci-300m": "#D55E00",        # vermillion
    "jci-220m": "#009E73",        # bluish green
    "scaleup-1b": "#CC79A7",      # reddish purple
    "scaleup-4b": "#E69F00",      # orange
    "clusterxchange": "#56B4E9",  # sky blue
    "escp-4i-2018": "#8c6d31",    # brown
    "innosup-2020": "#000000",
}

CATEGORY_ORDER = ["less_developed", "transition", "more_developed"]
CATEGORY_NAME = {"less_developed": "less developed", "transition": "transition", "more_developed": "more developed"}
CATEGORY_COLOUR = {"less_developed": "#a6611a", "transition": "#dfc27d", "more_developed": "#80cdc1"}


def scenario_colours(scenarios, baseline):
    """{scenario name: colour} for the given names (baseline first or anywhere).

    Shipped scenarios are placed first so that an unknown one listed before them cannot take their
    colour; the others then take unused palette colours in the order given."""
    colours = {}
    if baseline is not None:
        colours[baseline] = BASELINE_COLOUR
    for name in scenarios:
        if name not in colours and name in SHIPPED_COLOURS:
            colours[name] = SHIPPED_COLOURS[name]
    used = set(colours.values())
    for name in scenarios:
        if name in colours:
            continue
        c = next((x for x in OKABE_ITO if x not in used), OKABE_ITO[len(colours) % len(OKABE_ITO)])
        colours[name] = c
        used.add(c)
    return {name: colours[name] for name in ([baseline] if baseline is not None else []) + list(scenarios)}


def setup_matplotlib():
    """Readable defaults: 11-12 pt text on figures about 10 inches wide shown about 1000 pixels wide."""
    plt.rcParams.update({
        "font.size": 11,
        "axes.titlesize": 12,
        "axes.titleweight": "bold",
        "axes.labelsize": 11,
        "xtick.labelsize": 10,
        "ytick.labelsize": 10,
        "legend.fontsize": 10,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.grid": True,
        "grid.color": "#e4e4e4",
        "grid.linewidth": 0.8,
        "savefig.dpi": DPI,
        "savefig.bbox": "tight",
        "savefig.pad_inches": 0.12,
        "figure.dpi": 100,
    })


# ---- numbers in words and tables -------------------------------------------------------------

def is_eur(unit):
    return unit.startswith("EUR")


def is_fraction(unit, name=""):
    """Shares and rates, stored as fractions (unit '1', 'fraction', 'share' or 'ratio')."""
    if unit in ("fraction", "share"):
        return True
    return unit in ("1", "ratio") and ("share" in name or "rate" in name)


def eur(x, decimals=None):
    """150M EUR, 1.2B EUR, 80,413 EUR; thousands separators throughout."""
    if x is None or not math.isfinite(x):
        return "n/a"
    a = abs(x)
    if a >= 1e9:
        return f"{x / 1e9:,.{2 if decimals is None else decimals}f}B EUR"
    if a >= 1e6:
        return f"{x / 1e6:,.{1 if decimals is None else decimals}f}M EUR"
    if a >= 100:
        return f"{x:,.0f} EUR"
    return f"{x:,.{2 if decimals is None else decimals}f} EUR"


def number(x, unit="", name="", signed=False):
    """A value for a table or sentence: thousands separators, shares as %, EUR as EUR."""
    if x is None or not math.isfinite(x):
        return "n/a"
    sign = "+" if signed and x > 0 else ""
    if is_eur(unit):
        return sign + eur(x)
    if is_fraction(unit, name):
        return f"{sign}{100 * x:,.1f}%" if abs(x) >= 0.01 or x == 0 else f"{sign}{100 * x:,.2f}%"
    a = abs(x)
    if a >= 100 or x == round(x):
        return f"{sign}{x:,.0f}"
    if a >= 10:
        return f"{sign}{x:,.1f}"
    if a >= 1:
        return f"{sign}{x:,.2f}"
    return f"{sign}{x:.3g}"


def points_or_number(x, unit="", name="", signed=True):
    """A difference: percentage points for shares (a share's difference is not a percentage of it)."""
    if x is None or not math.isfinite(x):
        return "n/a"
    if is_fraction(unit, name):
        sign = "+" if signed and x > 0 else ""
        return f"{sign}{100 * x:,.2f} pp"
    return number(x, unit, name, signed)


def percent(x, signed=True):
    if x is None or not math.isfinite(x):
        return "n/a"
    sign = "+" if signed and x > 0 else ""
    return f"{sign}{100 * x:,.1f}%"


def interval(est, fn):
    """'low to high' of an Estimate through the formatter fn, or 'n/a' when there is none."""
    if not est.has_interval:
        return "n/a"
    return f"{fn(est.low)} to {fn(est.high)}"


def unit_label(unit, name=""):
    """The unit as a reader says it, for table columns and axis labels."""
    if is_fraction(unit, name):
        return "%"
    return {"1": "", "EUR/SME": "EUR per SME", "ties/MEUR": "ties per million EUR", "index": "index (0-1)"}.get(unit, unit)


# ---- axes ------------------------------------------------------------------------------------

def eur_axis(ax, axis="y"):
    """Tick labels like '150M EUR' instead of matplotlib's '1e8' offset."""
    def f(v, _pos):
        a = abs(v)
        if a >= 1e9:
            return f"{v / 1e9:g}B EUR"
        if a >= 1e6:
            return f"{v / 1e6:g}M EUR"
        if a >= 1e3:
            return f"{v / 1e3:g}k EUR"
        return f"{v:g} EUR"
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(f))


def percent_axis(ax, axis="y", scale=100.0, decimals=None, signed=False):
    def f(v, _pos):
        x = v * scale
        text = f"{x:.{decimals}f}" if decimals is not None else f"{x:g}"
        return ("+" if signed and x > 0 else "") + text + "%"
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(f))


def thousands_axis(ax, axis="y"):
    def f(v, _pos):
        if abs(v) >= 1000:
            return f"{v:,.0f}"
        return f"{v:g}"
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(FuncFormatter(f))


def value_axis(ax, unit, name="", axis="y"):
    """Pick the tick format that suits the unit."""
    if is_eur(unit):
        eur_axis(ax, axis)
    elif is_fraction(unit, name):
        percent_axis(ax, axis)
    else:
        thousands_axis(ax, axis)


def date_axis(ax):
    """Calendar dates on a time axis (years, with months when the span is short)."""
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))
