#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "behaviour/actors.hpp"
#include "behaviour/projects.hpp"
#include "behaviour/proximity.hpp"
#include "behaviour/sme_support.hpp"
#include "engine/tiny_world.hpp"

using namespace clusternet;

namespace {
// Search rates high enough that a tiny world starts projects every month.
BehaviourParams busy_params() {
  BehaviourParams p;
  p.search_rate_sme = 0.05;
  p.search_rate_large_firm = p.search_rate_research_org = p.search_rate_cluster_org = 0.3;
  p.project_capacity_headroom = 0.5;
  return p;
}

AdjacencyView no_ties(const World& world, std::vector<std::uint64_t>& offsets, std::vector<OrgIndex>& neighbours) {
  offsets.assign(world.orgs.size() + 1, 0);
  neighbours.clear();
  return {offsets, neighbours};
}

// A tiny world with busy searchers and no ties yet, shared by the project tests. Not copyable:
// `empty` views its own arrays.
struct BusyWorld {
  World world = testing::make_tiny_world(testing::six_regions(), {40, 10, 5, 3, 4, 2});
  BehaviourParams params = busy_params();
  ActorProfile actors = make_actor_profile(world, params, 11);
  std::vector<std::uint64_t> offsets;
  std::vector<OrgIndex> neighbours;
  AdjacencyView empty = no_ties(world, offsets, neighbours);
  BusyWorld() = default;
  BusyWorld(const BusyWorld&) = delete;
  BusyWorld& operator=(const BusyWorld&) = delete;
};
}  // namespace

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

TEST_CASE("actor activity keeps each kind's mean rate and rises with size") {
  const World world = testing::make_tiny_world(testing::six_regions(), {300, 40, 20, 60, 80, 5});
  BehaviourParams p;
  p.search_rate_sme = 0.002;
  p.search_rate_research_org = 0.05;
  p.activity_size_elasticity = 0.8;
  p.activity_dispersion = 0.7;
  const ActorProfile a = make_actor_profile(world, p, 9);
  double sme = 0, research = 0, smes = 0, researchers = 0;
  for (std::size_t o = 0; o < world.orgs.size(); ++o) {
    REQUIRE(a.capacity[o] >= 1);
    REQUIRE(a.activity[o] >= 0);
    if (is_sme(world.orgs.kind[o])) {
      sme += a.activity[o];
      smes += 1;
    } else if (world.orgs.kind[o] == OrgKind::research) {
      research += a.activity[o];
      researchers += 1;
    }
  }
  CHECK(sme / smes == Approx(0.002).epsilon(1e-5));
  CHECK(research / researchers == Approx(0.05).epsilon(1e-5));
  // Without idiosyncratic dispersion, activity is monotone in employees within a kind.
  p.activity_dispersion = 0;
  const ActorProfile b = make_actor_profile(world, p, 9);
  for (std::size_t x = 0; x < world.orgs.size(); ++x)
    for (std::size_t y = 0; y < world.orgs.size(); ++y)
      if (world.orgs.kind[x] == OrgKind::research && world.orgs.kind[y] == OrgKind::research &&
          world.orgs.employees[x] < world.orgs.employees[y])
        REQUIRE(b.activity[x] <= b.activity[y]);
  // Region totals add up to the whole.
  double regions = 0;
  for (double r : a.region_activity) regions += r;
  CHECK(regions == Approx(a.cumulative_activity(a.activity.size())));
  CHECK(make_actor_profile(world, p, 9).activity == b.activity);
}

