#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <mutex>
#include <vector>

#include "core/parallel.hpp"
#include "engine/ensemble.hpp"
#include "engine/policy_metrics.hpp"
#include "engine/simulation.hpp"
#include "engine/tiny_world.hpp"

using namespace clusternet;

namespace {

World test_world() { return testing::make_tiny_world(testing::six_regions(), {60, 10, 3, 3, 4, 4}); }

InstrumentSpec consortium(double budget_eur) {
  InstrumentSpec s;
  s.name = "jci";
  s.kind = InstrumentKind::consortium;
  s.budget = cents_from_eur(budget_eur);
  s.calendar = {0, 2, 1, 2, 12};
  s.grant_min = cents_from_eur(0.5e6);
  s.grant_max = cents_from_eur(1e6);
  s.rules.min_partners = 3;
  s.rules.max_partners = 4;
  s.rules.min_countries = 2;
  s.sme_cascade_share = 0.6;
  s.support_per_sme = cents_from_eur(10000);
  s.duration_months = 12;
  s.continuation.enabled = true;
  s.continuation.milestone_month = 6;
  s.continuation.sme_target = 0.3;
  s.continuation.participation_target = 0.3;
  s.continuation.reserved_share = 0.2;
  s.continuation.grant_share = 0.3;
  s.continuation.extension_months = 6;
  return s;
}

Scenario base_scenario() {
  Scenario s;
  s.name = "test";
  s.months = 30;
  s.seed = 42;
  s.replicates = 2;
  s.behaviour.search_rate_sme = 0.05;
  s.measurement.every_months = 1;
  return s;
}

Scenario funded_scenario(double budget_eur = 3e6) {
  Scenario s = base_scenario();
  s.instruments.push_back(consortium(budget_eur));
  InstrumentSpec exchange;
  exchange.name = "xchange";
  exchange.kind = InstrumentKind::exchange;
  exchange.budget = cents_from_eur(50000);
  exchange.lump_sum_per_visit = cents_from_eur(1100);
  exchange.visits_per_month = 4;
  exchange.duration_months = 24;
  s.instruments.push_back(exchange);
  InstrumentSpec capacity;
  capacity.name = "excellence";
  capacity.kind = InstrumentKind::capacity_building;
  capacity.budget = cents_from_eur(200000);
  capacity.grant_min = capacity.grant_max = cents_from_eur(40000);
  capacity.calendar = {1, 2, 1, 1, 12};
  capacity.duration_months = 6;
  s.instruments.push_back(capacity);
  return s;
}

void require_identical(const RunResults& a, const RunResults& b) {
  REQUIRE(a.months == b.months);
  REQUIRE(a.replicates.size() == b.replicates.size());
  for (std::size_t r = 0; r < a.replicates.size(); ++r) {
    const auto& x = a.replicates[r];
    const auto& y = b.replicates[r];
    REQUIRE(x.series.size() == y.series.size());
    for (std::size_t k = 0; k < x.series.size(); ++k) {
      REQUIRE(x.series[k].size() == y.series[k].size());
      REQUIRE(std::memcmp(x.series[k].data(), y.series[k].data(), x.series[k].size() * sizeof(double)) == 0);
    }
    REQUIRE(x.partnerships.size() == y.partnerships.size());
    for (std::size_t p = 0; p < x.partnerships.size(); ++p) {
      REQUIRE(x.partnerships[p].members == y.partnerships[p].members);
      REQUIRE(x.partnerships[p].grant_eur == y.partnerships[p].grant_eur);
      REQUIRE(x.partnerships[p].smes_supported == y.partnerships[p].smes_supported);
    }
    REQUIRE(x.final_edges.size() == y.final_edges.size());
    for (std::size_t e = 0; e < x.final_edges.size(); ++e) {
      REQUIRE(x.final_edges[e].source == y.final_edges[e].source);
      REQUIRE(x.final_edges[e].target == y.final_edges[e].target);
      REQUIRE(std::memcmp(&x.final_edges[e].weight, &y.final_edges[e].weight, sizeof(double)) == 0);
    }
  }
}

double final_value(const RunResults& r, std::size_t replicate, const std::string& name) {
  for (std::size_t k = 0; k < r.series.size(); ++k)
    if (r.series[k].name == name) return r.replicates[replicate].series[k].back();
  FAIL("no series " << name);
  return 0;
}

}  // namespace

