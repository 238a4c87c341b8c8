// network::sampled_clustering (issue 18): exact when the sample covers every wedge, unbiased with
// the stated standard error otherwise, and the same on any thread count.
#include <catch2/catch.hpp>

#include <cmath>
#include <vector>

#include "core/parallel.hpp"
#include "network/kernels.hpp"
#include "test_graphs.hpp"

using namespace clusternet;
using namespace clusternet::network;
using namespace clusternet::network::testing;

namespace {

struct Exact {
  double transitivity = 0, mean_local = 0;
  std::uint64_t wedges = 0;
};

// From the exact triangle counts, as the exact metric defines them.
Exact exact_clustering(const CsrGraph& g) {
  const auto triangles = triangles_per_vertex(g);
  std::uint64_t corners = 0, wedges = 0, active = 0;
  double local = 0;
  for (Vertex v = 0; v < g.vertex_count(); ++v) {
    const std::uint64_t d = g.degree(v);
    if (d == 0) continue;
    ++active;
    corners += triangles[v];
    if (d < 2) continue;
    wedges += d * (d - 1) / 2;
    local += double(triangles[v]) / double(d * (d - 1) / 2);
  }
  return {double(corners) / double(wedges), local / double(active), wedges};
}

// Groups of `group` vertices with dense insides, some ties across, and one hub tied to `hub`
// vertices: clustering well above zero, a skewed degree distribution, several 4096-vertex chunks.
CsrGraph clustered(std::uint32_t n, std::uint32_t group, std::uint64_t ties, std::uint32_t hub, std::uint64_t seed) {
  std::vector<std::pair<Vertex, Vertex>> e;
  std::uint64_t x = seed;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 24; };
  for (std::uint64_t i = 0; i < ties; ++i) {
    const Vertex a = Vertex(next() % n);
    e.emplace_back(a, (i % 6) ? (a / group) * group + Vertex(next() % group) : Vertex(next() % n));
  }
  for (Vertex v = 1; v <= hub; ++v) e.emplace_back(0, v * 3 % n);
  return graph(n, e);
}

StreamKey key_of(Month month) { return StreamKey{42, 1, month, 0, Purpose::clustering_sampling}; }

}  // namespace

TEST_CASE("sampled_clustering checks every wedge when the sample is at least their number") {
  const CsrGraph g = clustered(9000, 30, 40000, 2000, 7);  // the hub alone has about 2 million wedges
  const Exact exact = exact_clustering(g);
  REQUIRE(exact.wedges > 2000000);
  const ClusteringEstimate e = sampled_clustering(g, exact.wedges, key_of(3));
  CHECK(e.wedges == exact.wedges);
  CHECK(e.wedges_sampled == exact.wedges);
  CHECK(e.transitivity == exact.transitivity);  // the same integer ratio
  const ClusteringEstimate larger = sampled_clustering(g, 10 * exact.wedges, key_of(4));
  CHECK(larger.transitivity == exact.transitivity);
  CHECK(larger.wedges_closed == e.wedges_closed);
}

TEST_CASE("sampled_clustering: mean local clustering exact where each vertex's coefficient is 0 or 1") {
  // Disjoint triangles and 4-cliques (coefficient 1), stars and paths (0), isolated vertices (not
  // counted): with a sample of a multiple of the active vertices each is drawn that many times.
  std::vector<std::pair<Vertex, Vertex>> e;
  Vertex v = 0;
  std::uint64_t ones = 0, active = 0;
  for (int i = 0; i < 400; ++i, v += 3) {
    e.insert(e.end(), {{v, v + 1}, {v + 1, v + 2}, {v, v + 2}});
    ones += 3, active += 3;
  }
  for (int i = 0; i < 300; ++i, v += 4) {
    for (Vertex a = v; a < v + 4; ++a)
      for (Vertex b = a + 1; b < v + 4; ++b) e.emplace_back(a, b);
    ones += 4, active += 4;
  }
  for (int i = 0; i < 200; ++i, v += 6) {
    for (Vertex b = v + 1; b < v + 6; ++b) e.emplace_back(v, b);  // a star of 5 leaves
    active += 6;
  }
  for (int i = 0; i < 200; ++i, v += 3) {
    e.insert(e.end(), {{v, v + 1}, {v + 1, v + 2}});
    active += 3;
  }
  const CsrGraph g = graph(v + 5000, e);  // isolated vertices at the end
  const ClusteringEstimate s = sampled_clustering(g, 7 * active, key_of(1));
  CHECK(s.vertices_sampled == 7 * active);
  CHECK(s.vertices_closed == 7 * ones);
  CHECK(s.mean_local_clustering == double(ones) / double(active));
  CHECK(s.mean_local_clustering == Approx(exact_clustering(g).mean_local).epsilon(1e-12));
}

