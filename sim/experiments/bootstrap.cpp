#include "experiments/bootstrap.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "core/error.hpp"
#include "core/random.hpp"
#include "experiments/parameters.hpp"

namespace clusternet::experiments {

void validate_bootstrap(const BootstrapSettings& settings) {
  if (!(settings.level > 0 && settings.level < 1))
    throw Error(ErrorInfo{"the confidence level must lie strictly between 0 and 1",
                          {},
                          "bootstrap.level",
                          number_text(settings.level),
                          "(0, 1), e.g. 0.95"});
  if (settings.resamples > 1'000'000)
    throw Error(ErrorInfo{"too many bootstrap resamples",
                          {},
                          "bootstrap.resamples",
                          std::to_string(settings.resamples),
                          "0 .. 1000000 (1000 is ample for a 95% interval)"});
}

std::vector<std::size_t> bootstrap_indices(std::uint64_t seed, std::size_t resample, std::size_t n) {
  RandomStream stream({seed, 0, 0, resample, Purpose::sensitivity_bootstrap});
  std::vector<std::size_t> indices(n);
  for (auto& index : indices) index = uniform_index(stream, n);
  return indices;
}

double sorted_quantile(std::span<const double> sorted, double p) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double position = std::clamp(p, 0.0, 1.0) * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  const double share = position - static_cast<double>(below);
  return sorted[below] + share * (sorted[above] - sorted[below]);
}

Interval percentile_interval(std::vector<double> estimates, double level) {
  std::erase_if(estimates, [](double v) { return !std::isfinite(v); });
  std::sort(estimates.begin(), estimates.end());
  const double tail = (1 - level) / 2;
  return {sorted_quantile(estimates, tail), sorted_quantile(estimates, 1 - tail)};
}

}  // namespace clusternet::experiments
