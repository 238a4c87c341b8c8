#include "behaviour/execution.hpp"

#include <algorithm>
#include <cmath>

#include "behaviour/proximity.hpp"
#include "behaviour/sme_support.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"

namespace clusternet {

namespace {

struct Voucher {
  OrgIndex sme = 0;
  Cents amount = 0;
  OrgIndex value_chain_partner = none<OrgIndex>;
  OrgIndex research_partner = none<OrgIndex>;
  std::uint32_t through_partner = 0;  // index into the partnership's partners
  double innovation_draw = 1.0;
};

struct MonthPlan {
  std::uint32_t approached = 0;  // SMEs offered support this month
  std::vector<Voucher> vouchers; // the offers taken up, in the order they were made
};

// A uniformly drawn organisation of one of the given kinds in a region, or none.
OrgIndex draw_in_region(const World& world, RandomStream& stream, RegionIndex region, OrgKind first, OrgKind last) {
  const OrgIndex begin = world.orgs_of(region, first).first;
  const OrgIndex end = world.orgs_of(region, last).second;
  if (end <= begin) return none<OrgIndex>;
  return static_cast<OrgIndex>(begin + uniform_index(stream, end - begin));
}

std::uint32_t planned_vouchers(const Partnership& p, Cents voucher_mean) {
  return voucher_mean > 0 ? static_cast<std::uint32_t>(p.cascade_pot / voucher_mean) : 0;
}

// An SME a partner reaches: one of its cluster's member SMEs, or, for the cross-regional outreach
// share (and for partners that are not cluster organisations), any SME of its region.
OrgIndex reach_sme(const World& world, RandomStream& stream, OrgIndex partner) {
  const ClusterOrdinal c = world.cluster_ordinal(partner);
  if (c != none<ClusterOrdinal> && !bernoulli(stream, cross_regional_outreach_share)) {
    const auto members = world.memberships.members_of(c);
    if (members.empty()) return none<OrgIndex>;
    const OrgIndex candidate = members[uniform_index(stream, members.size())];
    return is_sme(world.orgs.kind[candidate]) ? candidate : none<OrgIndex>;
  }
  return draw_in_region(world, stream, world.orgs.region[partner], OrgKind::sme_micro, OrgKind::sme_medium);
}

// This month's offers of a partnership with SME money left: a Poisson number of approaches
// (sme_outreach_per_partner per partner), each to an SME reached through a random partner; an SME
// the partnership has supported, or approached already this month, is skipped; the others take up
// support with their take-up probability, each with its voucher, value-chain and research partners.
MonthPlan plan_month(const World& world, const InstrumentSpec& instrument, const BehaviourParams& params,
                     const Partnership& p, const AgentState& state, const RunKey& key) {
  MonthPlan plan;
  if (p.spent_on_smes >= p.cascade_pot || p.partners.empty()) return plan;
  RandomStream stream(key.stream(instrument_entity(p.instrument, p.id), Purpose::execution_sme_draw));
  RandomStream take_up(key.stream(instrument_entity(p.instrument, p.id), Purpose::sme_take_up));
  // Outreach: the usual sme_outreach_per_partner per partner, more when the partnership is behind
  // its plan. Intermediaries running a cascade advertise until the pot is used: the month's offers
  // are at least what the vouchers still affordable, spread over the months left, need at the
  // take-up this partnership has seen so far (a prior of one offer in ten taken up), up to
  // outreach_catch_up_limit times the usual. What it cannot place then is a shortage of willing
  // SMEs within its reach, not a lack of trying, and returns to the instrument at the end.
  const double usual = params.sme_outreach_per_partner * static_cast<double>(p.partners.size());
  double mean = usual;
  const Cents voucher_mean = p.instrument < state.mean_vouchers.size() ? state.mean_vouchers[p.instrument] : 0;
  if (voucher_mean > 0 && p.end > key.month) {
    const double affordable = static_cast<double>(p.cascade_pot - p.spent_on_smes) / static_cast<double>(voucher_mean);
    const double due = affordable / static_cast<double>(p.end - key.month);
    const double seen_take_up = (static_cast<double>(p.vouchers_paid) + 1.0) / (static_cast<double>(p.smes_approached) + 10.0);
    mean = std::clamp(due / seen_take_up, usual, usual * outreach_catch_up_limit);
  }
  const auto approaches = static_cast<std::uint32_t>(std::min<std::uint64_t>(poisson(stream, mean), 100000));
  std::vector<OrgIndex> seen;
  for (std::uint32_t a = 0; a < approaches; ++a) {
    const auto partner = static_cast<std::uint32_t>(uniform_index(stream, p.partners.size()));
    const OrgIndex sme = reach_sme(world, stream, p.partners[partner]);
    if (sme == none<OrgIndex> || std::find(seen.begin(), seen.end(), sme) != seen.end() ||
        std::binary_search(p.supported.begin(), p.supported.end(), sme))
      continue;
    seen.push_back(sme);
    ++plan.approached;
    // Two uniforms per offer whatever the answer, so later offers keep their numbers.
    const double decision = uniform01(take_up);
    const double size_draw = uniform01(take_up);
    if (decision >= take_up_probability(world, params, sme, p.focus_area, state.sme_supported[sme] != 0)) continue;
    Voucher voucher;
    voucher.sme = sme;
    voucher.amount = voucher_amount(instrument, world.orgs.kind[sme], size_draw);
    voucher.through_partner = partner;
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
  const std::array<float, knowledge_slots> other = state.expertise_of(world, teacher);
  std::array<float, knowledge_slots>& own = state.learned_expertise_of(world, learner);
  const float best = *std::max_element(other.begin(), other.end());
  const auto weakest = std::min_element(own.begin(), own.end());
  const double gain = params.learning_rate * world.orgs.absorptive_capacity[learner] * std::max(0.0f, best - *weakest);
  *weakest = static_cast<float>(std::min(10.0, *weakest + gain));
}

// A consortium starting this month works together from now on: its partners tie to each other,
// and every associated member to every partner (the dense local clustering of real consortia).
void start_partnership(const InstrumentSpec& instrument, Cents voucher_mean, Partnership& p,
                       std::vector<TieRequest>& ties) {
  p.status = PartnershipStatus::active;
  p.cascade_pot = static_cast<Cents>(std::ceil(instrument.sme_cascade_share * static_cast<double>(p.grant)));
  p.planned_vouchers = planned_vouchers(p, voucher_mean);
  const auto instrument_id = static_cast<std::int32_t>(p.instrument);
  // The ties are held while the partnership runs, as a project's are (a continuation extends it
  // by the renewal of its members' collaboration, not by a new hold).
  const Month last = p.end - 1;
  for (std::size_t i = 0; i < p.partners.size(); ++i)
    for (std::size_t j = i + 1; j < p.partners.size(); ++j)
      ties.push_back({p.partners[i], p.partners[j], TieOrigin::partnership, instrument_id, last});
  for (OrgIndex associate : p.associates)
    for (OrgIndex partner : p.partners)
      if (associate != partner) ties.push_back({associate, partner, TieOrigin::partnership, instrument_id, last});
}

// Whether a partnership is running in `month` (started, not yet ended).
bool running(const Partnership& p, Month month) {
  return (p.status == PartnershipStatus::active || p.status == PartnershipStatus::continued) && month >= p.start &&
         month < p.end;
}

// Pays the vouchers taken up while the partnership's SME money lasts (a voucher larger than what is
// left is cut to it): support for the SME, its ties to the value-chain and research partners (with
// learning along each), and an innovation when the draw succeeds.
void pay_vouchers(const World& world, const BehaviourParams& params, const MonthPlan& plan, Partnership& p,
                  AgentState& state, std::vector<TieRequest>& ties) {
  Ledger& ledger = state.ledgers[p.instrument];
  const auto instrument_id = static_cast<std::int32_t>(p.instrument);
  p.smes_approached += plan.approached;
  state.smes_approached += plan.approached;
  for (const Voucher& v : plan.vouchers) {
    const Cents amount = std::min({v.amount, p.cascade_pot - p.spent_on_smes, p.grant - p.spent});
    if (amount <= 0) break;
    ledger.pay(amount, true);
    p.spent += amount;
    p.spent_on_smes += amount;
    ++p.vouchers_paid;
    ++state.vouchers_taken;
    p.supported.insert(std::upper_bound(p.supported.begin(), p.supported.end(), v.sme), v.sme);
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
// as the cascade share allows (so a partnership whose SMEs take up little cannot spend its
// management money either).
void pay_management(Month month, Partnership& p, Ledger& ledger) {
  const Cents management_total = p.grant - p.cascade_pot;
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
void decide_continuation(const World& world, const InstrumentSpec& instrument, Cents voucher_mean, Month month,
                         Partnership& p, AgentState& state) {
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
  p.cascade_pot = static_cast<Cents>(std::ceil(instrument.sme_cascade_share * static_cast<double>(p.grant)));
  p.end += rule.extension_months;
  p.planned_vouchers = planned_vouchers(p, voucher_mean);
  p.status = PartnershipStatus::continued;
  if (p.collaboration != none<std::uint32_t>) state.collaborations.set_end(p.collaboration, p.end);
  ++state.totals[p.instrument].continuations;
  const Cents share = extra / static_cast<Cents>(p.partners.size());
  for (OrgIndex partner : p.partners) state.funding_by_region[world.orgs.region[partner]] += share;
}

// At its last month a partnership completes: what it did not spend returns to the instrument, its
// partners are free again and every partner gains reputation. A continued partnership keeps the
// status `continued`.
void complete_partnership(const World& world, const BehaviourParams& params, Partnership& p, AgentState& state) {
  if (p.status != PartnershipStatus::continued) p.status = PartnershipStatus::completed;
  p.returned = p.grant - p.spent;
  if (p.returned > 0) state.ledgers[p.instrument].release(p.returned);
  for (OrgIndex partner : p.partners) {
    const ClusterOrdinal c = world.cluster_ordinal(partner);
    if (c != none<ClusterOrdinal>) {
      if (state.engaged[c] > 0) --state.engaged[c];
    } else if (state.org_engaged[partner] > 0) {
      --state.org_engaged[partner];
    }
    state.reputation[partner] += static_cast<float>(params.reputation_per_project);
  }
}

}  // namespace

void execute_partnerships(const World& world, const std::vector<InstrumentSpec>& instruments,
                          const BehaviourParams& params, AgentState& state, const RunKey& key,
                          std::vector<TieRequest>& ties) {
  auto& partnerships = state.partnerships;
  auto is_consortium = [&](const Partnership& p) { return instruments[p.instrument].kind == InstrumentKind::consortium; };
  // The instruments' mean vouchers depend on the world's SME size classes only: computed once a run.
  if (state.mean_vouchers.size() != instruments.size()) {
    state.mean_vouchers.resize(instruments.size());
    for (std::size_t i = 0; i < instruments.size(); ++i) state.mean_vouchers[i] = mean_voucher(instruments[i], world);
  }
  const std::vector<Cents>& mean_vouchers = state.mean_vouchers;
  for (auto& p : partnerships)
    if (is_consortium(p) && p.status == PartnershipStatus::awarded && p.start == key.month)
      start_partnership(instruments[p.instrument], mean_vouchers[p.instrument], p, ties);
  std::vector<MonthPlan> plans(partnerships.size());
  for_each_index(
      0, partnerships.size(),
      [&](std::size_t i) {
        const Partnership& p = partnerships[i];
        if (is_consortium(p) && running(p, key.month))
          plans[i] = plan_month(world, instruments[p.instrument], params, p, state, key);
      },
      Execution::parallel, 1);
  for (std::size_t i = 0; i < partnerships.size(); ++i) {
    Partnership& p = partnerships[i];
    if (!is_consortium(p) || !running(p, key.month)) continue;
    const InstrumentSpec& instrument = instruments[p.instrument];
    pay_vouchers(world, params, plans[i], p, state, ties);
    pay_management(key.month, p, state.ledgers[p.instrument]);
    decide_continuation(world, instrument, mean_vouchers[p.instrument], key.month, p, state);
    if (key.month + 1 == p.end) complete_partnership(world, params, p, state);
  }
}
}  // namespace clusternet
