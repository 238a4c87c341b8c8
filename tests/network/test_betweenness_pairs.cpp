// network::sampled_path_interiors (issue 18): betweenness from one uniformly drawn shortest path
// per sampled pair. Unbiased against the exact betweenness, every drawn path a shortest one, and
// the same counts on any thread count.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "network/kernels.hpp"
#include "test_graphs.hpp"

using namespace clusternet;
using namespace clusternet::network;
using namespace clusternet::network::testing;

namespace {

// A w x h grid (many shortest paths of equal length between most pairs) numbered row by row from
// `first`.
void add_grid(std::vector<std::pair<Vertex, Vertex>>& edges, Vertex first, std::uint32_t w, std::uint32_t h) {
  for (std::uint32_t y = 0; y < h; ++y)
    for (std::uint32_t x = 0; x < w; ++x) {
      const Vertex v = first + y * w + x;
      if (x + 1 < w) edges.emplace_back(v, v + 1);
      if (y + 1 < h) edges.emplace_back(v, v + w);
    }
}

const RunKey key{7, 1, 30};

}  // namespace

TEST_CASE("pair sampling estimates the exact normalised betweenness within its standard error") {
  // A grid, a sparse random part joined to it by one tie, a hub, and a separate component: pairs
  // across components count nothing but are part of the sample.
  std::vector<std::pair<Vertex, Vertex>> edges;
  add_grid(edges, 0, 6, 5);  // vertices 0..29
  for (auto [a, b] : random_pairs(40, 70, 11)) edges.emplace_back(30 + a, 30 + b);
  edges.emplace_back(29, 30);
  for (Vertex v = 31; v < 70; v += 3) edges.emplace_back(70, v);  // hub 70
  edges.emplace_back(71, 72);
  edges.emplace_back(72, 73);
  const CsrGraph g = graph(74, edges);
  std::vector<Vertex> active;
  for (Vertex v = 0; v < g.vertex_count(); ++v)
    if (g.degree(v) > 0) active.push_back(v);
  const double n = double(active.size());
  // Exact: Brandes from every vertex sums delta over ordered pairs, twice the unordered sum.
  const auto dependency = brandes_dependencies(g, active);
  constexpr std::uint32_t samples = 200000;
  const auto count = sampled_path_interiors(g, active, samples, key);
  REQUIRE(count.size() == g.vertex_count());
  double largest = 0;
  for (const Vertex v : active) {
    const double exact = dependency[v] / ((n - 1) * (n - 2));
    largest = std::max(largest, exact);
    const double estimate = double(count[v]) / samples * n / (n - 2);
    const double p = exact * (n - 2) / n;  // the chance that one sampled path passes through v
    const double standard_error = std::sqrt(p * (1 - p) / samples) * n / (n - 2);
    INFO("vertex " << v << " exact " << exact << " estimate " << estimate);
    CHECK(std::abs(estimate - exact) <= 5 * standard_error + 1e-12);
    if (exact == 0) CHECK(count[v] == 0);  // leaves, ends of the path component's ends
  }
  CHECK(largest > 0.2);
}

TEST_CASE("pair sampling draws shortest paths only, uniformly among them") {
  // Two opposite corners of a 3 x 3 grid: six shortest paths of length 4, three inner vertices each;
  // four of them pass through the centre, one through each other corner-adjacent chain.
  std::vector<std::pair<Vertex, Vertex>> edges;
  add_grid(edges, 0, 3, 3);
  const CsrGraph g = graph(9, edges);
  const std::vector<Vertex> corners{0, 8};
  constexpr std::uint32_t samples = 30000;
  const auto count = sampled_path_interiors(g, corners, samples, key);
  CHECK(std::accumulate(count.begin(), count.end(), std::uint64_t(0)) == std::uint64_t(3) * samples);
  CHECK(count[0] == 0);
  CHECK(count[8] == 0);
  // Vertices 2 and 6 (the other corners) lie on one path each, 4 (the centre) on four.
  const double se_one = std::sqrt(1.0 / 6 * 5.0 / 6 / samples);
  const double se_four = std::sqrt(4.0 / 6 * 2.0 / 6 / samples);
  CHECK(std::abs(count[2] / double(samples) - 1.0 / 6) <= 5 * se_one);
  CHECK(std::abs(count[6] / double(samples) - 1.0 / 6) <= 5 * se_one);
  CHECK(std::abs(count[4] / double(samples) - 4.0 / 6) <= 5 * se_four);
  // 1 and 3 start half the paths from 0 each; 5 and 7 end half of them at 8.
  for (const Vertex v : {1, 3, 5, 7}) CHECK(std::abs(count[v] / double(samples) - 0.5) <= 5 * std::sqrt(0.25 / samples));

  // Pairs in different components, or next to each other, have no inside.
  const CsrGraph two = graph(4, {{0, 1}, {2, 3}});
  const std::vector<Vertex> all{0, 1, 2, 3};
  for (const auto c : sampled_path_interiors(two, all, 1000, key)) CHECK(c == 0);
  // A path 0-1-2 sampled between its ends only: 1 every time.
  const CsrGraph path = graph(3, {{0, 1}, {1, 2}});
  const std::vector<Vertex> ends{0, 2};
  CHECK(sampled_path_interiors(path, ends, 500, key) == std::vector<std::uint32_t>{0, 500, 0});
}

TEST_CASE("pair sampling: nothing to draw, bad candidates, and the same counts on any thread count") {
  const CsrGraph path = graph(3, {{0, 1}, {1, 2}});
  const std::vector<Vertex> one{1}, out_of_range{0, 3};
  CHECK(sampled_path_interiors(path, one, 100, key) == std::vector<std::uint32_t>(3, 0));
  const std::vector<Vertex> ends{0, 2};
  CHECK(sampled_path_interiors(path, ends, 0, key) == std::vector<std::uint32_t>(3, 0));
  CHECK_THROWS_AS(sampled_path_interiors(path, out_of_range, 10, key), Error);

  // Large enough (over parallel_kernel_slots) for the parallel blocks.
  const CsrGraph g = graph(200000, random_pairs(200000, 600000, 5));
  REQUIRE(2 * g.edge_count() >= parallel_kernel_slots);
  std::vector<Vertex> candidates(g.vertex_count());
  std::iota(candidates.begin(), candidates.end(), Vertex(0));
  std::vector<std::uint32_t> reference;
  {
    ThreadLimit limit(1);
    reference = sampled_path_interiors(g, candidates, 3000, key);
  }
  CHECK(std::accumulate(reference.begin(), reference.end(), std::uint64_t(0)) > 3000);
  for (std::size_t threads : {2, 8}) {
    ThreadLimit limit(threads);
    INFO("threads " << threads);
    CHECK(sampled_path_interiors(g, candidates, 3000, key) == reference);
  }
  // Another month draws other pairs.
  CHECK(sampled_path_interiors(g, candidates, 3000, RunKey{7, 1, 31}) != reference);
}
