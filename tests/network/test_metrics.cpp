#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "network/kernels.hpp"
#include "network/metrics.hpp"
#include "world/organisation_kind.hpp"

using namespace clusternet;
using namespace clusternet::network;
using Catch::Detail::Approx;

namespace {
CsrGraph graph(std::uint32_t n, const std::vector<std::pair<Vertex, Vertex>>& edges) {
  std::vector<Vertex> s, t;
  for (auto [a, b] : edges) {
    s.push_back(a);
    t.push_back(b);
  }
  return CsrGraph::from_edges(n, s, t);
}
MetricOptions exact_options() {
  MetricOptions o;
  o.exact_paths = true;
  o.groups.betweenness = true;
  o.betweenness_samples = 1u << 30;  // every source: exact
  o.seed = 7;
  return o;
}
double get(const MetricSet& m, std::string_view name) { return m.scalar(name); }
}  // namespace

TEST_CASE("scalar metric names are unique and in the documented order") {
  for (std::size_t i = 0; i < scalar_count; ++i) {
    REQUIRE(scalar_index(scalar_metrics[i].name) == i);
    REQUIRE_FALSE(scalar_metrics[i].description.empty());
    REQUIRE_FALSE(scalar_metrics[i].unit.empty());
  }
  REQUIRE(scalar_metrics[0].name == "organisations_active");
  REQUIRE(scalar_index("tie_share_sme_research") == 22);
  REQUIRE(scalar_index("no_such_metric") == scalar_count);
  MetricSet m;
  REQUIRE_THROWS_AS(m.scalar("no_such_metric"), Error);
}

TEST_CASE("triangle") {
  const auto m = compute_metrics(graph(3, {{0, 1}, {1, 2}, {2, 0}}), nullptr, exact_options());
  CHECK(get(m, "organisations_active") == 3);
  CHECK(get(m, "ties") == 3);
  CHECK(get(m, "mean_degree") == 2);
  CHECK(get(m, "degree_gini") == Approx(0.0).margin(1e-15));
  CHECK(get(m, "components") == 1);
  CHECK(get(m, "giant_component_share") == 1);
  CHECK(get(m, "transitivity") == 1);
  CHECK(get(m, "mean_local_clustering") == 1);
  CHECK(std::isnan(get(m, "degree_assortativity")));  // all degrees equal: undefined, as networkx
  CHECK(get(m, "mean_path_length") == 1);
  CHECK(get(m, "effective_diameter") == Approx(0.9));
  CHECK(get(m, "max_kcore") == 2);
  CHECK(get(m, "communities") == 1);
  CHECK(get(m, "modularity") == Approx(0.0).margin(1e-15));
  CHECK(std::isnan(get(m, "interregional_tie_share")));
}

TEST_CASE("star") {
  const auto m = compute_metrics(graph(5, {{0, 1}, {0, 2}, {0, 3}, {0, 4}}), nullptr, exact_options());
  CHECK(get(m, "max_degree") == 4);
  CHECK(get(m, "degree_gini") == Approx(0.3));
  CHECK(get(m, "transitivity") == 0);
  CHECK(get(m, "mean_local_clustering") == 0);
  CHECK(get(m, "degree_assortativity") == Approx(-1.0));
  CHECK(get(m, "mean_path_length") == Approx(1.6));
  CHECK(get(m, "path_sample_size") == 5);
  CHECK(get(m, "max_kcore") == 1);
  REQUIRE(m.betweenness_top_vertices.size() == 5);
  CHECK(m.betweenness_top_vertices[0] == 0);
  CHECK(m.betweenness_top_scores[0] == Approx(1.0));  // every leaf pair passes the centre
  CHECK(m.betweenness_top_scores[1] == 0.0);
  CHECK(m.degree_histogram_edges == std::vector<std::uint64_t>{1, 2, 4, 8});
  CHECK(m.degree_histogram_counts == std::vector<std::uint64_t>{4, 0, 1});
}

