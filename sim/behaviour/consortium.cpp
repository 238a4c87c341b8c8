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

bool has_free_capacity(const AgentState& state, ClusterOrdinal c) { return state.engaged[c] < state.capacity[c]; }

bool eligible_kind(const InstrumentSpec& instrument, OrgKind kind) {
  const auto& kinds = instrument.rules.eligible_kinds;
  return std::find(kinds.begin(), kinds.end(), kind) != kinds.end();
}

struct Lead {
  ClusterOrdinal ordinal;
  OrgIndex org;
  AreaIndex focus;
  int target_size;
  std::vector<ClusterOrdinal> preferences;
  std::size_t next = 0;
  std::vector<ClusterOrdinal> accepted;
};

// What every step of one call's formation reads.
struct Call {
  const World& world;
  const InstrumentSpec& instrument;
  InstrumentIndex index;
  const AgentState& state;
  const RunKey& key;
  double mean_members;  // mean membership of the world's cluster organisations, at least 1

  // Larger cluster organisations have the staff to lead and the members to offer, so both leading
  // and being chosen as a partner rise with membership (saturating, relative to the mean): 0.5 at
  // the mean size, towards 1 for the largest.
  double size_factor(ClusterOrdinal c) const {
    const double m = static_cast<double>(world.memberships.members_of(c).size()) / mean_members;
    return m / (m + 1.0);
  }
  double lead_weight(ClusterOrdinal c) const { return (1.0 + static_cast<double>(state.label[c])) * size_factor(c); }
  RandomStream stream(OrgIndex org, Purpose purpose) const {
    return RandomStream(key.stream(instrument_entity(index, org), purpose));
  }
};

double mean_membership(const World& world) {
  const std::size_t clusters = world.cluster_orgs.size();
  double mean_members = 0;
  for (ClusterOrdinal c = 0; c < clusters; ++c) mean_members += static_cast<double>(world.memberships.members_of(c).size());
  return std::max(1.0, mean_members / static_cast<double>(clusters));
}

// Cluster organisations that could lead: free capacity, and a primary or secondary area among the
// call's themes.
std::vector<ClusterOrdinal> possible_leads(const Call& call) {
  const World& world = call.world;
  std::vector<ClusterOrdinal> could_lead;
  for (ClusterOrdinal c = 0; c < world.cluster_orgs.size(); ++c) {
    const OrgIndex org = world.cluster_orgs[c];
    if (!has_free_capacity(call.state, c)) continue;
    bool fit = in_targets(call.instrument, world.orgs.primary_area[org]);
    for (AreaIndex a = 0; !fit && a < thematic_area_count; ++a)
      fit = ((world.orgs.secondary_areas[org] >> a) & 1u) && in_targets(call.instrument, a);
    if (fit) could_lead.push_back(c);
  }
  return could_lead;
}

// The possible leads that decide to lead, each with its target consortium size and focus area (its
// primary area, or its first secondary area among the call's themes).
std::vector<Lead> draw_leads(const Call& call, const std::vector<ClusterOrdinal>& could_lead, Cents call_budget) {
  const World& world = call.world;
  const InstrumentSpec& instrument = call.instrument;
  const double mean_grant = 0.5 * (eur_from_cents(instrument.grant_min) + eur_from_cents(instrument.grant_max));
  const double fundable = mean_grant > 0 ? eur_from_cents(call_budget) / mean_grant : 0.0;
  double mean_weight = 0;
  for (ClusterOrdinal c : could_lead) mean_weight += call.lead_weight(c);
  mean_weight /= static_cast<double>(could_lead.size());
  const double base_rate = expected_oversubscription * fundable / static_cast<double>(could_lead.size());

  std::vector<Lead> leads;
  for (ClusterOrdinal c : could_lead) {
    const OrgIndex org = world.cluster_orgs[c];
    RandomStream stream = call.stream(org, Purpose::consortium_lead);
    const double p = std::min(max_lead_probability, base_rate * call.lead_weight(c) / mean_weight);
    if (!bernoulli(stream, p)) continue;
    const auto target = static_cast<int>(uniform_int(stream, instrument.rules.min_partners, instrument.rules.max_partners));
    AreaIndex focus = world.orgs.primary_area[org];
    if (!in_targets(instrument, focus))
      for (AreaIndex a = 0; a < thematic_area_count; ++a)
        if (((world.orgs.secondary_areas[org] >> a) & 1u) && in_targets(instrument, a)) {
          focus = a;
          break;
        }
    leads.push_back({c, org, focus, target, {}, 0, {}});
  }
  return leads;
}

