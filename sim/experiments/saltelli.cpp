#include "experiments/saltelli.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.hpp"
#include "experiments/sobol_sequence.hpp"

namespace clusternet::experiments {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The outputs rearranged by role, centred on the mean of f(A) and f(B). The estimators are
// unchanged in expectation by a constant shift, but S_i's sum of f(B) (f(AB_i) - f(A)) picks up
// noise proportional to the output's mean: for an outcome like 2,000 partnerships varying by 50,
// uncentred values would make the first-order estimate mostly noise.
struct Outputs {
  std::size_t n = 0, k = 0;
  std::vector<double> a, b;  // n each
  std::vector<double> ab;    // n x k, row-major by base sample
};

struct Estimate {
  double variance = 0;
  std::vector<double> first, total;
};

// The estimators on the base samples listed in `rows` (the identity for the estimate itself, a
// resample for the bootstrap). Sums run in the order of `rows`, so results are reproducible.
Estimate estimate(const Outputs& y, std::span<const std::size_t> rows) {
  const std::size_t k = y.k;
  const auto n = static_cast<double>(rows.size());
  double sum = 0;
  for (std::size_t j : rows) sum += y.a[j] + y.b[j];
  const double mean = sum / (2 * n);
  double squares = 0;
  for (std::size_t j : rows) squares += (y.a[j] - mean) * (y.a[j] - mean) + (y.b[j] - mean) * (y.b[j] - mean);
  Estimate e{squares / (2 * n), std::vector<double>(k), std::vector<double>(k)};
  std::vector<double> first_sum(k, 0.0), total_sum(k, 0.0);
  for (std::size_t j : rows) {
    const double fa = y.a[j], fb = y.b[j];
    const double* fab = &y.ab[j * k];
    for (std::size_t i = 0; i < k; ++i) {
      first_sum[i] += fb * (fab[i] - fa);
      total_sum[i] += (fa - fab[i]) * (fa - fab[i]);
    }
  }
  for (std::size_t i = 0; i < k; ++i) {
    // A constant output has no variance to share out: the indices are undefined, not zero.
    e.first[i] = e.variance > 0 ? first_sum[i] / n / e.variance : nan;
    e.total[i] = e.variance > 0 ? total_sum[i] / (2 * n) / e.variance : nan;
  }
  return e;
}

}  // namespace

SaltelliDesign saltelli(std::vector<ParameterRange> ranges, SaltelliSettings settings, std::uint64_t seed) {
  validate_ranges(ranges);
  const std::size_t k = ranges.size();
  if (2 * k > SobolSequence::max_dimensions)
    throw Error(ErrorInfo{"Saltelli sampling here supports at most " +
                              std::to_string(SobolSequence::max_dimensions / 2) +
                              " parameters (it needs a Sobol sequence of twice as many dimensions)",
                          {},
                          "parameters",
                          std::to_string(k),
                          "1 .. " + std::to_string(SobolSequence::max_dimensions / 2)});
  const std::size_t n = settings.base_samples;
  if (n < 2 || n > max_design_points / (k + 2))
    throw Error(ErrorInfo{"the number of base samples is out of range",
                          {},
                          "base_samples",
                          std::to_string(n),
                          "2 .. " + std::to_string(max_design_points / (k + 2)) + " for " +
                              std::to_string(k) + " parameters (a power of two; 512 to 4096 is usual)"});

  SaltelliDesign design{std::move(ranges), settings, seed, std::vector<double>(n * (k + 2) * k), {}};
  const SobolSequence sequence(2 * k, seed);
  std::vector<double> base(2 * k);
  for (std::size_t j = 0; j < n; ++j) {
    sequence.point(j, base);
    const double* a = base.data();
    const double* b = base.data() + k;
    auto row = [&](std::size_t point) { return &design.unit[point * k]; };
    std::copy(a, a + k, row(design.point_a(j)));
    std::copy(b, b + k, row(design.point_b(j)));
    for (std::size_t i = 0; i < k; ++i) {
      double* ab = row(design.point_ab(j, i));
      std::copy(a, a + k, ab);
      ab[i] = b[i];
    }
  }
  design.points = to_values(design.ranges, design.unit);
  return design;
}

SobolIndices sobol_indices(const SaltelliDesign& design, std::span<const double> outputs,
                           const BootstrapSettings& bootstrap) {
  validate_bootstrap(bootstrap);
  const std::size_t k = design.parameter_count();
  const std::size_t n = design.base_samples();
  const std::size_t expected = design.points.point_count();
  check_design_outputs(outputs, expected, std::to_string(n) + " base samples x " + std::to_string(k + 2));

  Outputs y{n, k, std::vector<double>(n), std::vector<double>(n), std::vector<double>(n * k)};
  double sum = 0;
  for (std::size_t j = 0; j < n; ++j) sum += outputs[design.point_a(j)] + outputs[design.point_b(j)];
  const double centre = sum / static_cast<double>(2 * n);
  for (std::size_t j = 0; j < n; ++j) {
    y.a[j] = outputs[design.point_a(j)] - centre;
    y.b[j] = outputs[design.point_b(j)] - centre;
    for (std::size_t i = 0; i < k; ++i) y.ab[j * k + i] = outputs[design.point_ab(j, i)] - centre;
  }

  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  const Estimate point_estimate = estimate(y, all);

  // Base samples are the independent units: a resample redraws N of them with replacement and
  // recomputes every index from the same draw.
  std::vector<std::vector<double>> first(k), total(k);
  for (std::size_t i = 0; i < k; ++i) {
    first[i].reserve(bootstrap.resamples);
    total[i].reserve(bootstrap.resamples);
  }
  for (std::size_t r = 0; r < bootstrap.resamples; ++r) {
    const auto rows = bootstrap_indices(bootstrap.seed, r, n);
    const Estimate e = estimate(y, rows);
    for (std::size_t i = 0; i < k; ++i) {
      first[i].push_back(e.first[i]);
      total[i].push_back(e.total[i]);
    }
  }

  SobolIndices result{point_estimate.variance, std::vector<SobolIndex>(k)};
  for (std::size_t i = 0; i < k; ++i) {
    auto& index = result.parameters[i];
    index.parameter = design.ranges[i].name;
    index.first = point_estimate.first[i];
    index.total = point_estimate.total[i];
    index.first_ci = percentile_interval(std::move(first[i]), bootstrap.level);
    index.total_ci = percentile_interval(std::move(total[i]), bootstrap.level);
  }
  return result;
}

}  // namespace clusternet::experiments