TEST_CASE("ledger, partnership and SME invariants hold at every month of several scenarios") {
  const World world = test_world();
  RunOptions options;
  options.check_invariants = true;
  for (double budget : {0.0, 1e6, 3e6, 20e6}) {
    INFO("budget " << budget);
    const Scenario scenario = funded_scenario(budget);
    RunResults results;
    REQUIRE_NOTHROW(results = run_scenario(scenario, world, options));
    // Every supported SME is reached through funded activity; money spent never exceeds commitments.
    for (std::size_t r = 0; r < results.replicates.size(); ++r) {
      CHECK(final_value(results, r, "budget_spent_eur") <= final_value(results, r, "budget_committed_eur"));
      CHECK(final_value(results, r, "budget_committed_eur") <= budget + 50000 + 200000);
    }
  }
}

TEST_CASE("funded activity happens: partnerships, vouchers, continuation, exchange visits, capacity grants") {
  const World world = test_world();
  const Scenario scenario = funded_scenario(3e6);
  const RunResults results = run_scenario(scenario, world, {});
  CHECK(final_value(results, 0, "partnerships_funded") >= 3);
  CHECK(final_value(results, 0, "smes_supported") > 0);
  CHECK(final_value(results, 0, "exchange_visits") > 0);
  CHECK(final_value(results, 0, "budget_spent_on_smes_eur") > 0);
  bool consortium_partnership = false;
  for (const auto& p : results.replicates[0].partnerships)
    if (p.instrument == "jci") {
      consortium_partnership = true;
      CHECK(p.members.size() >= 3);
      CHECK(p.members.size() <= 4);
    }
  CHECK(consortium_partnership);
}

TEST_CASE("no funding means no funded ties and no policy outcomes") {
  const World world = test_world();
  const Scenario scenario = base_scenario();
  const RunResults results = run_scenario(scenario, world, {});
  for (const auto& rep : results.replicates) {
    REQUIRE(!rep.final_edges.empty());
    for (const auto& e : rep.final_edges) CHECK(e.origin == static_cast<std::uint8_t>(TieOrigin::autonomous));
    CHECK(rep.partnerships.empty());
  }
  CHECK(final_value(results, 0, "smes_supported") == 0);
  CHECK(final_value(results, 0, "budget_committed_eur") == 0);
}

TEST_CASE("a run is bit-identical on 1, 2 and 8 threads and between two runs") {
  const World world = test_world();
  const Scenario scenario = funded_scenario(3e6);
  RunResults reference;
  {
    ThreadLimit limit(1);
    reference = run_scenario(scenario, world, {});
  }
  for (std::size_t threads : {2, 8, 1}) {
    ThreadLimit limit(threads);
    INFO("threads " << threads);
    require_identical(reference, run_scenario(scenario, world, {}));
  }
}

