#pragma once
// Statistics over replicates: mean, sample standard deviation, Student-t quantiles, 95% confidence
// intervals of a mean and of a difference of means (paired by replicate, or Welch's unpaired
// interval). Used by the summary written into every result file, by `clusternet compare` and by the
// sweep summaries of sim/experiments. Plain maths on plain values (the t quantiles come from
// header-only Boost.Math, kept out of this header); callers decide what to do with NaN (see
// finite_values()).
#include <cstddef>
#include <span>
#include <vector>

namespace clusternet::stats {

// Values that are finite, in their original order (NaN marks "not measured" in results).
std::vector<double> finite_values(std::span<const double> values);

double mean(std::span<const double> values);               // NaN when empty
double sample_sd(std::span<const double> values);          // n-1 denominator; NaN when n < 2
// Quantile of Student's t distribution with `df` (> 0, may be fractional as in Welch's test).
double t_quantile(double p, double df);

struct MeanSummary {
  std::size_t n = 0;
  double mean = 0, sd = 0;
  double ci_low = 0, ci_high = 0;  // NaN when n < 2: one replicate says nothing about spread
  bool ci_defined() const;
};
// Mean with a `level` (e.g. 0.95) two-sided t interval.
MeanSummary summarize(std::span<const double> values, double level = 0.95);

struct Difference {
  bool paired = false;
  std::size_t n_a = 0, n_b = 0;   // values used (pairs count twice as n_a = n_b when paired)
  double mean_a = 0, mean_b = 0;
  double diff = 0;                 // mean_b - mean_a
  double se = 0, df = 0;
  double ci_low = 0, ci_high = 0;  // NaN when undefined (fewer than 2 values/pairs on a side)
  bool ci_defined() const;
  // True when the interval is defined and excludes zero.
  bool excludes_zero() const;
};

// b - a paired by position (replicate k of b with replicate k of a); pairs with a NaN are dropped.
Difference paired_difference(std::span<const double> a, std::span<const double> b, double level = 0.95);
// b - a with Welch's unequal-variance interval (Welch-Satterthwaite degrees of freedom); NaN dropped.
Difference welch_difference(std::span<const double> a, std::span<const double> b, double level = 0.95);

}  // namespace clusternet::stats