TEST_CASE("path of four") {
  const auto m = compute_metrics(graph(4, {{0, 1}, {1, 2}, {2, 3}}), nullptr, exact_options());
  CHECK(get(m, "mean_path_length") == Approx(10.0 / 6.0));
  CHECK(get(m, "degree_assortativity") == Approx(-0.5));
  CHECK(get(m, "max_kcore") == 1);
  REQUIRE(m.betweenness_top_vertices.size() == 4);
  CHECK(m.betweenness_top_vertices[0] == 1);  // ties between 1 and 2 go to the smaller index
  CHECK(m.betweenness_top_scores[0] == Approx(2.0 / 3.0));
  CHECK(m.betweenness_top_scores[1] == Approx(2.0 / 3.0));
}

TEST_CASE("two cliques joined by a bridge, plus an isolated vertex and a separate pair") {
  std::vector<std::pair<Vertex, Vertex>> e;
  for (Vertex a = 0; a < 4; ++a)
    for (Vertex b = a + 1; b < 4; ++b) {
      e.emplace_back(a, b);
      e.emplace_back(a + 4, b + 4);
    }
  e.emplace_back(3, 4);
  e.emplace_back(9, 10);  // vertex 8 stays isolated
  auto o = exact_options();
  o.keep_partition = true;
  const auto m = compute_metrics(graph(11, e), nullptr, o);
  CHECK(get(m, "organisations_active") == 10);
  CHECK(get(m, "components") == 2);
  CHECK(get(m, "giant_component_share") == Approx(0.8));
  CHECK(get(m, "transitivity") == Approx(0.8));  // 8 triangles, 30 connected triples
  CHECK(get(m, "max_kcore") == 3);
  CHECK(get(m, "communities") == 3);
  REQUIRE(m.community.size() == 11);
  CHECK(m.community[8] == none<std::uint32_t>);
  CHECK(m.community[0] == m.community[3]);
  CHECK(m.community[4] == m.community[7]);
  CHECK(m.community[0] != m.community[4]);
  // m = 14: two cliques of 6 internal ties and degree total 13, the pair 1 tie and degree 2.
  const double q = 2 * (6.0 / 14 - (13.0 / 28) * (13.0 / 28)) + (1.0 / 14 - (2.0 / 28) * (2.0 / 28));
  CHECK(get(m, "modularity") == Approx(q));
  CHECK(modularity(graph(11, e), m.community) == Approx(q));
}

TEST_CASE("empty graph and single vertex give NaN or zero, never a crash") {
  for (std::uint32_t n : {0u, 1u}) {
    const auto m = compute_metrics(graph(n, {}), nullptr, exact_options());
    CHECK(get(m, "organisations_active") == 0);
    CHECK(get(m, "ties") == 0);
    CHECK(get(m, "components") == 0);
    CHECK(std::isnan(get(m, "mean_degree")));
    CHECK(std::isnan(get(m, "transitivity")));
    CHECK(std::isnan(get(m, "mean_path_length")));
    CHECK(std::isnan(get(m, "modularity")));
    CHECK(m.degree_histogram_counts.empty());
    CHECK(m.betweenness_top_vertices.empty());
  }
}

