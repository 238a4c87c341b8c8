#include "app/calibration_fit.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

#include "behaviour/actors.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "experiments/nelder_mead.hpp"
#include "experiments/parameters.hpp"
#include "io/real_facts.hpp"
#include "io/region_table_csv.hpp"
#include "io/scenario_loader.hpp"

namespace clusternet::app {
namespace {
// Far above any distance a valid point reaches (hundreds at the worst starting points).
constexpr double invalid_point_distance = 1e12;
}  // namespace

const std::vector<FitParameter>& fit_parameters() {
  // Ranges: wide around what is plausible (a research organisation starts a project every 3 to 100
  // years on average, an SME every 40 to 4,000); blocks group parameters that act on the same facts.
  static const std::vector<FitParameter> parameters = {
      {"behaviour.project_bilateral_share", 0.05, 0.40, false, 0},
      {"behaviour.project_size_log_mean", 1.2, 2.6, false, 0},
      {"behaviour.project_size_log_sd", 0.4, 1.4, false, 0},
      {"behaviour.search_rate_research_org", 0.001, 0.03, true, 1},
      {"behaviour.search_rate_large_firm", 0.0002, 0.01, true, 1},
      {"behaviour.search_rate_sme", 0.00002, 0.002, true, 1},
      {"behaviour.search_rate_cluster_org", 0.0005, 0.05, true, 1},
      {"behaviour.activity_size_elasticity", 0.0, 1.5, false, 2},
      {"behaviour.activity_dispersion", 0.0, 2.5, false, 2},
      {"behaviour.weight_preferential", 0.0, 2.0, false, 2},
      // With cluster_member_propensity at 0.25 the three candidate sources' shares stay below 1.
      {"behaviour.repeat_tie_propensity", 0.0, 0.45, false, 3},
      {"behaviour.triadic_closure_propensity", 0.0, 0.3, false, 3},
      {"behaviour.distance_decay_km", 100.0, 4000.0, true, 4},
  };
  return parameters;
}

const std::vector<std::string>& fitted_fact_names() {
  static const std::vector<std::string> names = {
      "project_size_median",          "project_size_mean",          "project_size_p90",
      "bilateral_project_share",      "cross_border_project_share", "participations_once_share",
      "participations_10plus_share",  "participations_mean",        "research_participation_share",
      "firm_participation_share",     "other_participation_share",  "repeated_pair_share",
      "orgs_without_repeated_partner_share", "eu_projects_per_month"};
  return names;
}

namespace {

std::string setting(const char* key, double value) {
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%s=%.17g", key, value);
  return buffer;
}

experiments::ParameterRange range_of(const FitParameter& p) { return {p.key, p.low, p.high, p.log_scale}; }

// The unit coordinate of a value (the inverse of experiments::value_at), clamped.
double unit_of(const FitParameter& p, double value) {
  const double u = p.log_scale ? (std::log(value) - std::log(p.low)) / (std::log(p.high) - std::log(p.low))
                               : (value - p.low) / (p.high - p.low);
  return std::clamp(u, 0.0, 1.0);
}

// A behaviour parameter's current value in a loaded scenario, by key.
double current_value(const Scenario& s, const std::string& key) {
  const auto& b = s.behaviour;
  const std::map<std::string, double> values = {
      {"behaviour.project_bilateral_share", b.project_bilateral_share},
      {"behaviour.project_size_log_mean", b.project_size_log_mean},
      {"behaviour.project_size_log_sd", b.project_size_log_sd},
      {"behaviour.search_rate_research_org", b.search_rate_research_org},
      {"behaviour.search_rate_large_firm", b.search_rate_large_firm},
      {"behaviour.search_rate_sme", b.search_rate_sme},
      {"behaviour.search_rate_cluster_org", b.search_rate_cluster_org},
      {"behaviour.activity_size_elasticity", b.activity_size_elasticity},
      {"behaviour.activity_dispersion", b.activity_dispersion},
      {"behaviour.weight_preferential", b.weight_preferential},
      {"behaviour.repeat_tie_propensity", b.repeat_tie_propensity},
      {"behaviour.triadic_closure_propensity", b.triadic_closure_propensity},
      {"behaviour.distance_decay_km", b.distance_decay_km},
  };
  const auto it = values.find(key);
  if (it == values.end()) throw std::logic_error("calibration fit: no current value for " + key);
  return it->second;
}

}  // namespace

FitOutcome fit_behaviour(const FitSettings& settings) {
  const auto real = io::load_real_facts(settings.facts);
  std::vector<RealFactInput> targets;
  const auto& names = fitted_fact_names();
  for (const auto& f : real)
    if (f.scope == "autonomous" && f.period == "2014-2017" && f.role == "fit" &&
        std::find(names.begin(), names.end(), f.fact) != names.end())
      targets.push_back({f.fact, f.scope, f.period, f.role, f.value, f.ci_low, f.ci_high});
  if (targets.size() != names.size())
    throw Error(ErrorInfo{"the facts table lacks fitted facts", {settings.facts, 0, 0}, "fact",
                          std::to_string(targets.size()) + " of " + std::to_string(names.size()),
                          "every fact named in docs/calibration.md, scope autonomous, period 2014-2017"});

  std::vector<std::string> base_sets = settings.sets;
  base_sets.push_back(setting("world.scale", settings.scale));
  base_sets.push_back("replicates=" + std::to_string(settings.replicates));
  const Scenario start = io::load_scenario(settings.scenario, base_sets, settings.seed);
  if (!start.instruments.empty())
    throw Error(ErrorInfo{"the fit runs the world without policy", {settings.scenario, 0, 0}, "instruments",
                          std::to_string(start.instruments.size()) + " instrument(s)", "a scenario without instruments (base.yaml)"});
  const World world = io::load_world(start.world, start.seed);
  const auto& parameters = fit_parameters();
  std::vector<double> values;
  for (const auto& p : parameters) values.push_back(std::clamp(current_value(start, p.key), p.low, p.high));

  std::size_t evaluations = 0;
  const auto t0 = std::chrono::steady_clock::now();
  auto distance_of = [&](const std::vector<double>& v) {
    std::vector<std::string> sets = base_sets;
    for (std::size_t i = 0; i < parameters.size(); ++i) sets.push_back(setting(parameters[i].key, v[i]));
    Scenario scenario;
    try {
      scenario = io::load_scenario(settings.scenario, sets, settings.seed);
    } catch (const Error&) {
      // A point the scenario checks refuse (parameters that are valid one by one can combine into
      // an invalid scenario) is simply a bad point for the simplex, not the end of the fit.
      ++evaluations;
      return invalid_point_distance;
    } catch (const ErrorList&) {
      ++evaluations;
      return invalid_point_distance;
    }
    const auto actors = std::make_shared<const ActorProfile>(make_actor_profile(world, scenario.behaviour, scenario.seed));
    std::vector<FactValues> replicates(scenario.replicates);
    for_each_index(0, scenario.replicates, [&](std::size_t r) {
      Simulation sim(scenario, world, static_cast<std::uint32_t>(r), actors);
      run_to_end(sim);
      replicates[r] = simulated_facts(sim, false);
    }, Execution::parallel, 1);
    ++evaluations;
    return fact_distance(targets, replicates);
  };

  FitOutcome outcome;
  outcome.start_distance = distance_of(values);
  double best = outcome.start_distance;
  int blocks = 0;
  for (const auto& p : parameters) blocks = std::max(blocks, p.block + 1);
  const std::size_t per_block =
      std::max<std::size_t>(8, settings.evaluations / std::size_t(std::max(1, settings.cycles * blocks)));
  for (int cycle = 0; cycle < settings.cycles; ++cycle) {
    for (int block = 0; block < blocks; ++block) {
      std::vector<std::size_t> members;
      for (std::size_t i = 0; i < parameters.size(); ++i)
        if (parameters[i].block == block) members.push_back(i);
      std::vector<double> start_unit;
      for (std::size_t i : members) start_unit.push_back(unit_of(parameters[i], values[i]));
      auto objective = [&](std::span<const double> unit) {
        std::vector<double> trial = values;
        for (std::size_t k = 0; k < members.size(); ++k)
          trial[members[k]] = experiments::value_at(range_of(parameters[members[k]]), unit[k]);
        return distance_of(trial);
      };
      experiments::NelderMeadOptions options;
      options.max_evaluations = per_block;
      options.initial_step = cycle == 0 ? 0.15 : 0.06;  // a second cycle refines around the first
      const auto result = experiments::nelder_mead(objective, start_unit, options);
      if (result.best_value < best) {
        best = result.best_value;
        for (std::size_t k = 0; k < members.size(); ++k)
          values[members[k]] = experiments::value_at(range_of(parameters[members[k]]), result.best[k]);
      }
      if (!settings.quiet)
        std::fprintf(stderr, "calibrate --fit: cycle %d block %d: distance %.4g (%zu evaluations, %.0fs)\n", cycle + 1,
                     block, best, evaluations,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  outcome.distance = best;
  outcome.evaluations = evaluations;
  for (std::size_t i = 0; i < parameters.size(); ++i) outcome.parameters.emplace_back(parameters[i].key, values[i]);
  return outcome;
}

}  // namespace clusternet::app
