// Edge weights at the edges of the double range: 0, 1e-300, 1e308. Only Louvain and modularity read
// weights, and both are invariant under a common factor of the weights, so the same graph at any
// scale must give the same partition and (to rounding) the same modularity; ties that weigh 0
// must never crash anything (issue 14: `analyze` on one tie of weight 0, and a run whose tie
// weights underflow to 0, both segfaulted).
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "network/csr_graph.hpp"
#include "network/kernels.hpp"
#include "network/metrics.hpp"

using namespace clusternet;
using namespace clusternet::network;
using Catch::Detail::Approx;

namespace {
// A ring of 8 cliques of 6 (a clear modularity optimum), with weights 1..4 by a fixed pattern and
// a tail of three ties; as parallel arrays, each pair once.
struct Edges {
  std::vector<Vertex> s, t;
  std::vector<double> w;
  std::vector<std::uint32_t> renewals;
};
Edges ring_of_cliques() {
  Edges e;
  auto add = [&](Vertex a, Vertex b) {
    e.s.push_back(a);
    e.t.push_back(b);
    e.w.push_back(double(1 + (a * 7 + b * 3) % 4));
    e.renewals.push_back(0);
  };
  for (Vertex c = 0; c < 8; ++c) {
    for (Vertex a = 0; a < 6; ++a)
      for (Vertex b = a + 1; b < 6; ++b) add(c * 6 + a, c * 6 + b);
    add(c * 6 + 5, (c * 6 + 6) % 48);
  }
  add(47, 48);
  add(48, 49);
  add(49, 50);
  return e;
}

MetricOptions partition_options() {
  MetricOptions o;
  o.keep_partition = true;
  o.seed = 5;
  return o;
}

std::vector<double> scaled(const std::vector<double>& w, double factor) {
  std::vector<double> out;
  for (double x : w) out.push_back(x * factor);
  return out;
}

// Modularity of a partition by its definition, in long double, from the weights as given.
double reference_modularity(const Edges& e, const std::vector<double>& w, const std::vector<std::uint32_t>& c) {
  long double total = 0, internal = 0;
  std::vector<long double> strength(c.size(), 0);
  for (std::size_t i = 0; i < e.s.size(); ++i) {
    total += 2.0L * w[i];
    strength[c[e.s[i]]] += w[i];
    strength[c[e.t[i]]] += w[i];
    if (c[e.s[i]] == c[e.t[i]]) internal += 2.0L * w[i];
  }
  long double q = internal / total;
  for (long double s : strength) q -= (s / total) * (s / total);
  return double(q);
}
}  // namespace

TEST_CASE("ties that all weigh 0 leave the communities NaN and every other metric as unweighted") {
  for (std::size_t threads : {1u, 2u, 8u}) {
    ThreadLimit limit(threads);
    // The input of issue 14's crash 2: one tie, weight 0.
    const std::vector<Vertex> s = {0}, t = {1};
    const auto one = compute_metrics(CsrGraph::from_edges(2, s, t, std::vector<double>{0.0}), nullptr,
                                     partition_options());
    CHECK(one.scalar("ties") == 1);
    CHECK(std::isnan(one.scalar("modularity")));
    CHECK(std::isnan(one.scalar("communities")));
    CHECK(one.community == std::vector<std::uint32_t>(2, none<std::uint32_t>));
    // A larger graph, through both builders (the engine's is from_unique_edges).
    const Edges e = ring_of_cliques();
    const std::vector<double> zero(e.w.size(), 0.0);
    const auto unweighted = compute_metrics(CsrGraph::from_edges(51, e.s, e.t), nullptr, partition_options());
    for (const auto& g : {CsrGraph::from_edges(51, e.s, e.t, zero), CsrGraph::from_unique_edges(51, e.s, e.t, zero, e.renewals)}) {
      const auto m = compute_metrics(g, nullptr, partition_options());
      CHECK(std::isnan(m.scalar("modularity")));
      CHECK(std::isnan(m.scalar("communities")));
      for (const auto name : {"ties", "transitivity", "degree_assortativity", "mean_path_length", "max_kcore"})
        CHECK(m.scalar(name) == unweighted.scalar(name));
      CHECK(std::isnan(modularity(g, unweighted.community)));
    }
  }
}

