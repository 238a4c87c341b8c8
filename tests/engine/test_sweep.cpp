// Sweep tasks as the engine sees them: a task (point, replicate k) computes exactly replicate k of
// a run (common random numbers across points), tasks are numbered and shared out the same way
// everywhere, and a dispenser hands each task out once whatever the number of takers.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <mutex>
#include <set>
#include <thread>

#include "core/error.hpp"
#include "engine/ensemble.hpp"
#include "engine/sweep.hpp"
#include "io/region_table_csv.hpp"
#include "io/scenario_loader.hpp"

using namespace clusternet;

namespace {

Scenario small_scenario(std::vector<std::string> sets = {}) {
  sets.insert(sets.end(), {"horizon.months=12", "horizon.burn_in_months=6", "replicates=3"});
  return io::load_scenario(std::string(CLUSTERNET_SOURCE_DIR) + "/scenarios/ci-small.yaml", sets);
}

bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

bool same_values(const std::vector<double>& a, const std::vector<double>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!same(a[i], b[i])) return false;
  return true;
}

// Every series and region series, NaN (not measured) equal to NaN.
bool same_replicate(const ReplicateResults& a, const ReplicateResults& b) {
  if (a.series.size() != b.series.size() || a.region_series.size() != b.region_series.size()) return false;
  for (std::size_t s = 0; s < a.series.size(); ++s)
    if (!same_values(a.series[s], b.series[s])) return false;
  for (std::size_t q = 0; q < a.region_series.size(); ++q) {
    if (a.region_series[q].size() != b.region_series[q].size()) return false;
    for (std::size_t m = 0; m < a.region_series[q].size(); ++m)
      if (!same_values(a.region_series[q][m], b.region_series[q][m])) return false;
  }
  return true;
}

SweepPlan grid_plan(std::vector<double> budgets, std::vector<double> contrast = {}) {
  SweepPlan plan;
  plan.design = SweepDesign::grid;
  plan.replicates = 2;
  SweptParameter budget;
  budget.key = "instruments.jci.budget";
  budget.kind = SweptKind::money;
  budget.values = std::move(budgets);
  plan.parameters.push_back(budget);
  if (!contrast.empty()) {
    SweptParameter c;
    c.key = "behaviour.tie_decay_rate";
    c.contrast = true;
    c.values = std::move(contrast);
    plan.parameters.push_back(c);
  }
  draw_points(plan);
  return plan;
}

}  // namespace

TEST_CASE("a task runs replicate k alone, bit for bit replicate k of the whole run") {
  const Scenario scenario = small_scenario();
  const World world = io::load_world(scenario.world, scenario.seed);
  const RunResults whole = run_scenario(scenario, world, {});
  REQUIRE(whole.replicates.size() == 3);
  for (std::uint32_t k = 0; k < 3; ++k) {
    INFO("replicate " << k);
    const RunResults task = run_task(scenario, world, k, {});
    REQUIRE(task.replicates.size() == 1);
    CHECK(same_replicate(task.replicates[0], whole.replicates[k]));
  }
  // Replicates differ from each other: the check above could not pass by accident.
  CHECK_FALSE(same_replicate(whole.replicates[0], whole.replicates[1]));
}

TEST_CASE("tasks are numbered point-major and shares deal them round-robin") {
  const SweepPlan plan = grid_plan({0, 1e6, 2e6});
  REQUIRE(plan.task_count() == 6);
  CHECK(task_at(plan, 5).point == 2);
  CHECK(task_at(plan, 5).replicate == 1);
  CHECK(task_index(plan, 1, 1) == 3);
  for (std::size_t count : {1u, 2u, 4u, 7u}) {
    std::vector<int> owners(plan.task_count(), 0);
    for (std::size_t index = 1; index <= count; ++index)
      for (std::size_t task = 0; task < plan.task_count(); ++task)
        owners[task] += TaskShare{index, count}.contains(task);
    CHECK(std::all_of(owners.begin(), owners.end(), [](int n) { return n == 1; }));
  }
  CHECK(parse_task_share("3/8").index == 3);
  CHECK(parse_task_share("8/8").count == 8);
  for (const char* bad : {"0/4", "5/4", "1/0", "1", "a/b", "1/2/3", "-1/4", " 1/4"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_task_share(bad), Error);
  }
}

TEST_CASE("a dispenser hands out every task exactly once to concurrent takers, in order") {
  std::vector<std::size_t> tasks;
  for (std::size_t t = 0; t < 5000; t += 3) tasks.push_back(t);
  TaskDispenser dispenser(tasks);
  std::mutex mutex;
  std::vector<std::size_t> taken;
  std::vector<std::thread> takers;
  for (int i = 0; i < 4; ++i)
    takers.emplace_back([&] {
      while (const auto task = dispenser.next()) {
        std::lock_guard lock(mutex);
        taken.push_back(*task);
      }
    });
  for (auto& t : takers) t.join();
  std::sort(taken.begin(), taken.end());
  CHECK(taken == tasks);
  CHECK_FALSE(dispenser.next().has_value());
}

TEST_CASE("a contrast doubles the points, the runs of one design point adjacent") {
  const SweepPlan plan = grid_plan({0, 150e6, 300e6}, {0.01, 0.03});
  REQUIRE(plan.arms == 2);
  REQUIRE(plan.point_count() == 6);
  CHECK(plan.design_point_count() == 3);
  for (std::size_t p = 0; p < 6; ++p) {
    CHECK(plan.points.at(p, 0) == std::vector<double>{0, 150e6, 300e6}[p / 2]);
    CHECK(plan.points.at(p, 1) == std::vector<double>{0.01, 0.03}[p % 2]);
    CHECK(plan.design_point(p) == p / 2);
    CHECK(plan.arm(p) == p % 2);
  }
  CHECK(grid_design(plan).points.point_count() == 3);
}

TEST_CASE("designs rebuilt from a plan must give the plan's points") {
  SweepPlan plan;
  plan.design = SweepDesign::morris;
  plan.trajectories = 3;
  plan.levels = 4;
  plan.design_seed = 11;
  for (const char* key : {"behaviour.a", "behaviour.b"}) {
    SweptParameter p;
    p.key = key;
    p.low = 0.1;
    p.high = 0.5;
    plan.parameters.push_back(p);
  }
  draw_points(plan);
  REQUIRE(plan.point_count() == 3 * 3);
  CHECK(morris_design(plan).points.values() == plan.points.values());
  CHECK_THROWS_AS(sobol_design(plan), Error);
  SweepPlan other = plan;
  other.design_seed = 12;  // the same settings with another seed draw other points
  CHECK_THROWS_AS(morris_design(other), Error);
}

TEST_CASE("money points are whole cents") {
  SweepPlan plan;
  plan.design = SweepDesign::latin_hypercube;
  plan.samples = 50;
  plan.design_seed = 3;
  SweptParameter budget;
  budget.key = "instruments.jci.budget";
  budget.kind = SweptKind::money;
  budget.low = 0;
  budget.high = 1e6 / 3;
  plan.parameters.push_back(budget);
  draw_points(plan);
  for (std::size_t p = 0; p < plan.point_count(); ++p) {
    const double v = plan.points.at(p, 0);
    CHECK(v == std::round(v * 100) / 100);
    CHECK(v >= 0);
    CHECK(v <= 1e6 / 3 + 0.005);
  }
}
