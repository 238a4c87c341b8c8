#pragma once
// Nelder-Mead simplex minimisation inside the unit cube (Nelder and Mead 1965, with the standard
// coefficients: reflection 1, expansion 2, contraction 1/2, shrink 1/2; Lagarias et al. 1998 for
// the order of the tests). Used by `clusternet calibrate --fit` (method of simulated moments): the
// objective is a distance between simulated and real facts computed with common random numbers,
// so it is deterministic in the parameters though not smooth, which a derivative-free direct search
// tolerates. Points are kept inside [0, 1]^d by clamping every trial point; the parameters' own
// ranges are mapped onto the cube by the caller (experiments/parameters.hpp value_at).
// Deterministic: no random numbers; ties between equal objective values are broken by the order in
// which the points were evaluated.
#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace clusternet::experiments {

struct NelderMeadOptions {
  double initial_step = 0.15;     // the simplex's edge in unit coordinates
  std::size_t max_evaluations = 200;
  double tolerance = 1e-6;        // stop when the simplex's objective values span less than this
};

struct NelderMeadResult {
  std::vector<double> best;       // unit coordinates of the best point found
  double best_value = 0;
  std::size_t evaluations = 0;
  bool converged = false;         // stopped by the tolerance rather than the evaluation budget
};

// Minimises f from `start` (unit coordinates, clamped). Throws std::invalid_argument for an empty
// start or a non-positive step; a NaN objective value counts as +infinity.
NelderMeadResult nelder_mead(const std::function<double(std::span<const double>)>& f, std::vector<double> start,
                             const NelderMeadOptions& options = {});

}  // namespace clusternet::experiments
