// One month's metric set (everything but betweenness) on a synthetic snapshot the size of the
// simulation at scale 1: ~120k organisations, ~1M ties, clustered (most ties inside regional
// groups of 500), with region/country/kind/area attributes and 242 regions. Prints the median of
// the repeats per group and in total. Target: < 100 ms for the metric set.
//
// Usage: network_month_bench [organisations] [ties] [repeats] [threads]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/parallel.hpp"
#include "core/random.hpp"
#include "network/csr_graph.hpp"
#include "network/metrics.hpp"

using namespace clusternet;
using namespace clusternet::network;

int main(int argc, char** argv) {
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

  MetricOptions options;  // defaults: every group but betweenness, 256 path sources
  std::vector<double> build_ms, total_ms;
  std::vector<MetricTimings> groups;
  double ties = 0;
  for (int r = 0; r < repeats; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto g = CsrGraph::from_edges(n, s, t, {}, renewals);
    const auto t1 = std::chrono::steady_clock::now();
    options.month = r;
    const auto metrics = compute_metrics(g, &attributes, options);
    const auto t2 = std::chrono::steady_clock::now();
    build_ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
    total_ms.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    groups.push_back(metrics.timings);
    ties = metrics.scalar("ties");
  }
  auto median = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
  };
  auto group_median = [&](double MetricTimings::*field) {
    std::vector<double> v;
    for (const auto& g : groups) v.push_back(g.*field);
    return median(v);
  };
  std::printf("organisations %u, ties %.0f, threads %zu, repeats %d\n", n, ties, active_threads(), repeats);
  std::printf("snapshot build (CSR)     %8.1f ms\n", median(build_ms));
  std::printf("metric set, no betweenness %6.1f ms  (target < 100 ms)\n", median(total_ms));
  std::printf("  basic %.1f  clustering %.1f  assortativity %.1f  paths %.1f  communities %.1f  kcore %.1f  "
              "attributed %.1f  regions %.1f\n",
              group_median(&MetricTimings::basic), group_median(&MetricTimings::clustering),
              group_median(&MetricTimings::assortativity), group_median(&MetricTimings::paths),
              group_median(&MetricTimings::communities), group_median(&MetricTimings::kcore),
              group_median(&MetricTimings::attributed), group_median(&MetricTimings::regions));
  return 0;
}