TEST_CASE("a run that samples its clustering carries no triangle counts and is bit-identical on 1, 2 and 8 threads") {
  const World world = test_world();
  Scenario scenario = funded_scenario(3e6);
  using Clustering = MeasurementConfig::Clustering;
  // auto: exact up to the threshold, sampled above (this test world is far below it).
  CHECK_FALSE(clustering_is_sampled(scenario.measurement, world.orgs.size()));
  CHECK_FALSE(clustering_is_sampled(scenario.measurement, sampled_clustering_above));
  CHECK(clustering_is_sampled(scenario.measurement, sampled_clustering_above + 1));
  scenario.measurement.clustering = Clustering::exact;
  CHECK_FALSE(clustering_is_sampled(scenario.measurement, sampled_clustering_above + 1));
  {
    Simulation sim(scenario, world, 0);
    while (!sim.finished() && sim.month() < 1) sim.step();
    CHECK(sim.triangles_snapshot() != nullptr);  // exact: carried once measuring starts
  }
  scenario.measurement.clustering = Clustering::sampled;
  scenario.measurement.clustering_sample_size = 5000;
  CHECK(clustering_is_sampled(scenario.measurement, world.orgs.size()));
  {
    Simulation sim(scenario, world, 0);
    while (!sim.finished()) {
      sim.step();
      REQUIRE(sim.triangles_snapshot() == nullptr);
    }
  }
  RunResults reference;
  {
    ThreadLimit limit(1);
    reference = run_scenario(scenario, world, {});
  }
  for (std::size_t threads : {2, 8}) {
    ThreadLimit limit(threads);
    INFO("threads " << threads);
    require_identical(reference, run_scenario(scenario, world, {}));
  }
}

TEST_CASE("betweenness from sampled pairs: chosen above the threshold, recorded, the same on 1, 2 and 8 threads") {
  const World world = test_world();
  Scenario scenario = funded_scenario(3e6);
  using Betweenness = MeasurementConfig::Betweenness;
  CHECK_FALSE(betweenness_from_pairs(scenario.measurement, world.orgs.size()));
  CHECK_FALSE(betweenness_from_pairs(scenario.measurement, sampled_clustering_above));
  CHECK(betweenness_from_pairs(scenario.measurement, sampled_clustering_above + 1));
  scenario.measurement.betweenness_estimator = Betweenness::sources;
  CHECK_FALSE(betweenness_from_pairs(scenario.measurement, sampled_clustering_above + 1));
  scenario.measurement.betweenness_estimator = Betweenness::pairs;
  scenario.measurement.betweenness_pair_samples = 4000;
  scenario.measurement.betweenness_top = 5;
  CHECK(betweenness_from_pairs(scenario.measurement, world.orgs.size()));
  auto tables_of = [](const RunResults& r, const std::string& name) {
    const auto& names = r.replicates.at(0).table_names;
    const auto at = std::find(names.begin(), names.end(), name);
    REQUIRE(at != names.end());
    return r.replicates[0].tables.at(std::size_t(at - names.begin()));
  };
  RunResults reference;
  {
    ThreadLimit limit(1);
    reference = run_scenario(scenario, world, {});
  }
  const auto scores = tables_of(reference, "betweenness_top_score");
  bool any = false;
  for (const auto& month : scores)
    for (const double v : month) {
      if (std::isnan(v)) continue;  // months without the expensive metrics
      any = true;
      CHECK(v >= 0.0);
      CHECK(v <= 1.0);
    }
  CHECK(any);
  const auto estimator = std::find_if(reference.estimators.begin(), reference.estimators.end(),
                                      [](const auto& e) { return e.first == "tables/betweenness_top_score"; });
  REQUIRE(estimator != reference.estimators.end());
  CHECK(estimator->second.find("4000 shortest paths") != std::string::npos);
  for (std::size_t threads : {2, 8}) {
    ThreadLimit limit(threads);
    INFO("threads " << threads);
    const RunResults other = run_scenario(scenario, world, {});
    require_identical(reference, other);
    for (const char* name : {"betweenness_top_org", "betweenness_top_score"}) {
      const auto a = tables_of(reference, name), b = tables_of(other, name);
      REQUIRE(a.size() == b.size());
      for (std::size_t m = 0; m < a.size(); ++m)
        REQUIRE(std::memcmp(a[m].data(), b[m].data(), a[m].size() * sizeof(double)) == 0);
    }
  }
  // The Brandes estimate of the same months differs (another estimator, another sample).
  scenario.measurement.betweenness_estimator = Betweenness::sources;
  ThreadLimit limit(2);
  CHECK(tables_of(run_scenario(scenario, world, {}), "betweenness_top_score") != scores);
}

