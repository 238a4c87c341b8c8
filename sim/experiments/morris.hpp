#pragma once
// Morris's elementary-effects screening (Morris 1991) with the mu* measure of Campolongo, Cariboni
// and Saltelli (2007): which parameters matter, at r (k + 1) model runs for k parameters.
//
// The unit interval of each parameter is cut into p levels {0, 1/(p-1), ..., 1}. A trajectory
// starts at a random level vector and moves one parameter at a time, in a random order, by
// delta = p / (2 (p - 1)) up or down, so its k + 1 points give one elementary effect per parameter:
//   EE_i = (f(x + delta e_i) - f(x)) / delta   (x and delta in unit coordinates)
// Over r trajectories: mu_i = mean EE_i, mu*_i = mean |EE_i| (immune to effects of opposite sign
// cancelling), sigma_i = standard deviation of EE_i (non-linearity or interactions). Effects are
// per unit coordinate, that is per whole range: on f = c x over [low, high], mu* = |c| (high - low).
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "experiments/bootstrap.hpp"
#include "experiments/parameters.hpp"

namespace clusternet::experiments {

struct MorrisSettings {
  std::size_t trajectories = 10;  // r: 10 to 50 is usual
  // p, even: delta = p / (2 (p - 1)) lands on the level grid only for even p, and with it every
  // level is visited equally often (Morris 1991). 4 is the common choice.
  std::size_t levels = 4;
};

struct MorrisStep {
  std::size_t parameter = 0;  // the one parameter that changes
  int direction = 1;          // +1: it rises by delta; -1: it falls by delta
};

struct MorrisDesign {
  std::vector<ParameterRange> ranges;
  MorrisSettings settings;
  double delta = 0;  // in unit coordinates
  std::uint64_t seed = 0;
  std::vector<double> unit;  // trajectories x (k + 1) points, k columns, row-major; values on the level grid
  PointTable points;
  std::vector<MorrisStep> steps;  // trajectories x k: step m of trajectory t leads from point m to m + 1

  std::size_t parameter_count() const { return ranges.size(); }
  // Point `position` (0 .. k) of trajectory t.
  std::size_t point(std::size_t trajectory, std::size_t position) const {
    return trajectory * (ranges.size() + 1) + position;
  }
  const MorrisStep& step(std::size_t trajectory, std::size_t m) const {
    return steps[trajectory * ranges.size() + m];
  }
};

// Trajectory t draws from the stream (seed, 0, 0, t, Purpose::design_morris): for each parameter in
// order a base level in {0, ..., p/2 - 1} and a direction, then the order in which the parameters
// move (Fisher-Yates). A parameter going down starts at its base level + p/2, so both directions
// stay on the grid. Trajectories are independent: r = 20 extends r = 10 by ten new ones.
// Throws clusternet::Error for invalid ranges, zero trajectories, levels odd or below 2 or above
// 1000, or more than max_design_points points.
MorrisDesign morris(std::vector<ParameterRange> ranges, MorrisSettings settings, std::uint64_t seed);

// The elementary effects, trajectories x parameters (row-major). `outputs` holds one value per
// point of the design (e.g. the replicate mean of one outcome). Throws clusternet::Error when the
// count differs from the design's points or an output is not finite (naming the point).
std::vector<double> elementary_effects(const MorrisDesign& design, std::span<const double> outputs);

struct MorrisIndices {
  std::string parameter;
  double mu = 0;        // mean elementary effect (signed)
  double mu_star = 0;   // mean absolute elementary effect: the importance measure
  double sigma = 0;     // sample standard deviation (r - 1); NaN with one trajectory
  Interval mu_star_ci;  // bootstrap percentile interval over trajectories
};

// mu, mu*, sigma and mu*'s bootstrap interval per parameter, in the order of the design's ranges.
// Throws as elementary_effects, and for invalid bootstrap settings.
std::vector<MorrisIndices> morris_indices(const MorrisDesign& design, std::span<const double> outputs,
                                          const BootstrapSettings& bootstrap = {});

}  // namespace clusternet::experiments
