#include "experiments/nelder_mead.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

namespace clusternet::experiments {

namespace {

struct Vertex {
  std::vector<double> x;
  double value = 0;
  std::size_t order = 0;  // evaluation number: the tie-break between equal values
};

}  // namespace

NelderMeadResult nelder_mead(const std::function<double(std::span<const double>)>& f, std::vector<double> start,
                             const NelderMeadOptions& options) {
  const std::size_t d = start.size();
  if (d == 0) throw std::invalid_argument("nelder_mead: no parameters");
  if (!(options.initial_step > 0)) throw std::invalid_argument("nelder_mead: the initial step must be positive");
  std::size_t evaluations = 0;
  auto evaluate = [&](std::vector<double> x) {
    for (double& v : x) v = std::clamp(v, 0.0, 1.0);
    double value = f(x);
    if (std::isnan(value)) value = std::numeric_limits<double>::infinity();
    return Vertex{std::move(x), value, evaluations++};
  };
  std::vector<Vertex> simplex;
  simplex.push_back(evaluate(std::move(start)));
  for (std::size_t i = 0; i < d; ++i) {
    std::vector<double> x = simplex[0].x;
    // Step inwards when the start sits on the upper bound, so the simplex does not collapse.
    x[i] += x[i] + options.initial_step <= 1.0 ? options.initial_step : -options.initial_step;
    simplex.push_back(evaluate(std::move(x)));
  }
  auto by_value = [](const Vertex& a, const Vertex& b) { return a.value != b.value ? a.value < b.value : a.order < b.order; };
  bool converged = false;
  while (evaluations < options.max_evaluations) {
    std::sort(simplex.begin(), simplex.end(), by_value);
    if (simplex.back().value - simplex.front().value < options.tolerance) {
      converged = true;
      break;
    }
    std::vector<double> centroid(d, 0.0);
    for (std::size_t v = 0; v < d; ++v)
      for (std::size_t i = 0; i < d; ++i) centroid[i] += simplex[v].x[i] / static_cast<double>(d);
    auto along = [&](double t) {
      std::vector<double> x(d);
      for (std::size_t i = 0; i < d; ++i) x[i] = centroid[i] + t * (simplex.back().x[i] - centroid[i]);
      return x;
    };
    Vertex reflected = evaluate(along(-1.0));
    if (reflected.value < simplex.front().value) {
      Vertex expanded = evaluate(along(-2.0));
      simplex.back() = expanded.value < reflected.value ? std::move(expanded) : std::move(reflected);
      continue;
    }
    if (reflected.value < simplex[d - 1].value) {
      simplex.back() = std::move(reflected);
      continue;
    }
    // Contraction: outside when the reflection improved on the worst, inside otherwise.
    const bool outside = reflected.value < simplex.back().value;
    Vertex contracted = evaluate(along(outside ? -0.5 : 0.5));
    if (contracted.value < (outside ? reflected.value : simplex.back().value)) {
      simplex.back() = std::move(contracted);
      continue;
    }
    // Shrink towards the best vertex.
    for (std::size_t v = 1; v <= d && evaluations < options.max_evaluations; ++v) {
      std::vector<double> x(d);
      for (std::size_t i = 0; i < d; ++i) x[i] = simplex[0].x[i] + 0.5 * (simplex[v].x[i] - simplex[0].x[i]);
      simplex[v] = evaluate(std::move(x));
    }
  }
  std::sort(simplex.begin(), simplex.end(), by_value);
  return {simplex.front().x, simplex.front().value, evaluations, converged};
}

}  // namespace clusternet::experiments
