#pragma once
// Latin hypercube sampling (McKay, Beckman and Conover 1979): n points such that, for every
// parameter, each of the n equal-probability strata of its unit interval holds exactly one point.
// A space-filling design for surrogate models and exploratory sweeps; it carries no estimator of
// its own (a sweep report shows it point by point).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "experiments/parameters.hpp"

namespace clusternet::experiments {

struct LatinHypercubeDesign {
  std::vector<ParameterRange> ranges;
  std::size_t samples = 0;
  std::uint64_t seed = 0;
  std::vector<double> unit;  // samples x parameters, row-major, in [0, 1)
  PointTable points;

  // The stratum (0 .. samples - 1) that a point occupies for a parameter.
  std::size_t stratum(std::size_t point, std::size_t parameter) const;
};

// Column j (parameter j) is drawn from the stream (seed, 0, 0, j, Purpose::design_latin_hypercube):
// a uniform random permutation of the strata (Fisher-Yates), then one uniform position inside each
// point's stratum. Keying by the parameter's position means that adding a parameter at the end
// leaves the columns of the others unchanged. Throws clusternet::Error for invalid ranges (see
// validate_ranges) or when samples is 0 or above max_design_points.
LatinHypercubeDesign latin_hypercube(std::vector<ParameterRange> ranges, std::size_t samples,
                                     std::uint64_t seed);

}  // namespace clusternet::experiments
