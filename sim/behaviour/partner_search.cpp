#include "behaviour/partner_search.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "behaviour/proximity.hpp"
#include "core/parallel.hpp"

namespace clusternet {

RegionDraws::RegionDraws(const World& world, const BehaviourParams& params) {
  const std::size_t regions = world.regions.size();
  std::vector<double> population(regions, 0.0);
  for (std::size_t r = 0; r < regions; ++r) {
    const OrgIndex first = world.region_kind_offsets[r * org_kind_count];
    const OrgIndex last = world.region_kind_offsets[(r + 1) * org_kind_count];
    population[r] = static_cast<double>(last - first);
  }
  by_origin_.reserve(regions);
  std::vector<double> weights(regions);
  for (std::size_t origin = 0; origin < regions; ++origin) {
    for (std::size_t dest = 0; dest < regions; ++dest)
      weights[dest] = population[dest] *
                      geographic_proximity(world, params, static_cast<RegionIndex>(origin), static_cast<RegionIndex>(dest));
    by_origin_.emplace_back(weights);
  }
}

PartnerSearch::PartnerSearch(const World& world, const BehaviourParams& params, std::uint64_t seed,
                             std::uint32_t replicate, Month first_month)
    : world_(world),
      params_(params),
      seed_(seed),
      replicate_(replicate),
      region_draws_(world, params),
      next_search_(world.orgs.size()),
      proposal_(world.orgs.size(), none<OrgIndex>) {
  const std::size_t regions = world.regions.size();
  geographic_.resize(regions * regions);
  for (std::size_t a = 0; a < regions; ++a)
    for (std::size_t b = 0; b < regions; ++b)
      geographic_[a * regions + b] =
          geographic_proximity(world, params, static_cast<RegionIndex>(a), static_cast<RegionIndex>(b));
  // The first search month is drawn from the stream of the month before the first one run.
  for_each_index(0, next_search_.size(), [&](std::size_t org) {
    next_search_[org] = next_search_after(static_cast<OrgIndex>(org), first_month - 1);
  });
}

Month PartnerSearch::next_search_after(OrgIndex org, Month month) const {
  const OrgKind kind = world_.orgs.kind[org];
  const double rate = is_sme(kind)                ? params_.search_rate_sme
                      : kind == OrgKind::large_firm ? params_.search_rate_large_firm
                      : kind == OrgKind::research   ? params_.search_rate_research_org
                                                    : params_.search_rate_cluster_org;
  if (rate <= 0.0) return none<Month>;
  if (rate >= 1.0) return month + 1;
  RandomStream stream(RunKey{seed_, replicate_, month}.stream(org, Purpose::autonomous_search));
  // Months until the next success of a Bernoulli(rate) trial each month: 1 + floor(log U / log(1-rate)).
  const double u = 1.0 - uniform01(stream);  // in (0, 1]
  const double gap = 1.0 + std::floor(std::log(u) / std::log1p(-rate));
  const double next = static_cast<double>(month) + gap;
  return next >= static_cast<double>(none<Month>) ? none<Month> : static_cast<Month>(next);
}

OrgIndex PartnerSearch::draw_candidate(OrgIndex org, RandomStream& stream, const AdjacencyView& adjacency) const {
  const double u = uniform01(stream);
  const double repeat = params_.repeat_tie_propensity;
  const double triadic = repeat + params_.triadic_closure_propensity;
  const double member = triadic + params_.cluster_member_propensity;
  const std::size_t degree = adjacency.degree(org);
  if (u < repeat && degree > 0) return adjacency.of(org)[uniform_index(stream, degree)];
  if (u < triadic && degree > 0) {
    const OrgIndex friend_ = adjacency.of(org)[uniform_index(stream, degree)];
    const std::size_t friend_degree = adjacency.degree(friend_);
    if (friend_degree > 1) {
      const OrgIndex candidate = adjacency.of(friend_)[uniform_index(stream, friend_degree)];
      if (candidate != org) return candidate;
    }
  }
  if (u < member) {
    const auto clusters = world_.memberships.clusters_of(org);
    if (!clusters.empty()) {
      const ClusterOrdinal c = clusters[uniform_index(stream, clusters.size())];
      const auto members = world_.memberships.members_of(c);
      // The cluster organisation itself is a candidate too (index == size).
      const std::size_t pick = uniform_index(stream, members.size() + 1);
      const OrgIndex candidate = pick == members.size() ? world_.cluster_orgs[c] : members[pick];
      if (candidate != org) return candidate;
    }
  }
  // Proximity-weighted draw from the whole population (also the fallback of the other sources).
  const RegionIndex region = region_draws_.draw(stream, world_.orgs.region[org]);
  const OrgIndex first = world_.region_kind_offsets[std::size_t(region) * org_kind_count];
  const OrgIndex last = world_.region_kind_offsets[(std::size_t(region) + 1) * org_kind_count];
  if (last <= first) return none<OrgIndex>;
  OrgIndex candidate;
  const std::uint64_t slot_begin = adjacency.offsets[first], slot_end = adjacency.offsets[last];
  if (bernoulli(stream, params_.preferential_candidate_share) && slot_end > slot_begin) {
    // Degree-proportional: organisations of a region are contiguous, so are their adjacency slots;
    // a uniform slot belongs to an organisation with probability degree / region's total degree.
    const std::uint64_t slot = slot_begin + uniform_index(stream, slot_end - slot_begin);
    const auto it = std::upper_bound(adjacency.offsets.begin() + first, adjacency.offsets.begin() + last + 1, slot);
    candidate = static_cast<OrgIndex>(it - adjacency.offsets.begin() - 1);
  } else {
    candidate = static_cast<OrgIndex>(first + uniform_index(stream, last - first));
  }
  return candidate == org ? none<OrgIndex> : candidate;
}

double PartnerSearch::score(const ProximityOrigin& origin, OrgIndex candidate, const AdjacencyView& adjacency,
                            std::span<const float> reputation) const {
  const auto& p = params_;
  const double geographic = geographic_[std::size_t(origin.region) * world_.regions.size() + world_.orgs.region[candidate]];
  const double cognitive = cognitive_proximity(p, cognitive_distance(world_, origin, candidate));
  const double social = social_proximity(adjacency, origin, candidate);
  const double institutional = institutional_proximity(world_, origin.org, candidate);
  const double organisational = organisational_proximity(world_, origin, candidate);
  // Preferential attachment by degree and track record, saturating so one hub cannot dominate.
  const double attractiveness = static_cast<double>(adjacency.degree(candidate)) + reputation[candidate];
  const double preferential = attractiveness / (attractiveness + 5.0);
  return p.weight_geographic * geographic + p.weight_cognitive * cognitive + p.weight_social * social +
         p.weight_institutional * institutional + p.weight_organisational * organisational +
         p.weight_preferential * preferential;
}

OrgIndex PartnerSearch::propose(OrgIndex org, const AdjacencyView& adjacency, std::span<const float> reputation,
                                Month month) const {
  const RunKey key{seed_, replicate_, month};
  // Candidates and the choice draw from their own streams, so that search months stay aligned
  // across scenarios even when neighbourhoods (and so candidate draws) differ.
  RandomStream candidates_stream(key.stream(org, Purpose::autonomous_candidate));
  std::array<OrgIndex, 32> candidates{};
  std::array<double, 32> weights{};
  const int wanted = std::clamp(params_.candidates_per_search, 1, 32);
  const ProximityOrigin origin = proximity_origin(world_, org, &adjacency);
  // All candidates are drawn first (the draws use only the candidate stream, so the order of work
  // changes nothing), and what scoring will read about each is requested from memory at once:
  // scoring is bound by cache misses on the candidates' records, which then overlap instead of
  // coming one after another.
  int found = 0;
  for (int i = 0; i < wanted; ++i) {
    const OrgIndex c = draw_candidate(org, candidates_stream, adjacency);
    if (c == none<OrgIndex>) continue;
    candidates[found++] = c;
    __builtin_prefetch(&world_.memberships.cluster_offsets[c]);
    __builtin_prefetch(&adjacency.offsets[c]);
    __builtin_prefetch(&world_.orgs.capability[std::size_t(c) * knowledge_slots]);
    __builtin_prefetch(&world_.orgs.region[c]);
    __builtin_prefetch(&reputation[c]);
  }
  for (int i = 0; i < found; ++i) {  // second level: the rows those offsets point to
    const OrgIndex c = candidates[i];
    __builtin_prefetch(world_.memberships.clusters.data() + world_.memberships.cluster_offsets[c]);
    __builtin_prefetch(adjacency.neighbours.data() + adjacency.offsets[c]);
  }
  for (int i = 0; i < found; ++i) weights[i] = std::max(0.0, score(origin, candidates[i], adjacency, reputation));
  if (found == 0) return none<OrgIndex>;
  RandomStream choice(key.stream(org, Purpose::autonomous_choice));
  const std::uint32_t pick = weighted_choice(choice, std::span<const double>(weights.data(), found));
  return pick == none<std::uint32_t> ? none<OrgIndex> : candidates[pick];
}

std::vector<std::pair<OrgIndex, OrgIndex>> PartnerSearch::run(const AdjacencyView& adjacency,
                                                              std::span<const float> reputation, Month month) {
  const std::uint64_t seed = seed_;
  const std::uint32_t replicate = replicate_;
  // Searches, chunk by chunk in parallel, each chunk counting its proposals so that they can be
  // gathered below in proposer order. Small chunks: a chunk holds only a few searching organisations,
  // and the last chunks of the loop then leave a thread idle only briefly.
  constexpr std::size_t grain = 512;
  const std::vector<std::size_t> offsets = chunk_offsets(proposal_.size(), grain, [&](std::size_t begin, std::size_t end) {
    std::size_t proposals = 0;
    for (std::size_t org = begin; org < end; ++org) {
      proposal_[org] = none<OrgIndex>;
      if (next_search_[org] != month) continue;
      const auto o = static_cast<OrgIndex>(org);
      proposal_[org] = propose(o, adjacency, reputation, month);
      next_search_[org] = next_search_after(o, month);
      proposals += proposal_[org] != none<OrgIndex>;
    }
    return proposals;
  });
  struct Request {
    OrgIndex target;
    std::uint64_t priority;
    OrgIndex proposer;
  };
  std::vector<Request> requests(offsets.back());
  for_each_index(0, offsets.size() - 1, [&](std::size_t c) {
    std::size_t k = offsets[c];
    for (std::size_t org = c * grain; k < offsets[c + 1]; ++org) {
      const OrgIndex target = proposal_[org];
      if (target == none<OrgIndex>) continue;
      requests[k++] = {target, hash_mix(seed, replicate, static_cast<std::uint64_t>(month), org), static_cast<OrgIndex>(org)};
    }
  }, Execution::parallel, 16);
  // Each target accepts its best-priority proposals up to the monthly limit; the sort is a total
  // order (a proposer proposes once), so the outcome cannot depend on the order proposals arrived in.
  sort_total(requests.begin(), requests.end(), [](const Request& x, const Request& y) {
    if (x.target != y.target) return x.target < y.target;
    if (x.priority != y.priority) return x.priority < y.priority;
    return x.proposer < y.proposer;
  });
  std::vector<std::pair<OrgIndex, OrgIndex>> accepted;
  std::uint32_t taken = 0;
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (i == 0 || requests[i].target != requests[i - 1].target) taken = 0;
    if (taken >= max_accepted_per_month) continue;
    ++taken;
    const OrgIndex a = std::min(requests[i].target, requests[i].proposer);
    const OrgIndex b = std::max(requests[i].target, requests[i].proposer);
    accepted.emplace_back(a, b);
  }
  sort_total(accepted.begin(), accepted.end(), std::less<>{});
  accepted.erase(std::unique(accepted.begin(), accepted.end()), accepted.end());
  return accepted;
}

}  // namespace clusternet
