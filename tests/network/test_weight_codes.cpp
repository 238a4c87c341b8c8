// Coded weights (issue 18): a graph whose slots hold 4-byte codes into a table of its distinct
// weights reads the same doubles as one holding the doubles, so every kernel on it (Louvain,
// modularity) gives the same result to the bit, and WeightCodes finds the same table on any thread
// count.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "network/csr_graph.hpp"
#include "network/kernels.hpp"
#include "network/weight_codes.hpp"

using namespace clusternet;
using namespace clusternet::network;

namespace {
// Planted groups as in test_louvain_parallel.cpp, with weights like the engine's: an initial
// weight decayed a number of months, so values repeat and are not small integers.
CsrGraph decayed(std::uint32_t groups, std::uint32_t size, std::uint64_t seed) {
  std::vector<Vertex> s, t;
  std::vector<double> w;
  std::uint64_t x = seed;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 24; };
  const std::uint32_t n = groups * size;
  for (Vertex v = 0; v < n; ++v)
    for (int i = 0; i < 14; ++i) {
      const Vertex u = i < 11 ? Vertex((v / size) * size + next() % size) : Vertex(next() % n);
      if (u == v) continue;
      s.push_back(v);
      t.push_back(u);
      double weight = 0.5 * double(1 + next() % 3);
      for (auto months = next() % 40; months > 0; --months) weight *= 0.97;
      w.push_back(weight);
    }
  return CsrGraph::from_edges(n, s, t, EdgeWeights(w));
}

WeightCodes codes_of(const CsrGraph& g, std::size_t limit = std::numeric_limits<std::uint32_t>::max() - 1) {
  return WeightCodes::of(
      g.neighbour_array().size(), [](std::size_t) { return true; }, [&](std::size_t k) { return g.slot_weight(k); },
      limit);
}

// g's topology with its weights coded.
CsrGraph coded(const CsrGraph& g) {
  const WeightCodes codes = codes_of(g);
  UninitVector<std::uint32_t> code(g.neighbour_array().size());
  for (std::size_t k = 0; k < code.size(); ++k) code[k] = codes.code(g.slot_weight(k));
  return g.with_changes({}, {}).with_slot_codes(std::move(code), codes.table());
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
}  // namespace

TEST_CASE("WeightCodes: the distinct values of the kept indices, one table on any thread count, none above the limit") {
  std::vector<double> values;
  for (int i = 0; i < 3'000'000; ++i) values.push_back(std::pow(0.97, i % 1000) * (i % 7 == 0 ? 2.0 : 1.0));
  values.push_back(0.0);
  values.push_back(1e308);
  values.push_back(5e-324);
  auto keep = [](std::size_t i) { return i % 5 != 1; };
  std::vector<double> one;
  {
    ThreadLimit limit(1);
    one = WeightCodes::of(values.size(), keep, [&](std::size_t i) { return values[i]; }, 1 << 20).table();
  }
  for (std::size_t threads : {2u, 8u}) {
    ThreadLimit limit(threads);
    const WeightCodes codes = WeightCodes::of(values.size(), keep, [&](std::size_t i) { return values[i]; }, 1 << 20);
    REQUIRE(codes.table() == one);
    for (std::size_t i = 0; i < values.size(); i += 997) {
      if (!keep(i)) continue;
      REQUIRE(same_bits(codes.table()[codes.code(values[i])], values[i]));
    }
  }
  // Each kept value once: 2 x 1000 decayed values (some kept only through other indices), 0, 1e308
  // and the smallest subnormal.
  std::vector<double> kept;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (keep(i)) kept.push_back(values[i]);
  std::sort(kept.begin(), kept.end());
  kept.erase(std::unique(kept.begin(), kept.end()), kept.end());
  CHECK(one.size() == kept.size());
  CHECK(std::is_sorted(one.begin(), one.end()));  // bit order is value order for non-negative doubles
  const WeightCodes small = WeightCodes::of(values.size(), keep, [&](std::size_t i) { return values[i]; }, 100);
  CHECK(small.size() == 0);  // more distinct values than the limit: the caller keeps doubles
  CHECK_THROWS_AS(WeightCodes::of(values.size(), keep, [&](std::size_t i) { return values[i]; }, 1 << 20).code(0.123),
                  std::logic_error);
}

