#include "behaviour/execution.hpp"

#include <algorithm>
#include <cmath>

#include "behaviour/proximity.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"

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

MonthPlan plan_month(const World& world, const Partnership& p, const AgentState& state, const RunKey& key) {
  MonthPlan plan;
  const std::uint32_t due = vouchers_due(p, key.month);
  if (due == 0) return plan;
  RandomStream stream(key.stream(instrument_entity(p.instrument, p.id), Purpose::execution_sme_draw));
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

// A consortium starting this month works together from now on: its partners tie to each other,
// and every associated member to every partner (the dense local clustering of real consortia).
void start_partnership(const InstrumentSpec& instrument, Partnership& p, std::vector<TieRequest>& ties) {
  p.status = PartnershipStatus::active;
  p.planned_vouchers = planned_vouchers(instrument, p.grant);
  const auto instrument_id = static_cast<std::int32_t>(p.instrument);
  for (std::size_t i = 0; i < p.partners.size(); ++i)
    for (std::size_t j = i + 1; j < p.partners.size(); ++j)
      ties.push_back({p.partners[i], p.partners[j], TieOrigin::partnership, instrument_id});
  for (OrgIndex associate : p.associates)
    for (OrgIndex partner : p.partners)
      if (associate != partner) ties.push_back({associate, partner, TieOrigin::partnership, instrument_id});
}

// Whether a partnership is running in `month` (started, not yet ended).
bool running(const Partnership& p, Month month) {
  return (p.status == PartnershipStatus::active || p.status == PartnershipStatus::continued) && month >= p.start &&
         month < p.end;
}

// Pays the planned vouchers while the grant lasts: support for the SME, its ties to the value-chain
// and research partners (with learning along each), and an innovation when the draw succeeds.
void pay_vouchers(const World& world, const InstrumentSpec& instrument, const BehaviourParams& params,
                  const MonthPlan& plan, Partnership& p, AgentState& state, std::vector<TieRequest>& ties) {
  Ledger& ledger = state.ledgers[p.instrument];
  const auto instrument_id = static_cast<std::int32_t>(p.instrument);
  for (const Voucher& v : plan.vouchers) {
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
}

// Management: the non-cascade part of the grant, spread over the remaining months, paid only as far
// as the cascade share allows.
void pay_management(const InstrumentSpec& instrument, Month month, Partnership& p, Ledger& ledger) {
  const Cents management_total = p.grant - static_cast<Cents>(p.planned_vouchers) * instrument.support_per_sme;
  const Cents management_spent = p.spent - p.spent_on_smes;
  const Cents months_left = p.end - month;
  Cents due = months_left > 0 ? (management_total - management_spent + months_left - 1) / months_left : 0;
  due = std::min({due, ledger.management_allowance(), p.grant - p.spent});
  if (due > 0) {
    ledger.pay(due, false);
    p.spent += due;
  }
}

// Milestone: continuation funding from the reserve when the SME outreach and participation targets
// are met (decided once, at start + milestone_month).
void decide_continuation(const World& world, const InstrumentSpec& instrument, Month month, Partnership& p,
                         AgentState& state) {
  const ContinuationRule& rule = instrument.continuation;
  if (!rule.enabled || p.continuation_decided || month != p.start + rule.milestone_month) return;
  p.continuation_decided = true;
  const double elapsed = static_cast<double>(month - p.start + 1) / static_cast<double>(p.end - p.start);
  const double expected = std::max(1.0, elapsed * p.planned_vouchers);
  double participating = 0;
  for (auto flag : p.partner_participating) participating += flag;
  participating /= static_cast<double>(p.partners.size());
  if (!(p.vouchers_paid / expected >= rule.sme_target && participating >= rule.participation_target)) return;
  const Cents extra = cents_from_eur(std::round(eur_from_cents(p.grant) * rule.grant_share));
  if (!state.ledgers[p.instrument].commit_continuation(extra)) return;
  p.grant += extra;
  p.end += rule.extension_months;
  p.planned_vouchers = planned_vouchers(instrument, p.grant);
  p.status = PartnershipStatus::continued;
  ++state.totals[p.instrument].continuations;
  const Cents share = extra / static_cast<Cents>(p.partners.size());
  for (OrgIndex partner : p.partners) state.funding_by_region[world.orgs.region[partner]] += share;
}

// At its last month a partnership completes: its cluster organisations are free again and every
// partner gains reputation. A partnership that received continuation funding keeps the status
// `continued`, which is how the results tell it apart from one that ran its first term only.
void complete_partnership(const World& world, const BehaviourParams& params, Partnership& p, AgentState& state) {
  if (p.status != PartnershipStatus::continued) p.status = PartnershipStatus::completed;
  for (OrgIndex partner : p.partners) {
    const ClusterOrdinal c = world.cluster_ordinal(partner);
    if (c != none<ClusterOrdinal> && state.engaged[c] > 0) --state.engaged[c];
    state.reputation[partner] += static_cast<float>(params.reputation_per_project);
  }
}

}  // namespace

void execute_partnerships(const World& world, const std::vector<InstrumentSpec>& instruments,
                          const BehaviourParams& params, AgentState& state, const RunKey& key,
                          std::vector<TieRequest>& ties) {
  auto& partnerships = state.partnerships;
  auto is_consortium = [&](const Partnership& p) { return instruments[p.instrument].kind == InstrumentKind::consortium; };
  for (auto& p : partnerships)
    if (is_consortium(p) && p.status == PartnershipStatus::awarded && p.start == key.month)
      start_partnership(instruments[p.instrument], p, ties);
  std::vector<MonthPlan> plans(partnerships.size());
  for_each_index(
      0, partnerships.size(),
      [&](std::size_t i) {
        const Partnership& p = partnerships[i];
        if (is_consortium(p) && running(p, key.month)) plans[i] = plan_month(world, p, state, key);
      },
      Execution::parallel, 1);
  for (std::size_t i = 0; i < partnerships.size(); ++i) {
    Partnership& p = partnerships[i];
    if (!is_consortium(p) || !running(p, key.month)) continue;
    const InstrumentSpec& instrument = instruments[p.instrument];
    pay_vouchers(world, instrument, params, plans[i], p, state, ties);
    pay_management(instrument, key.month, p, state.ledgers[p.instrument]);
    decide_continuation(world, instrument, key.month, p, state);
    if (key.month + 1 == p.end) complete_partnership(world, params, p, state);
  }
}
}  // namespace clusternet
