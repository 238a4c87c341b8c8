#pragma once
// The bootstrap behind the confidence intervals of the sensitivity estimators (Efron and Tibshirani
// 1993): recompute an estimate on resamples of its independent units (Sobol base samples, Morris
// trajectories) drawn with replacement, and take the percentile interval of the recomputed values.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace clusternet::experiments {

// Resample b draws from the stream (seed, 0, 0, b, Purpose::sensitivity_bootstrap), so an interval
// is a pure function of (estimate, data, settings): reproducible, and independent of the order or
// the thread in which resamples are computed.
struct BootstrapSettings {
  std::size_t resamples = 1000;  // 0: no intervals (NaN bounds)
  double level = 0.95;           // two-sided coverage, in (0, 1)
  std::uint64_t seed = 0;
};

// Throws clusternet::Error when level is not in (0, 1) or resamples exceeds 1,000,000.
void validate_bootstrap(const BootstrapSettings& settings);

// The n indices (with replacement, in [0, n)) of resample `resample`.
std::vector<std::size_t> bootstrap_indices(std::uint64_t seed, std::size_t resample, std::size_t n);

struct Interval {
  double low = 0, high = 0;  // NaN when there is nothing to take an interval of
};

// Quantile p of sorted values by linear interpolation between order statistics (Hyndman and Fan
// 1996, definition 7: numpy's and R's default). NaN when empty.
double sorted_quantile(std::span<const double> sorted, double p);

// The two-sided percentile interval at `level` of the finite estimates (non-finite ones, e.g. from
// a resample whose outputs were all equal, are left out). NaN bounds when none is finite.
Interval percentile_interval(std::vector<double> estimates, double level);

}  // namespace clusternet::experiments
