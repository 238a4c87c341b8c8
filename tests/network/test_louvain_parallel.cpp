// Louvain with parallel local moving (issue 18): the same partition on any thread count, a
// modularity as good as the sequential phase's, the planted communities found, and no swapping
// for ever between vertices that decide at once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "core/parallel.hpp"
#include "network/csr_graph.hpp"
#include "network/kernels.hpp"

using namespace clusternet;
using namespace clusternet::network;

namespace {
// `groups` planted groups of `size` vertices, numbered group by group; each vertex draws `inside`
// partners in its group and `outside` anywhere, weights 1..4. Large enough that the parallel
// phase's rounds run in batches (more than 4,096 vertices listed).
CsrGraph planted(std::uint32_t groups, std::uint32_t size, int inside, int outside, std::uint64_t seed) {
  std::vector<Vertex> s, t;
  std::vector<double> w;
  std::uint64_t x = seed;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 24; };
  const std::uint32_t n = groups * size;
  for (Vertex v = 0; v < n; ++v) {
    for (int i = 0; i < inside + outside; ++i) {
      const Vertex u = i < inside ? Vertex((v / size) * size + next() % size) : Vertex(next() % n);
      if (u == v) continue;
      s.push_back(v);
      t.push_back(u);
      w.push_back(double(1 + next() % 4));
    }
  }
  return CsrGraph::from_edges(n, s, t, EdgeWeights(w));
}

// Share of the vertices in the community that holds most of their planted group.
double recovered(const std::vector<std::uint32_t>& community, std::uint32_t size) {
  std::size_t agree = 0;
  for (std::size_t first = 0; first < community.size(); first += size) {
    std::map<std::uint32_t, std::size_t> count;
    for (std::size_t v = first; v < first + size; ++v) ++count[community[v]];
    std::size_t most = 0;
    for (const auto& [c, k] : count) most = std::max(most, k);
    agree += most;
  }
  return double(agree) / double(community.size());
}
}  // namespace

TEST_CASE("parallel local moving: one partition on 1, 2 and 8 threads, as good as the sequential one") {
  const CsrGraph g = planted(250, 120, 12, 3, 17);
  for (std::uint32_t seed : {1u, 2u, 3u}) {
    INFO("seed " << seed);
    const StreamKey key{seed, 0, 0, 0, Purpose::community_detection};
    std::vector<std::uint32_t> one;
    {
      ThreadLimit limit(1);
      one = louvain(g, key, LocalMoving::parallel);
    }
    for (std::size_t threads : {2u, 8u}) {
      ThreadLimit limit(threads);
      CHECK(louvain(g, key, LocalMoving::parallel) == one);
    }
    const auto sequential = louvain(g, key, LocalMoving::sequential);
    const double q_parallel = modularity(g, one), q_sequential = modularity(g, sequential);
    INFO("modularity: parallel " << q_parallel << ", sequential " << q_sequential);
    CHECK(q_parallel > 0.97 * q_sequential);
    CHECK(recovered(one, 120) > 0.95);
    // Numbered 0..k-1 by smallest vertex, as the sequential result.
    std::uint32_t next = 0;
    for (std::uint32_t c : one) {
      REQUIRE(c <= next);
      if (c == next) ++next;
    }
  }
}

TEST_CASE("parallel local moving: lone neighbours deciding at once end together, not swapped for ever") {
  // 20,000 disjoint pairs: every vertex alone, and its only neighbour alone, in the first round.
  std::vector<Vertex> s, t;
  for (Vertex v = 0; v < 40000; v += 2) {
    s.push_back(v);
    t.push_back(v + 1);
  }
  const CsrGraph g = CsrGraph::from_edges(40000, s, t);
  const auto community = louvain(g, StreamKey{4, 0, 0, 0, Purpose::community_detection}, LocalMoving::parallel);
  for (Vertex v = 0; v < 40000; v += 2) {
    REQUIRE(community[v] == v / 2);
    REQUIRE(community[v + 1] == v / 2);
  }
  // Two rings of 6000 (each vertex tied to the 12 nearest) joined by one tie: neighbours share
  // batches, and no community may cross the bridge.
  s.clear();
  t.clear();
  for (Vertex c = 0; c < 2; ++c)
    for (Vertex a = 0; a < 6000; ++a)
      for (Vertex k = 1; k <= 6; ++k) {
        s.push_back(c * 6000 + a);
        t.push_back(c * 6000 + (a + k) % 6000);
      }
  s.push_back(0);
  t.push_back(6000);
  const CsrGraph halves = CsrGraph::from_edges(12000, s, t);
  const auto split = louvain(halves, StreamKey{4, 0, 0, 0, Purpose::community_detection}, LocalMoving::parallel);
  for (Vertex v = 0; v < 6000; ++v) REQUIRE(split[v] != split[6000 + v]);
  CHECK(modularity(halves, split) > 0.8);
}

TEST_CASE("parallel local moving on the edge cases of the sequential one") {
  const StreamKey key{9, 0, 0, 0, Purpose::community_detection};
  // No ties at all, and ties that all weigh 0: no community.
  const CsrGraph empty = CsrGraph::from_edges(5, {}, {});
  CHECK(louvain(empty, key, LocalMoving::parallel) == std::vector<std::uint32_t>(5, none<std::uint32_t>));
  const std::vector<double> zero = {0.0, 0.0};
  const std::vector<Vertex> a = {0, 2}, b = {1, 3};
  const CsrGraph weightless = CsrGraph::from_edges(4, a, b, EdgeWeights(zero));
  CHECK(louvain(weightless, key, LocalMoving::parallel) == std::vector<std::uint32_t>(4, none<std::uint32_t>));
  // An isolated vertex gets none; a tie of weight 0 among weighted ones leaves its vertex alone.
  const std::vector<double> w = {1.0, 1.0, 1.0, 0.0};
  const std::vector<Vertex> from = {0, 1, 0, 2}, to = {1, 2, 2, 3};
  const CsrGraph g = CsrGraph::from_edges(6, from, to, EdgeWeights(w));
  const auto c = louvain(g, key, LocalMoving::parallel);
  CHECK(c == louvain(g, key, LocalMoving::sequential));
  CHECK(c[5] == none<std::uint32_t>);
  CHECK(c[3] != c[2]);
  CHECK(c[0] == c[1]);
  CHECK(c[1] == c[2]);
}
