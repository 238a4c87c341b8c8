#pragma once
// Variance-based global sensitivity analysis: Saltelli's sampling scheme and the Sobol' indices
// estimated from it.
//
// For k parameters and N base samples, two N x k matrices A and B are taken from a scrambled
// Sobol' sequence of dimension 2k (A: its first k coordinates, B: the other k), and for each
// parameter i a matrix AB_i equal to A but with column i from B: N (k + 2) model runs in all.
// From the outputs f(A), f(B), f(AB_i) and V, the variance of the 2N outputs of A and B:
//   first-order  S_i  = (1/N) sum_j f(B)_j (f(AB_i)_j - f(A)_j) / V     (Saltelli et al. 2010, eq. (b))
//   total-order  S_Ti = (1/2N) sum_j (f(A)_j - f(AB_i)_j)^2 / V        (Jansen 1999)
// S_i is the share of the output variance due to parameter i alone; S_Ti includes every
// interaction it takes part in. S_Ti - S_i large: the parameter acts through interactions.
// Saltelli, Annoni, Azzini, Campolongo, Ratto and Tarantola, "Variance based sensitivity analysis
// of model output. Design and estimator for the total sensitivity index", Computer Physics
// Communications 181 (2010) 259-270, Table 2. Jansen, "Analysis of variance designs for model
// output", Computer Physics Communications 117 (1999) 35-43.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "experiments/bootstrap.hpp"
#include "experiments/parameters.hpp"

namespace clusternet::experiments {

struct SaltelliSettings {
  // N. Powers of two keep the balance properties of the Sobol' points (any N >= 2 is accepted).
  std::size_t base_samples = 1024;
};

struct SaltelliDesign {
  std::vector<ParameterRange> ranges;
  SaltelliSettings settings;
  std::uint64_t seed = 0;
  std::vector<double> unit;  // N (k + 2) points, k columns, row-major
  PointTable points;

  std::size_t parameter_count() const { return ranges.size(); }
  std::size_t base_samples() const { return settings.base_samples; }
  // Points are grouped by base sample j: A_j, AB_1j, ..., AB_kj, B_j (the order SALib uses too), so
  // a sweep stopped part-way has complete groups for its first base samples.
  std::size_t point_a(std::size_t j) const { return j * (ranges.size() + 2); }
  std::size_t point_ab(std::size_t j, std::size_t parameter) const {
    return j * (ranges.size() + 2) + 1 + parameter;
  }
  std::size_t point_b(std::size_t j) const { return j * (ranges.size() + 2) + ranges.size() + 1; }
};

// Base sample j is point j of the Sobol' sequence of dimension 2k scrambled with `seed` (see
// SobolSequence). Throws clusternet::Error for invalid ranges, more than 64 parameters (the
// direction numbers shipped cover 128 dimensions), fewer than 2 base samples, or more than
// max_design_points points.
SaltelliDesign saltelli(std::vector<ParameterRange> ranges, SaltelliSettings settings, std::uint64_t seed);

struct SobolIndex {
  std::string parameter;
  double first = 0;             // S_i; NaN when the output does not vary
  double total = 0;             // S_Ti; NaN when the output does not vary
  Interval first_ci, total_ci;  // bootstrap percentile intervals over base samples
};

struct SobolIndices {
  double variance = 0;                 // V, population variance of the 2N outputs of A and B
  std::vector<SobolIndex> parameters;  // in the order of the design's ranges
};

// The indices of one outcome: `outputs` holds one value per point of the design (e.g. the
// replicate mean of the outcome). Estimates are sampling estimates: S_i may come out slightly
// negative or the sum above one; neither is clipped. Throws clusternet::Error when the count
// differs from the design's points, an output is not finite (naming the point), or the bootstrap
// settings are invalid.
SobolIndices sobol_indices(const SaltelliDesign& design, std::span<const double> outputs,
                           const BootstrapSettings& bootstrap = {});

}  // namespace clusternet::experiments
