// The graph kernels of kernels.hpp (components, core numbers, triangles) and slot_sources.hpp
// against plain reference implementations, on graphs that reach each of their code paths: short
// rows and long rows, one thread and parallel blocks.
#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "core/parallel.hpp"
#include "network/kernels.hpp"
#include "test_graphs.hpp"
#include "network/slot_sources.hpp"

using namespace clusternet;
using namespace clusternet::network;
using namespace clusternet::network::testing;

namespace {
struct Lcg {
  std::uint64_t x;
  std::uint64_t operator()() { return (x = x * 6364136223846793005ull + 1442695040888963407ull) >> 24; }
};


// `ties` random ties among vertices [first, first + size), appended to `edges`.
void random_ties(std::vector<std::pair<Vertex, Vertex>>& edges, Vertex first, std::uint32_t size, std::uint64_t ties,
                 Lcg& next) {
  for (std::uint64_t i = 0; i < ties; ++i) edges.emplace_back(first + Vertex(next() % size), first + Vertex(next() % size));
}

// Labels by breadth-first search from each unlabelled vertex in index order: each component is
// labelled with its smallest vertex.
std::vector<Vertex> reference_roots(const CsrGraph& g) {
  std::vector<Vertex> root(g.vertex_count(), none<Vertex>);
  for (Vertex s = 0; s < g.vertex_count(); ++s) {
    if (root[s] != none<Vertex>) continue;
    root[s] = s;
    std::vector<Vertex> queue = {s};
    for (std::size_t head = 0; head < queue.size(); ++head)
      for (Vertex w : g.neighbours(queue[head]))
        if (root[w] == none<Vertex>) {
          root[w] = s;
          queue.push_back(w);
        }
  }
  return root;
}

void check_components(const CsrGraph& g) {
  const auto expected = reference_roots(g);
  std::vector<std::uint32_t> size(g.vertex_count(), 0);
  for (Vertex v = 0; v < g.vertex_count(); ++v)
    if (g.degree(v) > 0) ++size[expected[v]];
  std::uint32_t count = 0, giant_size = 0;
  Vertex giant_root = none<Vertex>;
  for (Vertex v = 0; v < g.vertex_count(); ++v) {
    if (size[v] == 0) continue;
    ++count;
    if (size[v] > giant_size) {
      giant_size = size[v];
      giant_root = v;
    }
  }
  for (std::size_t threads : {1u, 2u, 8u}) {
    ThreadLimit limit(threads);
    const Components c = connected_components(g);
    CHECK(c.root == expected);
    CHECK(c.count == count);
    CHECK(c.giant_size == giant_size);
    CHECK(c.giant_root == giant_root);
  }
}

// Core numbers by the definition: repeatedly remove a vertex of smallest remaining degree; its core
// number is the largest such degree seen so far. O(n^2), for small graphs.
std::vector<std::uint32_t> reference_cores(const CsrGraph& g) {
  const std::uint32_t n = g.vertex_count();
  std::vector<std::uint32_t> degree(n), core(n, 0);
  std::vector<bool> removed(n, false);
  for (Vertex v = 0; v < n; ++v) degree[v] = g.degree(v);
  std::uint32_t k = 0;
  for (std::uint32_t step = 0; step < n; ++step) {
    Vertex best = none<Vertex>;
    for (Vertex v = 0; v < n; ++v)
      if (!removed[v] && (best == none<Vertex> || degree[v] < degree[best])) best = v;
    k = std::max(k, degree[best]);
    core[best] = k;
    removed[best] = true;
    for (Vertex w : g.neighbours(best))
      if (!removed[w]) --degree[w];
  }
  return core;
}

// Triangles through each vertex: for each tie, the common neighbours of its ends by a merge of the
// two sorted rows; each triangle is met once from each of its three ties.
std::vector<std::uint64_t> reference_triangles(const CsrGraph& g) {
  std::vector<std::uint64_t> twice(g.vertex_count(), 0);
  for (Vertex u = 0; u < g.vertex_count(); ++u)
    for (Vertex w : g.neighbours(u)) {
      if (w <= u) continue;
      const auto a = g.neighbours(u), b = g.neighbours(w);
      std::vector<Vertex> common;
      std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
      twice[u] += common.size();
      twice[w] += common.size();
    }
  // A triangle at u is met from both of u's ties in it.
  for (auto& t : twice) t /= 2;
  return twice;
}
}  // namespace

