#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include <boost/graph/breadth_first_search.hpp>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "network/boost_csr.hpp"
#include "network/csr_graph.hpp"

using namespace clusternet;
using namespace clusternet::network;

TEST_CASE("CsrGraph drops self-loops, merges multi-edges and sorts rows") {
  const std::vector<Vertex> s = {0, 1, 2, 1, 3, 2, 0};
  const std::vector<Vertex> t = {1, 0, 2, 2, 1, 1, 1};
  const std::vector<float> w = {1, 2, 5, 1, 1, 0.5f, 3};
  const auto g = CsrGraph::from_edges(5, s, t, w);
  REQUIRE(g.vertex_count() == 5);
  REQUIRE(g.edge_count() == 3);  // {0,1} x3 merged, {1,2} x2 merged, {1,3}; loop {2,2} dropped
  REQUIRE(std::vector<Vertex>(g.neighbours(1).begin(), g.neighbours(1).end()) == std::vector<Vertex>{0, 2, 3});
  REQUIRE(g.weights(0)[0] == 6.0f);
  REQUIRE(g.weights(1)[1] == 1.5f);
  REQUIRE(g.degree(4) == 0);
  REQUIRE(g.has_weights());
  REQUIRE_FALSE(g.has_renewals());
  // 12 bytes per directed slot (4 for the neighbour, 8 for the weight) plus offsets.
  REQUIRE(g.memory_bytes() == 6 * 8 + 6 * 12);
}

TEST_CASE("CsrGraph rejects out-of-range endpoints and bad weights") {
  const std::vector<Vertex> s = {0}, t = {7};
  REQUIRE_THROWS_AS(CsrGraph::from_edges(3, s, t), Error);
  const std::vector<Vertex> t2 = {1};
  const std::vector<float> w = {-1.0f};
  REQUIRE_THROWS_AS(CsrGraph::from_edges(3, s, t2, w), Error);
}

TEST_CASE("CsrGraph is identical whatever the thread count and the edge order") {
  std::vector<Vertex> s, t;
  std::vector<float> w;
  std::uint64_t x = 12345;
  for (int i = 0; i < 200000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    s.push_back(Vertex((x >> 33) % 3000));
    t.push_back(Vertex((x >> 13) % 3000));
    w.push_back(float((x >> 50) % 7) * 0.37f);
  }
  CsrGraph reference;
  {
    ThreadLimit limit(1);
    reference = CsrGraph::from_edges(3000, s, t, w);
  }
  for (std::size_t threads : {2u, 8u}) {
    ThreadLimit limit(threads);
    const auto g = CsrGraph::from_edges(3000, s, t, w);
    REQUIRE(g.offsets() == reference.offsets());
    REQUIRE(g.neighbour_array() == reference.neighbour_array());
    REQUIRE(g.weight_array() == reference.weight_array());
  }
}

TEST_CASE("to_boost_csr gives a graph Boost.Graph's BFS runs on") {
  const std::vector<Vertex> s = {0, 1, 2, 4}, t = {1, 2, 3, 5};
  const auto g = CsrGraph::from_edges(6, s, t);
  const auto b = to_boost_csr(g);
  REQUIRE(boost::num_vertices(b) == 6);
  REQUIRE(boost::num_edges(b) == 8);
  std::vector<std::uint32_t> distance(6, 99);
  distance[0] = 0;
  boost::breadth_first_search(
      b, boost::vertex(0, b),
      boost::visitor(boost::make_bfs_visitor(boost::record_distances(distance.data(), boost::on_tree_edge()))));
  REQUIRE(distance == std::vector<std::uint32_t>{0, 1, 2, 3, 99, 99});
}

