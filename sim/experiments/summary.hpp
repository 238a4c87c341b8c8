#pragma once
// What a sweep says, point by point: the replicate mean of an outcome with its t interval, paired
// differences between points, and the marginal effect of a step along a grid axis.
//
// Pairing is what common random numbers buy: replicate k of every point draws from the same
// streams, so replicate k of point i and replicate k of point j differ only through the swept
// parameters, and the spread of the differences is far smaller than that of the outcomes
// themselves. Intervals are Student-t intervals from core/statistics.
#include <cstddef>
#include <span>
#include <vector>

#include "core/statistics.hpp"
#include "experiments/grid.hpp"

namespace clusternet::experiments {

// One outcome of a sweep: points x replicates, row-major (replicate k of point i at i R + k).
// NaN marks a replicate where the outcome was not measured; summaries leave such values out
// (paired ones leave out the pair).
class ReplicateTable {
 public:
  // Throws std::invalid_argument when values.size() != points x replicates.
  ReplicateTable(std::size_t points, std::size_t replicates, std::vector<double> values);

  std::size_t points() const { return points_; }
  std::size_t replicates() const { return replicates_; }
  std::span<const double> point(std::size_t index) const;  // std::out_of_range beyond points()

 private:
  std::size_t points_ = 0, replicates_ = 0;
  std::vector<double> values_;
};

// Mean and `level` t interval of every point over its finite replicates.
std::vector<stats::MeanSummary> point_summaries(const ReplicateTable& table, double level = 0.95);
// The replicate mean of every point (NaN where no replicate is finite): the per-point outputs the
// Morris and Sobol estimators take.
std::vector<double> point_means(const ReplicateTable& table);

// Point `to` minus point `from`, replicate k paired with replicate k. Throws std::out_of_range for
// a point beyond the table.
stats::Difference paired_difference(const ReplicateTable& table, std::size_t from, std::size_t to,
                                    double level = 0.95);
// Every point minus `reference` (the counterfactual of a budget sweep), in point order; the
// reference's own entry is a zero difference.
std::vector<stats::Difference> paired_differences_to(const ReplicateTable& table, std::size_t reference,
                                                     double level = 0.95);

// The change in an outcome per `per` units of a parameter between two points that differ in that
// parameter only: (outcome(to) - outcome(from)) / ((x_to - x_from) / per), with the paired interval
// scaled by the same factor. per = 1e6 on a budget in EUR gives the effect per million euros.
struct MarginalEffect {
  std::size_t from = 0, to = 0;
  double x_from = 0, x_to = 0;
  double per = 1;
  double effect = 0;               // per `per` units of x; NaN when no pair is finite
  double se = 0;                   // its standard error; NaN with fewer than 2 finite pairs
  double ci_low = 0, ci_high = 0;  // NaN with fewer than 2 finite pairs
  stats::Difference difference;    // the unscaled paired difference to - from
};

// Throws clusternet::Error when x_from == x_to, either is not finite, or per is not a positive
// finite number; std::out_of_range for a point beyond the table.
MarginalEffect marginal_effect(const ReplicateTable& table, std::size_t from, std::size_t to, double x_from,
                               double x_to, double per = 1, double level = 0.95);

// The marginal effect of every step along `axis` of a grid (the pairs of
// GridDesign::neighbours_along, in that order). Throws clusternet::Error when the table's points
// differ from the grid's or the axis does not exist.
std::vector<MarginalEffect> marginal_effects_along(const GridDesign& grid, std::size_t axis,
                                                   const ReplicateTable& table, double per = 1,
                                                   double level = 0.95);

}  // namespace clusternet::experiments
