// One month's metric set on a snapshot the size of the simulation at scale 1, in two modes:
//  - synthetic (default): ~120k organisations and the given number of ties, clustered (80% of
//    ties inside groups of 500), with region/country/kind/area attributes and 242 regions;
//  - --simulated [SCALE]: the real snapshot of jci-150m after its burn-in and 120 months at the
//    given world scale (default 1), with the engine's own node attributes, measurement settings
//    and estimators (above 1,000,000 organisations: betweenness from pairs, sampled clustering,
//    parallel local moving; before 2026-12-05 the bench counted triangles and moved Louvain's
//    vertices one by one there, which the engine does not).
// Prints the median of the repeats for the monthly groups (what every month computes), the
// expensive groups (paths, communities, betweenness, region betweenness: every 12 months by
// default) and per group; in --simulated mode first the weighted snapshot those groups read. Target (issue 6): < 100 ms for the metric set without betweenness.
//
// Usage: network_month_bench [organisations] [ties] [repeats] [threads]
//        network_month_bench --simulated [scale] [repeats] [threads]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "engine/network_recording.hpp"
#include "engine/simulation.hpp"
#include "io/region_table_csv.hpp"
#include "io/scenario_loader.hpp"
#include "world/generate.hpp"
#include "core/random.hpp"
#include "network/csr_graph.hpp"
#include "network/metrics.hpp"

using namespace clusternet;
using namespace clusternet::network;