TEST_CASE("from_unique_edges equals from_edges on a simple graph, and refuses repeated pairs") {
  using clusternet::network::CsrGraph;
  using clusternet::network::Vertex;
  const std::vector<Vertex> s = {0, 3, 2, 1, 4, 0, 5};
  const std::vector<Vertex> t = {1, 0, 4, 2, 3, 5, 2};
  const std::vector<float> w = {1.5f, 2.0f, 0.5f, 1.0f, 3.0f, 0.25f, 1.0f};
  const std::vector<std::uint32_t> r = {0, 1, 2, 0, 0, 3, 1};
  const CsrGraph a = CsrGraph::from_edges(6, s, t, w, r);
  const CsrGraph b = CsrGraph::from_unique_edges(6, s, t, w, r);
  CHECK(a.offsets() == b.offsets());
  CHECK(a.neighbour_array() == b.neighbour_array());
  CHECK(a.weight_array() == b.weight_array());
  CHECK(a.renewal_array() == b.renewal_array());
  const std::vector<Vertex> s2 = {0, 1}, t2 = {1, 0};
  const std::vector<float> w2 = {1, 1};
  const std::vector<std::uint32_t> r2 = {0, 0};
  CHECK_THROWS(CsrGraph::from_unique_edges(2, s2, t2, w2, r2));
  const std::vector<Vertex> loop = {1};
  CHECK_THROWS(CsrGraph::from_unique_edges(2, loop, loop, std::vector<float>{1}, std::vector<std::uint32_t>{0}));
}

TEST_CASE("from_unique_edges equals from_edges on a large random simple graph with hubs, on any thread count") {
  using clusternet::network::CsrGraph;
  using clusternet::network::Vertex;
  // Enough vertices and edges for several buckets and chunks of the parallel build.
  const std::uint32_t n = 20000;
  std::vector<Vertex> s, t;
  std::vector<float> w;
  std::vector<std::uint32_t> r;
  std::uint64_t x = 12345;
  auto next = [&] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  std::vector<std::uint64_t> seen;
  for (int i = 0; i < 80000; ++i) {
    Vertex a = static_cast<Vertex>(next() % n), b = static_cast<Vertex>(next() % n);
    if (a == b) continue;
    if (a > b) std::swap(a, b);
    seen.push_back((std::uint64_t(a) << 32) | b);
  }
  // Hubs: long rows take a different sorting path than the short ones.
  for (Vertex v = 0; v < n; v += 3)
    if (v != 7) seen.push_back((std::uint64_t(std::min<Vertex>(7, v)) << 32) | std::max<Vertex>(7, v));
  for (Vertex hub = 100; hub < 140; ++hub)
    for (int k = 0; k < 33 + int(hub % 7); ++k) {
      const auto v = static_cast<Vertex>(next() % n);
      if (v != hub) seen.push_back((std::uint64_t(std::min(hub, v)) << 32) | std::max(hub, v));
    }
  std::sort(seen.begin(), seen.end());
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  for (auto key : seen) {  // shuffled order of edges, one direction chosen at random
    const Vertex a = static_cast<Vertex>(key >> 32), b = static_cast<Vertex>(key & 0xffffffffu);
    if (next() & 1) { s.push_back(a); t.push_back(b); } else { s.push_back(b); t.push_back(a); }
    w.push_back(static_cast<float>(next() % 100) / 7.0f);
    r.push_back(static_cast<std::uint32_t>(next() % 5));
  }
  const CsrGraph reference = CsrGraph::from_edges(n, s, t, w, r);
  for (std::size_t threads : {1, 2, 8}) {
    clusternet::ThreadLimit limit(threads);
    const CsrGraph fast = CsrGraph::from_unique_edges(n, s, t, w, r);
    REQUIRE(fast.offsets() == reference.offsets());
    REQUIRE(fast.neighbour_array() == reference.neighbour_array());
    REQUIRE(fast.weight_array() == reference.weight_array());
    REQUIRE(fast.renewal_array() == reference.renewal_array());
  }
}