TEST_CASE("Louvain and modularity give the same answer at any scale of the weights, 1e-300 to 1e308") {
  const Edges e = ring_of_cliques();
  const auto base = compute_metrics(CsrGraph::from_edges(51, e.s, e.t, e.w), nullptr, partition_options());
  REQUIRE(base.scalar("communities") >= 8);
  CHECK(base.scalar("modularity") == Approx(reference_modularity(e, e.w, base.community)).epsilon(1e-12));
  // A power of two scales every weight exactly: the same partition and bit for bit the same Q.
  for (double factor : {std::ldexp(1.0, -1040), std::ldexp(1.0, -600), std::ldexp(1.0, 600), std::ldexp(1.0, 1020)}) {
    for (const auto& g : {CsrGraph::from_edges(51, e.s, e.t, scaled(e.w, factor)),
                          CsrGraph::from_unique_edges(51, e.s, e.t, scaled(e.w, factor), e.renewals)}) {
      const auto m = compute_metrics(g, nullptr, partition_options());
      CHECK(m.community == base.community);
      CHECK(m.scalar("modularity") == base.scalar("modularity"));
    }
  }
  // Other factors round each weight: the partition of this graph is clear enough to stay, and Q
  // equals its definition to rounding. 1e308 / 4 keeps the largest weight (4) finite.
  for (double factor : {1e-300, 1e-30, 1e-12, 1e30, 1e300, 1e308 / 4}) {
    const auto w = scaled(e.w, factor);
    const auto m = compute_metrics(CsrGraph::from_edges(51, e.s, e.t, w), nullptr, partition_options());
    CHECK(m.community == base.community);
    CHECK(m.scalar("modularity") == Approx(reference_modularity(e, w, m.community)).epsilon(1e-12));
  }
  // Single precision, as `analyze` reads a weight column today: 1e-30 is a normal float.
  std::vector<float> tiny;
  for (double x : e.w) tiny.push_back(float(x * 1e-30));
  const auto m = compute_metrics(CsrGraph::from_edges(51, e.s, e.t, tiny), nullptr, partition_options());
  CHECK(m.community == base.community);
}

TEST_CASE("a tie weighing 0 among weighted ones: its vertex stays alone, Q by the definition") {
  Edges e = ring_of_cliques();
  e.w.back() = 0.0;  // the tail's last tie, 49-50: vertex 50 has no weight at all
  const auto m = compute_metrics(CsrGraph::from_edges(51, e.s, e.t, e.w), nullptr, partition_options());
  REQUIRE(m.community.size() == 51);
  for (Vertex v = 0; v < 50; ++v) CHECK(m.community[v] != m.community[50]);
  CHECK(m.scalar("modularity") == Approx(reference_modularity(e, e.w, m.community)).epsilon(1e-12));
}

TEST_CASE("CsrGraph keeps weights in double precision and refuses what it cannot hold") {
  const std::vector<Vertex> s = {0, 1, 1, 0}, t = {1, 0, 2, 2};
  const auto g = CsrGraph::from_edges(3, s, t, std::vector<double>{1e308, 1e-300, 5e-324, 0.0});
  CHECK(g.weights(0)[0] == 1e308);  // 1e308 + 1e-300 rounds to 1e308
  CHECK(g.weights(1)[1] == 5e-324);
  CHECK(g.weights(0)[1] == 0.0);
  // Two halves of a merged tie that add up past the largest double.
  CHECK_THROWS_AS(CsrGraph::from_edges(2, std::vector<Vertex>{0, 1}, std::vector<Vertex>{1, 0},
                                       std::vector<double>{1.5e308, 1.5e308}),
                  Error);
  const double bad[] = {-1.0, std::numeric_limits<double>::infinity(), std::numeric_limits<double>::quiet_NaN()};
  for (double w : bad) {
    const std::vector<Vertex> a = {0}, b = {1};
    const std::vector<std::uint32_t> r = {0};
    CHECK_THROWS_AS(CsrGraph::from_edges(2, a, b, std::vector<double>{w}), Error);
    CHECK_THROWS_AS(CsrGraph::from_unique_edges(2, a, b, std::vector<double>{w}, r), Error);
  }
}

TEST_CASE("Louvain reads a graph without isolated vertices in place: the same partition as through a copy") {
  // All 51 vertices have ties, so the first level is the graph's own arrays, weights (1..4)
  // scaled by 1/4 as they are read; one isolated vertex more makes Louvain copy the level instead.
  const Edges e = ring_of_cliques();
  const StreamKey key{7, 0, 12, 0, Purpose::community_detection};
  const auto in_place = louvain(CsrGraph::from_edges(51, e.s, e.t, e.w), key);
  const auto copied = louvain(CsrGraph::from_edges(52, e.s, e.t, e.w), key);
  REQUIRE(copied.size() == 52);
  CHECK(copied[51] == none<std::uint32_t>);
  CHECK(std::vector<std::uint32_t>(copied.begin(), copied.end() - 1) == in_place);
  // Unweighted: always copied (every weight 1); the same partition as weights all 1 in place.
  const std::vector<double> ones(e.w.size(), 1.0);
  CHECK(louvain(CsrGraph::from_edges(51, e.s, e.t), key) == louvain(CsrGraph::from_edges(51, e.s, e.t, ones), key));
}