namespace {
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

// Times compute_metrics with `groups` on `g`, `repeats` times (month = repeat index, so sampled
// sources and Louvain orders differ as they do month to month). Prints total and per group.
void time_groups(const char* label, const CsrGraph& g, const NodeAttributes& attributes, MetricOptions options,
                 const MetricGroups& groups, int repeats) {
  options.groups = groups;
  std::vector<double> total_ms;
  std::vector<MetricTimings> timings;
  for (int r = 0; r < repeats; ++r) {
    options.month = r;
    const auto t0 = std::chrono::steady_clock::now();
    const auto metrics = compute_metrics(g, &attributes, options);
    total_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    timings.push_back(metrics.timings);
  }
  auto group = [&](double MetricTimings::*field) {
    std::vector<double> v;
    for (const auto& t : timings) v.push_back(t.*field);
    return median(v);
  };
  std::printf("%-34s %8.1f ms\n", label, median(total_ms));
  std::printf("  basic %.1f  clustering %.1f  assortativity %.1f  paths %.1f  communities %.1f  kcore %.1f  "
              "betweenness %.1f  attributed %.1f  regions %.1f  layout %.1f\n",
              group(&MetricTimings::basic), group(&MetricTimings::clustering), group(&MetricTimings::assortativity),
              group(&MetricTimings::paths), group(&MetricTimings::communities), group(&MetricTimings::kcore),
              group(&MetricTimings::betweenness), group(&MetricTimings::attributed), group(&MetricTimings::regions),
              group(&MetricTimings::layout));
}

// `topology`: the graph the engine measures every month (no weights); `g`: the weighted graph of
// its expensive months (the same ties). The synthetic mode passes one graph for both.
void run_all(const CsrGraph& g, const CsrGraph& topology, const NodeAttributes& attributes, const MetricOptions& options,
             int repeats) {
  MetricGroups monthly;  // what the engine computes every month
  monthly.paths = monthly.communities = monthly.betweenness = monthly.region_betweenness = false;
  MetricGroups expensive;  // what it adds every expensive month
  expensive.basic = expensive.clustering = expensive.assortativity = expensive.kcore = expensive.attributed = false;
  expensive.regions = expensive.region_betweenness = expensive.paths = expensive.communities = expensive.betweenness = true;
  MetricGroups no_betweenness;  // issue 6's "one month's metric set (without betweenness)"
  time_groups("metric set, no betweenness", g, attributes, options, no_betweenness, repeats);
  time_groups("monthly groups (engine, every month)", topology, attributes, options, monthly, repeats);
  time_groups("expensive groups (engine, every 12th)", g, attributes, options, expensive, repeats);
}
}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "--simulated") {
    const double scale = argc > 2 ? std::atof(argv[2]) : 1.0;
    const int repeats = argc > 3 ? std::atoi(argv[3]) : 5;
    ThreadLimit limit(argc > 4 ? std::size_t(std::atoi(argv[4])) : 0);
    const Scenario scenario = io::load_scenario(std::string(CLUSTERNET_SOURCE_DIR) + "/scenarios/jci-150m.yaml",
                                                {"replicates=1", "world.scale=" + std::to_string(scale)});
    const World world = io::load_world(scenario.world, scenario.seed);
    Simulation sim(scenario, world, 0);
    while (!sim.finished()) sim.step();
    const NetworkRecorder recorder(world, scenario.measurement);
    const auto& m = scenario.measurement;
    MetricOptions options;
    options.path_samples = m.path_sample_size;
    options.betweenness_samples = m.betweenness_sample_size;
    options.betweenness_top_k = m.betweenness_top;
    // As the engine: betweenness from sampled pairs above the threshold (issue 18).
    if (betweenness_from_pairs(m, world.orgs.size())) options.betweenness_pairs = m.betweenness_pair_samples;
    options.seed = scenario.seed;
    // And, as the engine, parallel local moving and sampled clustering above their thresholds.
    if (louvain_in_parallel(m, world.orgs.size())) options.local_moving = LocalMoving::parallel;
    if (clustering_is_sampled(m, world.orgs.size())) options.clustering_samples = m.clustering_sample_size;
    const auto monthly = sim.graph_snapshot();
    // The weighted layout (the BFS layout of the monthly graph, each slot's tie weight looked up in
    // the tie store): what the step of every expensive month makes before the next step. The
    // groups below make their layout from the weighted graph instead (the "layout" time).
    std::vector<double> layout_ms;
    for (int r = 0; r < repeats; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      const auto taken = sim.weighted_layout();
      layout_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    const auto weighted = sim.weighted_snapshot();
    const auto& g = *weighted;
    std::printf("simulated jci-150m, scale %g, after %d months: organisations %u, ties %llu, threads %zu, repeats %d\n",
                scale, int(sim.month()), g.vertex_count(), static_cast<unsigned long long>(g.edge_count()),
                active_threads(), repeats);
    if (options.betweenness_pairs > 0)
      std::printf("path sources %u, betweenness from %u sampled pairs (the scenario's measurement settings)\n",
                  options.path_samples, options.betweenness_pairs);
    else
      std::printf("path sources %u, betweenness sources %u (the scenario's measurement settings)\n",
                  options.path_samples, options.betweenness_samples);
    std::printf("%-34s %8.1f ms\n", "weighted layout (engine)", median(layout_ms));
    run_all(g, *monthly, recorder.attributes(), options, repeats);
    return 0;
  }
  const std::uint32_t n = argc > 1 ? std::uint32_t(std::atol(argv[1])) : 120000;
  const std::uint64_t m = argc > 2 ? std::uint64_t(std::atoll(argv[2])) : 1000000;
  const int repeats = argc > 3 ? std::atoi(argv[3]) : 7;
  ThreadLimit limit(argc > 4 ? std::size_t(std::atoi(argv[4])) : 0);

  RandomStream random(StreamKey{42, 0, 0, 0, Purpose::test});
  std::vector<Vertex> s(m), t(m);
  std::vector<std::uint32_t> renewals(m);
  for (std::uint64_t i = 0; i < m; ++i) {
    const auto a = Vertex(uniform_index(random, n));
    const bool local = uniform01(random) < 0.8;
    s[i] = a;
    t[i] = local ? Vertex(std::min<std::uint64_t>(n - 1, (a / 500) * 500 + uniform_index(random, 500)))
                 : Vertex(uniform_index(random, n));
    renewals[i] = std::uint32_t(uniform_index(random, 3));
  }
  NodeAttributes attributes;
  attributes.region_count = 242;
  for (std::uint32_t v = 0; v < n; ++v) {
    attributes.region.push_back(RegionIndex((v / 500) % 242));
    attributes.country.push_back(CountryIndex((v / 500) % 27));
    attributes.kind.push_back(std::uint8_t(uniform_index(random, 6)));
    attributes.area.push_back(AreaIndex(uniform_index(random, 21)));
  }
  for (std::uint32_t r = 0; r < 242; ++r) attributes.region_category.push_back(std::uint8_t(r % 3));

  std::vector<double> build_ms;
  CsrGraph g;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    g = CsrGraph::from_edges(n, s, t, {}, renewals);
    build_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  MetricOptions options;  // the library defaults: 256 path sources, 256 betweenness sources
  std::printf("synthetic: organisations %u, ties %llu, threads %zu, repeats %d\n", n,
              static_cast<unsigned long long>(g.edge_count()), active_threads(), repeats);
  std::printf("snapshot build (CSR, from_edges) %8.1f ms\n", median(build_ms));
  run_all(g, g, attributes, options, repeats);
  return 0;
}