TEST_CASE("Louvain's parallel local moving: chosen above the threshold, recorded, the same on 1, 2 and 8 threads") {
  const World world = test_world();
  Scenario scenario = funded_scenario(3e6);
  using Moving = MeasurementConfig::LouvainMoving;
  CHECK_FALSE(louvain_in_parallel(scenario.measurement, world.orgs.size()));
  CHECK_FALSE(louvain_in_parallel(scenario.measurement, sampled_clustering_above));
  CHECK(louvain_in_parallel(scenario.measurement, sampled_clustering_above + 1));
  scenario.measurement.louvain_moving = Moving::sequential;
  CHECK_FALSE(louvain_in_parallel(scenario.measurement, sampled_clustering_above + 1));
  auto modularity_text = [](const RunResults& r) {
    const auto e = std::find_if(r.estimators.begin(), r.estimators.end(),
                                [](const auto& x) { return x.first == "metrics/network/modularity"; });
    REQUIRE(e != r.estimators.end());
    return e->second;
  };
  const RunResults sequential = run_scenario(scenario, world, {});
  CHECK(modularity_text(sequential).find("parallel") == std::string::npos);
  scenario.measurement.louvain_moving = Moving::parallel;
  RunResults reference;
  {
    ThreadLimit limit(1);
    reference = run_scenario(scenario, world, {});
  }
  CHECK(modularity_text(reference).find("louvain_moving: parallel") != std::string::npos);
  for (std::size_t threads : {2, 8}) {
    ThreadLimit limit(threads);
    INFO("threads " << threads);
    require_identical(reference, run_scenario(scenario, world, {}));
  }
}

TEST_CASE("replicates run in waves when memory allows few at once give the same results") {
  const World world = test_world();
  Scenario scenario = funded_scenario(3e6);
  scenario.replicates = 3;
  ThreadLimit limit(2);
  const RunResults together = run_scenario(scenario, world, {});
  for (std::size_t wave : {1, 2}) {
    INFO("at most " << wave << " replicate(s) at once");
    RunOptions options;
    options.max_concurrent_replicates = wave;
    require_identical(together, run_scenario(scenario, world, options));
  }
}

TEST_CASE("doubling the budget, everything else fixed, never funds fewer partnerships") {
  const World world = test_world();
  for (std::uint64_t seed : {1, 2, 3}) {
    for (double budget : {1e6, 2e6, 4e6}) {
      Scenario low = funded_scenario(budget);
      Scenario high = funded_scenario(2 * budget);
      low.seed = high.seed = seed;
      const auto a = run_scenario(low, world, {});
      const auto b = run_scenario(high, world, {});
      for (std::size_t r = 0; r < a.replicates.size(); ++r) {
        INFO("seed " << seed << " budget " << budget << " replicate " << r);
        CHECK(final_value(b, r, "partnerships_funded") >= final_value(a, r, "partnerships_funded"));
      }
    }
  }
}

TEST_CASE("common random numbers: with and without funding, histories coincide until funding acts") {
  const World world = test_world();
  const Scenario base = base_scenario();
  Scenario funded = funded_scenario(3e6);
  funded.instruments.resize(1);  // the consortium instrument: first projects start in month 3
  Simulation a(base, world, 0), b(funded, world, 0);
  REQUIRE(a.month() == -base.burn_in_months);  // the burn-in runs first, identical in both
  while (a.month() < 3) {
    a.step();
    b.step();
  }
  REQUIRE(a.ties().slots() == b.ties().slots());
  for (std::size_t t = 0; t < a.ties().slots(); ++t) {
    CHECK(a.ties().a(t) == b.ties().a(t));
    CHECK(a.ties().b(t) == b.ties().b(t));
    CHECK(a.ties().weight(t) == b.ties().weight(t));
  }
  // Afterwards funded ties make the histories diverge, but organisations' decisions to search stay
  // aligned (their own streams), so the autonomous network differs only where funding touched it.
  while (a.month() < 20) {
    a.step();
    b.step();
  }
  CHECK(b.state().smes_supported > 0);
}

