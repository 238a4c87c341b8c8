"""Means, differences and their 95% intervals, and the verdict on whether a difference matters.

Debian's Python has no scipy, so the Student-t quantiles come from a table. Every function takes
per-replicate values (NaN = not measured) and returns NaN where a quantity is undefined, never a
made-up zero.
"""
import math

import numpy as np

# Two-sided 95% Student-t critical values t(0.975, df), df = 1..30 (standard tables). Beyond 30 the
# normal value plus 2.4/df stays within 0.3% of the exact quantile.
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042]


def t975(df):
    """t(0.975, df); linear between table rows for a fractional (Welch) df; NaN for df < 1."""
    if df is None or not math.isfinite(df) or df < 1:
        return float("nan")
    if df <= 30:
        lo = int(math.floor(df))
        hi = min(lo + 1, 30)
        frac = df - lo
        return T975[lo - 1] * (1 - frac) + T975[hi - 1] * frac
    return 1.95996 + 2.4 / df


class Estimate:
    """A mean (or a difference of means) with its 95% interval and the number of replicates behind it.

    low/high are NaN when the interval cannot be estimated (fewer than two replicates)."""

    __slots__ = ("value", "low", "high", "n")

    def __init__(self, value, low=float("nan"), high=float("nan"), n=0):
        self.value, self.low, self.high, self.n = float(value), float(low), float(high), int(n)

    @property
    def finite(self):
        return math.isfinite(self.value)

    @property
    def has_interval(self):
        return math.isfinite(self.low) and math.isfinite(self.high)

    def scaled(self, factor):
        """The same estimate divided by `factor` (for relative effects); NaN for a zero or NaN factor."""
        if not math.isfinite(factor) or factor == 0:
            return Estimate(float("nan"), n=self.n)
        lo, hi = self.low / factor, self.high / factor
        return Estimate(self.value / factor, min(lo, hi), max(lo, hi), self.n)

    def __repr__(self):
        return f"Estimate({self.value:.6g} [{self.low:.6g}, {self.high:.6g}], n={self.n})"


NAN_ESTIMATE = Estimate(float("nan"))


def mean_ci(values):
    """Mean of the finite values with a Student-t 95% interval of the mean."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if len(v) == 0:
        return Estimate(float("nan"))
    m = float(v.mean())
    if len(v) < 2:
        return Estimate(m, n=1)
    half = t975(len(v) - 1) * float(v.std(ddof=1)) / math.sqrt(len(v))
    return Estimate(m, m - half, m + half, len(v))


def difference(baseline, scenario, paired):
    """scenario - baseline with a 95% interval.

    Paired (same seed and replicate count: common random numbers) takes the replicate-wise
    differences, using only replicates where both values are finite. Unpaired uses Welch's
    interval with the Welch-Satterthwaite degrees of freedom."""
    a = np.asarray(baseline, dtype=float)
    b = np.asarray(scenario, dtype=float)
    if paired:
        n = min(len(a), len(b))
        a, b = a[:n], b[:n]
        ok = np.isfinite(a) & np.isfinite(b)
        return mean_ci(b[ok] - a[ok])
    a, b = a[np.isfinite(a)], b[np.isfinite(b)]
    if len(a) == 0 or len(b) == 0:
        return Estimate(float("nan"))
    d = float(b.mean() - a.mean())
    n = min(len(a), len(b))
    if len(a) < 2 or len(b) < 2:
        return Estimate(d, n=n)
    va, vb = a.var(ddof=1) / len(a), b.var(ddof=1) / len(b)
    se = math.sqrt(va + vb)
    if se == 0:
        return Estimate(d, d, d, n)
    df = (va + vb) ** 2 / (va ** 2 / (len(a) - 1) + vb ** 2 / (len(b) - 1))
    half = t975(df) * se
    return Estimate(d, d - half, d + half, n)


def relative(diff, baseline_level):
    """The difference as a fraction of the counterfactual's mean level.

    The baseline mean is taken as known (its own replicate spread is not propagated), so the
    relative interval is the absolute one rescaled and excludes zero exactly when that one does.
    Undefined (NaN) when the counterfactual level is zero or missing: a share of nothing."""
    if not math.isfinite(baseline_level) or baseline_level == 0:
        return Estimate(float("nan"), n=diff.n)
    return diff.scaled(abs(baseline_level))


# Verdict codes; the words shown for them are in VERDICT_TEXT (the template adds the threshold).
MEANINGFUL = "meaningful"          # the whole interval lies beyond +-threshold
UNCERTAIN = "uncertain"            # the interval excludes 0 but reaches inside +-threshold
NEGLIGIBLE = "negligible"          # the whole interval lies within +-threshold (may still exclude 0)
INCONCLUSIVE = "inconclusive"      # the interval holds 0 and reaches beyond +-threshold
NOT_AVAILABLE = "n/a"


def verdict(rel, threshold):
    """Classify a relative difference against the practical threshold (a fraction, e.g. 0.05).

    Returns (code, detail). Uses the interval, not the point estimate alone: a difference counts as
    practically meaningful only when even the end of its interval nearest to zero is at least the
    threshold, and as negligible when the whole interval stays inside it. That keeps a
    statistically clear but tiny change (a share moving by +0.3% of its level) from being
    called real."""
    if not rel.finite:
        return NOT_AVAILABLE, "no counterfactual level to compare with"
    if not rel.has_interval:
        return NOT_AVAILABLE, "one replicate: no interval"
    lo, hi = rel.low, rel.high
    t = f"{100 * threshold:g}%"
    if lo >= threshold or hi <= -threshold:
        return MEANINGFUL, f"whole CI beyond ±{t}"
    if -threshold < lo and hi < threshold:
        if lo > 0 or hi < 0:
            return NEGLIGIBLE, f"CI excludes 0 but stays within ±{t}"
        return NEGLIGIBLE, f"whole CI within ±{t}"
    if lo > 0 or hi < 0:
        return UNCERTAIN, f"CI excludes 0, may be under {t}"
    return INCONCLUSIVE, f"CI holds 0 and values beyond ±{t}"


VERDICT_TEXT = {
    MEANINGFUL: "yes",
    UNCERTAIN: "uncertain",
    NEGLIGIBLE: "no",
    INCONCLUSIVE: "inconclusive",
    NOT_AVAILABLE: "n/a",
}


def peak(series):
    """Index of the largest absolute finite value of a 1-D series (the first on a tie), or None when
    it has no finite value or is zero throughout (no effect has no peak)."""
    s = np.asarray(series, dtype=float)
    ok = np.isfinite(s)
    if not ok.any():
        return None
    idx = np.flatnonzero(ok)
    best = int(idx[np.argmax(np.abs(s[ok]))])
    return best if s[best] != 0 else None