TEST_CASE("the stored and completed activity sums are the sequential prefix sums, and their search is upper_bound") {
  ActorProfile a;
  std::uint64_t x = 99;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 33; };
  for (int o = 0; o < 1000; ++o) a.activity.push_back(next() % 4 == 0 ? 0.0f : float(next() % 1000) * 1e-3f + 1e-7f);
  a.sum_activity();
  std::vector<double> prefix(a.activity.size() + 1, 0.0);
  for (std::size_t o = 0; o < a.activity.size(); ++o) prefix[o + 1] = prefix[o] + a.activity[o];
  for (std::size_t o = 0; o <= a.activity.size(); ++o) REQUIRE(a.cumulative_activity(o) == prefix[o]);  // bit for bit
  for (int trial = 0; trial < 20000; ++trial) {
    std::size_t lo = 1 + next() % a.activity.size(), hi = 1 + next() % a.activity.size();
    if (lo > hi) std::swap(lo, hi);
    if (trial % 7 == 0) hi = std::min(a.activity.size(), lo + next() % 40);  // short ranges, inside one stride
    const double low = prefix[lo - 1], high = prefix[hi];
    const double target = trial % 11 == 0 ? prefix[lo + next() % (hi - lo + 1)]  // exactly a stored or completed sum
                                          : low - 0.01 + (high - low + 0.02) * double(next() % 100001) / 100000.0;
    const auto expected = std::size_t(std::upper_bound(prefix.begin() + std::ptrdiff_t(lo),
                                                       prefix.begin() + std::ptrdiff_t(hi) + 1, target) - prefix.begin());
    REQUIRE(a.first_cumulative_above(lo, hi, target) == expected);
  }
  CHECK_THROWS_AS(a.cumulative_activity(a.activity.size() + 1), std::logic_error);
  CHECK_THROWS_AS(a.first_cumulative_above(0, 5, 1.0), std::logic_error);
  CHECK_THROWS_AS(a.first_cumulative_above(1, a.activity.size() + 1, 1.0), std::logic_error);
}

TEST_CASE("project sizes and durations follow the fitted distributions") {
  BehaviourParams p;
  RandomStream s({4, 0, 0, 0, Purpose::test});
  double sum = 0, bilateral = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const int size = ProjectFormation::draw_size(s, p);
    REQUIRE(size >= 2);
    REQUIRE(size <= p.project_size_max);
    sum += size;
    bilateral += size == 2;
    const Month d = ProjectFormation::draw_duration(s, p);
    REQUIRE(d >= p.project_duration_min_months);
    REQUIRE(d <= p.project_duration_max_months);
  }
  CHECK(sum / n == Approx(expected_project_size(p)).epsilon(0.01));
  // Size 2 comes from the bilateral share and from lognormals that round to 0 or 1.
  CHECK(bilateral / n >= p.project_bilateral_share - 0.005);
}

TEST_CASE("merging pair formations keeps the latest hold and sums the projects") {
  std::vector<PairFormation> pairs = {{3, 7, 10, 1}, {1, 2, 5, 1}, {3, 7, 12, 1}, {1, 2, 4, 2}};
  merge_pair_formations(pairs);
  REQUIRE(pairs.size() == 2);
  CHECK(pairs[0] == PairFormation{1, 2, 5, 3});
  CHECK(pairs[1] == PairFormation{3, 7, 12, 2});
}