TEST_CASE("induced_subgraph relabels, drops ties leaving the set and carries weights and renewals") {
  using clusternet::network::CsrGraph;
  using clusternet::network::Vertex;
  // 0-1 (w 1, r 0), 1-2 (w 2, r 1), 2-3 (w 3, r 2), 0-3 (w 4, r 3), 3-4 (w 5, r 4)
  const std::vector<Vertex> s = {0, 1, 2, 0, 3}, t = {1, 2, 3, 3, 4};
  const std::vector<float> w = {1, 2, 3, 4, 5};
  const std::vector<std::uint32_t> r = {0, 1, 2, 3, 4};
  const CsrGraph g = CsrGraph::from_edges(5, s, t, w, r);
  // Keep 3, 0, 2 (in that order): 3 -> 0, 0 -> 1, 2 -> 2. Ties kept: 0-3 and 2-3.
  const std::vector<Vertex> order = {3, 0, 2};
  const CsrGraph sub = g.induced_subgraph(order);
  // Expected: the same graph built from the relabelled kept ties.
  const std::vector<Vertex> es = {1, 2}, et = {0, 0};
  const std::vector<float> ew = {4, 3};
  const std::vector<std::uint32_t> er = {3, 2};
  const CsrGraph expected = CsrGraph::from_edges(3, es, et, ew, er);
  CHECK(sub.offsets() == expected.offsets());
  CHECK(sub.neighbour_array() == expected.neighbour_array());
  CHECK(sub.weight_array() == expected.weight_array());
  CHECK(sub.renewal_array() == expected.renewal_array());
  // Without renewals (the traversal layout): the same topology and weights, no renewal column.
  const CsrGraph bare = g.induced_subgraph(order, /*with_renewals=*/false);
  CHECK(bare.neighbour_array() == expected.neighbour_array());
  CHECK(bare.weight_array() == expected.weight_array());
  CHECK_FALSE(bare.has_renewals());
  const std::vector<Vertex> twice = {1, 1}, outside = {7};
  CHECK_THROWS(g.induced_subgraph(twice));
  CHECK_THROWS(g.induced_subgraph(outside));
}

TEST_CASE("with_changes equals a rebuild from the changed edge set, on any thread count") {
  using clusternet::network::CsrGraph;
  using clusternet::network::Vertex;
  const std::uint32_t n = 100000;  // several of with_changes' vertex blocks (2^15)
  std::uint64_t x = 4242;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 24; };
  std::set<std::pair<Vertex, Vertex>> edges;
  while (edges.size() < 40000) {
    Vertex a = Vertex(next() % n), b = Vertex(next() % n);
    if (a == b) continue;
    edges.emplace(std::min(a, b), std::max(a, b));
  }
  auto build = [&](const std::set<std::pair<Vertex, Vertex>>& e) {
    std::vector<Vertex> s, t;
    for (auto [a, b] : e) {
      s.push_back(a);
      t.push_back(b);
    }
    return CsrGraph::from_edges(n, s, t);
  };
  CsrGraph g = build(edges);
  for (int month = 0; month < 3; ++month) {
    std::vector<std::pair<Vertex, Vertex>> added, removed;
    for (auto it = edges.begin(); it != edges.end();)  // dissolve about 5%
      if (next() % 20 == 0) {
        removed.emplace_back(it->second, it->first);  // either order is accepted
        it = edges.erase(it);
      } else {
        ++it;
      }
    // The second month adds more pairs than one chunk of the halves' bucketing (2^16 pairs).
    while (added.size() < (month == 1 ? 150000u : 2500u)) {
      Vertex a = Vertex(next() % n), b = Vertex(next() % n);
      if (a == b || edges.count({std::min(a, b), std::max(a, b)})) continue;
      edges.emplace(std::min(a, b), std::max(a, b));
      added.emplace_back(a, b);
    }
    const CsrGraph expected = build(edges);
    for (std::size_t threads : {1, 2, 8}) {
      clusternet::ThreadLimit limit(threads);
      const CsrGraph changed = g.with_changes(added, removed);
      REQUIRE(changed.offsets() == expected.offsets());
      REQUIRE(changed.neighbour_array() == expected.neighbour_array());
    }
    g = g.with_changes(added, removed);
  }
  // Inconsistent changes are refused.
  const auto [a, b] = *edges.begin();
  const std::vector<std::pair<Vertex, Vertex>> present = {{a, b}}, none_ = {}, self = {{3, 3}};
  CHECK_THROWS(g.with_changes(present, none_));        // added but already there
  CHECK_THROWS(g.with_changes(none_, self));           // self-loop
  g = g.with_changes(none_, present);
  CHECK_THROWS(g.with_changes(none_, present));        // removed but absent
  CHECK_NOTHROW(g.with_changes(present, none_));
  // A pair listed twice, in either order, chunks apart.
  std::vector<std::pair<Vertex, Vertex>> twice;
  std::set<std::pair<Vertex, Vertex>> listed;
  while (twice.size() < 70000) {
    Vertex c = Vertex(next() % n), d = Vertex(next() % n);
    if (c == d || edges.count({std::min(c, d), std::max(c, d)}) || !listed.emplace(std::min(c, d), std::max(c, d)).second)
      continue;
    twice.emplace_back(c, d);
  }
  twice.emplace_back(twice.front().second, twice.front().first);
  CHECK_THROWS_WITH(g.with_changes(twice, none_), Catch::Contains("listed twice"));
  twice.pop_back();
  CHECK_NOTHROW(g.with_changes(twice, none_));
  CHECK(CsrGraph::empty(5).with_changes(self.empty() ? none_ : none_, none_).vertex_count() == 5);
}

