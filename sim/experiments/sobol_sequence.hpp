#pragma once
// The Sobol' low-discrepancy sequence (Sobol' 1967) in base 2 with the direction numbers of Joe and
// Kuo (2008), optionally scrambled (Matousek 1998: a random linear matrix scramble and digital
// shift per dimension).
//
// Why a low-discrepancy sequence and why scrambled: Saltelli's sampling converges faster on the
// points of a Sobol' sequence than on pseudo-random ones (Saltelli et al. 2010 use it, as do SALib
// and most of the literature, so indices computed here compare with published ones). Unscrambled,
// the sequence is one fixed set of points whatever the seed, its first point is the origin (every
// parameter at its lower bound) and the estimators are deterministic, with no honest way to
// repeat the experiment. A random linear scramble plus digital shift keeps the net structure (each
// dimension of the first 2^m points still has one point in each interval [j/2^m, (j+1)/2^m)),
// makes every point uniformly distributed on the unit cube, so the estimators stay unbiased, and
// makes the design a pure function of the seed, like every other random draw in the project.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace clusternet::experiments {

class SobolSequence {
 public:
  // Dimensions with published direction numbers in this build: enough for Saltelli sampling of up
  // to 64 parameters (it uses 2k dimensions).
  static constexpr std::size_t max_dimensions = 128;
  // Points are 32-bit binary fractions; the sequence has 2^32 of them.
  static constexpr std::uint64_t max_points = std::uint64_t{1} << 32;

  // The unscrambled sequence; or, with a seed, scrambled with dimension d drawing from the stream
  // (seed, 0, 0, d, Purpose::design_sobol_scramble). Throws clusternet::Error when dimensions is 0
  // or above max_dimensions.
  explicit SobolSequence(std::size_t dimensions, std::optional<std::uint64_t> scramble_seed = std::nullopt);

  std::size_t dimensions() const { return directions_.size(); }
  bool scrambled() const { return scrambled_; }

  // Point `index` (0-based, in Gray-code order as in Antonov and Saleev 1979 and most libraries),
  // one dimension as a 32-bit binary fraction. Computed directly from the index, so points can be
  // produced in any order or in parallel. Throws std::out_of_range for index >= max_points or
  // dimension >= dimensions().
  std::uint32_t digits(std::uint64_t index, std::size_t dimension) const;
  double coordinate(std::uint64_t index, std::size_t dimension) const {
    return static_cast<double>(digits(index, dimension)) * 0x1.0p-32;
  }
  // All dimensions of point `index` into `out` (out.size() == dimensions()).
  void point(std::uint64_t index, std::span<double> out) const;

 private:
  std::vector<std::array<std::uint32_t, 32>> directions_;  // per dimension, most significant first
  std::vector<std::uint32_t> shifts_;                      // per dimension; zero when unscrambled
  bool scrambled_ = false;
};

}  // namespace clusternet::experiments
