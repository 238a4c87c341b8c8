#include "experiments/parameters.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <stdexcept>

#include "core/error.hpp"

namespace clusternet::experiments {

std::string number_text(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, result.ptr);
}

void validate_ranges(std::span<const ParameterRange> ranges) {
  if (ranges.empty())
    throw Error(ErrorInfo{"a design needs at least one parameter",
                          {},
                          "parameters",
                          "none",
                          "one or more ranges (name, low, high)"});
  std::set<std::string> seen;
  for (const auto& r : ranges) {
    if (r.name.empty())
      throw Error(ErrorInfo{"a parameter has no name", {}, "parameters", "\"\"", "the scenario key it sets"});
    if (!seen.insert(r.name).second)
      throw Error(ErrorInfo{"the parameter is listed twice", {}, r.name, r.name, "each parameter once"});
    // Appended piece by piece: GCC 12 warns falsely (-Wrestrict, its bug 105329) on "[" + string.
    std::string bounds = "[";
    bounds += number_text(r.low);
    bounds += ", ";
    bounds += number_text(r.high);
    bounds += "]";
    if (!std::isfinite(r.low) || !std::isfinite(r.high))
      throw Error(ErrorInfo{"range bounds must be finite numbers", {}, r.name, bounds, "finite low < high"});
    if (!(r.low < r.high))
      throw Error(ErrorInfo{"the range is empty or reversed", {}, r.name, bounds, "low < high"});
    if (r.log_scale && !(r.low > 0))
      throw Error(ErrorInfo{"a log-scale range must be positive", {}, r.name, bounds, "0 < low < high"});
  }
}

double value_at(const ParameterRange& range, double unit) {
  const double u = std::clamp(unit, 0.0, 1.0);
  // The ends are returned exactly: a sweep's boundary point then sets the scenario key to the
  // very number written in the sweep file, not to one rounded through exp(log(x)).
  if (u == 0.0) return range.low;
  if (u == 1.0) return range.high;
  if (range.log_scale) {
    const double log_low = std::log(range.low);
    return std::exp(log_low + u * (std::log(range.high) - log_low));
  }
  return range.low + u * (range.high - range.low);
}

PointTable::PointTable(std::vector<std::string> names, std::vector<double> values)
    : names_(std::move(names)), values_(std::move(values)) {
  if (names_.empty() ? !values_.empty() : values_.size() % names_.size() != 0)
    throw std::invalid_argument("PointTable: values do not fill whole rows of the parameters");
}

PointTable to_values(std::span<const ParameterRange> ranges, std::span<const double> unit) {
  const std::size_t k = ranges.size();
  if (k == 0 || unit.size() % k != 0)
    throw std::invalid_argument("to_values: unit coordinates do not fill whole rows of the ranges");
  std::vector<std::string> names;
  names.reserve(k);
  for (const auto& r : ranges) names.push_back(r.name);
  std::vector<double> values(unit.size());
  for (std::size_t i = 0; i < unit.size(); ++i) values[i] = value_at(ranges[i % k], unit[i]);
  return PointTable(std::move(names), std::move(values));
}

void check_design_outputs(std::span<const double> outputs, std::size_t expected, const std::string& shape) {
  if (outputs.size() != expected)
    throw Error(ErrorInfo{"one output per design point is needed", {}, "outputs", std::to_string(outputs.size()),
                          std::to_string(expected) + " values (" + shape + ")"});
  for (std::size_t point = 0; point < outputs.size(); ++point)
    if (!std::isfinite(outputs[point]))
      throw Error(ErrorInfo{"the output of point " + std::to_string(point) + " is not a finite number", {}, "outputs",
                            number_text(outputs[point]), "a finite value at every point of the design"});
}

}  // namespace clusternet::experiments