TEST_CASE("projects: members within capacity, pairs sorted and held, a pure function of the key") {
  const BusyWorld busy;
  const World& world = busy.world;
  const BehaviourParams& p = busy.params;
  const ActorProfile& actors = busy.actors;
  const AdjacencyView& empty = busy.empty;
  std::vector<float> reputation(world.orgs.reputation.begin(), world.orgs.reputation.end());
  ProjectFormation projects(world, p, actors, 11, 0, 0);
  CollaborationLog log;
  std::size_t started = 0;
  for (Month m = 0; m < 12; ++m) {
    const ProjectMonth out = projects.run(empty, reputation, m, log);
    started += out.started;
    for (std::size_t i = 0; i < out.pairs.size(); ++i) {
      REQUIRE(out.pairs[i].a < out.pairs[i].b);
      REQUIRE(out.pairs[i].hold_until >= m);
      if (i > 0) REQUIRE(std::pair(out.pairs[i - 1].a, out.pairs[i - 1].b) < std::pair(out.pairs[i].a, out.pairs[i].b));
    }
    for (std::size_t o = 0; o < world.orgs.size(); ++o) REQUIRE(projects.active(static_cast<OrgIndex>(o)) <= actors.capacity[o]);
  }
  REQUIRE(started > 0);
  REQUIRE(log.size() == started);
  for (std::size_t c = 0; c < log.size(); ++c) {
    const auto members = log.members(c);
    REQUIRE(members.size() >= 2);
    CHECK(log.roles(c)[0] == MemberRole::lead);
    std::vector<OrgIndex> sorted(members.begin(), members.end());
    std::sort(sorted.begin(), sorted.end());
    REQUIRE(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    REQUIRE(log.end(c) > log.start(c));
  }
  // Same key, same projects; another seed, other projects.
  auto replay = [&](std::uint64_t seed) {
    std::vector<float> rep(world.orgs.reputation.begin(), world.orgs.reputation.end());
    ProjectFormation again(world, p, actors, seed, 0, 0);
    CollaborationLog other;
    std::vector<PairFormation> all;
    for (Month m = 0; m < 12; ++m) {
      const ProjectMonth out = again.run(empty, rep, m, other);
      all.insert(all.end(), out.pairs.begin(), out.pairs.end());
    }
    return all;
  };
  CHECK(replay(11) == replay(11));
  CHECK(replay(11) != replay(12));
}

TEST_CASE("candidates_per_search above 32 is used as given, not capped") {
  // Up to 32 candidates live on the stack, more in vectors; a run with 200 must see more
  // candidates per slot than one with 32 (it was silently capped at 32 before).
  const BusyWorld busy;
  const World& world = busy.world;
  const BehaviourParams& p = busy.params;
  const ActorProfile& actors = busy.actors;
  const AdjacencyView& empty = busy.empty;
  auto replay = [&](int candidates) {
    BehaviourParams q = p;
    q.candidates_per_search = candidates;
    std::vector<float> rep(world.orgs.reputation.begin(), world.orgs.reputation.end());
    ProjectFormation projects(world, q, actors, 11, 0, 0);
    CollaborationLog log;
    std::vector<PairFormation> all;
    for (Month m = 0; m < 12; ++m) {
      const ProjectMonth out = projects.run(empty, rep, m, log);
      for (std::size_t o = 0; o < world.orgs.size(); ++o) REQUIRE(projects.active(static_cast<OrgIndex>(o)) <= actors.capacity[o]);
      all.insert(all.end(), out.pairs.begin(), out.pairs.end());
    }
    REQUIRE_FALSE(all.empty());
    return all;
  };
  const auto at_32 = replay(32);
  CHECK(replay(32) == at_32);
  CHECK(replay(200) != at_32);
  CHECK(replay(200) == replay(200));
  CHECK_FALSE(replay(1000).empty());
}

TEST_CASE("finished projects free their members and credit reputation") {
  const World world = testing::make_tiny_world(testing::six_regions(), {20, 5, 3, 3, 3, 1});
  BehaviourParams p;
  p.search_rate_sme = p.search_rate_large_firm = p.search_rate_research_org = p.search_rate_cluster_org = 0.2;
  p.project_duration_log_sd = 0;
  p.project_duration_log_mean = std::log(3.0);  // every project lasts 3 months
  p.project_duration_min_months = 1;
  p.reputation_per_project = 2.0;
  const ActorProfile actors = make_actor_profile(world, p, 3);
  std::vector<std::uint64_t> offsets;
  std::vector<OrgIndex> neighbours;
  const AdjacencyView empty = no_ties(world, offsets, neighbours);
  std::vector<float> reputation(world.orgs.size(), 0.0f);
  ProjectFormation projects(world, p, actors, 3, 0, 0);
  CollaborationLog log;
  projects.run(empty, reputation, 0, log);
  const std::size_t first = log.size();
  REQUIRE(first > 0);
  std::map<OrgIndex, int> in_first;
  for (std::size_t c = 0; c < first; ++c)
    for (OrgIndex m : log.members(c)) ++in_first[m];
  // The projects of month 0 end at month 3 exactly.
  for (std::size_t c = 0; c < first; ++c) REQUIRE(log.end(c) == 3);
  for (Month m = 1; m <= 2; ++m) CHECK(projects.run(empty, reputation, m, log).finished == 0);
  const ProjectMonth third = projects.run(empty, reputation, 3, log);
  CHECK(third.finished == first);
  for (const auto& [org, count] : in_first) CHECK(reputation[org] >= 2.0f * static_cast<float>(count));
}

TEST_CASE("the mean voucher of a range never falls to 0, with or without SMEs") {
  InstrumentSpec ranged;
  ranged.voucher_min = 20'000 * cents_per_eur;
  ranged.voucher_max = 60'000 * cents_per_eur;  // support_per_sme left at 0: a range suffices
  const World with_smes = testing::make_tiny_world(testing::six_regions(), {40, 10, 5, 3, 4, 2});
  const Cents mean = mean_voucher(ranged, with_smes);
  CHECK(mean > ranged.voucher_min);
  CHECK(mean < ranged.voucher_max);
  // No SME at all: the midpoint of the range stands in, or support_per_sme when one is given.
  const World without_smes = testing::make_tiny_world(testing::six_regions(), {0, 0, 0, 3, 4, 2});
  CHECK(mean_voucher(ranged, without_smes) == 40'000 * cents_per_eur);
  ranged.support_per_sme = 25'000 * cents_per_eur;
  CHECK(mean_voucher(ranged, without_smes) == 25'000 * cents_per_eur);
}

TEST_CASE("social proximity counts shared partners up to three, for rows of any lengths") {
  // Rows of very different lengths (hubs of 2,000 partners against rows of 1-40) and similar ones,
  // both sides of the binary-search switch; the reference counts every shared partner.
  std::vector<std::vector<OrgIndex>> rows;
  std::uint64_t state = 12345;
  auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return std::uint32_t(state >> 33);
  };
  const OrgIndex n = 5000;
  for (std::size_t r = 0; r < 60; ++r) {
    const std::size_t length = r < 6 ? 2000 : (r < 30 ? 1 + next() % 40 : 100 + next() % 400);
    std::vector<OrgIndex> row;
    for (std::size_t k = 0; k < length; ++k) row.push_back(next() % (r % 3 == 0 ? 300 : n));  // some rows crowd low ids
    std::sort(row.begin(), row.end());
    row.erase(std::unique(row.begin(), row.end()), row.end());
    rows.push_back(std::move(row));
  }
  std::vector<std::uint64_t> offsets{0};
  std::vector<OrgIndex> flat;
  for (const auto& row : rows) {
    flat.insert(flat.end(), row.begin(), row.end());
    offsets.push_back(flat.size());
  }
  const AdjacencyView adjacency{offsets, flat};
  std::size_t saturated = 0, partial = 0;
  for (OrgIndex a = 0; a < rows.size(); ++a)
    for (OrgIndex b = 0; b < rows.size(); ++b) {
      std::vector<OrgIndex> common;
      std::set_intersection(rows[a].begin(), rows[a].end(), rows[b].begin(), rows[b].end(), std::back_inserter(common));
      const double expected = std::min(1.0, double(common.size()) / 3.0);
      INFO("rows " << a << " and " << b << ": " << common.size() << " shared");
      CHECK(social_proximity(adjacency, a, b) == expected);
      saturated += common.size() >= 3;
      partial += !common.empty() && common.size() < 3;
    }
  CHECK(saturated > 100);  // both outcomes are exercised
  CHECK(partial > 100);
}