TEST_CASE("gini is 0 for equal values and (n-1)/n for one holder") {
  CHECK(gini({1, 1, 1, 1}) == Approx(0.0));
  CHECK(gini({0, 0, 0, 4}) == Approx(0.75));
  CHECK(gini({}) == 0.0);
  CHECK(gini({0, 0}) == 0.0);
}

TEST_CASE("the monthly topology, updated from the tie store's changes, equals a rebuild every month") {
  const World world = test_world();
  const Scenario scenario = funded_scenario(3e6);
  Simulation sim(scenario, world, 0);
  std::size_t months_with_dissolutions = 0;
  while (!sim.finished()) {
    const StepReport report = sim.step();
    months_with_dissolutions += report.ties_dissolved > 0;
    // The rebuild: every alive tie of the store, sorted into a graph from scratch.
    const TieStore& ties = sim.ties();
    std::vector<network::Vertex> a, b;
    std::vector<double> w;
    std::vector<std::uint32_t> r;
    for (std::size_t t = 0; t < ties.slots(); ++t) {
      if (!ties.is_alive(t)) continue;
      a.push_back(ties.a(t));
      b.push_back(ties.b(t));
      w.push_back(ties.weight(t));
      r.push_back(ties.renewals(t));
    }
    const auto rebuilt = network::CsrGraph::from_unique_edges(static_cast<std::uint32_t>(world.orgs.size()), a, b, w, r);
    REQUIRE_FALSE(sim.graph().has_weights());
    REQUIRE(sim.graph().offsets() == rebuilt.offsets());
    REQUIRE(sim.graph().neighbour_array() == rebuilt.neighbour_array());
    // The weighted snapshot (the monthly graph with the store's weights looked up) equals it too,
    // without renewal counts, and leaves the monthly graph as it was.
    const auto monthly = sim.graph_snapshot();
    const auto weighted = sim.weighted_snapshot();
    REQUIRE(weighted->offsets() == rebuilt.offsets());
    REQUIRE(weighted->neighbour_array() == rebuilt.neighbour_array());
    REQUIRE(weighted->weight_array() == rebuilt.weight_array());
    REQUIRE_FALSE(weighted->has_renewals());
    REQUIRE(&sim.graph() == monthly.get());
    REQUIRE_FALSE(sim.graph().has_weights());
    // The weighted layout, whose weights are looked up in its own order, is the layout of the
    // weighted snapshot: the same order, rows and weights.
    const auto layout = sim.weighted_layout();
    const network::Layout expected(*weighted);
    REQUIRE(layout->old_of_new == expected.old_of_new);
    REQUIRE(layout->new_of_old == expected.new_of_old);
    REQUIRE(layout->leaves_from == expected.leaves_from);
    REQUIRE(layout->graph.offsets() == expected.graph.offsets());
    REQUIRE(layout->graph.neighbour_array() == expected.graph.neighbour_array());
    // Its weights are coded (4 bytes a slot): the same doubles to the bit.
    REQUIRE(layout->graph.weights_coded());
    for (std::size_t k = 0; k < expected.graph.neighbour_array().size(); ++k) {
      const double got = layout->graph.slot_weight(k), want = expected.graph.slot_weight(k);
      REQUIRE(std::memcmp(&got, &want, sizeof got) == 0);
    }
    REQUIRE_FALSE(sim.graph().has_weights());
    REQUIRE(rebuilt.edge_count() == sim.ties().alive());
    std::size_t renewed = 0;
    for (std::size_t t = 0; t < sim.ties().slots(); ++t) renewed += sim.ties().is_alive(t) && sim.ties().renewals(t) > 0;
    REQUIRE(sim.ties().alive_renewed() == renewed);
  }
  CHECK(months_with_dissolutions > 5);  // the updates were exercised by removals, not only growth
}

