// Coded weights (issue 18): a graph whose slots hold 2-byte codes into a table of its most
// frequent weights, the other slots listed with their weights, reads the same doubles as one
// holding the doubles, so every kernel on it (Louvain, modularity) gives the same result to the
// bit, and WeightCodes finds the same table on any thread count.
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

// g's weights coded as the engine codes them.
SlotCodes slot_codes(const CsrGraph& g) {
  const WeightCodes codes = codes_of(g);
  SlotCodes out;
  out.codes.resize(g.neighbour_array().size());
  for (std::size_t k = 0; k < out.codes.size(); ++k) {
    out.codes[k] = codes.code(g.slot_weight(k));
    if (out.codes[k] == SlotCodes::escaped) {
      out.escaped_slots.push_back(k);
      out.escaped_weights.push_back(g.slot_weight(k));
    }
  }
  out.table = codes.table();
  return out;
}

// g's topology with its weights coded.
CsrGraph coded(const CsrGraph& g) { return g.with_changes({}, {}).with_slot_codes(slot_codes(g)); }

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

// Louvain (both local movings) and modularity give the same on c, g's weights coded, as on g.
void require_same_communities(const CsrGraph& g, const CsrGraph& c) {
  const StreamKey key{3, 0, 0, 0, Purpose::community_detection};
  for (LocalMoving moving : {LocalMoving::sequential, LocalMoving::parallel}) {
    const auto expected = louvain(g, key, moving);
    REQUIRE(louvain(c, key, moving) == expected);
    REQUIRE(same_bits(modularity(c, expected), modularity(g, expected)));
  }
}
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
  // A value not in the table has the escape code.
  CHECK(WeightCodes::of(values.size(), keep, [&](std::size_t i) { return values[i]; }, 1 << 20).code(0.123) ==
        SlotCodes::escaped);
}

