#include <catch2/catch.hpp>

#include "engine/tiny_world.hpp"
#include "policy/proposal.hpp"

using namespace clusternet;

namespace {
InstrumentSpec consortium_instrument() {
  InstrumentSpec spec;
  spec.name = "test";
  spec.budget = cents_from_eur(10e6);
  spec.grant_min = spec.grant_max = cents_from_eur(1e6);
  spec.rules.min_partners = 3;
  spec.rules.max_partners = 5;
  spec.rules.min_countries = 2;
  return spec;
}
}  // namespace

TEST_CASE("a call with budget for exactly two projects funds exactly the two best-scoring eligible proposals") {
  Ledger ledger(cents_from_eur(10e6), 0.0, 0);
  std::vector<Proposal> proposals(5);
  const double scores[] = {0.4, 0.9, 0.7, 0.95, 0.8};
  for (std::size_t i = 0; i < proposals.size(); ++i) {
    proposals[i].lead = static_cast<OrgIndex>(i);
    proposals[i].score = scores[i];
    proposals[i].grant = cents_from_eur(1e6);
  }
  proposals[3].ineligible = Ineligibility::too_few_countries;  // the best score, but ineligible
  const auto outcome = award_in_rank_order(proposals, cents_from_eur(2e6), ledger, 1);
  CHECK(outcome.submitted == 5);
  CHECK(outcome.eligible == 4);
  CHECK(outcome.funded == 2);
  CHECK(outcome.rejected == 2);
  CHECK(proposals[1].funded);   // 0.9
  CHECK(proposals[4].funded);   // 0.8
  CHECK_FALSE(proposals[2].funded);
  CHECK_FALSE(proposals[3].funded);
  CHECK(ledger.committed() == cents_from_eur(2e6));
  CHECK(outcome.unspent == 0);
}

TEST_CASE("award follows rank order and stops at the first proposal that does not fit") {
  Ledger ledger(cents_from_eur(10e6), 0.0, 0);
  std::vector<Proposal> proposals(3);
  for (std::size_t i = 0; i < 3; ++i) proposals[i].lead = static_cast<OrgIndex>(i);
  proposals[0].score = 0.9;
  proposals[0].grant = cents_from_eur(1e6);
  proposals[1].score = 0.8;
  proposals[1].grant = cents_from_eur(3e6);  // does not fit in what is left
  proposals[2].score = 0.7;
  proposals[2].grant = cents_from_eur(0.5e6);
  const auto outcome = award_in_rank_order(proposals, cents_from_eur(2e6), ledger, 1);
  CHECK(outcome.funded == 1);
  CHECK_FALSE(proposals[2].funded);  // the rank order is never jumped
  CHECK(outcome.unspent == cents_from_eur(1e6));
}

TEST_CASE("a consortium that misses the min-countries rule is ineligible") {
  const World world = testing::make_tiny_world(testing::six_regions(), {2, 1, 1, 1, 1, 2});
  const auto spec = consortium_instrument();
  // Cluster organisations of regions AA01, AA02 (country AA) and one more of AA01: one country.
  auto cluster_in = [&](RegionIndex r, int k) { return world.orgs_of(r, OrgKind::cluster).first + static_cast<OrgIndex>(k); };
  Proposal p;
  p.partners = {cluster_in(0, 0), cluster_in(1, 0), cluster_in(0, 1)};
  CHECK(check_rules(p, spec, world) == Ineligibility::too_few_countries);
  p.partners = {cluster_in(0, 0), cluster_in(1, 0), cluster_in(2, 0)};  // AA, AA, BB
  CHECK(check_rules(p, spec, world) == Ineligibility::none);
  p.partners = {cluster_in(0, 0), cluster_in(2, 0)};
  CHECK(check_rules(p, spec, world) == Ineligibility::too_few_partners);
  p.partners = {cluster_in(0, 0), cluster_in(2, 0), world.orgs_of(3, OrgKind::sme_micro).first};
  CHECK(check_rules(p, spec, world) == Ineligibility::ineligible_kind);
}

TEST_CASE("proposal criteria reward interregional, cross-sectoral and less developed partners") {
  const World world = testing::make_tiny_world(testing::six_regions(), {2, 1, 1, 1, 1, 2});
  const auto spec = consortium_instrument();
  auto cluster_in = [&](RegionIndex r) { return world.orgs_of(r, OrgKind::cluster).first; };
  Proposal spread, local;
  spread.partners = {cluster_in(0), cluster_in(3), cluster_in(4)};  // three regions, two less developed
  local.partners = {cluster_in(0), cluster_in(0) + 1};               // one region
  const auto a = proposal_criteria(spread, spec, world, world.clusters.label);
  const auto b = proposal_criteria(local, spec, world, world.clusters.label);
  CHECK(a.interregional == 1.0);
  CHECK(b.interregional == 0.0);
  CHECK(a.cohesion == Approx(2.0 / 3.0));
  CHECK(b.cohesion == 0.0);
  CHECK(weighted_score(a, spec.evaluation) > weighted_score(b, spec.evaluation));
}

TEST_CASE("grants rise linearly with consortium size between grant_min and grant_max") {
  auto spec = consortium_instrument();
  spec.grant_min = cents_from_eur(1e6);
  spec.grant_max = cents_from_eur(2e6);
  CHECK(proposal_grant(spec, 3) == cents_from_eur(1e6));
  CHECK(proposal_grant(spec, 4) == cents_from_eur(1.5e6));
  CHECK(proposal_grant(spec, 5) == cents_from_eur(2e6));
}
