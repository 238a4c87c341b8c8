#pragma once
// Autonomous collaboration as projects, the unit real collaboration happens in (the SKIN /
// INFSO-SKIN view; Horizon 2020's consortia): the world without policy.
//
// Each month:
//  1. Projects whose end month has come finish: their members' capacity is freed and each member's
//     reputation rises by reputation_per_project (track record).
//  2. Organisations start project ideas as Poisson processes at their activity rate (actors.hpp):
//     each keeps the (continuous) time of its next idea, so a month costs a comparison per
//     organisation plus the work of those whose time has come; an organisation at capacity lets
//     the idea pass.
//  3. Each idea draws its size (bilateral with probability project_bilateral_share, else 2 + a
//     rounded lognormal, capped) and duration (a rounded lognormal in months) from the distributions
//     fitted to Horizon 2020 (docs/calibration.md), and its initiator recruits size - 1 partners,
//     one per slot: candidates come from its current partners (repeat ties), partners of partners
//     (triadic closure), fellow members of its cluster organisations, and a proximity-weighted draw
//     from the whole population (a region by distance and activity, then an organisation of it in
//     proportion to its activity, or to its degree for a preferential_candidate_share of draws);
//     one of the candidates is chosen with probability proportional to its Boschma proximity score
//     times (1 + reputation)^weight_preferential.
//  4. Invited organisations accept while they have free capacity, the invitations to one
//     organisation ranked by a hashed priority; a project keeps its accepted members and starts if
//     it has two or more. All members collaborate pairwise while it runs: the engine forms or renews
//     their ties and holds them (no decay) until the project ends; then they decay unless renewed.
//
// Determinism: every idea draws from streams keyed by (seed, replicate, month, initiator and idea
// number, purpose) and writes only its own slots; invitations are resolved after a sort on a total
// key; finished and started projects are applied in project order. Common random numbers: two
// scenarios with one seed give an organisation the same ideas as long as its capacity is the same.
#include <cstdint>
#include <span>
#include <vector>

#include "behaviour/actors.hpp"
#include "behaviour/behaviour_params.hpp"
#include "behaviour/collaborations.hpp"
#include "behaviour/proximity.hpp"
#include "behaviour/state.hpp"
#include "core/random.hpp"
#include "world/world.hpp"

namespace clusternet {

// Per origin region: cumulative weights over destination regions, weight = the destination's
// summed activity x geographic proximity. Built once per run (regions x regions).
class RegionDraws {
 public:
  RegionDraws(const World& world, const BehaviourParams& params, std::span<const double> region_activity);
  RegionIndex draw(RandomStream& stream, RegionIndex origin) const {
    return static_cast<RegionIndex>(by_origin_[origin].draw(stream));
  }

 private:
  std::vector<CumulativeWeights> by_origin_;
};

struct ProjectMonth {
  std::vector<PairFormation> pairs;  // sorted by (a, b), unique; held through each project's last month
  std::size_t ideas = 0;             // ideas started (before recruitment)
  std::size_t started = 0;           // projects that started (two members or more)
  std::size_t finished = 0;
};

// Sorts pair formations by (a, b) and merges repeated pairs (several new projects sharing a pair):
// the latest hold, the projects summed.
void merge_pair_formations(std::vector<PairFormation>& pairs);

class ProjectFormation {
 public:
  // `first_month` is the first month that will be run (negative with a burn-in).
  ProjectFormation(const World& world, const BehaviourParams& params, const ActorProfile& actors, std::uint64_t seed,
                   std::uint32_t replicate, Month first_month);

  // Runs `month` (months in order): finishes, starts and logs projects; returns the pairs to tie.
  ProjectMonth run(const AdjacencyView& adjacency, std::span<float> reputation, Month month, CollaborationLog& log);

  // Projects an organisation is in now (autonomous ones; funded partnerships keep their own count).
  std::uint16_t active(OrgIndex org) const { return active_[org]; }
  // Size and duration of an idea, from its stream (exposed for the distribution tests).
  static int draw_size(RandomStream& stream, const BehaviourParams& params);
  static Month draw_duration(RandomStream& stream, const BehaviourParams& params);

 private:
  struct Idea {
    OrgIndex initiator = 0;
    std::uint32_t number = 0;  // the initiator's idea number this month
  };
  std::vector<Idea> collect_ideas(Month month);
  OrgIndex draw_candidate(OrgIndex org, RandomStream& stream, const AdjacencyView& adjacency) const;
  double score(const ProximityOrigin& origin, OrgIndex candidate, const AdjacencyView& adjacency,
               std::span<const float> reputation) const;
  std::uint16_t free_capacity(OrgIndex org) const {
    return active_[org] >= actors_.capacity[org] ? 0 : static_cast<std::uint16_t>(actors_.capacity[org] - active_[org]);
  }
  void finish(Month month, std::span<float> reputation, const CollaborationLog& log, ProjectMonth& out);

  const World& world_;
  const BehaviourParams& params_;
  const ActorProfile& actors_;
  std::uint64_t seed_;
  std::uint32_t replicate_;
  RegionDraws region_draws_;
  std::vector<double> geographic_;     // geographic_proximity for every (origin, destination) pair
  std::vector<float> next_idea_;       // continuous month of each organisation's next idea
  std::vector<std::uint16_t> active_;  // projects an organisation is in now
  std::vector<std::uint16_t> idea_count_;  // ideas of this month per organisation (scratch, zero between months)
  // Projects by end month (index end - first_month_), as collaboration ids.
  std::vector<std::vector<std::uint32_t>> ending_;
  Month first_month_;
};

}  // namespace clusternet
