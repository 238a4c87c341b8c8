#include "engine/policy_metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace clusternet {

const std::vector<SeriesInfo>& policy_metric_infos() {
  static const std::vector<SeriesInfo> infos = {
      {"policy", "budget_committed_eur",
       "Grants and lump sums committed so far, all instruments (what partnerships later return unspent included: see "
       "budget_returned_eur)",
       "EUR"},
      {"policy", "budget_spent_eur", "Money paid out so far (vouchers, management, lump sums)", "EUR"},
      {"policy", "budget_spent_on_smes_eur", "Money paid to SMEs as direct support so far", "EUR"},
      {"policy", "budget_unspent_at_calls_eur", "Call budgets left uncommitted after evaluation, cumulative", "EUR"},
      {"policy", "proposals_submitted", "Proposals (or capacity-building applications) submitted so far", "proposals"},
      {"policy", "proposals_eligible", "Submitted proposals meeting the call rules", "proposals"},
      {"policy", "proposals_rejected", "Eligible proposals not funded so far (ranked below the budget line)",
       "proposals"},
      {"policy", "partnerships_funded", "Partnerships (and capacity-building grants) funded so far", "partnerships"},
      {"policy", "success_rate", "Funded over submitted proposals (NaN before any submission)", "fraction"},
      {"policy", "partnerships_active", "Consortium partnerships running this month", "partnerships"},
      {"policy", "continuations", "Partnerships that received continuation funding so far", "partnerships"},
      {"policy", "cluster_orgs_in_partnerships", "Distinct cluster organisations in funded partnerships so far",
       "organisations"},
      {"policy", "smes_supported", "Distinct SMEs that received direct support so far", "SMEs"},
      {"policy", "smes_represented",
       "Distinct member SMEs of the cluster organisations in funded partnerships so far", "SMEs"},
      {"policy", "cost_per_sme_eur", "Money spent per SME supported (NaN before any SME)", "EUR/SME"},
      {"policy", "funded_interregional_ties", "New interregional ties formed by funded activity so far", "ties"},
      {"policy", "interregional_ties_per_meur", "New interregional ties from funded activity per million EUR spent",
       "ties/MEUR"},
      {"policy", "funding_gini_regions", "Gini coefficient of funding across the world's regions", "index"},
      {"policy", "less_developed_share_in_partnerships",
       "Share of cluster organisations in funded partnerships located in less developed regions", "fraction"},
      {"policy", "innovations", "Innovations attributable to funded activity so far", "innovations"},
      {"policy", "jobs_created", "Jobs attributable to funded innovations so far", "jobs"},
      {"policy", "exchange_visits", "Exchange visits paid so far", "visits"},
      {"policy", "budget_returned_eur",
       "Money committed to partnerships but not spent by their end (support SMEs did not take up), returned", "EUR"},
      {"policy", "smes_approached", "Offers of support made to SMEs so far (an SME may be offered more than once)",
       "offers"},
      {"policy", "sme_take_up_rate", "Offers taken up over offers made (NaN before any offer)", "fraction"},
  };
  return infos;
}

double gini(std::vector<double> values) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  double total = 0, weighted = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    total += values[i];
    weighted += static_cast<double>(i + 1) * values[i];
  }
  if (total <= 0) return 0.0;
  const double n = static_cast<double>(values.size());
  return (2.0 * weighted) / (n * total) - (n + 1.0) / n;
}

std::vector<double> policy_metrics(const Simulation& simulation) {
  const AgentState& s = simulation.state();
  const World& world = simulation.world();
  const auto& instruments = simulation.scenario().instruments;
  const Month month = simulation.month() - 1;  // the month just run
  Cents committed = 0, spent = 0, on_smes = 0, unspent = 0, returned = 0;
  for (const Ledger& l : s.ledgers) {
    returned += l.returned();
    // The ledger's committed is net of returns (returned money can be awarded again); the metric
    // keeps its meaning of grants awarded, returns reported beside it.
    committed += l.committed() + l.returned();
    spent += l.spent();
    on_smes += l.spent_on_smes();
  }
  double submitted = 0, eligible = 0, funded = 0, continuations = 0, visits = 0;
  for (const InstrumentTotals& t : s.totals) {
    submitted += t.proposals_submitted;
    eligible += t.proposals_eligible;
    funded += t.partnerships_funded;
    continuations += t.continuations;
    visits += t.exchange_visits;
    unspent += t.unspent_at_calls;
  }
  double active = 0;
  for (const Partnership& p : s.partnerships)
    if (instruments[p.instrument].kind == InstrumentKind::consortium && p.start <= month && month < p.end &&
        p.status != PartnershipStatus::awarded)
      active += 1;
  double clusters_in = 0, less_developed = 0;
  for (std::size_t c = 0; c < s.ever_in_partnership.size(); ++c) {
    if (!s.ever_in_partnership[c]) continue;
    clusters_in += 1;
    const RegionIndex r = world.orgs.region[world.cluster_orgs[c]];
    if (world.regions.regions[r].category == CohesionCategory::less_developed) less_developed += 1;
  }
  std::vector<double> funding(s.funding_by_region.size());
  for (std::size_t r = 0; r < funding.size(); ++r) funding[r] = eur_from_cents(s.funding_by_region[r]);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double spent_eur = eur_from_cents(spent);
  const auto smes = static_cast<double>(s.smes_supported);
  const auto ties = static_cast<double>(s.funded_interregional_ties);
  return {
      eur_from_cents(committed),
      spent_eur,
      eur_from_cents(on_smes),
      eur_from_cents(unspent),
      submitted,
      eligible,
      eligible - funded,
      funded,
      submitted > 0 ? funded / submitted : nan,
      active,
      continuations,
      clusters_in,
      smes,
      static_cast<double>(s.smes_represented),
      smes > 0 ? spent_eur / smes : nan,
      ties,
      spent_eur > 0 ? ties / (spent_eur / 1e6) : nan,
      gini(std::move(funding)),
      clusters_in > 0 ? less_developed / clusters_in : nan,
      static_cast<double>(s.innovations),
      s.jobs_created,
      visits,
      eur_from_cents(returned),
      static_cast<double>(s.smes_approached),
      s.smes_approached > 0 ? static_cast<double>(s.vouchers_taken) / static_cast<double>(s.smes_approached) : nan,
  };
}

}  // namespace clusternet
