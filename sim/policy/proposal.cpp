#include "policy/proposal.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>


namespace clusternet {

namespace {
bool targets_area(const InstrumentSpec& instrument, AreaIndex area) {
  const auto& targets = instrument.rules.thematic_targets;
  return targets.empty() || std::find(targets.begin(), targets.end(), area) != targets.end();
}

template <typename T>
std::size_t count_distinct(std::vector<T> values) {
  std::sort(values.begin(), values.end());
  return static_cast<std::size_t>(std::unique(values.begin(), values.end()) - values.begin());
}
}  // namespace

ProposalCriteria proposal_criteria(const Proposal& proposal, const InstrumentSpec& instrument, const World& world,
                                   std::span<const ExcellenceLabel> labels) {
  ProposalCriteria c;
  const auto& partners = proposal.partners;
  if (partners.empty()) return c;
  const double n = static_cast<double>(partners.size());
  std::vector<RegionIndex> regions;
  std::vector<AreaIndex> areas;
  double excellence = 0, fit = 0, s3 = 0, less_developed = 0;
  for (OrgIndex org : partners) {
    const RegionIndex region = world.orgs.region[org];
    const AreaIndex area = world.orgs.primary_area[org];
    regions.push_back(region);
    areas.push_back(area);
    const ClusterOrdinal ordinal = world.cluster_ordinal(org);
    if (ordinal != none<ClusterOrdinal>) excellence += static_cast<double>(labels[ordinal]) / 3.0;
    if (targets_area(instrument, area)) fit += 1.0;
    const auto& s3p = world.regions.regions[region].s3_priorities;
    if (std::find(s3p.begin(), s3p.end(), proposal.focus_area) != s3p.end()) s3 += 1.0;
    if (world.regions.regions[region].category == CohesionCategory::less_developed) less_developed += 1.0;
  }
  c.excellence = excellence / n;
  c.thematic_fit = fit / n;
  c.s3_alignment = s3 / n;
  // One region only scores 0; every partner in its own region scores 1.
  c.interregional = n > 1 ? static_cast<double>(count_distinct(regions) - 1) / (n - 1) : 0.0;
  c.cross_sectoral = n > 1 ? static_cast<double>(count_distinct(areas) - 1) / (n - 1) : 0.0;
  c.cohesion = less_developed / n;
  return c;
}

Ineligibility check_rules(const Proposal& proposal, const InstrumentSpec& instrument, const World& world) {
  const auto& rules = instrument.rules;
  const auto partners = static_cast<int>(proposal.partners.size());
  if (partners < rules.min_partners) return Ineligibility::too_few_partners;
  if (partners > rules.max_partners) return Ineligibility::too_many_partners;
  for (OrgIndex org : proposal.partners) {
    const OrgKind kind = world.orgs.kind[org];
    if (std::find(rules.eligible_kinds.begin(), rules.eligible_kinds.end(), kind) == rules.eligible_kinds.end())
      return Ineligibility::ineligible_kind;
  }
  std::vector<CountryIndex> countries;
  for (OrgIndex org : proposal.partners) countries.push_back(world.regions.regions[world.orgs.region[org]].country);
  if (static_cast<int>(count_distinct(countries)) < rules.min_countries) return Ineligibility::too_few_countries;
  return Ineligibility::none;
}

double weighted_score(const ProposalCriteria& c, const EvaluationWeights& w) {
  const double total = w.excellence + w.thematic_fit + w.s3_alignment + w.interregional + w.cross_sectoral + w.cohesion;
  if (total <= 0) return 0.0;
  return (w.excellence * c.excellence + w.thematic_fit * c.thematic_fit + w.s3_alignment * c.s3_alignment +
          w.interregional * c.interregional + w.cross_sectoral * c.cross_sectoral + w.cohesion * c.cohesion) /
         total;
}

Cents proposal_grant(const InstrumentSpec& instrument, std::size_t partners) {
  const auto& rules = instrument.rules;
  if (instrument.grant_max <= instrument.grant_min || rules.max_partners <= rules.min_partners)
    return instrument.grant_min;
  const double position =
      std::clamp((static_cast<double>(partners) - rules.min_partners) / (rules.max_partners - rules.min_partners), 0.0, 1.0);
  // Rounded to whole euros: grants are published in euros.
  const double eur = eur_from_cents(instrument.grant_min) +
                     position * eur_from_cents(instrument.grant_max - instrument.grant_min);
  return cents_from_eur(std::round(eur));
}

void evaluate_proposals(std::span<Proposal> proposals, const InstrumentSpec& instrument, const World& world,
                        std::span<const ExcellenceLabel> labels, const RunKey& key) {
  const EvaluationWeights& evaluation = instrument.evaluation;
  for (Proposal& p : proposals) {
    const ProposalCriteria criteria = proposal_criteria(p, instrument, world, labels);
    RandomStream noise(key.stream(instrument_entity(p.instrument, p.lead), Purpose::evaluation_noise));
    p.score = weighted_score(criteria, evaluation) + normal(noise, 0.0, evaluation.evaluator_noise);
    p.ineligible = check_rules(p, instrument, world);
    if (p.ineligible == Ineligibility::none && p.score < evaluation.threshold)
      p.ineligible = Ineligibility::below_threshold;
  }
}

std::uint64_t award_tie_break_seed(const RunKey& key, InstrumentIndex instrument, int call) {
  return hash_mix(key.seed, key.replicate, instrument, static_cast<std::uint64_t>(call));
}

AwardOutcome award_in_rank_order(std::span<Proposal> proposals, Cents call_budget, Ledger& ledger,
                                 std::uint64_t tie_break_seed) {
  AwardOutcome outcome;
  outcome.submitted = static_cast<std::uint32_t>(proposals.size());
  std::vector<std::size_t> ranked;
  for (std::size_t i = 0; i < proposals.size(); ++i)
    if (proposals[i].ineligible == Ineligibility::none) ranked.push_back(i);
  outcome.eligible = static_cast<std::uint32_t>(ranked.size());
  // Total order: score, then a hash (so equal scores do not favour low indices), then the lead.
  std::sort(ranked.begin(), ranked.end(), [&](std::size_t a, std::size_t b) {
    const Proposal& pa = proposals[a];
    const Proposal& pb = proposals[b];
    if (pa.score != pb.score) return pa.score > pb.score;
    const auto ha = hash_mix(tie_break_seed, pa.lead);
    const auto hb = hash_mix(tie_break_seed, pb.lead);
    if (ha != hb) return ha < hb;
    return pa.lead < pb.lead;
  });
  Cents remaining = std::min(call_budget, ledger.available_for_awards());
  for (std::size_t i : ranked) {
    Proposal& p = proposals[i];
    if (p.grant > remaining || !ledger.commit_award(p.grant)) break;
    p.funded = true;
    remaining -= p.grant;
    outcome.committed += p.grant;
    ++outcome.funded;
  }
  outcome.rejected = outcome.eligible - outcome.funded;
  outcome.unspent = std::min(call_budget, ledger.available_for_awards() + outcome.committed) - outcome.committed;
  return outcome;
}

}  // namespace clusternet
