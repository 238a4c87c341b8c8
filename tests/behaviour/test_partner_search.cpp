#include <catch2/catch.hpp>

#include "behaviour/partner_search.hpp"
#include "behaviour/proximity.hpp"
#include "engine/tiny_world.hpp"

using namespace clusternet;

TEST_CASE("geographic proximity falls with distance and favours the same country") {
  const World world = testing::make_tiny_world(testing::six_regions(), {5, 1, 1, 1, 1, 1});
  BehaviourParams p;
  CHECK(geographic_proximity(world, p, 0, 0) == Approx(1.0));
  CHECK(geographic_proximity(world, p, 0, 1) > geographic_proximity(world, p, 0, 2));
  CHECK(geographic_proximity(world, p, 0, 2) > geographic_proximity(world, p, 0, 5));
}

TEST_CASE("cognitive proximity peaks at the optimal distance") {
  BehaviourParams p;
  p.optimal_cognitive_distance = 0.5;
  CHECK(cognitive_proximity(p, 0.5) == Approx(1.0));
  CHECK(cognitive_proximity(p, 0.0) < cognitive_proximity(p, 0.3));
  CHECK(cognitive_proximity(p, 1.0) < cognitive_proximity(p, 0.7));
  const World world = testing::make_tiny_world(testing::six_regions(), {5, 1, 1, 1, 1, 1});
  CHECK(cognitive_distance(world, 0, 0) == 0.0);
}

TEST_CASE("autonomous search: each target accepts at most its monthly limit, pairs are unique and ordered") {
  const World world = testing::make_tiny_world(testing::six_regions(), {40, 10, 5, 3, 4, 2});
  BehaviourParams params;
  params.search_rate_sme = params.search_rate_large_firm = params.search_rate_research_org =
      params.search_rate_cluster_org = 1.0;
  PartnerSearch search(world, params, 11, 0);
  std::vector<std::uint64_t> offsets(world.orgs.size() + 1, 0);
  std::vector<OrgIndex> neighbours;
  AdjacencyView empty{offsets, neighbours};
  const auto accepted = search.run(empty, world.orgs.reputation, 0);
  REQUIRE(!accepted.empty());
  std::vector<int> degree(world.orgs.size(), 0);
  for (std::size_t i = 0; i < accepted.size(); ++i) {
    CHECK(accepted[i].first < accepted[i].second);
    if (i > 0) CHECK(accepted[i - 1] < accepted[i]);
  }
  // Same inputs, same proposals: the search is a pure function of its key.
  PartnerSearch again(world, params, 11, 0), other_seed(world, params, 12, 0);
  CHECK(again.run(empty, world.orgs.reputation, 0) == accepted);
  CHECK(other_seed.run(empty, world.orgs.reputation, 0) != accepted);
}

TEST_CASE("search months are geometric waiting times with the kind's monthly rate") {
  const World world = testing::make_tiny_world(testing::six_regions(), {200, 1, 1, 1, 1, 1});
  BehaviourParams params;
  params.search_rate_sme = 0.1;
  PartnerSearch search(world, params, 3, 0);
  // Mean gap of a geometric waiting time with success probability p is 1/p.
  double total = 0;
  int n = 0;
  for (OrgIndex org = 0; org < world.orgs.size(); ++org) {
    if (!is_sme(world.orgs.kind[org])) continue;
    Month month = -1;
    for (int k = 0; k < 20; ++k) {
      const Month next = search.next_search_after(org, month);
      REQUIRE(next > month);
      total += next - month;
      ++n;
      month = next;
    }
  }
  CHECK(total / n == Approx(10.0).epsilon(0.05));
  params.search_rate_sme = 0.0;
  PartnerSearch never(world, params, 3, 0);
  CHECK(never.next_search_after(0, 5) == none<Month>);
}
