#pragma once
// Counter-based random numbers. A stream is a pure function of its key
// (seed, replicate, month, entity, purpose): any agent's draw at any step can be reproduced without
// shared generator state, whatever the thread count or the order in which agents are visited, and
// two scenarios run with one seed share their draws wherever their decisions coincide (common
// random numbers). The generator is Random123's Philox4x64-10 (Salmon et al., SC'11).
//
// Distributions are written here rather than taken from <random>: the standard library specifies
// engines exactly but not distributions, so std::normal_distribution gives different numbers under
// libstdc++ and libc++. The ones below use only IEEE arithmetic plus log/exp/sqrt/cos; they are
// bit-reproducible wherever those are (glibc's are correctly rounded in practice).
#include <Random123/philox.h>

#include <cstdint>
#include <span>
#include <vector>

#include "core/types.hpp"

namespace clusternet {

// What a draw is for. The numeric values are part of the reproducibility contract: changing one
// changes every result that uses it. Append new purposes with new values; never renumber.
enum class Purpose : std::uint32_t {
  test = 0,
  // world generation
  region_s3_priorities = 100,
  org_placement = 101,
  org_profile = 102,
  org_knowledge = 103,
  membership = 104,
  cluster_profile = 105,
  actor_activity = 106,
  // behaviour
  autonomous_search = 200,
  autonomous_candidate = 201,
  autonomous_choice = 202,
  project_initiation = 203,
  project_size = 204,
  project_candidates = 205,
  project_choice = 206,
  consortium_lead = 300,
  consortium_recruit = 301,
  consortium_priority = 302,
  evaluation_noise = 310,
  execution_sme_draw = 320,
  execution_ties = 321,
  sme_take_up = 322,
  learning = 330,
  innovation = 331,
  exchange_visits = 340,
  capacity_building = 350,
  // measurement
  metric_sampling = 400,
  community_detection = 401,
  clustering_sampling = 402,  // entity: sample index (network::sampled_clustering)
  betweenness_pair_sampling = 403,  // entity: sample index (network::sampled_path_interiors)
  // experiment designs and sensitivity estimators (sim/experiments), keyed (seed, 0, 0, entity, purpose)
  design_latin_hypercube = 500,  // entity: parameter
  design_morris = 501,           // entity: trajectory
  design_sobol_scramble = 502,   // entity: dimension of the Sobol sequence
  sensitivity_bootstrap = 503,   // entity: bootstrap resample
};

struct StreamKey {
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  Month month = 0;
  std::uint64_t entity = 0;
  Purpose purpose = Purpose::test;
};

// The (seed, replicate, month) part of every stream key: what a process is handed for one month of
// one run, so that it names only the entity and the purpose of each stream it opens. World
// generation uses replicate 0 and month 0 (the world is shared by every replicate).
struct RunKey {
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  Month month = 0;

  StreamKey stream(std::uint64_t entity, Purpose purpose) const { return {seed, replicate, month, entity, purpose}; }
};

// A stream of 64-bit words. Cheap to construct (no state beyond key and counter): create one per
// (agent, step, purpose) inside the loop that needs it. Holds up to 2^64 blocks of 4 words.
class RandomStream {
 public:
  using Philox = r123::Philox4x64_R<10>;

  explicit RandomStream(const StreamKey& key);

  std::uint64_t next_u64() {
    if (position_ == 4) refill();
    return block_.v[position_++];
  }

  // Raw Philox4x64-10 block for a key and counter (exposed for the known-answer tests).
  static Philox::ctr_type block(Philox::ctr_type counter, Philox::key_type key) {
    return Philox{}(counter, key);
  }

 private:
  void refill() {
    block_ = Philox{}(counter_, key_);
    counter_.v[3] += 1;
    position_ = 0;
  }

  Philox::key_type key_{};
  Philox::ctr_type counter_{};
  Philox::ctr_type block_{};
  unsigned position_ = 4;
};

// A 64-bit mix of several integers (SplitMix64 finaliser chained): used for hashed priorities that
// break ties deterministically without consuming draws from any stream.
std::uint64_t hash_mix(std::uint64_t a, std::uint64_t b = 0, std::uint64_t c = 0, std::uint64_t d = 0);

// ---- distributions -------------------------------------------------------------------------------

// Uniform in [0, 1) with 53 random bits.
inline double uniform01(RandomStream& s) {
  return static_cast<double>(s.next_u64() >> 11) * 0x1.0p-53;
}
// Uniform in [low, high).
inline double uniform_real(RandomStream& s, double low, double high) {
  return low + (high - low) * uniform01(s);
}
// Uniform integer in [0, n), unbiased (Lemire's multiply-and-reject). n must be > 0.
std::uint64_t uniform_index(RandomStream& s, std::uint64_t n);
// Uniform integer in [low, high] (inclusive).
std::int64_t uniform_int(RandomStream& s, std::int64_t low, std::int64_t high);
inline bool bernoulli(RandomStream& s, double p) { return uniform01(s) < p; }
// Normal by Box-Muller (two uniforms per draw; the second variate is discarded so that every draw
// consumes a fixed number of words, which keeps streams aligned across scenarios).
double normal(RandomStream& s, double mean = 0.0, double sd = 1.0);
// Exponential with the given rate (> 0).
double exponential(RandomStream& s, double rate);
// Poisson: multiplication method below mean 30, PTRS transformed rejection (Hormann 1993) above.
std::uint64_t poisson(RandomStream& s, double mean);
// Index drawn with probability proportional to weights (non-negative). Returns none<uint32_t> when
// all weights are zero or the span is empty. Linear: for repeated draws use CumulativeWeights.
std::uint32_t weighted_choice(RandomStream& s, std::span<const double> weights);
// k distinct indices of [0, n), sorted ascending. Throws std::invalid_argument if k > n.
std::vector<std::uint32_t> sample_without_replacement(RandomStream& s, std::uint32_t k,
                                                      std::uint32_t n);

// Prefix sums for repeated weighted draws in O(log n) each.
class CumulativeWeights {
 public:
  CumulativeWeights() = default;
  explicit CumulativeWeights(std::span<const double> weights);
  double total() const { return cumulative_.empty() ? 0.0 : cumulative_.back(); }
  std::size_t size() const { return cumulative_.size(); }
  // none<uint32_t> when the total is zero.
  std::uint32_t draw(RandomStream& s) const;

 private:
  std::vector<double> cumulative_;
};

}  // namespace clusternet
