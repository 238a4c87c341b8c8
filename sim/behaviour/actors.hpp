#pragma once
// Heterogeneous actors: how active each organisation is in collaborative projects and how many it
// can run at once. Real participation is heavy-tailed and tied to size: a large university or
// research centre sits in hundreds of Horizon 2020 projects, most SMEs in one or none (CORDIS,
// docs/calibration.md). So activity is
//   activity(o) = rate(kind) * size_factor(o) / mean of size_factor over the kind,
//   size_factor(o) = (employees / kind's smallest size)^activity_size_elasticity * exp(s * z - s^2 / 2)
// with z standard normal (s = activity_dispersion): the kind's mean monthly rate of starting a
// project stays its search_rate_* whatever the elasticity and the dispersion, so the calibration
// can fit the mix of kinds and the concentration of participation separately. Capacity is the
// number of projects an organisation can be in at once: 1 + floor(headroom * its expected load),
// the expected load being activity * mean project size * mean duration (joining is proportional to
// activity too, so an organisation's participations are about size times its initiations).
//
// Activity and capacity are traits of the organisation: drawn once per world (replicate 0, month 0
// keys), the same in every replicate and every scenario of one seed.
#include <cstdint>
#include <span>
#include <vector>

#include "behaviour/behaviour_params.hpp"
#include "world/world.hpp"

namespace clusternet {

struct ActorProfile {
  std::vector<float> activity;              // projects started per month, expected
  std::vector<std::uint16_t> capacity;      // projects at once
  std::vector<double> region_activity;      // summed activity of each region's organisations

  // The prefix sum of activity in organisation order: activity[0] + ... + activity[o - 1], summed
  // one by one in double precision (o <= size). Organisations of a region are contiguous, so a
  // draw proportional to activity within a region is a search of these sums. Only every 16th sum
  // is stored and the others are completed from the activities when read, by the same additions
  // in the same order, so they are the same doubles: half a byte per organisation instead of 8
  // (0.2 GB at scale 250).
  double cumulative_activity(std::size_t o) const;
  // The first o in [lo, hi] with cumulative_activity(o) > target, or hi + 1 when there is none
  // (std::upper_bound over the sums lo..hi); lo >= 1, hi <= size.
  std::size_t first_cumulative_above(std::size_t lo, std::size_t hi, double target) const;
  // Stores the checkpoints of cumulative_activity from `activity` (make_actor_profile calls it).
  void sum_activity();

  std::size_t memory_bytes() const;

 private:
  static constexpr std::size_t stride = 16;
  std::vector<double> checkpoints_;  // cumulative_activity(k * stride) for k = 0 .. size / stride
};

// Mean of exp(log_mean + log_sd * z) for a standard normal z (the lognormal's mean).
double lognormal_mean(double log_mean, double log_sd);
// Expected size of an autonomous project under the fitted size distribution (bilateral share, then
// 2 + a rounded lognormal, capped at project_size_max): summed exactly over sizes.
double expected_project_size(const BehaviourParams& params);

ActorProfile make_actor_profile(const World& world, const BehaviourParams& params, std::uint64_t seed);

}  // namespace clusternet
