#pragma once
// Full factorial grid: the cartesian product of per-parameter value lists. The design of a budget
// sweep (one axis: 0, 50M, ..., 400M) and of small interaction studies (budget x call count).
#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "experiments/parameters.hpp"

namespace clusternet::experiments {

struct GridAxis {
  std::string name;            // the scenario key it sets
  std::vector<double> values;  // in the order given; the order defines "consecutive" points
};

// `count` evenly spaced values from `from` to `to`, both included (count >= 2; count 1 only when
// from == to). The last value is `to` exactly. Throws clusternet::Error (key: name).
GridAxis linear_axis(std::string name, double from, double to, std::size_t count);
// `count` values evenly spaced in log(value) (a geometric series); needs 0 < from, 0 < to.
GridAxis log_axis(std::string name, double from, double to, std::size_t count);
// from, from + step, ..., to: `to - from` must be a whole number of steps (to a relative 1e-9) of
// the sign of `step`. Value i is from + i step, not a running sum, so no rounding accumulates, and
// the last is `to` exactly. Throws clusternet::Error naming the number of steps it found.
GridAxis stepped_axis(std::string name, double from, double to, double step);

struct GridDesign {
  std::vector<GridAxis> axes;
  PointTable points;  // the last axis varies fastest (row-major order of the axes)

  // Position along each axis of a point, and back.
  std::vector<std::size_t> axis_positions(std::size_t point) const;
  std::size_t point_at(std::span<const std::size_t> positions) const;
  // Pairs (from, to) of points equal on every other axis and at positions p and p + 1 of `axis`,
  // ordered by `from`: the steps whose marginal effect a sweep report shows.
  std::vector<std::pair<std::size_t, std::size_t>> neighbours_along(std::size_t axis) const;
};

// The grid of the axes. Needs no seed: a grid has no random part. Throws clusternet::Error when
// there is no axis, an axis has no name, no values, a repeated name or value, a value that is not
// finite, or when the product exceeds max_design_points.
GridDesign grid(std::vector<GridAxis> axes);

}  // namespace clusternet::experiments
