#include "core/statistics.hpp"

#include <boost/math/distributions/students_t.hpp>
#include <cmath>
#include <limits>

namespace clusternet::stats {
namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// Half-width and interval for an estimate with standard error `se` and `df` degrees of freedom.
// A zero standard error (all replicates identical) gives a zero-width interval rather than NaN:
// with common random numbers identical replicates are a legitimate outcome.
void set_interval(double estimate, double se, double df, double level, double& low, double& high) {
  if (!(df > 0) || !std::isfinite(se)) {
    low = high = nan;
    return;
  }
  const double half = se == 0 ? 0.0 : t_quantile(0.5 + level / 2, df) * se;
  low = estimate - half;
  high = estimate + half;
}
}  // namespace

std::vector<double> finite_values(std::span<const double> values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (double v : values)
    if (std::isfinite(v)) out.push_back(v);
  return out;
}

double mean(std::span<const double> values) {
  if (values.empty()) return nan;
  // Two-pass sum via compensated (Kahan) summation keeps replicate means reproducible to the last
  // digit for the modest n we have, independent of magnitude differences between values.
  double sum = 0, c = 0;
  for (double v : values) {
    const double y = v - c;
    const double t = sum + y;
    c = (t - sum) - y;
    sum = t;
  }
  return sum / static_cast<double>(values.size());
}

double sample_sd(std::span<const double> values) {
  if (values.size() < 2) return nan;
  const double m = mean(values);
  double ss = 0;
  for (double v : values) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(values.size() - 1));
}

double t_quantile(double p, double df) {
  // Boost.Math (header-only, Debian's libboost-dev) is exact to double precision and handles
  // fractional df, which Welch's interval needs; a hand-written series would need its own tests.
  if (!(df > 0) || !(p > 0 && p < 1)) return nan;
  const boost::math::students_t dist(df);
  return boost::math::quantile(dist, p);
}

bool MeanSummary::ci_defined() const { return n >= 2 && std::isfinite(ci_low) && std::isfinite(ci_high); }

MeanSummary summarize(std::span<const double> values, double level) {
  MeanSummary s;
  s.n = values.size();
  s.mean = mean(values);
  s.sd = sample_sd(values);
  if (s.n < 2) {
    s.ci_low = s.ci_high = nan;
    return s;
  }
  set_interval(s.mean, s.sd / std::sqrt(static_cast<double>(s.n)), static_cast<double>(s.n - 1), level, s.ci_low,
               s.ci_high);
  return s;
}

bool Difference::ci_defined() const { return std::isfinite(ci_low) && std::isfinite(ci_high); }
bool Difference::excludes_zero() const { return ci_defined() && (ci_low > 0 || ci_high < 0); }

Difference paired_difference(std::span<const double> a, std::span<const double> b, double level) {
  Difference d;
  d.paired = true;
  std::vector<double> xa, xb, delta;
  const std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(a[i]) || !std::isfinite(b[i])) continue;
    xa.push_back(a[i]);
    xb.push_back(b[i]);
    delta.push_back(b[i] - a[i]);
  }
  d.n_a = d.n_b = delta.size();
  d.mean_a = mean(xa);
  d.mean_b = mean(xb);
  d.diff = mean(delta);
  if (delta.size() < 2) {
    d.se = d.df = d.ci_low = d.ci_high = nan;
    return d;
  }
  d.se = sample_sd(delta) / std::sqrt(static_cast<double>(delta.size()));
  d.df = static_cast<double>(delta.size() - 1);
  set_interval(d.diff, d.se, d.df, level, d.ci_low, d.ci_high);
  return d;
}

Difference welch_difference(std::span<const double> a, std::span<const double> b, double level) {
  Difference d;
  d.paired = false;
  const std::vector<double> xa = finite_values(a), xb = finite_values(b);
  d.n_a = xa.size();
  d.n_b = xb.size();
  d.mean_a = mean(xa);
  d.mean_b = mean(xb);
  d.diff = d.mean_b - d.mean_a;
  if (xa.size() < 2 || xb.size() < 2) {
    d.se = d.df = d.ci_low = d.ci_high = nan;
    return d;
  }
  const double va = std::pow(sample_sd(xa), 2) / static_cast<double>(xa.size());
  const double vb = std::pow(sample_sd(xb), 2) / static_cast<double>(xb.size());
  d.se = std::sqrt(va + vb);
  if (va + vb == 0) {
    // Both sides constant: the Welch-Satterthwaite formula is 0/0; fall back to the pooled df.
    d.df = static_cast<double>(xa.size() + xb.size() - 2);
  } else {
    d.df = (va + vb) * (va + vb) /
           (va * va / static_cast<double>(xa.size() - 1) + vb * vb / static_cast<double>(xb.size() - 1));
  }
  set_interval(d.diff, d.se, d.df, level, d.ci_low, d.ci_high);
  return d;
}

}  // namespace clusternet::stats