TEST_CASE("attributed and region metrics on a labelled path") {
  // 0 -1- 1 -2- 2 -3- 3, plus a repeated tie flag on the middle tie.
  const std::vector<Vertex> s = {0, 1, 2}, t = {1, 2, 3};
  const std::vector<std::uint32_t> renewals = {0, 2, 0};
  const auto g = CsrGraph::from_edges(4, s, t, {}, renewals);
  NodeAttributes a;
  a.region = {0, 0, 1, 1};
  a.country = {0, 1, 1, 1};
  a.kind = {std::uint8_t(OrgKind::sme_micro), std::uint8_t(OrgKind::research), std::uint8_t(OrgKind::large_firm),
            std::uint8_t(OrgKind::cluster)};
  a.area = {3, 3, 5, 5};
  a.region_count = 3;
  a.region_category = {std::uint8_t(CohesionCategory::less_developed), std::uint8_t(CohesionCategory::more_developed),
                       std::uint8_t(CohesionCategory::more_developed)};
  const auto m = compute_metrics(g, &a, exact_options());
  CHECK(get(m, "interregional_tie_share") == Approx(1.0 / 3));
  CHECK(get(m, "cross_border_tie_share") == Approx(1.0 / 3));
  CHECK(get(m, "cross_sectoral_tie_share") == Approx(1.0 / 3));
  CHECK(get(m, "repeated_tie_share") == Approx(1.0 / 3));
  CHECK(get(m, "tie_share_sme_research") == Approx(1.0 / 3));
  CHECK(get(m, "tie_share_large_firm_research") == Approx(1.0 / 3));
  CHECK(get(m, "tie_share_large_firm_cluster") == Approx(1.0 / 3));
  CHECK(get(m, "tie_share_sme_sme") == 0);
  CHECK(m.region_degree == std::vector<std::uint32_t>{1, 1, 0});
  CHECK(m.region_strength == std::vector<double>{1, 1, 0});
  CHECK(get(m, "region_strength_mean_less_developed") == 1);
  CHECK(get(m, "region_strength_mean_more_developed") == 0.5);
  CHECK(std::isnan(get(m, "region_strength_mean_transition")));
  // (0.5 - 1) / (2 / 3)
  CHECK(get(m, "convergence_gap") == Approx(-0.75));

  NodeAttributes wrong = a;
  wrong.kind.pop_back();
  REQUIRE_THROWS_AS(compute_metrics(g, &wrong, exact_options()), Error);
}

TEST_CASE("region betweenness: the hub of a region star carries every path") {
  // 4 regions, region 0 linked to 1, 2, 3; 1-2 linked weakly (one tie) versus strongly 0-1, 0-2.
  std::vector<double> w(16, 0.0);
  auto link = [&](int a, int b, double x) { w[a * 4 + b] = w[b * 4 + a] = x; };
  link(0, 1, 4);
  link(0, 2, 4);
  link(0, 3, 4);
  link(1, 2, 1);  // length 1 > 0.25 + 0.25 via the hub
  const auto b = weighted_betweenness_dense(w, 4);
  CHECK(b[0] == Approx(1.0));
  CHECK(b[1] == 0);
}

TEST_CASE("region_betweenness off keeps region degree and strength, leaves betweenness NaN") {
  // Three regions in a path 0 - 1 - 2 through organisations 0..5 (two per region).
  const auto g = graph(6, {{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 5}, {1, 3}});
  NodeAttributes a;
  a.region = {0, 0, 1, 1, 2, 2};
  a.region_count = 3;
  a.region_category = {std::uint8_t(CohesionCategory::less_developed), std::uint8_t(CohesionCategory::transition),
                       std::uint8_t(CohesionCategory::more_developed)};
  auto o = exact_options();
  const auto with = compute_metrics(g, &a, o);
  REQUIRE(with.region_betweenness.size() == 3);
  CHECK(with.region_betweenness[1] == Approx(1.0));  // the middle region carries the one path 0 - 2
  CHECK(get(with, "region_betweenness_mean_transition") == Approx(1.0));

  o.groups.region_betweenness = false;
  const auto without = compute_metrics(g, &a, o);
  CHECK(without.region_betweenness.empty());
  for (const char* name : {"region_betweenness_mean_less_developed", "region_betweenness_mean_transition",
                           "region_betweenness_mean_more_developed"})
    CHECK(std::isnan(get(without, name)));
  CHECK(without.region_degree == with.region_degree);
  CHECK(without.region_strength == with.region_strength);
  // Every other scalar (the cheap region means and convergence_gap included) is bit-identical.
  for (std::size_t i = 0; i < scalar_count; ++i) {
    if (scalar_metrics[i].name.starts_with("region_betweenness_mean_")) continue;
    const double x = with.scalars[i], y = without.scalars[i];
    CHECK((std::memcmp(&x, &y, sizeof x) == 0 || (std::isnan(x) && std::isnan(y))));
  }
  CHECK(get(without, "region_degree_mean_transition") == 2);
}

