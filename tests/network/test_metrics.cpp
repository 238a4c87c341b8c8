#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "network/kernels.hpp"
#include "test_graphs.hpp"
#include "network/metrics.hpp"
#include "network/tie_metrics.hpp"
#include "world/organisation_kind.hpp"

using namespace clusternet;
using namespace clusternet::network;
using namespace clusternet::network::testing;
using Catch::Detail::Approx;

namespace {
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
  const std::uint32_t n = 3000;
  const auto edges = random_pairs(n, 3600, 2024);
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

TEST_CASE("leaves last: the BFS histogram and Brandes skip leaves and still count every pair") {
  // Sparse random graph (mean degree ~1.7): about a third of the vertices are leaves, plus stars
  // and isolated pairs (degree-1 vertices whose neighbour has degree 1 stay in the core).
  const std::uint32_t n = 2500;
  auto edges = random_pairs(n, 2100, 99);
  for (Vertex leaf = n - 6; leaf < n - 2; ++leaf) edges.emplace_back(n - 7, leaf);  // a star
  edges.emplace_back(n - 2, n - 1);                                                  // a pair
  const CsrGraph g = graph(n, edges);
  std::vector<Vertex> order = bfs_order(g);
  const std::uint32_t leaves_from = move_leaves_last(g, order);
  const CsrGraph laid_out = g.induced_subgraph(order);
  REQUIRE(leaves_from < order.size());
  REQUIRE(order.size() - leaves_from > order.size() / 5);
  for (Vertex v = leaves_from; v < laid_out.vertex_count(); ++v) {
    REQUIRE(laid_out.degree(v) == 1);
    REQUIRE(laid_out.neighbours(v)[0] < leaves_from);
  }
  // Sources in the laid-out numbering, leaves among them (and two on the star's centre).
  std::vector<Vertex> sources;
  std::size_t leaf_sources = 0;
  for (Vertex v = 0; v < laid_out.vertex_count(); v += 5) {
    sources.push_back(v);
    leaf_sources += v >= leaves_from;
  }
  REQUIRE(leaf_sources > 20);
  const auto expected = naive_histogram(laid_out, sources);
  const auto brandes_plain = brandes_dependencies(laid_out, sources);
  for (std::size_t threads : {1u, 2u, 8u}) {
    ThreadLimit limit(threads);
    for (std::size_t batches : {1u, 3u}) {
      auto h = bfs_distance_histogram(laid_out, sources, leaves_from, batches);
      h.resize(std::max(h.size(), expected.size()), 0);
      auto e = expected;
      e.resize(h.size(), 0);
      CHECK(h == e);
    }
    // The in-place split traverses the same core in the same order as the copy: bit-identical.
    CHECK(brandes_dependencies(laid_out, sources, leaves_from) == brandes_plain);
  }
  // A graph that is not leaves last from the given index is refused, not misread.
  CHECK_THROWS_AS(bfs_distance_histogram(laid_out, sources, leaves_from - 1, 1), Error);
  CHECK_THROWS_AS(brandes_dependencies(g, {}, 0), Error);
  CHECK_THROWS_AS(bfs_distance_histogram(g, sources, n + 1, 1), Error);
  const std::vector<Vertex> out_of_range = {laid_out.vertex_count()};
  CHECK_THROWS_AS(bfs_distance_histogram(laid_out, out_of_range, leaves_from, 1), Error);
  CHECK_THROWS_AS(brandes_dependencies(laid_out, out_of_range, leaves_from), Error);
  CHECK_THROWS_AS(brandes_dependencies(laid_out, out_of_range), Error);
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
  const std::uint32_t n = 1500;
  auto edges = random_pairs(n, 1300, 77);
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
namespace {
// Assortativity, tie shares and the region matrix counted tie by tie, straight from the
// definitions, with the same integer sums (so the same doubles) as compute_metrics.
struct TieReference {
  double assortativity = std::numeric_limits<double>::quiet_NaN();
  std::array<double, 4> share{};  // interregional, cross-border, cross-sectoral, repeated
  std::array<double, 10> kind_share{};
  std::vector<std::uint32_t> region_degree;
  std::vector<double> region_strength;
};

TieReference count_ties(const CsrGraph& g, const NodeAttributes& a) {
  __extension__ using u128 = unsigned __int128;
  auto group = [](std::uint8_t kind) -> int {
    if (kind <= 2) return 0;
    if (kind == 3) return 1;
    if (kind == 4) return 2;
    if (kind == 5) return 3;
    return -1;
  };
  std::array<std::uint64_t, 8> c{};  // known / differing (or renewed) per share
  std::array<std::uint64_t, 10> kinds{};
  std::uint64_t kinds_known = 0;
  const std::uint32_t r = a.region_count;
  std::vector<std::uint32_t> matrix(std::size_t(r) * r, 0);
  u128 jk = 0, j = 0, jj = 0;
  for (Vertex u = 0; u < g.vertex_count(); ++u) {
    const u128 du = g.degree(u);
    j += du * du;
    jj += du * du * du;
    const auto row = g.neighbours(u);
    for (std::size_t k = 0; k < row.size(); ++k) {
      const Vertex w = row[k];
      jk += du * g.degree(w);
      if (w < u) continue;
      if (!a.region.empty() && a.region[u] != none<RegionIndex> && a.region[w] != none<RegionIndex>) {
        ++c[0];
        if (a.region[u] != a.region[w]) {
          ++c[1];
          ++matrix[std::size_t(a.region[u]) * r + a.region[w]];
          ++matrix[std::size_t(a.region[w]) * r + a.region[u]];
        }
      }
      if (!a.country.empty() && a.country[u] != none<CountryIndex> && a.country[w] != none<CountryIndex>) {
        ++c[2];
        c[3] += a.country[u] != a.country[w];
      }
      if (!a.area.empty() && a.area[u] != unknown_attribute && a.area[w] != unknown_attribute) {
        ++c[4];
        c[5] += a.area[u] != a.area[w];
      }
      if (g.has_renewals()) {
        ++c[6];
        c[7] += g.renewals(u)[k] > 0;
      }
      if (!a.kind.empty()) {
        int x = group(a.kind[u]), z = group(a.kind[w]);
        if (x < 0 || z < 0) continue;
        if (x > z) std::swap(x, z);
        const int row_start[] = {0, 4, 7, 9};
        ++kinds[std::size_t(row_start[x] + (z - x))];
        ++kinds_known;
      }
    }
  }
  TieReference ref;
  // r = (S K - J^2) / (S JJ - J^2) in integers (these graphs keep every term below 2^127), one
  // rounding each side, as the kernel's exact form.
  __extension__ using i128 = __int128;
  const i128 slots = i128(g.neighbour_array().size());
  const i128 numerator = slots * i128(jk) - i128(j) * i128(j), denominator = slots * i128(jj) - i128(j) * i128(j);
  if (denominator > 0) ref.assortativity = double(numerator) / double(denominator);
  for (int i = 0; i < 4; ++i) ref.share[i] = c[2 * i] ? double(c[2 * i + 1]) / double(c[2 * i]) : std::nan("");
  for (int i = 0; i < 10; ++i) ref.kind_share[i] = kinds_known ? double(kinds[i]) / double(kinds_known) : std::nan("");
  ref.region_degree.assign(r, 0);
  ref.region_strength.assign(r, 0.0);
  for (std::uint32_t x = 0; x < r; ++x)
    for (std::uint32_t z = 0; z < r; ++z)
      if (matrix[std::size_t(x) * r + z]) {
        ++ref.region_degree[x];
        ref.region_strength[x] += matrix[std::size_t(x) * r + z];
      }
  return ref;
}

bool same(double x, double y) { return std::memcmp(&x, &y, sizeof x) == 0 || (std::isnan(x) && std::isnan(y)); }

void check_tie_metrics(const CsrGraph& g, const NodeAttributes& a, std::initializer_list<std::size_t> thread_counts) {
  const TieReference ref = count_ties(g, a);
  MetricOptions o;
  o.groups.basic = o.groups.clustering = o.groups.paths = o.groups.communities = o.groups.kcore = false;
  o.groups.region_betweenness = false;  // on: assortativity, attributed, regions
  for (std::size_t threads : thread_counts) {
    ThreadLimit limit(threads);
    const auto m = compute_metrics(g, &a, o);
    CHECK(same(get(m, "degree_assortativity"), ref.assortativity));
    CHECK(same(get(m, "interregional_tie_share"), a.region.empty() ? std::nan("") : ref.share[0]));
    CHECK(same(get(m, "cross_border_tie_share"), a.country.empty() ? std::nan("") : ref.share[1]));
    CHECK(same(get(m, "cross_sectoral_tie_share"), a.area.empty() ? std::nan("") : ref.share[2]));
    CHECK(same(get(m, "repeated_tie_share"), ref.share[3]));
    for (std::size_t i = 0; i < 10; ++i)
      CHECK(same(m.scalars[scalar_index("tie_share_sme_sme") + i], a.kind.empty() ? std::nan("") : ref.kind_share[i]));
    if (!a.region.empty()) {
      CHECK(m.region_degree == ref.region_degree);
      CHECK(m.region_strength == ref.region_strength);
    }
  }
  // The pass reads the far ends' degrees from its per-vertex records below 2^29 vertices and from
  // the row offsets above: the same sums either way.
  network::detail::TiePassWants wants{true, true, network::detail::has_region_matrix(a)};
  network::detail::TiePassWants from_offsets = wants;
  from_offsets.record_degrees = false;
  const auto x = network::detail::sum_over_ties(g, &a, wants), y = network::detail::sum_over_ties(g, &a, from_offsets);
  CHECK((x.degree_products == y.degree_products));
  CHECK((x.region == y.region && x.country == y.country && x.area == y.area && x.renewed == y.renewed));
  CHECK(x.kind_pair == y.kind_pair);
  CHECK(x.region_ties == y.region_ties);
}

// Random ties with renewals: within blocks of 500 (4 in 5) or anywhere; attributes with unknown
// values sprinkled in, kinds out of range included. With `hubs` > 0, every tie joins one of the
// first `hubs` vertices to any vertex instead: hubs and leaves, so the tie pass reads the hubs'
// blocks row by row and the others flat over their slots.
struct TieCase {
  CsrGraph g;
  NodeAttributes a;
};
TieCase tie_case(std::uint32_t n, std::uint64_t ties, std::uint64_t seed, std::uint32_t hubs = 0) {
  std::uint64_t x = seed;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 24; };
  std::vector<Vertex> s, t;
  std::vector<std::uint32_t> renewals;
  for (std::uint64_t i = 0; i < ties; ++i) {
    if (hubs > 0) {
      s.push_back(Vertex(next() % hubs));
      t.push_back(Vertex(next() % n));
      renewals.push_back(std::uint32_t(next() % 3));
      continue;
    }
    const Vertex a = Vertex(next() % n);
    s.push_back(a);
    t.push_back((i % 5) ? std::min<Vertex>(n - 1, (a / 500) * 500 + Vertex(next() % 500)) : Vertex(next() % n));
    renewals.push_back(std::uint32_t(next() % 3));
  }
  TieCase c{CsrGraph::from_edges(n, s, t, {}, renewals), {}};
  c.a.region_count = 37;
  for (Vertex v = 0; v < n; ++v) {
    c.a.region.push_back(v % 37 == 5 ? none<RegionIndex> : RegionIndex((v / 300) % 37));
    c.a.country.push_back(v % 41 == 3 ? none<CountryIndex> : CountryIndex((v / 900) % 11));
    c.a.area.push_back(v % 43 == 1 ? unknown_attribute : AreaIndex(next() % 21));
    const std::uint8_t kind = std::uint8_t(next() % 6);
    c.a.kind.push_back(v % 47 == 2 ? unknown_attribute : v % 53 == 4 ? std::uint8_t(9) : kind);
  }
  for (int r = 0; r < 37; ++r) c.a.region_category.push_back(std::uint8_t(r % 3));
  return c;
}
}  // namespace

TEST_CASE("assortativity, tie shares and region matrix equal a count tie by tie") {
  // Short rows (flat over slots) and long rows (row by row), each on one thread; then both over
  // 2^20 slots, where blocks run in parallel.
  const auto sparse = tie_case(5000, 6000, 1), dense = tie_case(1000, 20000, 2);
  check_tie_metrics(sparse.g, sparse.a, {1});
  check_tie_metrics(dense.g, dense.a, {1});
  // Both paths in one graph: a tie between a hub and a leaf has one end on each (issue 19: the
  // row-by-row path summed whole rows, so such ties counted once or three times, not twice).
  const auto hubs = tie_case(20000, 30000, 5, 300), big_hubs = tie_case(400000, 600000, 6, 2000);
  check_tie_metrics(hubs.g, hubs.a, {1});
  REQUIRE(big_hubs.g.neighbour_array().size() >= (std::size_t(1) << 20));
  check_tie_metrics(big_hubs.g, big_hubs.a, {1, 2, 8});
  const auto big_sparse = tie_case(500000, 600000, 3), big_dense = tie_case(60000, 560000, 4);
  REQUIRE(big_sparse.g.neighbour_array().size() >= (std::size_t(1) << 20));
  REQUIRE(big_dense.g.neighbour_array().size() >= (std::size_t(1) << 20));
  check_tie_metrics(big_sparse.g, big_sparse.a, {1, 2, 8});
  check_tie_metrics(big_dense.g, big_dense.a, {1, 2, 8});
  // Attributes partly absent: the missing ones read as unknown, their shares stay NaN.
  NodeAttributes partial = sparse.a;
  partial.country.clear();
  partial.area.clear();
  check_tie_metrics(sparse.g, partial, {1});
  partial = dense.a;
  partial.region.clear();
  partial.kind.clear();
  check_tie_metrics(dense.g, partial, {1});
}
