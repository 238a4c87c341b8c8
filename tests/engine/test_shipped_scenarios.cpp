// Whole runs of shipped scenarios on the generated world (small scales): the ledger, partnership
// and SME invariants at every month, and common random numbers between the counterfactual and a
// funded scenario.
#include <catch2/catch.hpp>

#include "engine/ensemble.hpp"
#include "engine/simulation.hpp"
#include "io/region_table_csv.hpp"
#include "io/scenario_loader.hpp"
#include "world/generate.hpp"

using namespace clusternet;

namespace {
std::string scenario_path(const char* name) { return std::string(CLUSTERNET_SOURCE_DIR) + "/scenarios/" + name; }
}  // namespace

TEST_CASE("invariants hold at every month of the shipped scenarios (small worlds)") {
  for (const char* name : {"ci-small.yaml", "jci-150m.yaml", "innosup-2020.yaml", "clusterxchange.yaml"}) {
    INFO(name);
    const Scenario scenario = io::load_scenario(
        scenario_path(name), {"world.scale=0.1", "replicates=1", "horizon.months=72", "horizon.burn_in_months=6",
                              "measurement.network=false"});
    const World world = io::load_world(scenario.world, scenario.seed);
    RunOptions options;
    options.check_invariants = true;
    REQUIRE_NOTHROW(run_scenario(scenario, world, options));
  }
}

TEST_CASE("base.yaml and jci-150m.yaml share their history until the first funded activity") {
  const std::vector<std::string> sets = {"world.scale=0.1", "horizon.burn_in_months=12", "measurement.network=false"};
  const Scenario base = io::load_scenario(scenario_path("base.yaml"), sets);
  const Scenario jci = io::load_scenario(scenario_path("jci-150m.yaml"), sets);
  REQUIRE(base.seed == jci.seed);
  const World world = io::load_world(base.world, base.seed);
  Simulation a(base, world, 0), b(jci, world, 0);
  // Nothing funded acts before the first call's deadline (month open_month + open_months).
  const Month first_deadline = jci.instruments[0].calendar.open_month + jci.instruments[0].calendar.open_months;
  while (a.month() <= first_deadline) {
    a.step();
    b.step();
    REQUIRE(a.ties().slots() == b.ties().slots());
  }
  for (std::size_t t = 0; t < a.ties().slots(); ++t) {
    REQUIRE(a.ties().a(t) == b.ties().a(t));
    REQUIRE(a.ties().b(t) == b.ties().b(t));
  }
  // Funding changes the network only where it acts: most autonomous ties stay the same.
  while (a.month() < 48) {
    a.step();
    b.step();
  }
  std::size_t shared = 0;
  for (std::size_t t = 0; t < a.ties().slots(); ++t)
    if (a.ties().is_alive(t) && b.ties().contains(a.ties().a(t), a.ties().b(t))) ++shared;
  CHECK(static_cast<double>(shared) > 0.5 * static_cast<double>(a.ties().alive()));
  CHECK(b.state().smes_supported > 0);
}

TEST_CASE("a world the scenario validator accepts is accepted by the world generator (edge values)") {
  const Scenario s = io::load_scenario(
      scenario_path("ci-small.yaml"),
      {"world.memberships_per_sme=10", "world.memberships_per_large_firm=0", "world.cluster_size_pareto_alpha=0.1",
       "world.cluster_partnership_capacity=254", "world.placement_gdp_exponent=-10"});
  CHECK_NOTHROW(validate_world_config(s.world));
  CHECK_THROWS(io::load_scenario(scenario_path("ci-small.yaml"), {"world.memberships_per_sme=11"}));
}