TEST_CASE("the full metric set is bit-identical on 1, 2 and 8 threads") {
  // Clustered random graph: 40 groups of 250 with dense inside and sparse outside ties, weighted.
  std::vector<Vertex> s, t;
  std::vector<float> w;
  std::vector<std::uint32_t> renewals;
  std::uint64_t x = 99;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 20; };
  const std::uint32_t n = 10000;
  for (int i = 0; i < 80000; ++i) {
    const Vertex a = Vertex(next() % n);
    const Vertex b = (i % 4) ? Vertex((a / 250) * 250 + next() % 250) : Vertex(next() % n);
    s.push_back(a);
    t.push_back(b);
    w.push_back(float(1 + next() % 5) * 0.3f);
    renewals.push_back(std::uint32_t(next() % 3));
  }
  NodeAttributes a;
  for (Vertex v = 0; v < n; ++v) {
    a.region.push_back(RegionIndex(v % 37));
    a.country.push_back(CountryIndex(v % 11));
    a.kind.push_back(std::uint8_t(v % 6));
    a.area.push_back(AreaIndex(v % 21));
  }
  a.region_count = 37;
  for (int r = 0; r < 37; ++r) a.region_category.push_back(std::uint8_t(r % 3));
  auto o = exact_options();
  o.exact_paths = false;
  o.path_samples = 64;
  o.betweenness_samples = 48;
  o.keep_partition = true;
  auto run = [&](std::size_t threads) {
    ThreadLimit limit(threads);
    const auto g = CsrGraph::from_edges(n, s, t, w, renewals);
    return compute_metrics(g, &a, o);
  };
  const auto one = run(1);
  CHECK(one.scalar("communities") > 1);
  CHECK(one.betweenness_top_vertices.size() == 20);
  for (std::size_t threads : {2u, 8u}) {
    const auto m = run(threads);
    CHECK(std::memcmp(m.scalars.data(), one.scalars.data(), sizeof(double) * scalar_count) == 0);
    CHECK(m.degree_histogram_counts == one.degree_histogram_counts);
    CHECK(m.betweenness_top_vertices == one.betweenness_top_vertices);
    CHECK(std::memcmp(m.betweenness_top_scores.data(), one.betweenness_top_scores.data(),
                      sizeof(double) * one.betweenness_top_scores.size()) == 0);
    CHECK(m.region_degree == one.region_degree);
    CHECK(std::memcmp(m.region_strength.data(), one.region_strength.data(), sizeof(double) * 37) == 0);
    CHECK(std::memcmp(m.region_betweenness.data(), one.region_betweenness.data(), sizeof(double) * 37) == 0);
    CHECK(m.community == one.community);
  }
  // A different seed draws other sources and another Louvain order.
  o.seed = 8;
  const auto other = run(2);
  CHECK(other.scalar("path_sample_size") == 64);
  CHECK(std::memcmp(other.scalars.data(), one.scalars.data(), sizeof(double) * scalar_count) != 0);
}

namespace {
// Reference: one plain BFS per source, distances counted into a histogram.
std::vector<std::uint64_t> naive_histogram(const CsrGraph& g, const std::vector<Vertex>& sources) {
  std::vector<std::uint64_t> h;
  for (Vertex src : sources) {
    std::vector<std::uint32_t> dist(g.vertex_count(), none<std::uint32_t>);
    std::vector<Vertex> queue = {src};
    dist[src] = 0;
    for (std::size_t head = 0; head < queue.size(); ++head)
      for (Vertex w : g.neighbours(queue[head]))
        if (dist[w] == none<std::uint32_t>) {
          dist[w] = dist[queue[head]] + 1;
          queue.push_back(w);
          if (h.size() <= dist[w]) h.resize(dist[w] + 1, 0);
          ++h[dist[w]];
        }
  }
  return h;
}
}  // namespace