TEST_CASE("without carried triangle counts the monthly topology changes in place, and a held snapshot stays as it was") {
  const World world = test_world();
  Scenario scenario = funded_scenario(3e6);
  scenario.measurement.clustering = MeasurementConfig::Clustering::sampled;  // no triangle counts carried
  Simulation sim(scenario, world, 0);
  std::size_t hook_calls = 0, in_place_months = 0;
  sim.set_before_topology_change([&] { ++hook_calls; });
  auto rebuilt = [&] {
    const TieStore& ties = sim.ties();
    std::vector<network::Vertex> a, b;
    for (std::size_t t = 0; t < ties.slots(); ++t)
      if (ties.is_alive(t)) {
        a.push_back(ties.a(t));
        b.push_back(ties.b(t));
      }
    return network::CsrGraph::from_edges(static_cast<std::uint32_t>(world.orgs.size()), a, b);
  };
  std::size_t months = 0;
  while (!sim.finished()) {
    const network::CsrGraph* before = &sim.graph();
    // Every fifth month a snapshot is held across the step: it must not change, and the step
    // then writes the new topology into a graph of its own.
    std::shared_ptr<const network::CsrGraph> held;
    std::vector<std::uint64_t> held_offsets;
    if (months % 5 == 0) {
      held = sim.graph_snapshot();
      held_offsets = held->offsets();
    }
    const auto held_neighbours = held ? std::vector<network::Vertex>(held->neighbour_array().begin(), held->neighbour_array().end())
                                      : std::vector<network::Vertex>{};
    sim.step();
    ++months;
    if (held) {
      CHECK(&sim.graph() != held.get());
      CHECK(held->offsets() == held_offsets);
      CHECK(std::equal(held_neighbours.begin(), held_neighbours.end(), held->neighbour_array().begin(),
                       held->neighbour_array().end()));
    } else {
      in_place_months += &sim.graph() == before;
    }
    const auto expected = rebuilt();
    REQUIRE(sim.graph().offsets() == expected.offsets());
    REQUIRE(sim.graph().neighbour_array() == expected.neighbour_array());
  }
  CHECK(hook_calls == months);
  CHECK(in_place_months == months - (months + 4) / 5);
  CHECK(sim.triangles_snapshot() == nullptr);
}

TEST_CASE("release_graphs gives back the monthly graphs after the run and leaves the ties and snapshots intact") {
  const World world = test_world();
  const Scenario scenario = funded_scenario(3e6);
  Simulation sim(scenario, world, 0);
  sim.step();
  CHECK_THROWS_AS(sim.release_graphs(), std::logic_error);  // not before the horizon
  while (!sim.finished()) sim.step();
  const auto held = sim.graph_snapshot();
  const std::uint64_t ties = sim.ties().alive();
  REQUIRE(ties > 0);
  REQUIRE(held->edge_count() == ties);
  std::vector<std::pair<std::uint64_t, double>> columns;
  for (std::size_t t = 0; t < sim.ties().slots(); ++t)
    if (sim.ties().is_alive(t)) columns.emplace_back(std::uint64_t(sim.ties().a(t)) << 32 | sim.ties().b(t), sim.ties().weight(t));
  const std::size_t bytes = sim.ties().bytes();
  const auto some = sim.ties().find(OrgIndex(columns.front().first >> 32), OrgIndex(columns.front().first));
  REQUIRE(some != none<TieIndex>);
  sim.release_graphs();
  CHECK(sim.graph().vertex_count() == 0);
  CHECK(sim.triangles_snapshot() == nullptr);
  CHECK(held->edge_count() == ties);  // a snapshot handed out stays valid
  CHECK(sim.ties().alive() == ties);
  // The pair index is given back; the columns read as before, lookups refuse.
  CHECK(sim.ties().index_released());
  CHECK(sim.ties().bytes() < bytes);
  std::vector<std::pair<std::uint64_t, double>> after;
  for (std::size_t t = 0; t < sim.ties().slots(); ++t)
    if (sim.ties().is_alive(t)) after.emplace_back(std::uint64_t(sim.ties().a(t)) << 32 | sim.ties().b(t), sim.ties().weight(t));
  CHECK(after == columns);
  CHECK_THROWS_AS(sim.ties().find(0, 1), std::logic_error);
  CHECK_THROWS_AS(sim.weighted_layout(), std::logic_error);
  CHECK_NOTHROW(sim.check_invariants());
}