// Each lead's preference list over a sample of candidates (not leads themselves, with free
// capacity, in another region), best first; computed in parallel, each lead into its own slot.
void rank_candidates(const Call& call, std::vector<Lead>& leads) {
  const World& world = call.world;
  const InstrumentSpec& instrument = call.instrument;
  const std::size_t clusters = world.cluster_orgs.size();
  std::vector<std::uint8_t> is_lead(clusters, 0);
  for (const Lead& l : leads) is_lead[l.ordinal] = 1;
  const auto sample_size = static_cast<std::uint32_t>(
      std::min<std::size_t>(clusters, std::size_t(candidates_per_partner_slot) * instrument.rules.max_partners));
  const PartnerPreference& w = partner_preference;
  for_each_index(
      0, leads.size(),
      [&](std::size_t i) {
        Lead& lead = leads[i];
        RandomStream stream = call.stream(lead.org, Purpose::consortium_recruit);
        const auto sample = sample_without_replacement(stream, sample_size, static_cast<std::uint32_t>(clusters));
        const RegionIndex lead_region = world.orgs.region[lead.org];
        const CountryIndex lead_country = world.regions.regions[lead_region].country;
        std::vector<std::pair<double, ClusterOrdinal>> scored;
        for (std::uint32_t c : sample) {
          if (is_lead[c] || !has_free_capacity(call.state, c)) continue;
          const OrgIndex org = world.cluster_orgs[c];
          const RegionIndex region = world.orgs.region[org];
          if (region == lead_region) continue;  // partnerships are cross-regional by design
          const AreaIndex area = world.orgs.primary_area[org];
          const auto& reg = world.regions.regions[region];
          double s = area == lead.focus ? w.same_focus : in_targets(instrument, area) ? w.call_theme : w.off_theme;
          s += w.excellence * static_cast<double>(call.state.label[c]) / 3.0;
          s += call.size_factor(c);
          s += reg.country != lead_country ? w.other_country : 0.0;
          s += reg.category == CohesionCategory::less_developed ? w.less_developed * instrument.evaluation.cohesion : 0.0;
          s += w.noise * uniform01(stream);
          scored.emplace_back(s, c);
        }
        std::sort(scored.begin(), scored.end(), [](const auto& x, const auto& y) {
          return x.first != y.first ? x.first > y.first : x.second < y.second;
        });
        for (const auto& [s, c] : scored) lead.preferences.push_back(c);
      },
      Execution::parallel, 1);
}

// Proposal/acceptance rounds until every lead has its partners, has run out of candidates, or
// max_recruitment_rounds have passed.
void recruit(const Call& call, std::vector<Lead>& leads) {
  const AgentState& state = call.state;
  std::vector<int> accepted_this_call(call.world.cluster_orgs.size(), 0);
  struct Request {
    ClusterOrdinal candidate;
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
        const ClusterOrdinal c = lead.preferences[lead.next++];
        requests.push_back({c, static_cast<int>(state.label[lead.ordinal]),
                            hash_mix(call.key.seed, instrument_entity(call.index, lead.org), call.world.cluster_orgs[c],
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
      const int free = static_cast<int>(state.capacity[r.candidate]) - static_cast<int>(state.engaged[r.candidate]) -
                       accepted_this_call[r.candidate];
      if (free <= 0) continue;
      ++accepted_this_call[r.candidate];
      leads[r.lead].accepted.push_back(r.candidate);
    }
  }
}

// One proposal per lead: the lead, its accepted partners in ordinal order, and up to
// associated_members_per_partner members drawn from each partner's membership (lead included).
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
        std::vector<ClusterOrdinal> partner_ordinals = lead.accepted;
        std::sort(partner_ordinals.begin(), partner_ordinals.end());
        for (ClusterOrdinal c : partner_ordinals) p.partners.push_back(world.cluster_orgs[c]);
        partner_ordinals.insert(partner_ordinals.begin(), lead.ordinal);
        const int per_partner = instrument.rules.associated_members_per_partner;
        for (ClusterOrdinal c : partner_ordinals) {
          const auto members = world.memberships.members_of(c);
          if (members.empty() || per_partner <= 0) continue;
          RandomStream stream = call.stream(world.cluster_orgs[c], Purpose::consortium_priority);
          const auto k = static_cast<std::uint32_t>(std::min<std::size_t>(members.size(), std::size_t(per_partner)));
          for (std::uint32_t m : sample_without_replacement(stream, k, static_cast<std::uint32_t>(members.size())))
            p.associates.push_back(members[m]);
        }
        std::sort(p.associates.begin(), p.associates.end());
        p.associates.erase(std::unique(p.associates.begin(), p.associates.end()), p.associates.end());
        p.grant = proposal_grant(instrument, p.partners.size());
      },
      Execution::parallel, 1);
  return proposals;
}

}  // namespace

std::vector<Proposal> form_consortia(const World& world, const InstrumentSpec& instrument, InstrumentIndex index,
                                     int call_number, const AgentState& state, Cents call_budget, const RunKey& key) {
  if (world.cluster_orgs.empty() || !eligible_kind(instrument, OrgKind::cluster)) return {};
  const Call call{world, instrument, index, state, key, mean_membership(world)};
  const std::vector<ClusterOrdinal> could_lead = possible_leads(call);
  if (could_lead.empty()) return {};
  std::vector<Lead> leads = draw_leads(call, could_lead, call_budget);
  if (leads.empty()) return {};
  rank_candidates(call, leads);
  recruit(call, leads);
  return assemble_proposals(call, call_number, leads);
}

}  // namespace clusternet