TEST_CASE("slot_sources gives each slot of a block its row, empty rows anywhere") {
  // Rows: 0 empty, 1 {2, 3}, 2 {1}, 3 {1, 5}, 4 empty, 5 {3}, 6 and 7 empty.
  const CsrGraph g = graph(8, {{1, 2}, {1, 3}, {3, 5}});
  std::vector<Vertex> buffer;
  for (Vertex b = 0; b <= 8; ++b)
    for (Vertex e = b; e <= 8; ++e) {
      std::vector<Vertex> expected;
      for (Vertex v = b; v < e; ++v)
        for (std::size_t k = 0; k < g.degree(v); ++k) expected.push_back(v);
      const auto sources = slot_sources(g, b, e, buffer);
      CHECK(std::vector<Vertex>(sources.begin(), sources.end()) == expected);
    }
}

TEST_CASE("connected_components: smallest vertex as root, isolated vertices, ties for the giant") {
  // {0, 2, 5} (path 5 - 0 - 2 given from the larger ends), {3, 4}, {6, 7}: the two pairs tie for
  // second; 1 and 8 isolated.
  const CsrGraph small = graph(9, {{5, 0}, {2, 0}, {4, 3}, {7, 6}});
  check_components(small);
  const Components c = connected_components(small);
  CHECK(c.root == std::vector<Vertex>{0, 1, 0, 3, 3, 0, 6, 6, 8});
  CHECK(c.count == 3);
  CHECK(c.giant_root == 0);
  CHECK(c.giant_size == 3);
  // Two components of equal size: the one with the smaller root is the giant.
  const Components even = connected_components(graph(6, {{4, 5}, {5, 3}, {1, 2}, {0, 2}}));
  CHECK(even.giant_root == 0);
  CHECK(even.giant_size == 3);
  // No tie at all.
  const Components none_tied = connected_components(graph(4, {}));
  CHECK(none_tied.count == 0);
  CHECK(none_tied.giant_size == 0);
  CHECK(none_tied.giant_root == none<Vertex>);
}

TEST_CASE("connected_components equals a BFS labelling on sparse and on dense graphs") {
  Lcg next{11};
  // Sparse (mean degree ~2.4 among active vertices: one union per tie): many small components,
  // isolated vertices throughout.
  {
    std::vector<std::pair<Vertex, Vertex>> e;
    random_ties(e, 0, 5000, 4000, next);
    random_ties(e, 7000, 3000, 3000, next);
    check_components(graph(12000, e));
  }
  // Dense (mean degree well above 8: neighbour sampling): three dense clusters, one of them the
  // giant, joined to nothing; a sparse tail hanging off the second; a pair; isolated vertices.
  {
    std::vector<std::pair<Vertex, Vertex>> e;
    random_ties(e, 100, 1500, 30000, next);
    random_ties(e, 2000, 300, 6000, next);
    random_ties(e, 2500, 200, 4000, next);
    for (Vertex v = 2300; v < 2400; ++v) e.emplace_back(v - 1, v);  // a path off the second cluster
    e.emplace_back(2900, 2950);
    const CsrGraph g = graph(3000, e);
    std::uint64_t active = 0;
    for (Vertex v = 0; v < g.vertex_count(); ++v) active += g.degree(v) > 0;
    REQUIRE(g.neighbour_array().size() >= 8 * active);  // the sampling path
    check_components(g);
  }
}