TEST_CASE("multi-source BFS histogram equals one BFS per source, for any batch split and thread count") {
  // Sparse random graph with several components and long paths (mean degree ~2.4).
  std::vector<std::pair<Vertex, Vertex>> edges;
  std::uint64_t x = 2024;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 24; };
  const std::uint32_t n = 3000;
  for (int i = 0; i < 3600; ++i) edges.emplace_back(Vertex(next() % n), Vertex(next() % n));
  const CsrGraph g = graph(n, edges);
  for (std::size_t count : {1u, 17u, 64u, 65u, 200u}) {
    std::vector<Vertex> sources;
    for (std::size_t i = 0; i < count; ++i) sources.push_back(Vertex((i * 7919) % n));
    const auto expected = naive_histogram(g, sources);
    for (std::size_t threads : {1u, 2u, 8u}) {
      ThreadLimit limit(threads);
      auto h = bfs_distance_histogram(g, sources);
      h.resize(std::max(h.size(), expected.size()), 0);
      auto e = expected;
      e.resize(h.size(), 0);
      CHECK(h == e);
    }
  }
}

TEST_CASE("bfs_order lists every active vertex once, component by component from the smallest") {
  // Components {0,1,2} (path 2-0-1), {4,5}; 3 and 6 isolated.
  const CsrGraph g = graph(7, {{2, 0}, {0, 1}, {5, 4}});
  const std::vector<Vertex> expected = {0, 1, 2, 4, 5};
  CHECK(bfs_order(g) == expected);
  // Metrics computed through the BFS layout equal those of a relabelled copy of the graph.
  const std::vector<Vertex> reversed = {6, 5, 4, 3, 2, 1, 0};
  const CsrGraph h = g.induced_subgraph(reversed);
  const auto a = compute_metrics(g, nullptr, exact_options()), b = compute_metrics(h, nullptr, exact_options());
  for (const char* name : {"mean_path_length", "effective_diameter", "modularity", "communities", "transitivity"})
    CHECK(get(a, name) == get(b, name));
}

TEST_CASE("Brandes with leaves in closed form equals plain Brandes, leaf sources included") {
  // Sparse random graph: many leaves, some isolated pairs and stars.
  std::vector<std::pair<Vertex, Vertex>> edges;
  std::uint64_t x = 77;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 24; };
  const std::uint32_t n = 1500;
  for (int i = 0; i < 1300; ++i) edges.emplace_back(Vertex(next() % n), Vertex(next() % n));
  edges.emplace_back(n - 2, n - 1);  // a pair on its own (if untouched above)
  const CsrGraph g = graph(n, edges);
  std::vector<Vertex> sources;
  std::size_t leaf_sources = 0;
  for (Vertex v = 0; v < n; v += 3) {
    if (g.degree(v) == 0) continue;
    sources.push_back(v);
    leaf_sources += g.degree(v) == 1;
  }
  REQUIRE(leaf_sources > 20);
  // Reference: textbook Brandes, one BFS per source, dependencies summed over sources.
  std::vector<double> expected(n, 0.0);
  for (Vertex s : sources) {
    std::vector<std::int64_t> dist(n, -1);
    std::vector<double> sigma(n, 0.0), delta(n, 0.0);
    std::vector<Vertex> order = {s};
    dist[s] = 0;
    sigma[s] = 1;
    for (std::size_t h = 0; h < order.size(); ++h)
      for (Vertex w : g.neighbours(order[h])) {
        if (dist[w] < 0) {
          dist[w] = dist[order[h]] + 1;
          order.push_back(w);
        }
        if (dist[w] == dist[order[h]] + 1) sigma[w] += sigma[order[h]];
      }
    for (std::size_t k = order.size(); k-- > 1;) {
      const Vertex w = order[k];
      for (Vertex v : g.neighbours(w))
        if (dist[v] + 1 == dist[w]) delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
      expected[w] += delta[w];
    }
  }
  for (std::size_t threads : {1u, 2u}) {
    ThreadLimit limit(threads);
    const auto got = brandes_dependencies(g, sources);
    REQUIRE(got.size() == n);
    for (Vertex v = 0; v < n; ++v) REQUIRE(got[v] == Approx(expected[v]).margin(1e-9));
  }
}