TEST_CASE("a graph with coded weights reads the same doubles: slot weights, the largest, subgraphs, Louvain and modularity") {
  const CsrGraph g = decayed(60, 100, 5);
  const CsrGraph c = coded(g);
  REQUIRE(c.weights_coded());
  REQUIRE(c.has_weights());
  REQUIRE(c.weight_array().empty());
  REQUIRE(c.offsets() == g.offsets());
  REQUIRE(c.neighbour_array() == g.neighbour_array());
  INFO("distinct weights " << c.weight_table().size() << " among " << g.neighbour_array().size() << " slots");
  REQUIRE(c.weight_table().size() * 20 < g.neighbour_array().size());
  for (std::size_t k = 0; k < g.neighbour_array().size(); ++k) REQUIRE(same_bits(c.slot_weight(k), g.slot_weight(k)));
  CHECK(same_bits(c.largest_weight(), g.largest_weight()));
  CHECK(c.memory_bytes() + 3 * g.neighbour_array().size() < g.memory_bytes());  // 4 bytes a slot less, less the table
  CHECK_THROWS_AS(c.weights(0), std::logic_error);
  for (std::size_t threads : {1u, 2u, 8u}) {
    ThreadLimit limit(threads);
    const StreamKey key{3, 0, 0, 0, Purpose::community_detection};
    for (LocalMoving moving : {LocalMoving::sequential, LocalMoving::parallel}) {
      const auto expected = louvain(g, key, moving);
      REQUIRE(louvain(c, key, moving) == expected);
      REQUIRE(same_bits(modularity(c, expected), modularity(g, expected)));
    }
  }
  // A subgraph keeps the codes and the table, and finds its own largest weight.
  std::vector<Vertex> order;
  for (Vertex v = g.vertex_count(); v-- > 0;)
    if (v % 3 != 0) order.push_back(v);
  const CsrGraph gs = g.induced_subgraph(order), cs = c.induced_subgraph(order);
  REQUIRE(cs.weights_coded());
  REQUIRE(cs.neighbour_array() == gs.neighbour_array());
  for (std::size_t k = 0; k < gs.neighbour_array().size(); ++k) REQUIRE(same_bits(cs.slot_weight(k), gs.slot_weight(k)));
  CHECK(same_bits(cs.largest_weight(), gs.largest_weight()));
  // A monthly update is for unweighted graphs: refused in place, weights dropped out of place.
  CsrGraph changed = c;
  CHECK_THROWS_AS(changed.apply_changes({}, {}), std::logic_error);
  CHECK_FALSE(c.with_changes({}, {}).has_weights());
}

TEST_CASE("with_slot_codes refuses codes beyond the table, a bad table value or a wrong count, and leaves the graph as it was") {
  const CsrGraph g = decayed(2, 50, 9);
  const std::size_t slots = g.neighbour_array().size();
  auto attempt = [&](UninitVector<std::uint32_t> codes, std::vector<double> table) {
    CsrGraph topology = g.with_changes({}, {});
    try {
      (void)std::move(topology).with_slot_codes(std::move(codes), std::move(table));
    } catch (const Error&) {
      CHECK(topology.neighbour_array() == g.neighbour_array());  // validated before anything moved
      throw;
    }
  };
  UninitVector<std::uint32_t> zeros(slots);
  std::fill(zeros.begin(), zeros.end(), 0u);
  CHECK_NOTHROW(attempt(zeros, {1.5}));
  UninitVector<std::uint32_t> beyond = zeros;
  beyond[slots - 1] = 2;
  CHECK_THROWS_WITH(attempt(beyond, {1.5, 2.5}), Catch::Contains("not below the table's size (2)"));
  CHECK_THROWS_WITH(attempt(zeros, {-1.0}), Catch::Contains("negative or not finite"));
  CHECK_THROWS_WITH(attempt(zeros, {std::numeric_limits<double>::quiet_NaN()}), Catch::Contains("negative or not finite"));
  CHECK_THROWS_WITH(attempt(UninitVector<std::uint32_t>(slots - 1), {1.0}), Catch::Contains("one entry per slot"));
}