TEST_CASE("core_numbers equal peeling by the definition") {
  Lcg next{5};
  // A clique of 6 (cores 5), a path (cores 1), a cycle (cores 2), isolated vertices (0).
  {
    std::vector<std::pair<Vertex, Vertex>> e;
    for (Vertex a = 0; a < 6; ++a)
      for (Vertex b = a + 1; b < 6; ++b) e.emplace_back(a, b);
    for (Vertex v = 7; v < 12; ++v) e.emplace_back(v - 1, v);
    for (Vertex v = 13; v < 17; ++v) e.emplace_back(v, v + 1);
    e.emplace_back(17, 13);
    const CsrGraph g = graph(20, e);
    const auto core = core_numbers(g);
    CHECK(core == reference_cores(g));
    CHECK(core[0] == 5);
    CHECK(core[6] == 1);
    CHECK(core[13] == 2);
    CHECK(core[19] == 0);
  }
  // Random graphs from sparse to dense, with a denser block inside: many distinct levels.
  for (std::uint64_t ties : {300u, 1500u, 6000u}) {
    std::vector<std::pair<Vertex, Vertex>> e;
    random_ties(e, 0, 600, ties, next);
    random_ties(e, 100, 60, ties / 10, next);
    const CsrGraph g = graph(700, e);
    CHECK(core_numbers(g) == reference_cores(g));
  }
}

TEST_CASE("max_core_number equals the largest core number whatever the hint") {
  Lcg next{41};
  auto largest = [](const CsrGraph& g) {
    const auto core = reference_cores(g);
    return core.empty() ? 0u : *std::max_element(core.begin(), core.end());
  };
  auto check_hints = [&](const CsrGraph& g) {
    const std::uint32_t k = largest(g);
    INFO("largest core " << k);
    for (std::uint32_t hint : {0u, 1u, 2u, 3u, k / 2, k == 0 ? 0u : k - 1, k, k + 1, 2 * k + 3, 100000u, 4000000000u}) {
      INFO("hint " << hint);
      CHECK(max_core_number(g, hint) == k);
    }
  };
  check_hints(graph(0, {}));
  check_hints(graph(10, {}));
  check_hints(graph(3, {{0, 1}}));
  // A star (every vertex but the hub has degree 1: the full peeling) and a clique of 8 joined to
  // it.
  {
    std::vector<std::pair<Vertex, Vertex>> e;
    for (Vertex v = 1; v < 200; ++v) e.emplace_back(0, v);
    check_hints(graph(200, e));
    for (Vertex a = 200; a < 208; ++a)
      for (Vertex b = a + 1; b < 208; ++b) e.emplace_back(a, b);
    e.emplace_back(0, 200);
    check_hints(graph(210, e));
  }
  // Hubs of high degree joined to many leaves and to each other only sparsely, beside a dense
  // block of low-degree vertices: the top core is not among the highest degrees, so a floor taken
  // from the degrees fails and falls back (several passes).
  {
    std::vector<std::pair<Vertex, Vertex>> e;
    for (Vertex hub = 0; hub < 40; ++hub)
      for (Vertex leaf = 0; leaf < 150; ++leaf) e.emplace_back(hub, 1000 + hub * 150 + leaf);
    for (Vertex hub = 1; hub < 40; ++hub) e.emplace_back(hub - 1, hub);
    random_ties(e, 100, 60, 1200, next);  // mean degree 40 among 60 vertices
    check_hints(graph(8000, e));
  }
  // Random graphs from sparse to dense with a denser block inside, and one large enough for the
  // parallel row blocks (hundreds of chosen vertices).
  for (std::uint64_t ties : {300u, 1500u, 6000u, 60000u}) {
    std::vector<std::pair<Vertex, Vertex>> e;
    random_ties(e, 0, 3000, ties, next);
    random_ties(e, 100, 80, ties / 10, next);
    check_hints(graph(3100, e));
  }
}