TEST_CASE("WeightCodes: above 65,535 distinct values the table holds the most frequent, the same on any thread count") {
  // 70,000 distinct values: value v (v < 70,000) occurs 16 + (v % 7 == 0 ? 3 : 0) + (v < 1000 ? 5 : 0)
  // times, in an order that spreads each value's occurrences over the chunks.
  std::vector<double> values;
  for (int round = 0; round < 24; ++round)
    for (int v = 0; v < 70'000; ++v) {
      const int times = 16 + (v % 7 == 0 ? 3 : 0) + (v < 1000 ? 5 : 0);
      if (round < times) values.push_back(1.0 + v * 1e-6);
    }
  REQUIRE(values.size() > (std::size_t(1) << 20));  // several chunks of the parallel count
  auto all = [](std::size_t) { return true; };
  auto value = [&](std::size_t i) { return values[i]; };
  std::vector<double> one;
  {
    ThreadLimit limit(1);
    one = WeightCodes::of(values.size(), all, value, 1 << 20).table();
  }
  for (std::size_t threads : {2u, 8u}) {
    ThreadLimit limit(threads);
    const WeightCodes codes = WeightCodes::of(values.size(), all, value, 1 << 20);
    REQUIRE(codes.table() == one);
    REQUIRE(codes.distinct() == 70'000);
    REQUIRE(codes.size() == SlotCodes::table_limit);
    // 10,857 values occur more than 16 times (every seventh and the first 1,000): all in the
    // table; of the 59,143 that occur 16 times, the 54,678 smallest bit patterns fill it. The rest
    // escape: 4,465 values, 16 times each, the largest.
    CHECK(codes.escaped_count() == 16 * (70'000 - SlotCodes::table_limit));
    std::size_t escaped = 0;
    for (int v = 0; v < 70'000; ++v) {
      const double w = 1.0 + v * 1e-6;
      const std::uint16_t c = codes.code(w);
      if (c == SlotCodes::escaped) {
        ++escaped;
        REQUIRE(v % 7 != 0);
        REQUIRE(v >= 64'000);
      } else {
        REQUIRE(same_bits(codes.table()[c], w));
      }
    }
    CHECK(escaped == 70'000 - SlotCodes::table_limit);
  }
  CHECK(std::is_sorted(one.begin(), one.end()));
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
  CHECK(c.memory_bytes() + 5 * g.neighbour_array().size() < g.memory_bytes());  // 6 bytes a slot less, less the table
  CHECK_THROWS_AS(c.weights(0), std::logic_error);
  for (std::size_t threads : {1u, 2u, 8u}) {
    ThreadLimit limit(threads);
    require_same_communities(g, c);
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

TEST_CASE("with_slot_codes refuses codes beyond the table, bad weights, wrong counts or escapes, and leaves the graph as it was") {
  const CsrGraph g = decayed(2, 50, 9);
  const std::size_t slots = g.neighbour_array().size();
  auto attempt = [&](SlotCodes codes) {
    CsrGraph topology = g.with_changes({}, {});
    try {
      (void)std::move(topology).with_slot_codes(std::move(codes));
    } catch (const Error&) {
      CHECK(topology.neighbour_array() == g.neighbour_array());  // validated before anything moved
      throw;
    }
  };
  SlotCodes zeros;
  zeros.codes.resize(slots);
  std::fill(zeros.codes.begin(), zeros.codes.end(), std::uint16_t{0});
  zeros.table = {1.5};
  CHECK_NOTHROW(attempt(zeros));
  SlotCodes beyond = zeros;
  beyond.codes[slots - 1] = 2;
  beyond.table = {1.5, 2.5};
  CHECK_THROWS_WITH(attempt(beyond), Catch::Contains("neither below the table's size (2) nor the escape"));
  SlotCodes negative = zeros;
  negative.table = {-1.0};
  CHECK_THROWS_WITH(attempt(negative), Catch::Contains("negative or not finite"));
  SlotCodes nan = zeros;
  nan.table = {std::numeric_limits<double>::quiet_NaN()};
  CHECK_THROWS_WITH(attempt(nan), Catch::Contains("negative or not finite"));
  SlotCodes short_codes = zeros;
  short_codes.codes.resize(slots - 1);
  CHECK_THROWS_WITH(attempt(short_codes), Catch::Contains("one entry per slot"));
  // Escapes: listed with a finite weight, ascending, and exactly the slots with the escape code.
  SlotCodes escaped = zeros;
  escaped.codes[3] = escaped.codes[10] = SlotCodes::escaped;
  escaped.escaped_slots = {3, 10};
  escaped.escaped_weights = {0.25, 7.5};
  CHECK_NOTHROW(attempt(escaped));
  const CsrGraph with_escapes = g.with_changes({}, {}).with_slot_codes(escaped);
  CHECK(with_escapes.slot_weight(3) == 0.25);
  CHECK(with_escapes.slot_weight(10) == 7.5);
  CHECK(with_escapes.slot_weight(4) == 1.5);
  CHECK(with_escapes.largest_weight() == 7.5);
  SlotCodes unlisted = escaped;
  unlisted.escaped_slots = {3};
  unlisted.escaped_weights = {0.25};
  CHECK_THROWS_WITH(attempt(unlisted), Catch::Contains("2 slots have the escape code but 1 are listed"));
  SlotCodes wrong_slot = escaped;
  wrong_slot.escaped_slots = {3, 11};
  CHECK_THROWS_WITH(attempt(wrong_slot), Catch::Contains("does not have the escape code"));
  SlotCodes unsorted = escaped;
  unsorted.escaped_slots = {10, 3};
  unsorted.escaped_weights = {7.5, 0.25};
  CHECK_THROWS_WITH(attempt(unsorted), Catch::Contains("ascending slots of the graph"));
  SlotCodes beyond_slots = escaped;
  beyond_slots.escaped_slots = {3, slots};
  CHECK_THROWS_WITH(attempt(beyond_slots), Catch::Contains("ascending slots of the graph"));
  SlotCodes unpaired = escaped;
  unpaired.escaped_weights = {0.25};
  CHECK_THROWS_WITH(attempt(unpaired), Catch::Contains("differ in number"));
  SlotCodes bad_escape = escaped;
  bad_escape.escaped_weights = {0.25, std::numeric_limits<double>::infinity()};
  CHECK_THROWS_WITH(attempt(bad_escape), Catch::Contains("negative or not finite"));
  SlotCodes big_table = zeros;
  big_table.table.assign(SlotCodes::table_limit + 1, 1.0);
  CHECK_THROWS_WITH(attempt(big_table), Catch::Contains("a table of more than 65535 weights"));
}

TEST_CASE("a graph whose weights are partly escaped reads the same doubles: slot weights, subgraphs, Louvain and modularity") {
  // More distinct weights than 2-byte codes: each tie's weight is its own, except a few shared ones.
  std::vector<Vertex> s, t;
  std::vector<double> w;
  const std::uint32_t groups = 200, size = 100, n = groups * size;
  std::uint64_t x = 17;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 24; };
  for (Vertex v = 0; v < n; ++v)
    for (int i = 0; i < 5; ++i) {
      const Vertex u = i < 4 ? Vertex((v / size) * size + next() % size) : Vertex(next() % n);
      if (u == v) continue;
      s.push_back(v);
      t.push_back(u);
      w.push_back(next() % 4 == 0 ? 0.5 * double(1 + next() % 3) : 1.0 + double(next() % 1'000'000) * 1e-7);
    }
  const CsrGraph g = CsrGraph::from_edges(n, s, t, EdgeWeights(w));
  const SlotCodes codes = slot_codes(g);
  INFO(codes.escaped_slots.size() << " escaped slots among " << g.neighbour_array().size());
  REQUIRE(codes.escaped_slots.size() > 1000);
  const CsrGraph c = g.with_changes({}, {}).with_slot_codes(codes);
  for (std::size_t k = 0; k < g.neighbour_array().size(); ++k) REQUIRE(same_bits(c.slot_weight(k), g.slot_weight(k)));
  CHECK(same_bits(c.largest_weight(), g.largest_weight()));
  for (std::size_t threads : {1u, 2u, 8u}) {
    ThreadLimit limit(threads);
    require_same_communities(g, c);
    std::vector<Vertex> order;
    for (Vertex v = g.vertex_count(); v-- > 0;)
      if (v % 5 != 2) order.push_back(v);
    const CsrGraph gs = g.induced_subgraph(order), cs = c.induced_subgraph(order);
    REQUIRE(cs.weights_coded());
    REQUIRE_FALSE(cs.escaped_slots().empty());
    REQUIRE(std::is_sorted(cs.escaped_slots().begin(), cs.escaped_slots().end()));
    for (std::size_t k = 0; k < gs.neighbour_array().size(); ++k) REQUIRE(same_bits(cs.slot_weight(k), gs.slot_weight(k)));
    CHECK(same_bits(cs.largest_weight(), gs.largest_weight()));
  }
}
