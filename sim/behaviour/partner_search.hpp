#pragma once
// Autonomous collaboration: the world without policy. Each month every organisation searches for a
// partner with its kind's base rate (drawn as geometric waiting times, so the cost per month is that
// of the organisations that search, not of the population); candidates come from existing partners (repeat ties), partners
// of partners (triadic closure), fellow members of its cluster organisations, and a proximity-
// weighted draw from the whole population (region by distance and size, then uniform within the
// region: the cost of a search does not grow with the population). The chosen candidate is drawn
// with probability proportional to a score over Boschma's proximities and preferential attachment.
//
// Determinism: each organisation's draws come from its own streams keyed by (seed, replicate, month,
// organisation, purpose) — its next search month is drawn from the stream of the month it last
// searched — and it writes only its own proposal slot; proposals are then resolved in
// one serial pass sorted by (target, hashed priority, proposer). Common random numbers follow: two
// scenarios with one seed give an organisation the same draws as long as its neighbourhood is the same.
#include <cstdint>
#include <span>
#include <utility>
#include <vector>

#include "behaviour/behaviour_params.hpp"
#include "behaviour/proximity.hpp"
#include "behaviour/state.hpp"
#include "core/random.hpp"
#include "world/world.hpp"

namespace clusternet {

// Per origin region: cumulative weights over destination regions, weight = organisations in the
// destination x geographic proximity. Built once per run (regions x regions).
class RegionDraws {
 public:
  RegionDraws(const World& world, const BehaviourParams& params);
  RegionIndex draw(RandomStream& stream, RegionIndex origin) const {
    return static_cast<RegionIndex>(by_origin_[origin].draw(stream));
  }

 private:
  std::vector<CumulativeWeights> by_origin_;
};

// At most this many new autonomous ties an organisation accepts per month; further proposals wait.
// Keeps hubs from absorbing whole neighbourhoods in one step (documented in docs/model.md).
inline constexpr std::uint32_t max_accepted_per_month = 3;

class PartnerSearch {
 public:
  // `first_month` is the first month that will be run (negative with a burn-in).
  PartnerSearch(const World& world, const BehaviourParams& params, std::uint64_t seed, std::uint32_t replicate,
                Month first_month = 0);

  // Lets every organisation whose search month has come propose; returns accepted pairs (a < b),
  // sorted, unique. Months must be run in order.
  std::vector<std::pair<OrgIndex, OrgIndex>> run(const AdjacencyView& adjacency, std::span<const float> reputation,
                                                 Month month);

  // The candidate a searching organisation proposes to in `month` (none if no candidate is found).
  OrgIndex propose(OrgIndex org, const AdjacencyView& adjacency, std::span<const float> reputation, Month month) const;
  // The month an organisation searches next after `month` (geometric waiting time at its rate).
  Month next_search_after(OrgIndex org, Month month) const;

 private:
  double score(const ProximityOrigin& origin, OrgIndex candidate, const AdjacencyView& adjacency,
               std::span<const float> reputation) const;
  OrgIndex draw_candidate(OrgIndex org, RandomStream& stream, const AdjacencyView& adjacency) const;

  const World& world_;
  const BehaviourParams& params_;
  std::uint64_t seed_;
  std::uint32_t replicate_;
  RegionDraws region_draws_;
  // geographic_proximity for every (origin, destination) region pair, computed once: the score of
  // a candidate then reads one entry instead of evaluating an exponential (same doubles).
  std::vector<double> geographic_;
  std::vector<Month> next_search_;  // by organisation
  std::vector<OrgIndex> proposal_;  // by organisation, reused every month
};

}  // namespace clusternet
