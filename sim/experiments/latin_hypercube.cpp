#include "experiments/latin_hypercube.hpp"

#include <cmath>
#include <numeric>
#include <string>

#include "core/error.hpp"
#include "core/random.hpp"

namespace clusternet::experiments {

std::size_t LatinHypercubeDesign::stratum(std::size_t point, std::size_t parameter) const {
  return static_cast<std::size_t>(
      std::floor(unit[point * ranges.size() + parameter] * static_cast<double>(samples)));
}

LatinHypercubeDesign latin_hypercube(std::vector<ParameterRange> ranges, std::size_t samples,
                                     std::uint64_t seed) {
  validate_ranges(ranges);
  if (samples == 0 || samples > max_design_points)
    throw Error(ErrorInfo{"a Latin hypercube needs a positive number of samples",
                          {},
                          "samples",
                          std::to_string(samples),
                          "1 .. " + std::to_string(max_design_points)});
  const std::size_t k = ranges.size();
  const double n = static_cast<double>(samples);
  LatinHypercubeDesign design{std::move(ranges), samples, seed, std::vector<double>(samples * k), {}};
  std::vector<std::size_t> strata(samples);
  for (std::size_t j = 0; j < k; ++j) {
    RandomStream stream({seed, 0, 0, j, Purpose::design_latin_hypercube});
    std::iota(strata.begin(), strata.end(), std::size_t{0});
    for (std::size_t i = samples; i > 1; --i) std::swap(strata[i - 1], strata[uniform_index(stream, i)]);
    for (std::size_t point = 0; point < samples; ++point) {
      const auto s = static_cast<double>(strata[point]);
      double u = (s + uniform01(stream)) / n;
      // (s + U) / n can round onto a stratum boundary; nudge it back inside so that the stratum
      // read back by floor(u n) is the one drawn. Moves u by an ulp or two at most.
      while (std::floor(u * n) > s) u = std::nextafter(u, 0.0);
      while (std::floor(u * n) < s) u = std::nextafter(u, 1.0);
      design.unit[point * k + j] = u;
    }
  }
  design.points = to_values(design.ranges, design.unit);
  return design;
}

}  // namespace clusternet::experiments