TEST_CASE("a layout handed over with the weights gives, to the bit, what the weighted graph gives") {
  // Irregular weights, so that the order of the sums reaches the last bit; isolated vertices,
  // leaves and hubs, so that the layout's order differs from the original one.
  const Vertex n = 400;
  std::vector<Vertex> s, t;
  std::vector<double> w;
  std::uint64_t x = 12345;
  auto next = [&x] {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return x >> 33;
  };
  for (int k = 0; k < 2400; ++k) {
    const Vertex a = Vertex(next() % 300), b = k % 5 == 0 ? Vertex(next() % 7) : Vertex(next() % 300);
    if (a == b) continue;
    s.push_back(a);
    t.push_back(b);
    w.push_back(0.05 + double(next() % 1000003) / 277777.0);
  }
  for (Vertex leaf = 300; leaf < 340; ++leaf) {  // leaves; 340..399 stay isolated
    s.push_back(leaf);
    t.push_back(leaf % 300);
    w.push_back(0.3 + double(leaf) / 7.0);
  }
  const auto weighted = CsrGraph::from_edges(n, s, t, w);
  const auto topology = CsrGraph::from_edges(n, s, t);
  const Layout layout(weighted);
  REQUIRE(layout.graph.has_weights());

  // The whole metric set: the topology and the weighted layout against the weighted graph.
  MetricOptions options = partition_options();
  options.groups.betweenness = true;
  const auto expected = compute_metrics(weighted, nullptr, options);
  options.layout = &layout;
  const auto given = compute_metrics(topology, nullptr, options);
  for (std::size_t k = 0; k < scalar_count; ++k) {
    INFO(scalar_metrics[k].name);
    if (std::isnan(expected.scalars[k])) CHECK(std::isnan(given.scalars[k]));
    else CHECK(given.scalars[k] == expected.scalars[k]);
  }
  CHECK(given.community == expected.community);
  CHECK(given.betweenness_top_scores == expected.betweenness_top_scores);
  REQUIRE(std::isfinite(given.scalar("modularity")));
  // Summed on the layout, in its order: the partition's modularity on the graph itself, to a few
  // roundings (compensated sums).
  CHECK(given.scalar("modularity") == Approx(modularity(weighted, given.community)).epsilon(1e-15));
  // A layout of another graph is refused.
  const auto other = CsrGraph::from_edges(n, std::vector<Vertex>{0, 1}, std::vector<Vertex>{1, 2});
  CHECK_THROWS_AS(compute_metrics(other, nullptr, options), Error);

  // As the engine measures an expensive month: the other groups on the graph, leaving its
  // components; then the layout groups from the layout and the components alone. Together, to the
  // bit, the whole set.
  Components components;
  MetricOptions rest_options = options;
  rest_options.groups.paths = rest_options.groups.communities = rest_options.groups.betweenness = false;
  rest_options.layout = nullptr;
  rest_options.components_out = &components;
  const auto rest = compute_metrics(topology, nullptr, rest_options);
  REQUIRE(components.root.size() == n);
  const auto from_layout = compute_layout_metrics(layout, components, options);
  std::size_t from_layout_count = 0;
  for (std::size_t k = 0; k < scalar_count; ++k) {
    INFO(scalar_metrics[k].name);
    const bool in_rest = !std::isnan(rest.scalars[k]), in_layout = !std::isnan(from_layout.scalars[k]);
    CHECK_FALSE((in_rest && in_layout));
    from_layout_count += in_layout;
    const double value = in_layout ? from_layout.scalars[k] : rest.scalars[k];
    if (std::isnan(expected.scalars[k])) CHECK(std::isnan(value));
    else CHECK(value == expected.scalars[k]);
  }
  CHECK(from_layout_count == 5);  // path length, diameter, path sources, modularity, communities
  CHECK(from_layout.community == expected.community);
  CHECK(from_layout.betweenness_top_vertices == expected.betweenness_top_vertices);
  CHECK(from_layout.betweenness_top_scores == expected.betweenness_top_scores);
  CHECK(rest.betweenness_top_vertices.empty());
  // Components of a graph of another size are refused.
  Components wrong = components;
  wrong.root.pop_back();
  CHECK_THROWS_AS(compute_layout_metrics(layout, wrong, options), Error);
}
