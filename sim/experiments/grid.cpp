#include "experiments/grid.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.hpp"

namespace clusternet::experiments {
namespace {

void require_finite(const std::string& name, double from, double to) {
  if (!std::isfinite(from) || !std::isfinite(to))
    throw Error(ErrorInfo{"range bounds must be finite numbers",
                          {},
                          name,
                          "from " + number_text(from) + " to " + number_text(to),
                          "finite numbers"});
}

void require_count(const std::string& name, double from, double to, std::size_t count) {
  if (count == 0 || (count == 1 && from != to))
    throw Error(ErrorInfo{"a range needs at least two values to reach from one end to the other",
                          {},
                          name,
                          std::to_string(count) + " values",
                          "2 or more (1 only when from equals to)"});
}

}  // namespace

GridAxis linear_axis(std::string name, double from, double to, std::size_t count) {
  require_finite(name, from, to);
  require_count(name, from, to, count);
  GridAxis axis{std::move(name), {}};
  axis.values.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const double share = count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(count - 1);
    axis.values.push_back(i + 1 == count ? to : from + share * (to - from));
  }
  return axis;
}

GridAxis log_axis(std::string name, double from, double to, std::size_t count) {
  require_finite(name, from, to);
  if (!(from > 0) || !(to > 0))
    throw Error(ErrorInfo{"a log-scale range must be positive",
                          {},
                          name,
                          "from " + number_text(from) + " to " + number_text(to),
                          "from > 0 and to > 0"});
  require_count(name, from, to, count);
  GridAxis axis{std::move(name), {}};
  axis.values.reserve(count);
  const double log_from = std::log(from), log_to = std::log(to);
  for (std::size_t i = 0; i < count; ++i) {
    const double share = count == 1 ? 0.0 : static_cast<double>(i) / static_cast<double>(count - 1);
    if (i == 0)
      axis.values.push_back(from);
    else if (i + 1 == count)
      axis.values.push_back(to);
    else
      axis.values.push_back(std::exp(log_from + share * (log_to - log_from)));
  }
  return axis;
}

GridAxis stepped_axis(std::string name, double from, double to, double step) {
  require_finite(name, from, to);
  const std::string found =
      "from " + number_text(from) + " to " + number_text(to) + " step " + number_text(step);
  if (!std::isfinite(step) || step == 0)
    throw Error(ErrorInfo{"the step must be a non-zero finite number", {}, name, found, "step != 0"});
  const double steps = (to - from) / step;
  const double whole = std::round(steps);
  // Decimal steps are inexact in binary ((1 - 0) / 0.1 = 10.000000000000002), hence the tolerance.
  if (steps < 0 || std::abs(steps - whole) > 1e-9 * std::max(1.0, whole))
    throw Error(ErrorInfo{"`to` is not reached from `from` in whole steps (" + number_text(steps) + " steps)",
                          {},
                          name,
                          found,
                          "a step of the same sign as to - from that divides it"});
  if (whole + 1 > static_cast<double>(max_design_points))
    throw Error(ErrorInfo{"the range has too many steps (" + number_text(whole) + ")",
                          {},
                          name,
                          found,
                          "at most " + std::to_string(max_design_points) + " values"});
  const auto count = static_cast<std::size_t>(whole) + 1;
  GridAxis axis{std::move(name), {}};
  axis.values.reserve(count);
  for (std::size_t i = 0; i < count; ++i)
    axis.values.push_back(i + 1 == count ? to : from + static_cast<double>(i) * step);
  return axis;
}

std::vector<std::size_t> GridDesign::axis_positions(std::size_t point) const {
  std::vector<std::size_t> positions(axes.size());
  for (std::size_t a = axes.size(); a-- > 0;) {
    positions[a] = point % axes[a].values.size();
    point /= axes[a].values.size();
  }
  return positions;
}

std::size_t GridDesign::point_at(std::span<const std::size_t> positions) const {
  std::size_t point = 0;
  for (std::size_t a = 0; a < axes.size(); ++a) point = point * axes[a].values.size() + positions[a];
  return point;
}

std::vector<std::pair<std::size_t, std::size_t>> GridDesign::neighbours_along(std::size_t axis) const {
  std::vector<std::pair<std::size_t, std::size_t>> pairs;
  if (axis >= axes.size()) return pairs;
  // In row-major order a step along `axis` moves the point index by the product of the later axes'
  // lengths; enumerating `from` in increasing order keeps the pairs sorted.
  std::size_t stride = 1;
  for (std::size_t a = axis + 1; a < axes.size(); ++a) stride *= axes[a].values.size();
  const std::size_t length = axes[axis].values.size();
  for (std::size_t from = 0; from < points.point_count(); ++from)
    if ((from / stride) % length + 1 < length) pairs.emplace_back(from, from + stride);
  return pairs;
}

GridDesign grid(std::vector<GridAxis> axes) {
  if (axes.empty())
    throw Error(ErrorInfo{"a grid needs at least one parameter",
                          {},
                          "parameters",
                          "none",
                          "one or more parameters with values or a range"});
  std::set<std::string> names;
  std::size_t total = 1;
  for (const auto& axis : axes) {
    if (axis.name.empty())
      throw Error(
          ErrorInfo{"a grid parameter has no name", {}, "parameters", "\"\"", "the scenario key it sets"});
    if (!names.insert(axis.name).second)
      throw Error(
          ErrorInfo{"the parameter is listed twice", {}, axis.name, axis.name, "each parameter once"});
    if (axis.values.empty())
      throw Error(ErrorInfo{"the parameter has no values", {}, axis.name, "[]", "one or more numbers"});
    std::set<double> seen;
    for (double v : axis.values) {
      if (!std::isfinite(v))
        throw Error(
            ErrorInfo{"grid values must be finite numbers", {}, axis.name, number_text(v), "finite numbers"});
      // A repeated value would run the same point twice and make its marginal effect 0/0.
      if (!seen.insert(v).second)
        throw Error(ErrorInfo{"the value is listed twice", {}, axis.name, number_text(v), "distinct values"});
    }
    if (axis.values.size() > max_design_points / total)
      throw Error(ErrorInfo{"the grid has too many points",
                            {},
                            axis.name,
                            "more than " + std::to_string(max_design_points),
                            "at most " + std::to_string(max_design_points) + " points in all"});
    total *= axis.values.size();
  }

  const std::size_t k = axes.size();
  std::vector<std::string> column_names;
  for (const auto& axis : axes) column_names.push_back(axis.name);
  std::vector<double> values(total * k);
  GridDesign design{std::move(axes), {}};
  for (std::size_t point = 0; point < total; ++point) {
    const auto positions = design.axis_positions(point);
    for (std::size_t a = 0; a < k; ++a) values[point * k + a] = design.axes[a].values[positions[a]];
  }
  design.points = PointTable(std::move(column_names), std::move(values));
  return design;
}

}  // namespace clusternet::experiments
