#include "behaviour/consortium.hpp"

#include <algorithm>
#include <cmath>

#include "core/parallel.hpp"

namespace clusternet {

namespace {

bool in_targets(const InstrumentSpec& instrument, AreaIndex area) {
  const auto& t = instrument.rules.thematic_targets;
  return t.empty() || std::find(t.begin(), t.end(), area) != t.end();
}

bool eligible_kind(const InstrumentSpec& instrument, OrgKind kind) {
  const auto& kinds = instrument.rules.eligible_kinds;
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

struct Lead {
  OrgIndex org;
  AreaIndex focus;
  int target_size;
  std::vector<OrgIndex> preferences;
  std::size_t next = 0;
  std::vector<OrgIndex> accepted;
};

// What every step of one call's formation reads.
struct Call {
  const World& world;
  const InstrumentSpec& instrument;
  InstrumentIndex index;
  const AgentState& state;
  const BehaviourParams& params;
  const RunKey& key;
  double mean_members;  // mean membership of the world's cluster organisations, at least 1

  // Partnerships an organisation can still join: a cluster organisation's capacity, or for the
  // other kinds non_cluster_partnership_capacity.
  int free_capacity(OrgIndex org) const {
    const ClusterOrdinal c = world.cluster_ordinal(org);
    if (c != none<ClusterOrdinal>) return static_cast<int>(state.capacity[c]) - static_cast<int>(state.engaged[c]);
    return non_cluster_partnership_capacity - static_cast<int>(state.org_engaged[org]);
  }
  // Larger cluster organisations have the staff to lead and the members to offer, so both leading
  // and being chosen as a partner rise with membership (saturating, relative to the mean): 0.5 at
  // the mean size, towards 1 for the largest. Other organisations count as of mean size.
  double size_factor(OrgIndex org) const {
    const ClusterOrdinal c = world.cluster_ordinal(org);
    if (c == none<ClusterOrdinal>) return 0.5;
    const double m = static_cast<double>(world.memberships.members_of(c).size()) / mean_members;
    return m / (m + 1.0);
  }
  int label(OrgIndex org) const {
    const ClusterOrdinal c = world.cluster_ordinal(org);
    return c == none<ClusterOrdinal> ? 0 : static_cast<int>(state.label[c]);
  }
  // Excellence, size and track record make a lead: preferential by reputation as in autonomous
  // projects ((1 + reputation)^weight_preferential).
  double lead_weight(OrgIndex org) const {
    return (1.0 + label(org)) * size_factor(org) *
           std::pow(1.0 + static_cast<double>(state.reputation[org]), params.weight_preferential);
  }
  RandomStream stream(OrgIndex org, Purpose purpose) const {
    return RandomStream(key.stream(instrument_entity(index, org), purpose));
  }
};

double mean_membership(const World& world) {
  const std::size_t clusters = world.cluster_orgs.size();
  if (clusters == 0) return 1.0;
  double mean_members = 0;
  for (ClusterOrdinal c = 0; c < clusters; ++c) mean_members += static_cast<double>(world.memberships.members_of(c).size());
  return std::max(1.0, mean_members / static_cast<double>(clusters));
}

bool thematic_fit(const Call& call, OrgIndex org) {
  const World& world = call.world;
  bool fit = in_targets(call.instrument, world.orgs.primary_area[org]);
  for (AreaIndex a = 0; !fit && a < thematic_area_count; ++a)
    fit = ((world.orgs.secondary_areas[org] >> a) & 1u) && in_targets(call.instrument, a);
  return fit;
}

// Organisations that could lead: cluster organisations when the call admits them (EU cluster calls
// are led by cluster organisations), otherwise organisations of the eligible kinds; with free
// capacity and a primary or secondary area among the call's themes.
std::vector<OrgIndex> possible_leads(const Call& call) {
  const World& world = call.world;
  std::vector<OrgIndex> could_lead;
  if (eligible_kind(call.instrument, OrgKind::cluster)) {
    for (OrgIndex org : world.cluster_orgs)
      if (call.free_capacity(org) > 0 && thematic_fit(call, org)) could_lead.push_back(org);
    return could_lead;
  }
  // Every organisation is a candidate: at scale 250, 30 million, once per call. Gathered in
  // parallel over fixed chunks, each written from its own offset: the serial loop's order.
  auto could = [&](OrgIndex org) {
    return eligible_kind(call.instrument, world.orgs.kind[org]) && call.free_capacity(org) > 0 && thematic_fit(call, org);
  };
  const std::size_t n = world.orgs.size();
  constexpr std::size_t grain = 1 << 16;
  const std::vector<std::size_t> offsets = chunk_offsets(n, grain, [&](std::size_t begin, std::size_t end) {
    std::size_t count = 0;
    for (std::size_t org = begin; org < end; ++org) count += could(static_cast<OrgIndex>(org));
    return count;
  });
  could_lead.resize(offsets.back());
  for_each_index(0, offsets.size() - 1, [&](std::size_t c) {
    std::size_t next = offsets[c];
    for (std::size_t org = c * grain, end = std::min(n, (c + 1) * grain); org < end; ++org)
      if (could(static_cast<OrgIndex>(org))) could_lead[next++] = static_cast<OrgIndex>(org);
  }, Execution::parallel, 1);
  return could_lead;
}

}  // namespace

int draw_consortium_size(RandomStream& stream, const BehaviourParams& params, int min_size, int max_size) {
  int size = min_size;
  for (int attempt = 0; attempt < 32; ++attempt) {
    const double u = uniform01(stream);
    const double z = normal(stream);
    size = u < params.consortium_bilateral_share
               ? 2
               : 2 + static_cast<int>(std::max(1.0, std::min(1e6, std::round(std::exp(params.consortium_size_log_mean +
                                                                                     params.consortium_size_log_sd * z)))));
    if (size >= min_size && size <= max_size) return size;
  }
  return std::clamp(size, min_size, max_size);
}

namespace {

// The possible leads that decide to lead, each with its target consortium size and focus area (its
// primary area, or its first secondary area among the call's themes).
std::vector<Lead> draw_leads(const Call& call, const std::vector<OrgIndex>& could_lead, Cents call_budget) {
  const World& world = call.world;
  const InstrumentSpec& instrument = call.instrument;
  const double mean_grant = 0.5 * (eur_from_cents(instrument.grant_min) + eur_from_cents(instrument.grant_max));
  const double fundable = mean_grant > 0 ? eur_from_cents(call_budget) / mean_grant : 0.0;
  double mean_weight = 0;
  for (OrgIndex org : could_lead) mean_weight += call.lead_weight(org);
  mean_weight /= static_cast<double>(could_lead.size());
  const double base_rate = expected_oversubscription * fundable / static_cast<double>(could_lead.size());

  std::vector<Lead> leads;
  for (OrgIndex org : could_lead) {
    RandomStream stream = call.stream(org, Purpose::consortium_lead);
    const double p = std::min(max_lead_probability, base_rate * call.lead_weight(org) / mean_weight);
    if (!bernoulli(stream, p)) continue;
    const int target = draw_consortium_size(stream, call.params, instrument.rules.min_partners, instrument.rules.max_partners);
    AreaIndex focus = world.orgs.primary_area[org];
    if (!in_targets(instrument, focus))
      for (AreaIndex a = 0; a < thematic_area_count; ++a)
        if (((world.orgs.secondary_areas[org] >> a) & 1u) && in_targets(instrument, a)) {
          focus = a;
          break;
        }
    leads.push_back({org, focus, target, {}, 0, {}});
  }
  return leads;
}

// How often each organisation was a partner of `lead` in a funded partnership so far (the lead's
// former partners, for repeat consortia), ascending by organisation.
std::vector<std::pair<OrgIndex, int>> former_partners(const AgentState& state, OrgIndex lead) {
  std::vector<OrgIndex> together;
  for (const Partnership& p : state.partnerships) {
    if (std::find(p.partners.begin(), p.partners.end(), lead) == p.partners.end()) continue;
    for (OrgIndex o : p.partners)
      if (o != lead) together.push_back(o);
  }
  std::sort(together.begin(), together.end());
  std::vector<std::pair<OrgIndex, int>> counts;
  for (OrgIndex o : together) {
    if (!counts.empty() && counts.back().first == o) ++counts.back().second;
    else counts.emplace_back(o, 1);
  }
  return counts;
}

// Each lead's preference list over its candidates (not leads themselves, of eligible kinds, with free
// capacity, in another region), best first; computed in parallel, each lead into its own slot.
void rank_candidates(const Call& call, std::vector<Lead>& leads) {
  const World& world = call.world;
  const InstrumentSpec& instrument = call.instrument;
  const std::size_t clusters = world.cluster_orgs.size();
  std::vector<OrgIndex> lead_orgs;
  for (const Lead& l : leads) lead_orgs.push_back(l.org);
  std::sort(lead_orgs.begin(), lead_orgs.end());
  const bool other_kinds = std::any_of(instrument.rules.eligible_kinds.begin(), instrument.rules.eligible_kinds.end(),
                                       [](OrgKind k) { return k != OrgKind::cluster; });
  const auto sample_size = static_cast<std::uint32_t>(
      std::min<std::size_t>(clusters, std::size_t(candidates_per_partner_slot) * instrument.rules.max_partners));
  const PartnerPreference& w = partner_preference;
  for_each_index(
      0, leads.size(),
      [&](std::size_t i) {
        Lead& lead = leads[i];
        RandomStream stream = call.stream(lead.org, Purpose::consortium_recruit);
        const RegionIndex lead_region = world.orgs.region[lead.org];
        const CountryIndex lead_country = world.regions.regions[lead_region].country;
        const auto former = former_partners(call.state, lead.org);
        // Candidates: former partners first, then the sampled cluster organisations and, for calls
        // open to other kinds, some of their members of those kinds.
        std::vector<OrgIndex> candidates;
        for (const auto& [org, times] : former) candidates.push_back(org);
        if (clusters > 0) {
          for (std::uint32_t c : sample_without_replacement(stream, sample_size, static_cast<std::uint32_t>(clusters))) {
            candidates.push_back(world.cluster_orgs[c]);
            if (!other_kinds) continue;
            const auto members = world.memberships.members_of(c);
            for (int k = 0; k < members_per_sampled_cluster && !members.empty(); ++k)
              candidates.push_back(members[uniform_index(stream, members.size())]);
          }
        }
        std::sort(candidates.begin(), candidates.end());
        candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
        std::vector<std::pair<double, OrgIndex>> scored;
        for (OrgIndex org : candidates) {
          if (std::binary_search(lead_orgs.begin(), lead_orgs.end(), org)) continue;
          if (!eligible_kind(instrument, world.orgs.kind[org]) || call.free_capacity(org) <= 0) continue;
          const RegionIndex region = world.orgs.region[org];
          if (region == lead_region) continue;  // partnerships are cross-regional by design
          const AreaIndex area = world.orgs.primary_area[org];
          const auto& reg = world.regions.regions[region];
          double s = area == lead.focus ? w.same_focus : in_targets(instrument, area) ? w.call_theme : w.off_theme;
          s += w.excellence * static_cast<double>(call.label(org)) / 3.0;
          s += call.size_factor(org);
          s += reg.country != lead_country ? w.other_country : 0.0;
          s += reg.category == CohesionCategory::less_developed ? w.less_developed * instrument.evaluation.cohesion : 0.0;
          s += w.reputation * std::log1p(static_cast<double>(call.state.reputation[org]));
          const auto it = std::lower_bound(former.begin(), former.end(), std::pair<OrgIndex, int>(org, 0));
          if (it != former.end() && it->first == org) s += call.params.consortium_repeat_bonus * std::min(3, it->second);
          s += w.noise * uniform01(stream);
          scored.emplace_back(s, org);
        }
        std::sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) {
          return x.first != y.first ? x.first > y.first : x.second < y.second;
        });
        for (const auto& [s, org] : scored) lead.preferences.push_back(org);
      },
      Execution::parallel, 1);
}

// Proposal/acceptance rounds until every lead has its partners, has run out of candidates, or
// max_recruitment_rounds have passed.
void recruit(const Call& call, std::vector<Lead>& leads) {
  std::vector<std::pair<OrgIndex, int>> accepted_this_call;  // ascending by organisation
  auto accepted_count = [&](OrgIndex org) -> int& {
    auto it = std::lower_bound(accepted_this_call.begin(), accepted_this_call.end(), std::pair<OrgIndex, int>(org, 0),
                               [](const auto& x, const auto& y) { return x.first < y.first; });
    if (it == accepted_this_call.end() || it->first != org) it = accepted_this_call.insert(it, {org, 0});
    return it->second;
  };
  struct Request {
    OrgIndex candidate;
    int lead_label;
    std::uint64_t priority;
    std::uint32_t lead;  // index into leads
  };
  for (int round = 0; round < max_recruitment_rounds; ++round) {
    std::vector<Request> requests;
    for (std::uint32_t i = 0; i < leads.size(); ++i) {
      Lead& lead = leads[i];
      int need = lead.target_size - 1 - static_cast<int>(lead.accepted.size());
      while (need > 0 && lead.next < lead.preferences.size()) {
        const OrgIndex candidate = lead.preferences[lead.next++];
        requests.push_back({candidate, call.label(lead.org),
                            hash_mix(call.key.seed, instrument_entity(call.index, lead.org), candidate,
                                     static_cast<std::uint64_t>(call.key.month)),
                            i});
        --need;
      }
    }
    if (requests.empty()) break;
    std::sort(requests.begin(), requests.end(), [](const Request& x, const Request& y) {
      if (x.candidate != y.candidate) return x.candidate < y.candidate;
      if (x.lead_label != y.lead_label) return x.lead_label > y.lead_label;
      if (x.priority != y.priority) return x.priority < y.priority;
      return x.lead < y.lead;
    });
    for (const Request& r : requests) {
      int& taken = accepted_count(r.candidate);
      if (call.free_capacity(r.candidate) - taken <= 0) continue;
      ++taken;
      leads[r.lead].accepted.push_back(r.candidate);
    }
  }
}

// One proposal per lead: the lead, its accepted partners in index order, and up to
// associated_members_per_partner members drawn from each cluster partner's membership (lead
// included).
std::vector<Proposal> assemble_proposals(const Call& call, int call_number, const std::vector<Lead>& leads) {
  const World& world = call.world;
  const InstrumentSpec& instrument = call.instrument;
  std::vector<Proposal> proposals(leads.size());
  for_each_index(
      0, leads.size(),
      [&](std::size_t i) {
        const Lead& lead = leads[i];
        Proposal& p = proposals[i];
        p.instrument = call.index;
        p.call = call_number;
        p.lead = lead.org;
        p.focus_area = lead.focus;
        p.partners.push_back(lead.org);
        std::vector<OrgIndex> partners = lead.accepted;
        std::sort(partners.begin(), partners.end());
        p.partners.insert(p.partners.end(), partners.begin(), partners.end());
        const int per_partner = instrument.rules.associated_members_per_partner;
        for (OrgIndex partner : p.partners) {
          const ClusterOrdinal c = world.cluster_ordinal(partner);
          if (c == none<ClusterOrdinal>) continue;
          const auto members = world.memberships.members_of(c);
          if (members.empty() || per_partner <= 0) continue;
          RandomStream stream = call.stream(partner, Purpose::consortium_priority);
          const auto k = static_cast<std::uint32_t>(std::min<std::size_t>(members.size(), std::size_t(per_partner)));
          for (std::uint32_t m : sample_without_replacement(stream, k, static_cast<std::uint32_t>(members.size())))
            p.associates.push_back(members[m]);
        }
        std::sort(p.associates.begin(), p.associates.end());
        p.associates.erase(std::unique(p.associates.begin(), p.associates.end()), p.associates.end());
        // An associated member that is a partner already is not associated as well.
        std::vector<OrgIndex> sorted_partners = p.partners;
        std::sort(sorted_partners.begin(), sorted_partners.end());
        p.associates.erase(std::remove_if(p.associates.begin(), p.associates.end(),
                                          [&](OrgIndex o) { return std::binary_search(sorted_partners.begin(), sorted_partners.end(), o); }),
                           p.associates.end());
        p.grant = proposal_grant(instrument, p.partners.size());
      },
      Execution::parallel, 1);
  return proposals;
}

}  // namespace

std::vector<Proposal> form_consortia(const World& world, const InstrumentSpec& instrument, InstrumentIndex index,
                                     int call_number, const AgentState& state, const BehaviourParams& params,
                                     Cents call_budget, const RunKey& key) {
  const Call call{world, instrument, index, state, params, key, mean_membership(world)};
  const std::vector<OrgIndex> could_lead = possible_leads(call);
  if (could_lead.empty()) return {};
  std::vector<Lead> leads = draw_leads(call, could_lead, call_budget);
  if (leads.empty()) return {};
  rank_candidates(call, leads);
  recruit(call, leads);
  return assemble_proposals(call, call_number, leads);
}

}  // namespace clusternet
