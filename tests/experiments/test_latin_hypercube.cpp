#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "core/error.hpp"
#include "experiments/latin_hypercube.hpp"

using namespace clusternet;
using namespace clusternet::experiments;

namespace {
const std::vector<ParameterRange> ranges = {{"behaviour.search.repeat_weight", 0, 1},
                                            {"behaviour.decay.rate", 1e-3, 1e-1, true},
                                            {"budget", 0, 400e6}};
}

TEST_CASE("a Latin hypercube has n points inside the ranges") {
  const auto d = latin_hypercube(ranges, 50, 7);
  REQUIRE(d.points.point_count() == 50);
  REQUIRE(d.points.parameter_count() == 3);
  REQUIRE(d.unit.size() == 150);
  for (std::size_t p = 0; p < 50; ++p)
    for (std::size_t j = 0; j < 3; ++j) {
      CHECK(d.unit[p * 3 + j] >= 0.0);
      CHECK(d.unit[p * 3 + j] < 1.0);
      CHECK(d.points.at(p, j) >= ranges[j].low);
      CHECK(d.points.at(p, j) <= ranges[j].high);
    }
}

TEST_CASE("each of the n strata of every parameter holds exactly one point") {
  for (std::size_t n : {1u, 2u, 7u, 100u, 1000u}) {
    const auto d = latin_hypercube(ranges, n, 2024);
    for (std::size_t j = 0; j < 3; ++j) {
      std::vector<int> hits(n, 0);
      for (std::size_t p = 0; p < n; ++p) {
        REQUIRE(d.stratum(p, j) < n);
        ++hits[d.stratum(p, j)];
      }
      for (std::size_t s = 0; s < n; ++s) CHECK(hits[s] == 1);
    }
  }
}

TEST_CASE("on a log scale the strata are equal in log(value)") {
  const auto d = latin_hypercube(ranges, 20, 3);
  std::vector<int> hits(20, 0);
  for (std::size_t p = 0; p < 20; ++p) {
    // log10 of the rate runs from -3 to -1: stratum width 0.1 in log10.
    const double position = (std::log10(d.points.at(p, 1)) + 3) / 2;
    ++hits[static_cast<std::size_t>(std::floor(position * 20))];
  }
  for (int h : hits) CHECK(h == 1);
}

TEST_CASE("the design is a pure function of its settings and seed") {
  const auto a = latin_hypercube(ranges, 64, 11);
  const auto b = latin_hypercube(ranges, 64, 11);
  const auto c = latin_hypercube(ranges, 64, 12);
  CHECK(a.unit == b.unit);
  CHECK(a.points.values() == b.points.values());
  CHECK(a.unit != c.unit);
  // Column j is keyed by j alone: adding a parameter leaves the others' columns as they were.
  auto more = ranges;
  more.push_back({"extra", 0, 1});
  const auto d = latin_hypercube(more, 64, 11);
  for (std::size_t p = 0; p < 64; ++p)
    for (std::size_t j = 0; j < 3; ++j) CHECK(d.unit[p * 4 + j] == a.unit[p * 3 + j]);
  // Columns are not copies of one another.
  bool differ = false;
  for (std::size_t p = 0; p < 64; ++p) differ = differ || a.stratum(p, 0) != a.stratum(p, 2);
  CHECK(differ);
}

TEST_CASE("a Latin hypercube refuses zero samples and bad ranges") {
  CHECK_THROWS_AS(latin_hypercube(ranges, 0, 1), Error);
  CHECK_THROWS_AS(latin_hypercube({{"x", 1, 0}}, 10, 1), Error);
  CHECK_THROWS_AS(latin_hypercube(ranges, max_design_points + 1, 1), Error);
}