TEST_CASE("triangles_per_vertex equals a count by row intersections, on one thread and in parallel") {
  Lcg next{23};
  // Small and sparse (one thread), and a hub of degree 300 whose neighbours pair up: 150 triangles.
  {
    std::vector<std::pair<Vertex, Vertex>> e;
    random_ties(e, 0, 3000, 4500, next);
    for (Vertex v = 3001; v <= 3300; ++v) e.emplace_back(3000, v);
    for (Vertex v = 3001; v <= 3300; v += 2) e.emplace_back(v, v + 1);
    const CsrGraph g = graph(3400, e);
    const auto expected = reference_triangles(g);
    CHECK(expected[3000] == 150);
    CHECK(triangles_per_vertex(g) == expected);
  }
  // Over 2^20 slots (parallel blocks): clusters of 500 with dense insides.
  {
    std::vector<std::pair<Vertex, Vertex>> e;
    const std::uint32_t n = 60000;
    for (std::uint64_t i = 0; i < 560000; ++i) {
      const Vertex a = Vertex(next() % n);
      e.emplace_back(a, (i % 5) ? (a / 500) * 500 + Vertex(next() % 500) : Vertex(next() % n));
    }
    const CsrGraph g = graph(n, e);
    REQUIRE(g.neighbour_array().size() >= (std::size_t(1) << 20));
    const auto expected = reference_triangles(g);
    for (std::size_t threads : {1u, 2u, 8u}) {
      ThreadLimit limit(threads);
      CHECK(triangles_per_vertex(g) == expected);
    }
  }
}

TEST_CASE("update_triangles carries the counts through removals, additions and re-formed ties") {
  Lcg next{31};
  const std::uint32_t n = 2000;
  // Groups of 20 with dense insides (many triangles, so many with two or three changed ties), a
  // hub, and random ties between groups.
  std::vector<std::pair<Vertex, Vertex>> e;
  for (std::uint64_t i = 0; i < 12000; ++i) {
    const Vertex a = Vertex(next() % n);
    e.emplace_back(a, (i % 4) ? (a / 20) * 20 + Vertex(next() % 20) : Vertex(next() % n));
  }
  for (Vertex v = 1; v < 600; ++v) e.emplace_back(0, v);
  CsrGraph before = graph(n, e);
  std::vector<std::uint64_t> carried = triangles_per_vertex(before);
  for (int round = 0; round < 6; ++round) {
    INFO("round " << round);
    std::vector<std::pair<Vertex, Vertex>> ties, removed, added;
    for (Vertex u = 0; u < n; ++u)
      for (Vertex v : before.neighbours(u))
        if (u < v) ties.emplace_back(u, v);
    // A fifth of the ties go, whole groups' worth near some vertices; a few of them come back.
    for (const auto& t : ties)
      if (next() % 5 == 0 || (t.first / 20 == 7 && round % 2 == 0)) removed.push_back(t);
    for (std::size_t i = 0; i < removed.size(); i += 9) added.push_back(removed[i]);
    // New ties: inside groups (closing triangles, several per triangle) and across.
    for (std::uint64_t i = 0; i < 1500; ++i) {
      const Vertex a = Vertex(next() % n);
      const Vertex b = (i % 3) ? (a / 20) * 20 + Vertex(next() % 20) : Vertex(next() % n);
      if (a == b) continue;
      const auto row = before.neighbours(a);
      if (std::binary_search(row.begin(), row.end(), b)) continue;
      const std::pair<Vertex, Vertex> t{std::min(a, b), std::max(a, b)};
      if (std::none_of(added.begin(), added.end(), [&](const auto& x) {
            return std::min(x.first, x.second) == t.first && std::max(x.first, x.second) == t.second;
          }))
        added.push_back(i % 2 ? t : std::pair{t.second, t.first});
    }
    CsrGraph after = before.with_changes(added, removed, CsrGraph{});
    const auto expected = reference_triangles(after);
    for (std::size_t threads : {1u, 2u, 8u}) {
      ThreadLimit limit(threads);
      std::vector<std::uint64_t> counts = carried;
      update_triangles(before, after, added, removed, counts);
      CHECK(counts == expected);
    }
    carried = expected;
    before = std::move(after);
  }
}