TEST_CASE("the ETA prices burn-in and measured months apart and holds through the run") {
  // A synthetic run: 72 burn-in months at 1 s, then 120 measured months at 3 s each, every 12th
  // costing 14 s more (the expensive metrics). The true time left is known at every report.
  const std::uint64_t burn_in = 72, measured = 120;
  auto cost = [&](std::uint64_t m) {
    if (m < burn_in) return 1.0;
    return (m - burn_in + 1) % 12 == 0 ? 17.0 : 3.0;
  };
  double total = 0;
  for (std::uint64_t m = 0; m < burn_in + measured; ++m) total += cost(m);
  EtaEstimator eta(12);
  double elapsed = 0;
  double worst_after_two_cycles = 0;
  for (std::uint64_t m = 0; m < burn_in + measured; ++m) {
    elapsed += cost(m);
    RunProgress p;
    p.months_done = m + 1;
    p.months_total = burn_in + measured;
    p.replicates_total = 1;
    p.measured_months_done = m + 1 > burn_in ? m + 1 - burn_in : 0;
    p.measured_months_total = measured;
    const auto e = eta.update(p, elapsed);
    const double truth = total - elapsed;
    CHECK(e.months_per_second == Approx(double(m + 1) / elapsed));
    if (m + 1 == burn_in) {
      // Before any measured month: the prior (4.5 burn-in months per measured month), not the
      // burn-in pace, which would promise 120 s for what takes 500 s.
      CHECK(e.seconds_left == Approx(120 * 4.5));
    }
    if (m + 1 >= burn_in + 24 && m + 1 < burn_in + measured) {
      // The estimator cannot know where in the remaining months the expensive ones fall: it may
      // be one expensive month (17 s) off, on top of a small relative error.
      worst_after_two_cycles = std::max(worst_after_two_cycles, (std::abs(e.seconds_left - truth) - 17.0) / truth);
    }
  }
  // Once two whole cycles of measured months have been seen, the estimate stays within one
  // expensive month and 2% of the truth (before, the prior may outweigh the first cycle).
  CHECK(worst_after_two_cycles < 0.02);
  // The old printer (all months at the average pace so far) promised 120 s at the end of the
  // burn-in. With a prior of 4.5 (the engine's cost ratio at scales 4-50; this synthetic run's is
  // 4.2) the estimate is far closer.
  RunProgress at_burn_in{burn_in, burn_in + measured, 0, 1, 0, measured};
  EtaEstimator fresh(12);
  CHECK(std::abs(fresh.update(at_burn_in, double(burn_in)).seconds_left - 500.0) < 500.0 - 120.0);
}

TEST_CASE("the ETA leaves out the first cycle, whose expensive measurement runs beside the second's months") {
  // As in the engine: an expensive month closes its cycle, but its measurement (14 s) runs beside
  // the next month, which it slows. The first cycle then costs 3 s a month and every later one
  // 3 + 14 / 12: counting the first cycle in, the estimate would be 7% short after two cycles.
  const std::uint64_t burn_in = 72, measured = 120;
  auto cost = [&](std::uint64_t m) {
    if (m < burn_in) return 1.0;
    const std::uint64_t k = m - burn_in;
    return k >= 12 && k % 12 == 0 ? 17.0 : 3.0;
  };
  double total = 0;
  for (std::uint64_t m = 0; m < burn_in + measured; ++m) total += cost(m);
  EtaEstimator eta(12);
  double elapsed = 0, worst = 0;
  for (std::uint64_t m = 0; m < burn_in + measured; ++m) {
    elapsed += cost(m);
    const std::uint64_t measured_done = m + 1 > burn_in ? m + 1 - burn_in : 0;
    const auto e = eta.update({m + 1, burn_in + measured, 0, 1, measured_done, measured}, elapsed);
    // From the end of the second cycle on, within one expensive month and 1% of the truth.
    if (measured_done >= 24 && measured_done < measured)
      worst = std::max(worst, (std::abs(e.seconds_left - (total - elapsed)) - 14.0) / (total - elapsed));
  }
  CHECK(worst < 0.01);
}

