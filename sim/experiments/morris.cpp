#include "experiments/morris.hpp"

#include <cmath>
#include <limits>
#include <numeric>

#include "core/error.hpp"
#include "core/random.hpp"
#include "core/statistics.hpp"

namespace clusternet::experiments {

MorrisDesign morris(std::vector<ParameterRange> ranges, MorrisSettings settings, std::uint64_t seed) {
  validate_ranges(ranges);
  const std::size_t p = settings.levels;
  if (p < 2 || p % 2 != 0 || p > 1000)
    throw Error(
        ErrorInfo{"Morris levels must be an even number: the step p / (2 (p - 1)) is on the level grid "
                  "only then",
                  {},
                  "levels",
                  std::to_string(p),
                  "an even number 2 .. 1000 (4 is usual)"});
  const std::size_t k = ranges.size();
  if (settings.trajectories == 0 || settings.trajectories > max_design_points / (k + 1))
    throw Error(ErrorInfo{"the number of Morris trajectories is out of range",
                          {},
                          "trajectories",
                          std::to_string(settings.trajectories),
                          "1 .. " + std::to_string(max_design_points / (k + 1)) + " for " +
                              std::to_string(k) + " parameters (10 to 50 is usual)"});

  const std::size_t r = settings.trajectories;
  const std::size_t half = p / 2;  // delta in level units
  const double level_width = 1.0 / static_cast<double>(p - 1);
  MorrisDesign design{std::move(ranges),
                      settings,
                      static_cast<double>(half) * level_width,
                      seed,
                      std::vector<double>(r * (k + 1) * k),
                      {},
                      std::vector<MorrisStep>(r * k)};

  std::vector<std::size_t> level(k);
  std::vector<int> direction(k);
  std::vector<std::size_t> order(k);
  for (std::size_t t = 0; t < r; ++t) {
    RandomStream stream({seed, 0, 0, t, Purpose::design_morris});
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t base = uniform_index(stream, half);
      direction[i] = uniform_index(stream, 2) == 0 ? 1 : -1;
      level[i] = direction[i] > 0 ? base : base + half;
    }
    std::iota(order.begin(), order.end(), std::size_t{0});
    for (std::size_t i = k; i > 1; --i) std::swap(order[i - 1], order[uniform_index(stream, i)]);

    // Unit coordinates are computed from integer levels, so they sit exactly on the grid and a
    // parameter at level p - 1 maps to its upper bound exactly.
    auto write_point = [&](std::size_t position) {
      double* row = &design.unit[design.point(t, position) * k];
      for (std::size_t i = 0; i < k; ++i) row[i] = static_cast<double>(level[i]) * level_width;
    };
    write_point(0);
    for (std::size_t m = 0; m < k; ++m) {
      const std::size_t i = order[m];
      level[i] = direction[i] > 0 ? level[i] + half : level[i] - half;
      design.steps[t * k + m] = MorrisStep{i, direction[i]};
      write_point(m + 1);
    }
  }
  design.points = to_values(design.ranges, design.unit);
  return design;
}

std::vector<double> elementary_effects(const MorrisDesign& design, std::span<const double> outputs) {
  const std::size_t k = design.parameter_count();
  const std::size_t r = design.settings.trajectories;
  const std::size_t expected = design.points.point_count();
  check_design_outputs(outputs, expected, std::to_string(r) + " trajectories x " + std::to_string(k + 1) + " points");

  std::vector<double> effects(r * k);
  for (std::size_t t = 0; t < r; ++t)
    for (std::size_t m = 0; m < k; ++m) {
      const MorrisStep& step = design.step(t, m);
      const double change = outputs[design.point(t, m + 1)] - outputs[design.point(t, m)];
      effects[t * k + step.parameter] = change / (step.direction * design.delta);
    }
  return effects;
}

std::vector<MorrisIndices> morris_indices(const MorrisDesign& design, std::span<const double> outputs,
                                          const BootstrapSettings& bootstrap) {
  validate_bootstrap(bootstrap);
  const std::vector<double> effects = elementary_effects(design, outputs);
  const std::size_t k = design.parameter_count();
  const std::size_t r = design.settings.trajectories;

  std::vector<MorrisIndices> result(k);
  std::vector<double> column(r), magnitude(r);
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t t = 0; t < r; ++t) {
      column[t] = effects[t * k + i];
      magnitude[t] = std::abs(column[t]);
    }
    result[i].parameter = design.ranges[i].name;
    result[i].mu = stats::mean(column);
    result[i].mu_star = stats::mean(magnitude);
    result[i].sigma = stats::sample_sd(column);
  }

  // Trajectories are the independent units: each resample redraws r of them with replacement and
  // recomputes mu* of every parameter from the same draw.
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<std::vector<double>> resampled(k, std::vector<double>(bootstrap.resamples));
  for (std::size_t b = 0; b < bootstrap.resamples; ++b) {
    const auto picks = bootstrap_indices(bootstrap.seed, b, r);
    for (std::size_t i = 0; i < k; ++i) {
      for (std::size_t t = 0; t < r; ++t) magnitude[t] = std::abs(effects[picks[t] * k + i]);
      resampled[i][b] = stats::mean(magnitude);
    }
  }
  for (std::size_t i = 0; i < k; ++i)
    result[i].mu_star_ci = bootstrap.resamples == 0
                               ? Interval{nan, nan}
                               : percentile_interval(std::move(resampled[i]), bootstrap.level);
  return result;
}

}  // namespace clusternet::experiments