TEST_CASE("sampled_clustering is unbiased and within its stated standard error") {
  const CsrGraph g = clustered(30000, 40, 150000, 1500, 11);
  const Exact exact = exact_clustering(g);
  REQUIRE(exact.transitivity > 0.05);
  REQUIRE(exact.mean_local > 0.05);
  const std::uint64_t k = 2048;
  const int draws = 300;
  double sum_t = 0, sum_t2 = 0, sum_l = 0, sum_l2 = 0;
  for (int m = 0; m < draws; ++m) {
    const ClusteringEstimate s = sampled_clustering(g, k, key_of(m));
    REQUIRE(s.wedges_sampled == k);
    REQUIRE(s.vertices_sampled == k);
    sum_t += s.transitivity, sum_t2 += s.transitivity * s.transitivity;
    sum_l += s.mean_local_clustering, sum_l2 += s.mean_local_clustering * s.mean_local_clustering;
  }
  const double mean_t = sum_t / draws, mean_l = sum_l / draws;
  const double sd_t = std::sqrt((sum_t2 - draws * mean_t * mean_t) / (draws - 1));
  const double sd_l = std::sqrt((sum_l2 - draws * mean_l * mean_l) / (draws - 1));
  // The stated bound on one estimate's standard error (simple random sampling's; stratification
  // only lowers it), with room for the spread of a 300-draw standard deviation.
  const double bound_t = std::sqrt(exact.transitivity * (1 - exact.transitivity) / double(k));
  const double bound_l = std::sqrt(exact.mean_local * (1 - exact.mean_local) / double(k));
  CHECK(sd_t <= 1.15 * bound_t);
  CHECK(sd_l <= 1.15 * bound_l);
  CHECK(sd_t > 0);  // it does sample
  // Unbiased: the mean of 300 estimates within 4 standard errors of the mean of the truth.
  CHECK(std::abs(mean_t - exact.transitivity) < 4 * bound_t / std::sqrt(double(draws)));
  CHECK(std::abs(mean_l - exact.mean_local) < 4 * bound_l / std::sqrt(double(draws)));
}

TEST_CASE("sampled_clustering: a sample larger than the active vertices still sharpens the local estimate") {
  // 3,000 active vertices and 30,000 samples: about ten wedges per vertex, so the spread of the
  // estimate follows the sample (bound sqrt(v (1 - v) / k)), not the vertex count.
  const CsrGraph g = clustered(3000, 30, 20000, 300, 13);
  const Exact exact = exact_clustering(g);
  const std::uint64_t k = 30000;
  double sum = 0, sum2 = 0;
  const int draws = 200;
  for (int m = 0; m < draws; ++m) {
    const double v = sampled_clustering(g, k, key_of(m)).mean_local_clustering;
    sum += v, sum2 += v * v;
  }
  const double mean = sum / draws, sd = std::sqrt((sum2 - draws * mean * mean) / (draws - 1));
  const double bound = std::sqrt(exact.mean_local * (1 - exact.mean_local) / double(k));
  CHECK(sd <= 1.15 * bound);
  CHECK(std::abs(mean - exact.mean_local) < 4 * bound / std::sqrt(double(draws)));
}

TEST_CASE("sampled_clustering gives the same counts on 1, 2 and 8 threads and follows its key") {
  const CsrGraph g = clustered(50000, 25, 200000, 3000, 5);
  ClusteringEstimate first;
  for (std::size_t threads : {1u, 2u, 8u}) {
    ThreadLimit limit(threads);
    const ClusteringEstimate s = sampled_clustering(g, 50000, key_of(9));
    if (threads == 1) {
      first = s;
      continue;
    }
    CHECK(s.wedges_closed == first.wedges_closed);
    CHECK(s.vertices_closed == first.vertices_closed);
  }
  const ClusteringEstimate other_month = sampled_clustering(g, 50000, key_of(10));
  CHECK((other_month.wedges_closed != first.wedges_closed || other_month.vertices_closed != first.vertices_closed));
}

TEST_CASE("sampled_clustering on graphs without wedges or ties, and refuses an empty sample") {
  const CsrGraph empty = CsrGraph::empty(100);
  const ClusteringEstimate none = sampled_clustering(empty, 10, key_of(0));
  CHECK(std::isnan(none.transitivity));
  CHECK(std::isnan(none.mean_local_clustering));
  CHECK(none.wedges_sampled == 0);
  const CsrGraph pair = graph(10, {{3, 4}});
  const ClusteringEstimate one = sampled_clustering(pair, 10, key_of(0));
  CHECK(std::isnan(one.transitivity));  // no wedge
  CHECK(one.mean_local_clustering == 0.0);
  CHECK(one.vertices_sampled == 10);
  CHECK_THROWS(sampled_clustering(pair, 0, key_of(0)));
}