TEST_CASE("without expensive metrics the ETA trusts the first cycle, and without network metrics a prior of 1.5") {
  // 72 burn-in months at 1 s, 120 measured at 1.5 s each (policy metrics only, every month alike).
  const std::uint64_t burn_in = 72, measured = 120;
  Scenario scenario;
  scenario.measurement.network = false;
  for (const bool network_off : {true, false}) {
    if (!network_off) {
      scenario.measurement.network = true;
      scenario.measurement.communities = scenario.measurement.paths = scenario.measurement.betweenness = false;
    }
    EtaEstimator eta = eta_estimator_for(scenario, 1);
    double elapsed = 0, worst = 0;
    for (std::uint64_t m = 0; m < burn_in + measured; ++m) {
      elapsed += m < burn_in ? 1.0 : 1.5;
      const std::uint64_t measured_done = m + 1 > burn_in ? m + 1 - burn_in : 0;
      const auto e = eta.update({m + 1, burn_in + measured, 0, 1, measured_done, measured}, elapsed);
      const double truth = 1.5 * double(measured - measured_done) + double(burn_in - std::min(burn_in, m + 1));
      // At the end of the burn-in: the prior, 1.5 burn-in months without network metrics, 4.5 with.
      if (m + 1 == burn_in) CHECK(e.seconds_left == Approx(120 * (network_off ? 1.5 : 4.5)));
      // From the first whole cycle on, the measured pace (the default estimator keeps the prior,
      // 4.5 s a month, until a second cycle: 3 times the truth).
      if (measured_done >= 12 && measured_done < measured) worst = std::max(worst, std::abs(e.seconds_left - truth) / truth);
    }
    CHECK(worst < 1e-9);
  }
  // With any expensive group the cycles are uneven and the default prior holds until two cycles.
  scenario.measurement.paths = true;
  EtaEstimator uneven = eta_estimator_for(scenario, 2);
  for (std::uint64_t m = 0; m < 96; ++m)
    uneven.update({m + 1, 400, 0, 2, m + 1 > 72 ? m + 1 - 72 : 0, 240}, double(m + 1));
  CHECK(uneven.update({97, 400, 0, 2, 25, 240}, 97.0).seconds_left == Approx(215 * 4.5 + 88));
}

TEST_CASE("a replicate's last month is counted in the progress only once its measurement and records are done") {
  // The last month's measurement is an expensive one with nothing beside it: counted right after
  // its step, the progress read "every month done" (ETA 0) for as long as it ran.
  const World world = test_world();
  Scenario scenario = funded_scenario(1e6);
  scenario.replicates = 1;
  std::mutex mutex;
  std::vector<RunProgress> reports;
  RunOptions options;
  options.progress = [&](const RunProgress& p) {
    const std::lock_guard lock(mutex);
    reports.push_back(p);
  };
  const RunResults results = run_scenario(scenario, world, options);
  REQUIRE(results.replicates.size() == 1);
  REQUIRE_FALSE(reports.empty());
  const std::uint64_t per_replicate = std::uint64_t(scenario.months + scenario.burn_in_months);
  for (const RunProgress& p : reports) {
    CHECK(p.measured_months_done <= p.months_done);
    CHECK(p.months_done <= p.months_total);
    // The last month is counted after the replicate is recorded.
    if (p.replicates_done == 0) CHECK(p.months_done < per_replicate);
  }
  const auto last = std::max_element(reports.begin(), reports.end(),
                                     [](const RunProgress& a, const RunProgress& b) { return a.months_done < b.months_done; });
  CHECK(last->months_done == last->months_total);
  CHECK(last->replicates_done == last->replicates_total);
  CHECK(last->measured_months_done == last->measured_months_total);
}
