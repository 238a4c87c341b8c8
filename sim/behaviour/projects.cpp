#include "behaviour/projects.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>
#include <stdexcept>
#include <vector>

#include "core/parallel.hpp"

namespace clusternet {

namespace {

// Entity of an idea in random-number keys: the initiator and its idea number this month (an
// organisation has far fewer than 2^16 ideas a month).
std::uint64_t idea_entity(OrgIndex initiator, std::uint32_t number) { return (std::uint64_t(initiator) << 16) | number; }

// Months of an exponential waiting time with the given monthly rate, from a uniform in (0, 1].
double waiting_months(RandomStream& stream, double rate) { return -std::log(1.0 - uniform01(stream)) / rate; }

constexpr std::size_t idea_grain = 4096;  // organisations per chunk when collecting ideas

// The candidates of one partner slot and their scores: up to 32 (the default is 6) in arrays on the
// stack, more (a scenario may ask up to 1000) in vectors; both draw the same candidates in the
// same order. Not copyable: the spans point into its own storage.
struct CandidateBuffers {
  std::array<OrgIndex, 32> small_candidates{};
  std::array<double, 32> small_weights{};
  std::vector<OrgIndex> large_candidates;
  std::vector<double> large_weights;
  std::span<OrgIndex> candidates;
  std::span<double> weights;
  explicit CandidateBuffers(int wanted_per_slot) {
    const auto wanted = static_cast<std::size_t>(std::clamp(wanted_per_slot, 1, 1000));
    if (wanted <= small_candidates.size()) {
      candidates = std::span<OrgIndex>(small_candidates).first(wanted);
      weights = std::span<double>(small_weights).first(wanted);
      return;
    }
    large_candidates.resize(wanted);
    large_weights.resize(wanted);
    candidates = large_candidates;
    weights = large_weights;
  }
  CandidateBuffers(const CandidateBuffers&) = delete;
  CandidateBuffers& operator=(const CandidateBuffers&) = delete;
};
}  // namespace

RegionDraws::RegionDraws(const World& world, const BehaviourParams& params, std::span<const double> region_activity) {
  const std::size_t regions = world.regions.size();
  by_origin_.reserve(regions);
  std::vector<double> weights(regions);
  for (std::size_t origin = 0; origin < regions; ++origin) {
    for (std::size_t dest = 0; dest < regions; ++dest)
      weights[dest] = region_activity[dest] * geographic_proximity(world, params, static_cast<RegionIndex>(origin),
                                                                   static_cast<RegionIndex>(dest));
    by_origin_.emplace_back(weights);
  }
}

int ProjectFormation::draw_size(RandomStream& stream, const BehaviourParams& p) {
  const double u = uniform01(stream);
  const double z = normal(stream);  // drawn either way, so the stream's later draws stay aligned
  if (u < p.project_bilateral_share) return 2;
  const double extra = std::max(1.0, std::round(std::exp(p.project_size_log_mean + p.project_size_log_sd * z)));
  return static_cast<int>(std::min<double>(std::max(2, p.project_size_max), 2.0 + extra));
}

Month ProjectFormation::draw_duration(RandomStream& stream, const BehaviourParams& p) {
  const double months = std::round(std::exp(p.project_duration_log_mean + p.project_duration_log_sd * normal(stream)));
  return static_cast<Month>(
      std::clamp(months, double(p.project_duration_min_months), double(p.project_duration_max_months)));
}

ProjectFormation::ProjectFormation(const World& world, const BehaviourParams& params, const ActorProfile& actors,
                                   std::uint64_t seed, std::uint32_t replicate, Month first_month)
    : world_(world),
      params_(params),
      actors_(actors),
      seed_(seed),
      replicate_(replicate),
      region_draws_(world, params, actors.region_activity),
      next_idea_(world.orgs.size()),
      active_(world.orgs.size(), 0),
      first_month_(first_month) {
  const std::size_t regions = world.regions.size();
  geographic_.resize(regions * regions);
  for (std::size_t a = 0; a < regions; ++a)
    for (std::size_t b = 0; b < regions; ++b)
      geographic_[a * regions + b] =
          geographic_proximity(world, params, static_cast<RegionIndex>(a), static_cast<RegionIndex>(b));
  // Each organisation's first idea: an exponential waiting time from the start of the first month,
  // drawn from its stream of the month before.
  for_each_index(0, next_idea_.size(), [&](std::size_t org) {
    const double rate = actors_.activity[org];
    if (!(rate > 0)) {
      next_idea_[org] = std::numeric_limits<float>::infinity();
      return;
    }
    RandomStream stream({seed_, replicate_, first_month - 1, org, Purpose::project_initiation});
    next_idea_[org] = static_cast<float>(first_month + waiting_months(stream, rate));
  });
}

std::vector<ProjectFormation::Idea> ProjectFormation::collect_ideas(Month month) {
  // Every organisation whose next idea falls in this month starts it if it has room (an idea it
  // has no room for passes) and draws the time of the one after from its stream of this month;
  // the most active organisations start several a month. Chunks count their ideas in parallel and
  // keep each organisation's count in its own slot of idea_count_, then list them in organisation
  // order.
  const double end_of_month = static_cast<double>(month) + 1.0;
  const std::vector<std::size_t> offsets =
      chunk_offsets(next_idea_.size(), idea_grain, [&](std::size_t begin, std::size_t end) {
        std::size_t ideas = 0;
        for (std::size_t org = begin; org < end; ++org) {
          if (!(next_idea_[org] < end_of_month)) continue;
          RandomStream stream({seed_, replicate_, month, org, Purpose::project_initiation});
          std::uint32_t room = free_capacity(static_cast<OrgIndex>(org));
          const double rate = actors_.activity[org];
          double next = next_idea_[org];
          std::uint32_t started = 0;
          while (next < end_of_month) {
            if (started < room) ++started;
            next += waiting_months(stream, rate);
          }
          next_idea_[org] = static_cast<float>(next);
          ideas += started;
          idea_count_[org] = static_cast<std::uint16_t>(started);
        }
        return ideas;
      });
  std::vector<Idea> ideas(offsets.back());
  for_each_index(
      0, offsets.size() - 1,
      [&](std::size_t c) {
        std::size_t k = offsets[c];
        const std::size_t end = std::min(next_idea_.size(), (c + 1) * idea_grain);
        for (std::size_t org = c * idea_grain; org < end && k < offsets[c + 1]; ++org) {
          for (std::uint32_t i = 0; i < idea_count_[org]; ++i) ideas[k++] = {static_cast<OrgIndex>(org), i};
          idea_count_[org] = 0;
        }
      },
      Execution::parallel, 1);
  return ideas;
}

OrgIndex ProjectFormation::draw_candidate(OrgIndex org, RandomStream& stream, const AdjacencyView& adjacency) const {
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
  // Proximity-weighted draw from the whole population (also the fallback of the other sources): a
  // region by distance and activity, then an organisation of it by degree (preferential share) or
  // by activity.
  const RegionIndex region = region_draws_.draw(stream, world_.orgs.region[org]);
  const OrgIndex first = world_.region_kind_offsets[std::size_t(region) * org_kind_count];
  const OrgIndex last = world_.region_kind_offsets[(std::size_t(region) + 1) * org_kind_count];
  if (last <= first) return none<OrgIndex>;
  OrgIndex candidate;
  const std::uint64_t slot_begin = adjacency.offsets[first], slot_end = adjacency.offsets[last];
  if (bernoulli(stream, params_.preferential_candidate_share) && slot_end > slot_begin) {
    // Organisations of a region are contiguous, so are their adjacency slots: a uniform slot
    // belongs to an organisation with probability degree / the region's total degree.
    const std::uint64_t slot = slot_begin + uniform_index(stream, slot_end - slot_begin);
    const auto it = std::upper_bound(adjacency.offsets.begin() + first, adjacency.offsets.begin() + last + 1, slot);
    candidate = static_cast<OrgIndex>(it - adjacency.offsets.begin() - 1);
  } else {
    const double low = actors_.cumulative_activity(first), high = actors_.cumulative_activity(last);
    if (!(high > low)) {
      candidate = static_cast<OrgIndex>(first + uniform_index(stream, last - first));
    } else {
      const double target = low + uniform01(stream) * (high - low);
      const std::size_t above = actors_.first_cumulative_above(std::size_t(first) + 1, last, target);
      candidate = static_cast<OrgIndex>(std::min<std::size_t>(above - 1, last - 1));
    }
  }
  return candidate == org ? none<OrgIndex> : candidate;
}

double ProjectFormation::score(const ProximityOrigin& origin, OrgIndex candidate, const AdjacencyView& adjacency,
                               std::span<const float> reputation) const {
  const auto& p = params_;
  const double geographic = geographic_[std::size_t(origin.region) * world_.regions.size() + world_.orgs.region[candidate]];
  const double cognitive = cognitive_proximity(p, cognitive_distance(world_, origin, candidate));
  const double social = social_proximity(adjacency, origin, candidate);
  const double institutional = institutional_proximity(world_, origin.org, candidate);
  const double organisational = organisational_proximity(world_, origin, candidate);
  const double proximity = p.weight_geographic * geographic + p.weight_cognitive * cognitive + p.weight_social * social +
                           p.weight_institutional * institutional + p.weight_organisational * organisational;
  // Track record multiplies rather than adds: an organisation with many finished projects is
  // preferred by a factor that keeps growing with its record, which is what lets hubs form.
  return std::max(0.0, proximity) * std::pow(1.0 + double(reputation[candidate]), p.weight_preferential);
}

void ProjectFormation::finish(Month month, std::span<float> reputation, const CollaborationLog& log, ProjectMonth& out) {
  const auto slot = static_cast<std::size_t>(month - first_month_);
  if (slot >= ending_.size()) return;
  std::vector<std::uint32_t> ending = std::move(ending_[slot]);
  ending_[slot] = {};
  for (std::uint32_t id : ending) {
    for (OrgIndex member : log.members(id)) {
      if (active_[member] > 0) --active_[member];
      reputation[member] += static_cast<float>(params_.reputation_per_project);
    }
  }
  out.finished = ending.size();
}

ProjectMonth ProjectFormation::run(const AdjacencyView& adjacency, std::span<float> reputation, Month month,
                                   CollaborationLog& log) {
  if (month < first_month_) throw std::logic_error("ProjectFormation::run: months must be run in order");
  ProjectMonth out;
  finish(month, reputation, log, out);
  if (idea_count_.empty()) idea_count_.assign(next_idea_.size(), 0);
  const std::vector<Idea> ideas = collect_ideas(month);
  out.ideas = ideas.size();
  if (ideas.empty()) return out;

  // Recruitment, one idea per task: size, duration and the partners invited, in the idea's own
  // slots. An idea invites distinct organisations other than its initiator; a candidate without
  // free capacity at the start of the month is passed over (it could not accept).
  std::vector<Month> duration(ideas.size());
  std::vector<std::vector<OrgIndex>> invited(ideas.size());
  const std::span<const float> reputation_now(reputation.data(), reputation.size());
  for_each_index(
      0, ideas.size(),
      [&](std::size_t i) {
        const Idea& idea = ideas[i];
        const std::uint64_t entity = idea_entity(idea.initiator, idea.number);
        RandomStream shape({seed_, replicate_, month, entity, Purpose::project_size});
        const int size = draw_size(shape, params_);
        duration[i] = draw_duration(shape, params_);
        RandomStream candidates_stream({seed_, replicate_, month, entity, Purpose::project_candidates});
        RandomStream choice({seed_, replicate_, month, entity, Purpose::project_choice});
        const ProximityOrigin origin = proximity_origin(world_, idea.initiator, &adjacency);
        CandidateBuffers buffers(params_.candidates_per_search);
        const std::span<OrgIndex> candidates = buffers.candidates;
        const std::span<double> weights = buffers.weights;
        std::vector<OrgIndex>& chosen = invited[i];
        auto taken = [&](OrgIndex c) {
          return c == idea.initiator || std::find(chosen.begin(), chosen.end(), c) != chosen.end();
        };
        // A few draws per slot at most: a slot that finds nobody stays empty (the project is smaller).
        for (int slot = 1; slot < size; ++slot) {
          int found = 0;
          for (std::size_t k = 0; k < candidates.size(); ++k) {
            const OrgIndex c = draw_candidate(idea.initiator, candidates_stream, adjacency);
            if (c == none<OrgIndex> || taken(c) || free_capacity(c) == 0) continue;
            candidates[std::size_t(found++)] = c;
          }
          if (found == 0) continue;
          for (int k = 0; k < found; ++k)
            weights[std::size_t(k)] = score(origin, candidates[std::size_t(k)], adjacency, reputation_now);
          const std::uint32_t pick = weighted_choice(choice, std::span<const double>(weights.data(), std::size_t(found)));
          if (pick != none<std::uint32_t>) chosen.push_back(candidates[pick]);
        }
      },
      Execution::parallel, 1);

  // Acceptance: every invitation, ranked per invited organisation by a hashed priority; each
  // accepts while it has room (room used by its own ideas this month counted first).
  struct Invitation {
    OrgIndex org;
    std::uint64_t priority;
    std::uint32_t idea;
    std::uint32_t position;
  };
  std::vector<Invitation> invitations;
  for (std::uint32_t i = 0; i < ideas.size(); ++i)
    for (std::uint32_t k = 0; k < invited[i].size(); ++k) {
      const OrgIndex org = invited[i][k];
      invitations.push_back({org,
                             hash_mix(seed_, replicate_, static_cast<std::uint64_t>(month),
                                      idea_entity(ideas[i].initiator, ideas[i].number) ^ (std::uint64_t(org) << 24)),
                             i, k});
    }
  sort_total(invitations.begin(), invitations.end(), [](const Invitation& x, const Invitation& y) {
    if (x.org != y.org) return x.org < y.org;
    if (x.priority != y.priority) return x.priority < y.priority;
    if (x.idea != y.idea) return x.idea < y.idea;
    return x.position < y.position;
  });
  std::vector<std::uint16_t> own_ideas;  // ideas per initiator this month, sorted by initiator
  std::vector<std::vector<std::uint8_t>> accepted(ideas.size());
  for (std::size_t i = 0; i < ideas.size(); ++i) accepted[i].assign(invited[i].size(), 0);
  {
    std::size_t next_idea = 0;  // ideas are in initiator order
    for (std::size_t i = 0; i < invitations.size();) {
      const OrgIndex org = invitations[i].org;
      while (next_idea < ideas.size() && ideas[next_idea].initiator < org) ++next_idea;
      std::uint32_t own = 0;
      for (std::size_t j = next_idea; j < ideas.size() && ideas[j].initiator == org; ++j) ++own;
      std::uint32_t room = free_capacity(org) > own ? free_capacity(org) - own : 0;
      for (; i < invitations.size() && invitations[i].org == org; ++i) {
        if (room == 0) continue;
        --room;
        accepted[invitations[i].idea][invitations[i].position] = 1;
      }
    }
  }

  // Start the projects with two members or more, in idea order; list their pairs.
  std::vector<OrgIndex> members;
  std::vector<MemberRole> roles;
  for (std::size_t i = 0; i < ideas.size(); ++i) {
    members.assign(1, ideas[i].initiator);
    roles.assign(1, MemberRole::lead);
    for (std::size_t k = 0; k < invited[i].size(); ++k)
      if (accepted[i][k]) {
        members.push_back(invited[i][k]);
        roles.push_back(MemberRole::partner);
      }
    if (members.size() < 2) continue;
    const Month end = month + duration[i];
    const std::uint32_t id = log.add(TieOrigin::autonomous, -1, month, end, members, roles);
    const auto slot = static_cast<std::size_t>(end - first_month_);
    if (ending_.size() <= slot) ending_.resize(slot + 1);
    ending_[slot].push_back(id);
    for (OrgIndex m : members)
      if (active_[m] < UINT16_MAX) ++active_[m];
    ++out.started;
    for (std::size_t x = 0; x < members.size(); ++x)
      for (std::size_t y = x + 1; y < members.size(); ++y)
        out.pairs.push_back({std::min(members[x], members[y]), std::max(members[x], members[y]), end - 1, 1});
  }
  merge_pair_formations(out.pairs);
  return out;
}

void merge_pair_formations(std::vector<PairFormation>& pairs) {
  sort_total(pairs.begin(), pairs.end(), [](const PairFormation& x, const PairFormation& y) {
    if (x.a != y.a) return x.a < y.a;
    if (x.b != y.b) return x.b < y.b;
    if (x.hold_until != y.hold_until) return x.hold_until < y.hold_until;
    return x.projects < y.projects;
  });
  std::size_t out = 0;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (out > 0 && pairs[out - 1].a == pairs[i].a && pairs[out - 1].b == pairs[i].b) {
      pairs[out - 1].hold_until = std::max(pairs[out - 1].hold_until, pairs[i].hold_until);
      pairs[out - 1].projects += pairs[i].projects;
    } else {
      pairs[out++] = pairs[i];
    }
  }
  pairs.resize(out);
}

}  // namespace clusternet
