#include <catch2/catch.hpp>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "experiments/grid.hpp"

using namespace clusternet;
using namespace clusternet::experiments;

namespace {
template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a grid is the cartesian product, the last axis varying fastest") {
  const GridDesign g = grid({{"budget", {0, 50e6, 100e6}}, {"calls", {1, 2, 3, 4}}});
  REQUIRE(g.points.point_count() == 12);
  REQUIRE(g.points.parameter_count() == 2);
  CHECK(g.points.names() == std::vector<std::string>{"budget", "calls"});
  CHECK(g.points.at(0, 0) == 0);
  CHECK(g.points.at(0, 1) == 1);
  CHECK(g.points.at(1, 0) == 0);
  CHECK(g.points.at(1, 1) == 2);
  CHECK(g.points.at(4, 0) == 50e6);
  CHECK(g.points.at(4, 1) == 1);
  CHECK(g.points.at(11, 0) == 100e6);
  CHECK(g.points.at(11, 1) == 4);
  // Every combination exactly once.
  std::set<std::pair<double, double>> seen;
  for (std::size_t p = 0; p < 12; ++p) seen.insert({g.points.at(p, 0), g.points.at(p, 1)});
  CHECK(seen.size() == 12);
  for (std::size_t p = 0; p < 12; ++p) CHECK(g.point_at(g.axis_positions(p)) == p);
}

TEST_CASE("neighbours along an axis differ in that axis only, by one position") {
  const GridDesign g = grid({{"a", {1, 2, 3}}, {"b", {10, 20, 30, 40}}, {"c", {7, 8}}});
  for (std::size_t axis = 0; axis < 3; ++axis) {
    const auto pairs = g.neighbours_along(axis);
    std::size_t expected = 1;
    for (std::size_t a = 0; a < 3; ++a)
      expected *= a == axis ? g.axes[a].values.size() - 1 : g.axes[a].values.size();
    CHECK(pairs.size() == expected);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      const auto from = g.axis_positions(pairs[i].first), to = g.axis_positions(pairs[i].second);
      for (std::size_t a = 0; a < 3; ++a) CHECK(to[a] == (a == axis ? from[a] + 1 : from[a]));
      if (i > 0) CHECK(pairs[i].first > pairs[i - 1].first);
    }
  }
  CHECK(g.neighbours_along(3).empty());
}

TEST_CASE("the budget sweep: 0 to 400M in steps of 50M is nine exact values") {
  const GridAxis axis = stepped_axis("instruments.jci.budget", 0, 400e6, 50e6);
  REQUIRE(axis.values.size() == 9);
  for (std::size_t i = 0; i < 9; ++i) CHECK(axis.values[i] == static_cast<double>(i) * 50e6);
  const GridDesign g = grid({axis});
  CHECK(g.points.point_count() == 9);
  CHECK(g.neighbours_along(0).size() == 8);
}

TEST_CASE("ranges by step, by count and on a log scale") {
  // A decimal step is inexact in binary: ten steps of 0.1 must still be found, ending at 1 exactly.
  const GridAxis tenths = stepped_axis("x", 0, 1, 0.1);
  REQUIRE(tenths.values.size() == 11);
  CHECK(tenths.values.back() == 1.0);
  CHECK(tenths.values[3] == Approx(0.3));
  const GridAxis down = stepped_axis("x", 10, 4, -2);
  CHECK(down.values == std::vector<double>{10, 8, 6, 4});
  CHECK(stepped_axis("x", 5, 5, 1).values == std::vector<double>{5});

  const GridAxis five = linear_axis("x", 0, 1, 5);
  CHECK(five.values == std::vector<double>{0, 0.25, 0.5, 0.75, 1});
  const GridAxis geometric = log_axis("x", 1, 1000, 4);
  REQUIRE(geometric.values.size() == 4);
  CHECK(geometric.values[0] == 1);
  CHECK(geometric.values[1] == Approx(10));
  CHECK(geometric.values[2] == Approx(100));
  CHECK(geometric.values[3] == 1000);
}

TEST_CASE("bad grids and ranges are refused with a useful message") {
  const std::string uneven = error_of([] { stepped_axis("instruments.jci.budget", 0, 400e6, 30e6); });
  CHECK(uneven.find("instruments.jci.budget: ") != std::string::npos);
  CHECK(uneven.find("whole steps (13.3") != std::string::npos);
  CHECK(error_of([] { stepped_axis("x", 0, 1, -0.1); }).find("whole steps") != std::string::npos);
  CHECK(error_of([] { stepped_axis("x", 0, 1, 0); }).find("non-zero") != std::string::npos);
  CHECK(error_of([] { stepped_axis("x", 0, 1e12, 1e-3); }).find("too many steps") != std::string::npos);
  CHECK(error_of([] { linear_axis("x", 0, 1, 1); }).find("at least two values") != std::string::npos);
  CHECK(error_of([] { log_axis("x", 0, 1, 3); }).find("positive") != std::string::npos);
  CHECK(error_of([] { grid({}); }).find("at least one parameter") != std::string::npos);
  CHECK(error_of([] { grid({{"a", {}}}); }).find("a: the parameter has no values") != std::string::npos);
  CHECK(error_of([] {
          grid({{"a", {1, 2, 1}}});
        }).find("a: the value is listed twice (found: 1") != std::string::npos);
  CHECK(error_of([] { grid({{"a", {1}}, {"a", {2}}}); }).find("listed twice") != std::string::npos);
  CHECK(error_of([] {
          grid({{"a", {1, std::numeric_limits<double>::infinity()}}});
        }).find("finite") != std::string::npos);
  // 10,000 x 10,000 points: refused before anything of that size is allocated.
  const GridAxis big = linear_axis("a", 0, 1, 10000);
  const GridAxis big2 = linear_axis("b", 0, 1, 10000);
  CHECK(error_of([&] { grid({big, big2}); }).find("too many points") != std::string::npos);
}
