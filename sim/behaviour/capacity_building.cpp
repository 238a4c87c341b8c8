#include "behaviour/capacity_building.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "behaviour/partnership.hpp"
#include "policy/calls.hpp"

namespace clusternet {

namespace {

struct Applicant {
  int label;
  std::uint64_t priority;
  ClusterOrdinal c;
};

// The call's applicants ranked by need (lower label first), ties by a hash of the organisation.
std::vector<Applicant> ranked_applicants(const World& world, InstrumentIndex index, const AgentState& state,
                                         const RunKey& key) {
  std::vector<Applicant> applicants;
  for (ClusterOrdinal c = 0; c < world.cluster_orgs.size(); ++c) {
    if (state.label[c] == ExcellenceLabel::gold) continue;
    RandomStream stream(key.stream(instrument_entity(index, world.cluster_orgs[c]), Purpose::capacity_building));
    const double apply =
        capacity_application_base - capacity_application_drop * static_cast<double>(state.label[c]);
    if (!bernoulli(stream, apply)) continue;
    applicants.push_back({static_cast<int>(state.label[c]), hash_mix(key.seed, index, c), c});
  }
  std::sort(applicants.begin(), applicants.end(), [](const Applicant& x, const Applicant& y) {
    if (x.label != y.label) return x.label < y.label;
    if (x.priority != y.priority) return x.priority < y.priority;
    return x.c < y.c;
  });
  return applicants;
}

// Awards at a call's deadline: a fixed grant (grant_min) per applicant in rank order while the
// call's budget lasts.
void award_call(const World& world, const InstrumentSpec& instrument, InstrumentIndex index, int call,
                AgentState& state, const RunKey& key) {
  Ledger& ledger = state.ledgers[index];
  InstrumentTotals& totals = state.totals[index];
  const std::vector<Applicant> applicants = ranked_applicants(world, index, state, key);
  const Cents budget = call_budget(ledger, instrument.calendar, call);
  Cents used = 0;
  totals.proposals_submitted += static_cast<std::uint32_t>(applicants.size());
  totals.proposals_eligible += static_cast<std::uint32_t>(applicants.size());
  for (const Applicant& a : applicants) {
    const Cents grant = instrument.grant_min;
    if (grant <= 0 || used + grant > budget || !ledger.commit_award(grant)) break;
    used += grant;
    Partnership p = awarded_partnership(state, instrument, index, call, world.cluster_orgs[a.c], grant);
    p.partners = {p.lead};
    p.partner_participating = {1};
    p.focus_area = world.orgs.primary_area[p.lead];
    state.funding_by_region[world.orgs.region[p.lead]] += grant;
    state.partnerships.push_back(std::move(p));
    ++totals.partnerships_funded;
    ++totals.capacity_grants;
  }
  totals.unspent_at_calls += budget - used;
}

}  // namespace

void run_capacity_building(const World& world, const InstrumentSpec& instrument, InstrumentIndex index,
                           AgentState& state, const RunKey& key) {
  if (const auto call = call_with_deadline(instrument.calendar, key.month))
    award_call(world, instrument, index, *call, state, key);
  // Funded capacity building: management spending over the period, effect at its end.
  Ledger& ledger = state.ledgers[index];
  for (auto& p : state.partnerships) {
    if (p.instrument != index) continue;
    if (p.status == PartnershipStatus::awarded && p.start == key.month) p.status = PartnershipStatus::active;
    if (p.status != PartnershipStatus::active || key.month < p.start || key.month >= p.end) continue;
    const Cents months_left = p.end - key.month;
    const Cents due = std::min((p.grant - p.spent + months_left - 1) / months_left, ledger.management_allowance());
    if (due > 0) {
      ledger.pay(due, false);
      p.spent += due;
    }
    if (key.month + 1 == p.end) {
      p.status = PartnershipStatus::completed;
      const ClusterOrdinal c = world.cluster_ordinal(p.lead);
      const int label = std::min(3, static_cast<int>(state.label[c]) + instrument.excellence_gain);
      state.label[c] = static_cast<ExcellenceLabel>(label);
      state.capacity[c] = static_cast<std::uint8_t>(std::min(255, state.capacity[c] + instrument.capacity_gain));
    }
  }
}

}  // namespace clusternet