TEST_CASE("with_changes refuses removals of absent ties before writing anything out of bounds") {
  using clusternet::network::CsrGraph;
  using clusternet::network::Vertex;
  // A path 0-1-2-3-4-5; removing ties that are not there (more than the graph has) must throw.
  const std::vector<Vertex> s = {0, 1, 2, 3, 4}, t = {1, 2, 3, 4, 5};
  const CsrGraph g = CsrGraph::from_edges(6, s, t);
  const std::vector<std::pair<Vertex, Vertex>> absent = {{4, 0}, {5, 1}, {5, 2}, {5, 0}, {3, 0}, {1, 4}, {2, 5}},
                                               none_ = {};
  CHECK_THROWS(g.with_changes(none_, absent));
  const std::vector<std::pair<Vertex, Vertex>> late_absent = {{5, 3}};  // only the last rows change
  CHECK_THROWS(g.with_changes(none_, late_absent));
  const std::vector<std::pair<Vertex, Vertex>> ok = {{4, 5}};
  CHECK(g.with_changes(none_, ok).edge_count() == 4);
}

TEST_CASE("with_slot_values keeps the topology, places one value per slot and refuses bad arrays") {
  using clusternet::network::CsrGraph;
  using clusternet::network::Vertex;
  const std::vector<Vertex> s = {0, 0, 1}, t = {1, 2, 2};
  const CsrGraph g = CsrGraph::from_edges(4, s, t);
  const std::size_t slots = g.neighbour_array().size();
  std::vector<double> w(slots);
  std::vector<std::uint32_t> r(slots);
  for (std::size_t k = 0; k < slots; ++k) {
    w[k] = 0.5 * double(k);
    r[k] = std::uint32_t(k);
  }
  const CsrGraph weighted = g.with_slot_values(w, r);
  CHECK(weighted.offsets() == g.offsets());
  CHECK(weighted.neighbour_array() == g.neighbour_array());
  CHECK(std::equal(weighted.weight_array().begin(), weighted.weight_array().end(), w.begin(), w.end()));
  CHECK(weighted.renewal_array() == r);
  CHECK_THROWS(g.with_slot_values(std::vector<double>(slots - 1, 1.0), r));
  CHECK_THROWS(g.with_slot_values(w, std::vector<std::uint32_t>(slots + 1, 0)));
  w[2] = -1.0;
  CHECK_THROWS(g.with_slot_values(w, r));
  w[2] = std::numeric_limits<double>::infinity();
  CHECK_THROWS(g.with_slot_values(w, r));
  w[2] = 1.0;
  // Without renewals; and moving the topology out of a graph instead of copying it.
  CHECK_FALSE(g.with_slot_values(w).has_renewals());
  CsrGraph moved_from = g;
  CHECK_THROWS(std::move(moved_from).with_slot_values(std::vector<double>(slots - 1, 1.0)));
  // A refused call moves nothing.
  CHECK(moved_from.neighbour_array() == g.neighbour_array());  // NOLINT(bugprone-use-after-move)
  const CsrGraph taken = std::move(moved_from).with_slot_values(w);
  CHECK(taken.offsets() == g.offsets());
  CHECK(taken.neighbour_array() == g.neighbour_array());
  CHECK(std::equal(taken.weight_array().begin(), taken.weight_array().end(), w.begin(), w.end()));
  // What is left behind is a valid empty graph.
  CHECK(moved_from.vertex_count() == 0);  // NOLINT(bugprone-use-after-move)
  CHECK(moved_from.edge_count() == 0);
  // A weighted graph changed by with_changes gives the plain topology.
  const std::vector<std::pair<Vertex, Vertex>> added = {{0, 3}}, removed = {{1, 2}};
  const CsrGraph changed = taken.with_changes(added, removed);
  CHECK_FALSE(changed.has_weights());
  CHECK(changed.neighbour_array() == g.with_changes(added, removed).neighbour_array());
  // Storage lent by a weighted graph gives its weights back.
  CsrGraph lent = taken;
  const CsrGraph reused = g.with_changes(added, removed, std::move(lent));
  CHECK_FALSE(reused.has_weights());
  CHECK(reused.weight_array().capacity() == 0);
}

