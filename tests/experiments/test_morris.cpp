#include <catch2/catch.hpp>
#include <cmath>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "experiments/morris.hpp"

using namespace clusternet;
using namespace clusternet::experiments;

namespace {
const std::vector<ParameterRange> five = {
    {"a", 0, 1}, {"b", -2, 2}, {"c", 10, 30}, {"d", 0.01, 1, true}, {"e", 100, 101}};

template <typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

std::vector<double> evaluate(const MorrisDesign& d, double (*f)(std::span<const double>)) {
  std::vector<double> out;
  for (std::size_t p = 0; p < d.points.point_count(); ++p) out.push_back(f(d.points.row(p)));
  return out;
}
}  // namespace

TEST_CASE("Morris trajectories: k + 1 points, one parameter moving by delta at each step") {
  for (std::size_t levels : {2u, 4u, 6u, 8u}) {
    const MorrisDesign d = morris(five, {12, levels}, 99);
    const std::size_t k = 5;
    REQUIRE(d.points.point_count() == 12 * (k + 1));
    REQUIRE(d.steps.size() == 12 * k);
    const double p = static_cast<double>(levels);
    CHECK(d.delta == Approx(p / (2 * (p - 1))).epsilon(1e-15));
    for (std::size_t t = 0; t < 12; ++t) {
      std::vector<int> moved(k, 0);
      for (std::size_t m = 0; m < k; ++m) {
        const double* before = &d.unit[d.point(t, m) * k];
        const double* after = &d.unit[d.point(t, m + 1) * k];
        std::size_t changed = 0;
        for (std::size_t i = 0; i < k; ++i) {
          if (before[i] == after[i]) continue;
          ++changed;
          CHECK(i == d.step(t, m).parameter);
          CHECK(after[i] - before[i] == Approx(d.step(t, m).direction * d.delta).epsilon(1e-12));
        }
        CHECK(changed == 1);
        ++moved[d.step(t, m).parameter];
      }
      for (int count : moved) CHECK(count == 1);  // each parameter moves exactly once
    }
    // Every coordinate sits on the level grid {0, 1/(p-1), ..., 1} and every value in its range.
    for (std::size_t row = 0; row < d.points.point_count(); ++row)
      for (std::size_t i = 0; i < k; ++i) {
        const double level = d.unit[row * k + i] * (p - 1);
        CHECK(std::abs(level - std::round(level)) < 1e-12);
        CHECK(d.points.at(row, i) >= five[i].low);
        CHECK(d.points.at(row, i) <= five[i].high);
      }
  }
}

TEST_CASE("Morris visits every level equally often") {
  // p = 4, 2000 trajectories of 2 parameters: 6000 values per parameter, 1500 per level expected.
  // Points within a trajectory are dependent, so allow a wide band: 6 binomial sd (~34 each way).
  const MorrisDesign d = morris({{"x", 0, 1}, {"y", 0, 1}}, {2000, 4}, 5);
  for (std::size_t i = 0; i < 2; ++i) {
    std::vector<int> counts(4, 0);
    for (std::size_t row = 0; row < d.points.point_count(); ++row)
      ++counts[static_cast<std::size_t>(std::lround(d.unit[row * 2 + i] * 3))];
    for (int c : counts) CHECK(std::abs(c - 1500) < 200);
  }
}

TEST_CASE("the Morris design is a pure function of settings and seed; trajectories are independent") {
  const MorrisDesign a = morris(five, {10, 4}, 1);
  CHECK(a.unit == morris(five, {10, 4}, 1).unit);
  CHECK(a.unit != morris(five, {10, 4}, 2).unit);
  // Trajectory t is keyed by t: twenty trajectories begin with the same ten.
  const MorrisDesign longer = morris(five, {20, 4}, 1);
  for (std::size_t i = 0; i < a.unit.size(); ++i) CHECK(longer.unit[i] == a.unit[i]);
}

TEST_CASE("Morris on a linear function: mu* = |coefficient| x range, sigma = 0") {
  // f = 3 a - 0.5 b + 0.1 c (d and e unused); a spans 1, b spans 4, c spans 20.
  auto linear = [](std::span<const double> x) { return 3 * x[0] - 0.5 * x[1] + 0.1 * x[2]; };
  const MorrisDesign d = morris(five, {15, 4}, 17);
  const auto indices = morris_indices(d, evaluate(d, linear), {200, 0.95, 3});
  REQUIRE(indices.size() == 5);
  const double expected_mu[] = {3.0, -0.5 * 4, 0.1 * 20, 0, 0};
  for (std::size_t i = 0; i < 5; ++i) {
    CHECK(indices[i].parameter == five[i].name);
    CHECK(indices[i].mu == Approx(expected_mu[i]).margin(1e-9));
    CHECK(indices[i].mu_star == Approx(std::abs(expected_mu[i])).margin(1e-9));
    CHECK(indices[i].sigma == Approx(0).margin(1e-9));
    // Every elementary effect is the same, so every resample gives the same mu*.
    CHECK(indices[i].mu_star_ci.low == Approx(indices[i].mu_star).margin(1e-9));
    CHECK(indices[i].mu_star_ci.high == Approx(indices[i].mu_star).margin(1e-9));
  }
}

TEST_CASE("Morris sigma separates interacting from additive parameters") {
  // f = x y + z on [0, 1]^3: z acts alone (every effect is 1); x's effect is y and y's is x.
  const std::vector<ParameterRange> cube = {{"x", 0, 1}, {"y", 0, 1}, {"z", 0, 1}};
  auto f = [](std::span<const double> v) { return v[0] * v[1] + v[2]; };
  const MorrisDesign d = morris(cube, {40, 4}, 8);
  const auto indices = morris_indices(d, evaluate(d, f), {500, 0.95, 1});
  CHECK(indices[2].mu_star == Approx(1).margin(1e-12));
  CHECK(indices[2].sigma == Approx(0).margin(1e-12));
  for (std::size_t i = 0; i < 2; ++i) {
    // The effect of x is the mean of y over the levels visited: between 0 and 1, mean 1/2.
    CHECK(indices[i].mu_star > 0.2);
    CHECK(indices[i].mu_star < 0.8);
    CHECK(indices[i].sigma > 0.1);
    CHECK(indices[i].mu_star_ci.low <= indices[i].mu_star);
    CHECK(indices[i].mu_star_ci.high >= indices[i].mu_star);
    CHECK(indices[i].mu_star_ci.high > indices[i].mu_star_ci.low);
  }
  // Elementary effects on [0, 1] are the finite differences themselves.
  const auto effects = elementary_effects(d, evaluate(d, f));
  REQUIRE(effects.size() == 40 * 3);
  for (std::size_t t = 0; t < 40; ++t) CHECK(effects[t * 3 + 2] == Approx(1).margin(1e-12));
}

TEST_CASE("Morris refuses odd levels, wrong output counts and outputs that are not numbers") {
  CHECK(error_of([] { morris(five, {10, 5}, 1); }).find("even") != std::string::npos);
  CHECK_THROWS_AS(morris(five, {10, 0}, 1), Error);
  CHECK_THROWS_AS(morris(five, {0, 4}, 1), Error);
  const MorrisDesign d = morris(five, {3, 4}, 1);
  CHECK(error_of([&] { elementary_effects(d, std::vector<double>(17, 0.0)); }).find("18 values") !=
        std::string::npos);
  std::vector<double> outputs(18, 1.0);
  outputs[7] = std::nan("");
  CHECK(error_of([&] { morris_indices(d, outputs); }).find("point 7 is not a finite number") !=
        std::string::npos);
}
