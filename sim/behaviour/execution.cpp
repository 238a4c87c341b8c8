#include "behaviour/execution.hpp"

#include <algorithm>
#include <cmath>

#include "behaviour/consortium.hpp"
#include "behaviour/proximity.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "policy/calls.hpp"

namespace clusternet {

namespace {

struct Voucher {
  OrgIndex sme = 0;
  OrgIndex value_chain_partner = none<OrgIndex>;
  OrgIndex research_partner = none<OrgIndex>;
  std::uint32_t through_partner = 0;  // index into the partnership's partners
  double innovation_draw = 1.0;
};

struct MonthPlan {
  std::vector<Voucher> vouchers;
};

// A uniformly drawn organisation of one of the given kinds in a region, or none.
OrgIndex draw_in_region(const World& world, RandomStream& stream, RegionIndex region, OrgKind first, OrgKind last) {
  const OrgIndex begin = world.orgs_of(region, first).first;
  const OrgIndex end = world.orgs_of(region, last).second;
  if (end <= begin) return none<OrgIndex>;
  return static_cast<OrgIndex>(begin + uniform_index(stream, end - begin));
}

std::uint32_t vouchers_due(const Partnership& p, Month month) {
  const Month months_left = p.end - month;
  if (months_left <= 0 || p.vouchers_paid >= p.planned_vouchers) return 0;
  const std::uint32_t remaining = p.planned_vouchers - p.vouchers_paid;
  return (remaining + static_cast<std::uint32_t>(months_left) - 1) / static_cast<std::uint32_t>(months_left);
}

std::uint32_t planned_vouchers(const InstrumentSpec& instrument, Cents grant) {
  if (instrument.support_per_sme <= 0) return 0;
  const double cascade = std::ceil(instrument.sme_cascade_share * static_cast<double>(grant));
  return static_cast<std::uint32_t>(static_cast<Cents>(cascade) / instrument.support_per_sme);
}

MonthPlan plan_month(const World& world, const Partnership& p, const AgentState& state, const StepKey& key) {
  MonthPlan plan;
  const std::uint32_t due = vouchers_due(p, key.month);
  if (due == 0) return plan;
  RandomStream stream({key.seed, key.replicate, key.month, instrument_entity(p.instrument, p.id), Purpose::execution_sme_draw});
  std::vector<OrgIndex> chosen;
  for (std::uint32_t v = 0; v < due; ++v) {
    Voucher voucher;
    OrgIndex sme = none<OrgIndex>;
    // A few attempts to find an SME this partnership has not supported yet and that is new to the
    // programme; the last attempt accepts any SME found.
    for (int attempt = 0; attempt < 4 && sme == none<OrgIndex>; ++attempt) {
      const auto partner = static_cast<std::uint32_t>(uniform_index(stream, p.partners.size()));
      const OrgIndex partner_org = p.partners[partner];
      OrgIndex candidate = none<OrgIndex>;
      if (!bernoulli(stream, cross_regional_outreach_share)) {
        const ClusterOrdinal c = world.cluster_ordinal(partner_org);
        if (c != none<ClusterOrdinal>) {
          const auto members = world.memberships.members_of(c);
          if (!members.empty()) candidate = members[uniform_index(stream, members.size())];
        }
        if (candidate != none<OrgIndex> && !is_sme(world.orgs.kind[candidate])) candidate = none<OrgIndex>;
      } else {
        candidate = draw_in_region(world, stream, world.orgs.region[partner_org], OrgKind::sme_micro, OrgKind::sme_medium);
      }
      if (candidate == none<OrgIndex>) continue;
      const bool repeat = std::find(chosen.begin(), chosen.end(), candidate) != chosen.end();
      if (repeat) continue;
      if (attempt < 3 && state.sme_supported[candidate]) continue;
      sme = candidate;
      voucher.through_partner = partner;
    }
    if (sme == none<OrgIndex>) continue;
    chosen.push_back(sme);
    voucher.sme = sme;
    // Value-chain partner: an SME or large firm in the region of another partner.
    const RegionIndex own = world.orgs.region[sme];
    for (int attempt = 0; attempt < 3 && voucher.value_chain_partner == none<OrgIndex>; ++attempt) {
      const OrgIndex partner_org = p.partners[uniform_index(stream, p.partners.size())];
      const RegionIndex region = world.orgs.region[partner_org];
      if (region == own && p.partners.size() > 1) continue;
      const OrgIndex o = draw_in_region(world, stream, region, OrgKind::sme_micro, OrgKind::large_firm);
      if (o != sme) voucher.value_chain_partner = o;
    }
    // Research partner: a research organisation of a partner region.
    for (int attempt = 0; attempt < 3 && voucher.research_partner == none<OrgIndex>; ++attempt) {
      const OrgIndex partner_org = p.partners[uniform_index(stream, p.partners.size())];
      voucher.research_partner =
          draw_in_region(world, stream, world.orgs.region[partner_org], OrgKind::research, OrgKind::research);
    }
    voucher.innovation_draw = uniform01(stream);
    plan.vouchers.push_back(voucher);
  }
  return plan;
}

// Learning: the SME's weakest capability moves towards the partner's best expertise, scaled by its
// absorptive capacity (SKIN's incremental research, simplified to one step per supported contact).
void learn(const World& world, AgentState& state, const BehaviourParams& params, OrgIndex learner, OrgIndex teacher) {
  float* own = state.expertise.data() + std::size_t(learner) * knowledge_slots;
  const float* other = state.expertise.data() + std::size_t(teacher) * knowledge_slots;
  const float best = *std::max_element(other, other + knowledge_slots);
  float* weakest = std::min_element(own, own + knowledge_slots);
  const double gain = params.learning_rate * world.orgs.absorptive_capacity[learner] * std::max(0.0f, best - *weakest);
  *weakest = static_cast<float>(std::min(10.0, *weakest + gain));
}

}  // namespace

void execute_partnerships(const World& world, const std::vector<InstrumentSpec>& instruments,
                          const BehaviourParams& params, AgentState& state, const StepKey& key,
                          std::vector<TieRequest>& ties) {
  auto& partnerships = state.partnerships;
  auto is_consortium = [&](const Partnership& p) { return instruments[p.instrument].kind == InstrumentKind::consortium; };
  for (auto& p : partnerships) {
    if (!is_consortium(p)) continue;
    if (p.status == PartnershipStatus::awarded && p.start == key.month) {
      p.status = PartnershipStatus::active;
      p.planned_vouchers = planned_vouchers(instruments[p.instrument], p.grant);
      // A consortium works together: its partners tie to each other, and every associated member
      // to every partner (the dense local clustering of real project consortia).
      const auto instrument_id = static_cast<std::int32_t>(p.instrument);
      for (std::size_t i = 0; i < p.partners.size(); ++i)
        for (std::size_t j = i + 1; j < p.partners.size(); ++j)
          ties.push_back({p.partners[i], p.partners[j], TieOrigin::partnership, instrument_id});
      for (OrgIndex associate : p.associates)
        for (OrgIndex partner : p.partners)
          if (associate != partner) ties.push_back({associate, partner, TieOrigin::partnership, instrument_id});
    }
  }
  std::vector<MonthPlan> plans(partnerships.size());
  for_each_index(
      0, partnerships.size(),
      [&](std::size_t i) {
        const Partnership& p = partnerships[i];
        if (!is_consortium(p)) return;
        if (p.status != PartnershipStatus::active && p.status != PartnershipStatus::continued) return;
        if (key.month < p.start || key.month >= p.end) return;
        plans[i] = plan_month(world, p, state, key);
      },
      Execution::parallel, 1);

  for (std::size_t i = 0; i < partnerships.size(); ++i) {
    Partnership& p = partnerships[i];
    if (!is_consortium(p)) continue;
    if (p.status != PartnershipStatus::active && p.status != PartnershipStatus::continued) continue;
    if (key.month < p.start || key.month >= p.end) continue;
    const InstrumentSpec& instrument = instruments[p.instrument];
    Ledger& ledger = state.ledgers[p.instrument];
    const auto instrument_id = static_cast<std::int32_t>(p.instrument);
    for (const Voucher& v : plans[i].vouchers) {
      if (p.spent + instrument.support_per_sme > p.grant) break;
      ledger.pay(instrument.support_per_sme, true);
      p.spent += instrument.support_per_sme;
      p.spent_on_smes += instrument.support_per_sme;
      ++p.vouchers_paid;
      ++p.smes_supported;
      p.partner_participating[v.through_partner] = 1;
      if (!state.sme_supported[v.sme]) {
        state.sme_supported[v.sme] = 1;
        ++state.smes_supported;
      }
      for (OrgIndex other : {v.value_chain_partner, v.research_partner}) {
        if (other == none<OrgIndex> || other == v.sme) continue;
        ties.push_back({v.sme, other, TieOrigin::partnership, instrument_id});
        learn(world, state, params, v.sme, other);
      }
      const OrgIndex innovation_partner = v.research_partner != none<OrgIndex> ? v.research_partner : v.value_chain_partner;
      if (innovation_partner != none<OrgIndex>) {
        const double combination = 0.5 + cognitive_distance(world, v.sme, innovation_partner);
        if (v.innovation_draw < params.innovation_rate * combination) {
          ++state.innovations;
          state.jobs_created += params.jobs_per_innovation;
          state.reputation[v.sme] += static_cast<float>(0.5 * params.reputation_per_project);
        }
      }
    }
    // Management: the non-cascade part of the grant, spread over the remaining months, paid only as
    // far as the cascade share allows.
    const Cents management_total = p.grant - static_cast<Cents>(p.planned_vouchers) * instrument.support_per_sme;
    const Cents management_spent = p.spent - p.spent_on_smes;
    const Cents months_left = p.end - key.month;
    Cents due = months_left > 0 ? (management_total - management_spent + months_left - 1) / months_left : 0;
    due = std::min({due, ledger.management_allowance(), p.grant - p.spent});
    if (due > 0) {
      ledger.pay(due, false);
      p.spent += due;
    }

    // Milestone: continuation when SME outreach and participation targets are met.
    const ContinuationRule& rule = instrument.continuation;
    if (rule.enabled && !p.continuation_decided && key.month == p.start + rule.milestone_month) {
      p.continuation_decided = true;
      const double elapsed = static_cast<double>(key.month - p.start + 1) / static_cast<double>(p.end - p.start);
      const double expected = std::max(1.0, elapsed * p.planned_vouchers);
      double participating = 0;
      for (auto flag : p.partner_participating) participating += flag;
      participating /= static_cast<double>(p.partners.size());
      if (p.vouchers_paid / expected >= rule.sme_target && participating >= rule.participation_target) {
        const Cents extra = cents_from_eur(std::round(eur_from_cents(p.grant) * rule.grant_share));
        if (ledger.commit_continuation(extra)) {
          p.grant += extra;
          p.end += rule.extension_months;
          p.planned_vouchers = planned_vouchers(instrument, p.grant);
          p.status = PartnershipStatus::continued;
          ++state.totals[p.instrument].continuations;
          const Cents share = extra / static_cast<Cents>(p.partners.size());
          for (OrgIndex partner : p.partners) state.funding_by_region[world.orgs.region[partner]] += share;
        }
      }
    }
    if (key.month + 1 == p.end) {
      p.status = PartnershipStatus::completed;
      for (OrgIndex partner : p.partners) {
        const ClusterOrdinal c = world.cluster_ordinal(partner);
        if (c != none<ClusterOrdinal> && state.engaged[c] > 0) --state.engaged[c];
        state.reputation[partner] += static_cast<float>(params.reputation_per_project);
      }
    }
  }
}

void run_exchange(const World& world, const InstrumentSpec& instrument, InstrumentIndex index, AgentState& state,
                  const StepKey& key, std::vector<TieRequest>& ties) {
  const CallCalendar& cal = instrument.calendar;
  const Month first = cal.open_month;
  const Month last = cal.open_month + std::max<Month>(instrument.duration_months, 1);
  if (key.month < first || key.month >= last || instrument.lump_sum_per_visit <= 0) return;
  const std::size_t clusters = world.cluster_orgs.size();
  if (clusters < 2) return;
  Ledger& ledger = state.ledgers[index];
  RandomStream stream({key.seed, key.replicate, key.month, instrument_entity(index, 0), Purpose::exchange_visits});
  const auto visits = static_cast<std::uint64_t>(poisson(stream, instrument.visits_per_month));
  for (std::uint64_t v = 0; v < visits; ++v) {
    if (ledger.available_for_awards() < instrument.lump_sum_per_visit) break;
    // A member of one cluster organisation visits a member of a cluster organisation elsewhere.
    OrgIndex visitor = none<OrgIndex>, host = none<OrgIndex>;
    for (int attempt = 0; attempt < 8 && (visitor == none<OrgIndex> || host == none<OrgIndex>); ++attempt) {
      const auto c1 = static_cast<ClusterOrdinal>(uniform_index(stream, clusters));
      const auto c2 = static_cast<ClusterOrdinal>(uniform_index(stream, clusters));
      const auto m1 = world.memberships.members_of(c1);
      const auto m2 = world.memberships.members_of(c2);
      if (m1.empty() || m2.empty()) continue;
      if (world.orgs.region[world.cluster_orgs[c1]] == world.orgs.region[world.cluster_orgs[c2]]) continue;
      visitor = m1[uniform_index(stream, m1.size())];
      host = m2[uniform_index(stream, m2.size())];
      if (visitor == host) visitor = host = none<OrgIndex>;
    }
    if (visitor == none<OrgIndex>) continue;  // no visit arranged: nothing committed, nothing paid
    // Lump sums are direct support to the visiting member and count towards the SME cascade only
    // when the visitor is an SME; an instrument with a cascade share therefore funds SME visitors only.
    const bool visitor_is_sme = is_sme(world.orgs.kind[visitor]);
    if (!visitor_is_sme && instrument.sme_cascade_share > 0) continue;
    if (!ledger.commit_award(instrument.lump_sum_per_visit)) break;
    ledger.pay(instrument.lump_sum_per_visit, visitor_is_sme);
    ++state.totals[index].exchange_visits;
    if (visitor_is_sme && !state.sme_supported[visitor]) {
      state.sme_supported[visitor] = 1;
      ++state.smes_supported;
    }
    state.funding_by_region[world.orgs.region[visitor]] += instrument.lump_sum_per_visit;
    ties.push_back({visitor, host, TieOrigin::exchange, static_cast<std::int32_t>(index)});
  }
}

void run_capacity_building(const World& world, const InstrumentSpec& instrument, InstrumentIndex index,
                           AgentState& state, const StepKey& key) {
  const std::size_t clusters = world.cluster_orgs.size();
  Ledger& ledger = state.ledgers[index];
  if (const auto call = call_with_deadline(instrument.calendar, key.month)) {
    // Applicants: cluster organisations below gold apply with a probability that falls with their
    // label; ranked by need (lower label first), ties by a hash.
    struct Applicant {
      int label;
      std::uint64_t priority;
      ClusterOrdinal c;
    };
    std::vector<Applicant> applicants;
    for (ClusterOrdinal c = 0; c < clusters; ++c) {
      if (state.label[c] == ExcellenceLabel::gold) continue;
      RandomStream stream({key.seed, key.replicate, key.month, instrument_entity(index, world.cluster_orgs[c]),
                           Purpose::capacity_building});
      if (!bernoulli(stream, 0.3 - 0.08 * static_cast<double>(state.label[c]))) continue;
      applicants.push_back({static_cast<int>(state.label[c]), hash_mix(key.seed, index, c), c});
    }
    std::sort(applicants.begin(), applicants.end(), [](const Applicant& x, const Applicant& y) {
      if (x.label != y.label) return x.label < y.label;
      if (x.priority != y.priority) return x.priority < y.priority;
      return x.c < y.c;
    });
    const int calls_left = instrument.calendar.calls - *call;
    const Cents call_budget = ledger.available_for_awards() / std::max(1, calls_left);
    Cents used = 0;
    state.totals[index].proposals_submitted += static_cast<std::uint32_t>(applicants.size());
    state.totals[index].proposals_eligible += static_cast<std::uint32_t>(applicants.size());
    for (const Applicant& a : applicants) {
      const Cents grant = instrument.grant_min;
      if (grant <= 0 || used + grant > call_budget || !ledger.commit_award(grant)) break;
      used += grant;
      Partnership p;
      p.id = static_cast<std::uint32_t>(state.partnerships.size());
      p.instrument = index;
      p.lead = world.cluster_orgs[a.c];
      p.partners = {p.lead};
      p.partner_participating = {1};
      p.focus_area = world.orgs.primary_area[p.lead];
      p.start = call_start_month(instrument.calendar, *call);
      p.end = p.start + std::max<Month>(1, instrument.duration_months);
      p.grant = grant;
      state.funding_by_region[world.orgs.region[p.lead]] += grant;
      state.partnerships.push_back(std::move(p));
      ++state.totals[index].partnerships_funded;
      ++state.totals[index].capacity_grants;
    }
    state.totals[index].unspent_at_calls += call_budget - used;
  }
  // Funded capacity building: management spending over the period, effect at its end.
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
