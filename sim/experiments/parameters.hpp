#pragma once
// What every design shares: the swept parameters' ranges, the map from the unit interval to a
// parameter's values, and the table of points a design produces.
//
// Designs work in unit coordinates u in [0, 1] per parameter and map them to values only at the
// end. Morris's step, Latin-hypercube strata and Sobol's digital nets are all defined on the unit
// cube; keeping both the unit and the natural-unit tables lets the estimators use the former and the
// sweep runner the latter.
#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace clusternet::experiments {

// Designs larger than this are refused: a sweep of ten million points is a typo, not a plan, and
// the limit keeps every point count well inside size_t arithmetic.
inline constexpr std::size_t max_design_points = 10'000'000;

struct ParameterRange {
  std::string name;  // the scenario key it sets, e.g. "behaviour.search.repeat_tie_weight"
  double low = 0;
  double high = 1;
  // Sample log(value) uniformly instead of value: for a parameter whose plausible values span
  // orders of magnitude (a rate from 1e-3 to 1e-1), a linear scale would put nine tenths of the
  // points in the top decade. Needs low > 0.
  bool log_scale = false;
};

// Checks a list of ranges: at least one, names non-empty and distinct, bounds finite, low < high,
// low > 0 on a log scale. Throws clusternet::Error naming the parameter (key), the offending bounds
// (found) and what is valid.
void validate_ranges(std::span<const ParameterRange> ranges);

// The value at unit coordinate u (clamped to [0, 1]): low + u (high - low), or on a log scale
// exp(log low + u (log high - log low)). u = 0 and u = 1 give low and high exactly.
double value_at(const ParameterRange& range, double unit);

// Points of a design in natural units, one row per point, one column per parameter (row-major):
// what the sweep runner applies to the scenario and what /sweep/points records.
class PointTable {
 public:
  PointTable() = default;
  // values.size() must be a multiple of names.size() (std::invalid_argument otherwise).
  PointTable(std::vector<std::string> names, std::vector<double> values);

  std::size_t parameter_count() const { return names_.size(); }
  std::size_t point_count() const { return names_.empty() ? 0 : values_.size() / names_.size(); }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<double>& values() const { return values_; }
  std::span<const double> row(std::size_t point) const {
    return {values_.data() + point * names_.size(), names_.size()};
  }
  double at(std::size_t point, std::size_t parameter) const {
    return values_[point * names_.size() + parameter];
  }

 private:
  std::vector<std::string> names_;
  std::vector<double> values_;
};

// Maps a row-major table of unit coordinates (rows of ranges.size()) to natural units.
PointTable to_values(std::span<const ParameterRange> ranges, std::span<const double> unit);

// Shortest text that reads back as the same double ("0.1", "4e+08"): for error messages.
std::string number_text(double value);

// Throws Error unless `outputs` holds one finite value per design point (`expected` of them);
// `shape` says how the design is built, for the message (e.g. "10 trajectories x 9 points").
void check_design_outputs(std::span<const double> outputs, std::size_t expected, const std::string& shape);

}  // namespace clusternet::experiments
