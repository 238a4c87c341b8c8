#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "core/statistics.hpp"
#include "experiments/summary.hpp"

using namespace clusternet;
using namespace clusternet::experiments;

namespace {
const double missing = std::numeric_limits<double>::quiet_NaN();

// Three budget points x five replicates with common random numbers: replicate k shares a large
// common shock (the world of seed k) across points, and the budget adds 2 per 50M.
ReplicateTable budget_table() {
  const double shock[] = {0, 30, -20, 10, -25};
  const double step_noise[3][5] = {{0, 0, 0, 0, 0}, {0.1, -0.2, 0.1, 0.0, 0.2}, {0.3, -0.1, 0.0, 0.2, -0.2}};
  std::vector<double> values;
  for (int point = 0; point < 3; ++point)
    for (int k = 0; k < 5; ++k) values.push_back(100 + shock[k] + 2.0 * point + step_noise[point][k]);
  return ReplicateTable(3, 5, values);
}
}  // namespace

TEST_CASE("a replicate table holds points x replicates") {
  const ReplicateTable t = budget_table();
  CHECK(t.points() == 3);
  CHECK(t.replicates() == 5);
  CHECK(t.point(1)[0] == Approx(102.1));
  CHECK_THROWS_AS(t.point(3), std::out_of_range);
  CHECK_THROWS_AS(ReplicateTable(3, 5, std::vector<double>(14)), std::invalid_argument);
  CHECK_NOTHROW(ReplicateTable(0, 5, {}));
}

TEST_CASE("per-point means carry the t interval of core/statistics, leaving out NaN") {
  ReplicateTable t(2, 4, {1, 2, 3, 4, 10, missing, 12, 14});
  const auto s = point_summaries(t);
  REQUIRE(s.size() == 2);
  const std::vector<double> first = {1, 2, 3, 4}, second = {10, 12, 14};
  CHECK(s[0].mean == Approx(2.5));
  CHECK(s[0].ci_low == Approx(stats::summarize(first).ci_low));
  CHECK(s[1].n == 3);
  CHECK(s[1].mean == Approx(12));
  CHECK(s[1].ci_high == Approx(stats::summarize(second).ci_high));
  const auto means = point_means(t);
  CHECK(means == std::vector<double>{2.5, 12});
  CHECK(std::isnan(point_means(ReplicateTable(1, 2, {missing, missing}))[0]));
}

TEST_CASE("paired differences remove the common shock that unpaired ones cannot") {
  const ReplicateTable t = budget_table();
  const auto paired = paired_difference(t, 0, 2);
  CHECK(paired.paired);
  CHECK(paired.diff == Approx(4.04));
  CHECK(paired.excludes_zero());
  // The same numbers compared as independent samples: the shocks (sd about 23) swamp the effect.
  const auto unpaired = stats::welch_difference(t.point(0), t.point(2));
  CHECK_FALSE(unpaired.excludes_zero());
  CHECK(paired.ci_high - paired.ci_low < (unpaired.ci_high - unpaired.ci_low) / 50);

  const auto to_first = paired_differences_to(t, 0);
  REQUIRE(to_first.size() == 3);
  CHECK(to_first[0].diff == 0);
  CHECK(to_first[1].diff == Approx(paired_difference(t, 0, 1).diff));
  CHECK(to_first[2].ci_low == Approx(paired.ci_low));
}

TEST_CASE("the marginal effect of a step is the paired difference per unit of the parameter") {
  const ReplicateTable t = budget_table();
  // 0 -> 50M EUR, expressed per million EUR: the difference divided by 50.
  const auto m = marginal_effect(t, 0, 1, 0, 50e6, 1e6);
  const auto d = paired_difference(t, 0, 1);
  CHECK(m.effect == Approx(d.diff / 50));
  CHECK(m.se == Approx(d.se / 50));
  CHECK(m.ci_low == Approx(d.ci_low / 50));
  CHECK(m.ci_high == Approx(d.ci_high / 50));
  CHECK(m.difference.diff == d.diff);
  // Walking the parameter downwards flips the sign of the step, not the meaning of the interval.
  const auto back = marginal_effect(t, 1, 0, 50e6, 0, 1e6);
  CHECK(back.effect == Approx(m.effect));
  CHECK(back.ci_low == Approx(m.ci_low));
  CHECK(back.ci_high == Approx(m.ci_high));
  // One replicate: an effect, no interval.
  const auto single = marginal_effect(ReplicateTable(2, 1, {1, 3}), 0, 1, 0, 2);
  CHECK(single.effect == Approx(1));
  CHECK(std::isnan(single.ci_low));
  CHECK(std::isnan(single.se));

  CHECK_THROWS_AS(marginal_effect(t, 0, 1, 5, 5), Error);
  CHECK_THROWS_AS(marginal_effect(t, 0, 1, 0, 1, 0), Error);
  CHECK_THROWS_AS(marginal_effect(t, 0, 7, 0, 1), std::out_of_range);
}

TEST_CASE("marginal effects along a grid axis pair each point with its next neighbour") {
  // budget (3 values) x calls (2 values); the outcome is 1 per million EUR plus 10 per call.
  const GridDesign g = grid({{"budget", {0, 50e6, 150e6}}, {"calls", {1, 2}}});
  std::vector<double> values;
  for (std::size_t p = 0; p < 6; ++p)
    for (int k = 0; k < 3; ++k) values.push_back(g.points.at(p, 0) / 1e6 + 10 * g.points.at(p, 1) + k * 7.0);
  const ReplicateTable t(6, 3, values);
  const auto budget = marginal_effects_along(g, 0, t, 1e6);
  REQUIRE(budget.size() == 4);
  for (const auto& m : budget) {
    CHECK(m.effect == Approx(1));
    CHECK(m.ci_low == Approx(1));  // identical differences in every replicate: a zero-width interval
    CHECK(g.points.at(m.from, 1) == g.points.at(m.to, 1));
  }
  CHECK(budget[2].x_from == 50e6);
  CHECK(budget[2].x_to == 150e6);
  const auto calls = marginal_effects_along(g, 1, t);
  REQUIRE(calls.size() == 3);
  for (const auto& m : calls) CHECK(m.effect == Approx(10));
  CHECK_THROWS_AS(marginal_effects_along(g, 2, t), Error);
  CHECK_THROWS_AS(marginal_effects_along(g, 0, ReplicateTable(5, 3, std::vector<double>(15))), Error);
}