TEST_CASE("apply_changes changes a graph in place into what with_changes gives, on any thread count") {
  using clusternet::network::CsrGraph;
  using clusternet::network::Vertex;
  using Pairs = std::vector<std::pair<Vertex, Vertex>>;
  const std::uint32_t n = 100000;  // several vertex blocks (2^15)
  std::uint64_t x = 97;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 24; };
  std::set<std::pair<Vertex, Vertex>> edges;
  // Months of different shapes: growth from nothing, removals only, insertions only, half the
  // ties gone, changes crowded on consecutive vertices (rows changed back to back), on the first
  // and last vertices, and inside one block only.
  auto in_shape = [&](int shape, std::pair<Vertex, Vertex> e) {  // a tie a month of this shape may drop
    switch (shape) {
      case 4: return e.first < 64;
      case 5: return e.first < 3 || e.second >= n - 3;
      case 6: return e.first >= 40000 && e.second < 60000;
      default: return true;
    }
  };
  auto random_vertex = [&](int shape) -> Vertex {
    switch (shape) {
      case 4: return Vertex(next() % 64);                        // consecutive low vertices
      case 5: return next() % 2 ? Vertex(next() % 3) : Vertex(n - 1 - next() % 3);  // both ends
      case 6: return Vertex(40000 + next() % 20000);             // one block
      default: return Vertex(next() % n);
    }
  };
  CsrGraph in_place = CsrGraph::empty(n), reference = CsrGraph::empty(n);
  for (int shape : {0, 1, 2, 3, 4, 5, 6, 0}) {
    Pairs added, removed;
    const std::uint64_t drop_one_in = shape == 3 ? 2 : shape == 2 || shape == 0 ? 0 : 10;
    for (auto it = edges.begin(); it != edges.end();) {
      if (drop_one_in > 0 && in_shape(shape, *it) && next() % drop_one_in == 0) {
        removed.emplace_back(it->second, it->first);  // either order is accepted
        it = edges.erase(it);
      } else {
        ++it;
      }
    }
    const std::size_t adds = shape == 1 || shape == 3 ? 0 : shape == 0 ? 30000 : 2000;
    for (std::size_t tries = 0; added.size() < adds && tries < 100 * adds; ++tries) {
      const Vertex a = random_vertex(shape), b = random_vertex(shape == 5 ? 0 : shape);
      if (a == b || edges.count({std::min(a, b), std::max(a, b)})) continue;
      edges.emplace(std::min(a, b), std::max(a, b));
      added.emplace_back(a, b);
    }
    const CsrGraph expected = reference.with_changes(added, removed);
    for (std::size_t threads : {1, 2, 8}) {
      clusternet::ThreadLimit limit(threads);
      CsrGraph copy = in_place;
      copy.apply_changes(added, removed);
      REQUIRE(copy.offsets() == expected.offsets());
      REQUIRE(copy.neighbour_array() == expected.neighbour_array());
    }
    in_place.apply_changes(added, removed);
    reference = expected;
  }
  CHECK(in_place.edge_count() == edges.size());
  // Refusals leave the graph as it was.
  const CsrGraph before = in_place;
  const auto [a, b] = *edges.begin();
  const Pairs present = {{a, b}}, none_ = {}, self = {{3, 3}}, absent_pair = {{a, a == 0 ? 1u : 0u}};
  auto unchanged = [&] { return in_place.offsets() == before.offsets() && in_place.neighbour_array() == before.neighbour_array(); };
  CHECK_THROWS(in_place.apply_changes(present, none_));  // added but already there
  CHECK(unchanged());
  CHECK_THROWS(in_place.apply_changes(none_, self));     // self-loop
  CHECK(unchanged());
  if (!edges.count({std::min(absent_pair[0].first, absent_pair[0].second), std::max(absent_pair[0].first, absent_pair[0].second)})) {
    CHECK_THROWS(in_place.apply_changes(present, absent_pair));  // removed but absent
    CHECK(unchanged());
  }
  // A weighted graph is not changed in place.
  CsrGraph weighted = before.with_slot_values(std::vector<double>(before.neighbour_array().size(), 1.0));
  CHECK_THROWS_AS(weighted.apply_changes(none_, present), std::logic_error);
}
