#include "experiments/summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/error.hpp"

namespace clusternet::experiments {

ReplicateTable::ReplicateTable(std::size_t points, std::size_t replicates, std::vector<double> values)
    : points_(points), replicates_(replicates), values_(std::move(values)) {
  // Compared by division so that an absurd points x replicates cannot overflow into a match.
  const bool fits = replicates_ == 0
                        ? values_.empty()
                        : values_.size() % replicates_ == 0 && values_.size() / replicates_ == points_;
  if (!fits)
    throw std::invalid_argument("ReplicateTable: " + std::to_string(values_.size()) + " values for " +
                                std::to_string(points_) + " points x " + std::to_string(replicates_) +
                                " replicates");
}

std::span<const double> ReplicateTable::point(std::size_t index) const {
  if (index >= points_)
    throw std::out_of_range("ReplicateTable: point " + std::to_string(index) + " of " +
                            std::to_string(points_));
  return {values_.data() + index * replicates_, replicates_};
}

std::vector<stats::MeanSummary> point_summaries(const ReplicateTable& table, double level) {
  std::vector<stats::MeanSummary> out;
  out.reserve(table.points());
  for (std::size_t i = 0; i < table.points(); ++i)
    out.push_back(stats::summarize(stats::finite_values(table.point(i)), level));
  return out;
}

std::vector<double> point_means(const ReplicateTable& table) {
  std::vector<double> out;
  out.reserve(table.points());
  for (std::size_t i = 0; i < table.points(); ++i)
    out.push_back(stats::mean(stats::finite_values(table.point(i))));
  return out;
}

stats::Difference paired_difference(const ReplicateTable& table, std::size_t from, std::size_t to,
                                    double level) {
  return stats::paired_difference(table.point(from), table.point(to), level);
}

std::vector<stats::Difference> paired_differences_to(const ReplicateTable& table, std::size_t reference,
                                                     double level) {
  std::vector<stats::Difference> out;
  out.reserve(table.points());
  for (std::size_t i = 0; i < table.points(); ++i)
    out.push_back(paired_difference(table, reference, i, level));
  return out;
}

MarginalEffect marginal_effect(const ReplicateTable& table, std::size_t from, std::size_t to, double x_from,
                               double x_to, double per, double level) {
  if (!std::isfinite(x_from) || !std::isfinite(x_to) || x_from == x_to)
    throw Error(ErrorInfo{"a marginal effect needs two different finite parameter values",
                          {},
                          "parameter",
                          number_text(x_from) + " and " + number_text(x_to),
                          "two distinct finite values"});
  if (!std::isfinite(per) || !(per > 0))
    throw Error(ErrorInfo{"the unit of a marginal effect must be a positive number",
                          {},
                          "per",
                          number_text(per),
                          "> 0, e.g. 1e6 for an effect per million EUR"});
  MarginalEffect m;
  m.from = from;
  m.to = to;
  m.x_from = x_from;
  m.x_to = x_to;
  m.per = per;
  m.difference = paired_difference(table, from, to, level);
  // A linear rescaling of a t interval is the interval of the rescaled difference; a negative
  // factor (x falling from `from` to `to`) swaps its ends.
  const double factor = per / (x_to - x_from);
  m.effect = m.difference.diff * factor;
  m.se = m.difference.se * std::abs(factor);
  const double low = m.difference.ci_low * factor, high = m.difference.ci_high * factor;
  m.ci_low = std::min(low, high);
  m.ci_high = std::max(low, high);
  if (std::isnan(low) || std::isnan(high)) m.ci_low = m.ci_high = std::numeric_limits<double>::quiet_NaN();
  return m;
}

std::vector<MarginalEffect> marginal_effects_along(const GridDesign& grid, std::size_t axis,
                                                   const ReplicateTable& table, double per, double level) {
  if (axis >= grid.axes.size())
    throw Error(ErrorInfo{"the grid has no such axis",
                          {},
                          "axis",
                          std::to_string(axis),
                          "0 .. " + std::to_string(grid.axes.size()) + " - 1"});
  if (table.points() != grid.points.point_count())
    throw Error(ErrorInfo{"the outcome table does not match the grid",
                          {},
                          "points",
                          std::to_string(table.points()),
                          std::to_string(grid.points.point_count()) + " points, as in the grid"});
  std::vector<MarginalEffect> out;
  for (const auto& [from, to] : grid.neighbours_along(axis))
    out.push_back(
        marginal_effect(table, from, to, grid.points.at(from, axis), grid.points.at(to, axis), per, level));
  return out;
}

}  // namespace clusternet::experiments
