// clusternet calibrate: runs the shipped scenarios named in the calibration targets and sets the
// simulated figures beside the published ones (the calibration table of MODEL.md's "Realism").
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fmt/format.h>
#include <sstream>
#include <iostream>
#include <map>

#include "app/calibration_fit.hpp"
#include "app/cli_numbers.hpp"
#include "app/commands.hpp"
#include "clusternet/git_revision.hpp"
#include "clusternet/version.hpp"
#include "app/run_support.hpp"
#include "core/data_paths.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/statistics.hpp"
#include "engine/calibration.hpp"
#include "engine/ensemble.hpp"
#include "io/calibration_targets.hpp"
#include "io/real_facts.hpp"
#include "io/results_writer.hpp"
#include "io/region_table_csv.hpp"
#include "io/safe_file.hpp"
#include "io/scenario_loader.hpp"
#include "world/generate.hpp"

namespace clusternet::app {
namespace {

struct CalibrateArgs {
  std::string targets;  // empty: the shipped targets (core/data_paths.hpp), found when the command runs
  std::string facts;    // empty: the shipped Horizon 2020 facts
  std::string scenario; // empty: the shipped jci-150m.yaml (--h2020) or base.yaml (--fit)
  std::string output;   // --h2020: also write the run's result file with /calibration/h2020
  bool force = false;
  bool h2020 = false;
  bool fit = false;
  double fit_scale = 0.25;
  std::size_t fit_evaluations = 320;
  std::uint32_t replicates = 5;
  std::int64_t seed = -1;
  std::size_t threads = 0;
  std::string csv;
  bool json = false;
  std::vector<std::string> sets;
};

struct Row {
  io::CalibrationTarget target;
  std::string scenario_name;
  stats::MeanSummary simulated;
};

// The Horizon 2020 facts beside their simulated counterparts (fitted and held out).
// The comparison as a result table (/calibration/h2020).
ResultTable h2020_table(const std::vector<FactComparison>& rows) {
  ResultTable t;
  t.name = "h2020";
  t.description =
      "Horizon 2020 facts (CORDIS; scripts/calibration/h2020_facts.py) beside their simulated counterparts: role fit = "
      "fitted by `calibrate --fit` (2014-2017 participation facts), held-out = never fitted (network structure, "
      "2018-2020); within = inside the tolerance stated in `tolerance` (docs/calibration.md)";
  auto text = [&](const char* name) -> std::vector<std::string>& {
    t.columns.push_back({name, true, {}, {}});
    return t.columns.back().strings;
  };
  auto number = [&](const char* name) -> std::vector<double>& {
    t.columns.push_back({name, false, {}, {}});
    return t.columns.back().numbers;
  };
  t.columns.reserve(12);
  auto& fact = text("fact");
  auto& scope = text("scope");
  auto& period = text("period");
  auto& role = text("role");
  auto& real = number("real");
  auto& real_low = number("real_ci95_low");
  auto& real_high = number("real_ci95_high");
  auto& simulated = number("simulated_mean");
  auto& sim_low = number("simulated_ci95_low");
  auto& sim_high = number("simulated_ci95_high");
  auto& within = text("within");
  auto& tolerance = text("tolerance");
  for (const auto& r : rows) {
    fact.push_back(r.real.fact);
    scope.push_back(r.real.scope);
    period.push_back(r.real.period);
    role.emplace_back(r.real.role == "fit" ? "fitted" : "held-out");
    real.push_back(r.real.value);
    real_low.push_back(r.real.ci_low);
    real_high.push_back(r.real.ci_high);
    const bool have = r.simulated.n > 0;
    simulated.push_back(have ? r.simulated.mean : NAN);
    sim_low.push_back(have && r.simulated.ci_defined() ? r.simulated.ci_low : NAN);
    sim_high.push_back(have && r.simulated.ci_defined() ? r.simulated.ci_high : NAN);
    within.emplace_back(!have ? "n/a" : r.within ? "yes" : "no");
    tolerance.push_back(r.tolerance);
  }
  return t;
}

// The Horizon 2020 facts beside their simulated counterparts (fitted and held out): runs the
// scenario (every replicate, recording its collaborations), prints the table and, with -o, writes
// the run's result file with the table in /calibration/h2020.
int h2020_command(const CalibrateArgs& args) {
  const auto real = io::load_real_facts(args.facts);
  std::vector<std::string> sets = args.sets;
  sets.push_back("replicates=" + std::to_string(args.replicates));
  sets.emplace_back("output.collaborations=true");
  const auto seed = args.seed >= 0 ? std::optional<std::uint64_t>(args.seed) : std::nullopt;
  const PreparedRun prepared = prepare_run(args.scenario, sets, seed);
  const Scenario& scenario = prepared.scenario;
  refuse_sweep(args.scenario, sets, scenario);
  if (scenario.months < held_out_window_months + fit_window_months)
    throw Error(ErrorInfo{"horizon too short for the calibration windows", {args.scenario, 0, 0}, "horizon.months",
                          std::to_string(scenario.months),
                          "at least " + std::to_string(held_out_window_months + fit_window_months) + " months"});
  if (!args.output.empty()) io::check_output_path(args.output, args.force);
  ThreadLimit limit(args.threads);
  const World world = build_world(scenario.world, prepared.regions, scenario.seed);
  const auto t0 = std::chrono::steady_clock::now();
  RunOptions options;
  options.threads = args.threads > 0 ? args.threads : active_threads();
  options.max_concurrent_replicates = concurrent_replicates(scenario);
  RunResults results = run_scenario(scenario, world, options);
  std::vector<FactValues> replicates(results.replicates.size());
  for_each_index(0, results.replicates.size(), [&](std::size_t r) {
    replicates[r] = simulated_facts(results.replicates[r].collaborations, world, scenario.months, scenario.world.scale,
                                    true, hash_mix(scenario.seed, r));
  }, Execution::parallel, 1);
  std::fprintf(stderr, "calibrate: %s, %u replicate(s), %.1fs\n", scenario.name.c_str(), scenario.replicates,
               std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  std::vector<RealFactInput> inputs;
  for (const auto& f : real) inputs.push_back({f.fact, f.scope, f.period, f.role, f.value, f.ci_low, f.ci_high});
  const auto rows = compare_facts(inputs, replicates);
  std::cout << fmt::format("{:<36} {:<10} {:<9} {:>10} {:>21} {:>10} {:>21} {:<9} {}\n", "fact", "scope", "period",
                           "real", "real 95%", "simulated", "sim 95%", "role", "within");
  for (const auto& r : rows) {
    const auto& s = r.simulated;
    const std::string real_ci = std::isfinite(r.real.ci_low) ? fmt::format("[{:.4g}, {:.4g}]", r.real.ci_low, r.real.ci_high) : "";
    const std::string sim_ci = s.ci_defined() ? fmt::format("[{:.4g}, {:.4g}]", s.ci_low, s.ci_high) : "";
    const char* role = r.real.role == "fit" ? "fitted" : "held-out";
    std::cout << fmt::format("{:<36} {:<10} {:<9} {:>10.4g} {:>21} {:>10.4g} {:>21} {:<9} {}\n", r.real.fact,
                             r.real.scope, r.real.period, r.real.value, real_ci, s.n ? s.mean : NAN, sim_ci, role,
                             s.n == 0 ? "n/a" : r.within ? "yes" : "no");
  }
  if (!args.output.empty()) {
    results.calibration.push_back(h2020_table(rows));
    io::WriteOptions write;
    write.force = args.force;
    io::write_results(results, args.output, write);
    std::fprintf(stderr, "wrote %s\n", args.output.c_str());
  }
  return exit_ok;
}

int fit_command(const CalibrateArgs& args) {
  FitSettings settings;
  settings.scenario = args.scenario;
  settings.facts = args.facts;
  settings.scale = args.fit_scale;
  settings.replicates = args.replicates;
  settings.evaluations = args.fit_evaluations;
  settings.seed = args.seed >= 0 ? static_cast<std::uint64_t>(args.seed) : 1;
  settings.sets = args.sets;
  ThreadLimit limit(args.threads);
  const FitOutcome outcome = fit_behaviour(settings);
  std::cout << fmt::format("# fitted to {} (autonomous, 2014-2017) at scale {}, {} replicate(s), seed {}\n", args.facts,
                           settings.scale, settings.replicates, settings.seed);
  std::cout << fmt::format("# distance {:.6g} (start {:.6g}), {} evaluations\n", outcome.distance, outcome.start_distance,
                           outcome.evaluations);
  for (const auto& [key, value] : outcome.parameters) std::cout << fmt::format("{}: {:.6g}\n", key, value);
  if (!args.output.empty()) {
    // The fitted values as a scenario fragment with its provenance: what the shipped defaults
    // (sim/behaviour/behaviour_params.hpp, scenarios/base.yaml) are copied from.
    std::string text = "# Behaviour parameters fitted by `clusternet calibrate --fit` (docs/calibration.md).\n";
    text += fmt::format("# data: {} (Horizon 2020 projects starting 2014-2017, autonomous participation facts)\n", args.facts);
    text += fmt::format("# run: {}, clusternet {} ({}), scenario {}, world scale {}, {} replicate(s), seed {}\n",
                        io::utc_now().substr(0, 10), clusternet::version, clusternet::git_revision, args.scenario, settings.scale,
                        settings.replicates, settings.seed);
    text += fmt::format("# distance: {:.6g} from {:.6g} at the start, {} evaluations\n", outcome.distance,
                        outcome.start_distance, outcome.evaluations);
    text += "behaviour:\n";
    for (const auto& [key, value] : outcome.parameters)
      text += fmt::format("  {}: {:.4g}\n", key.substr(key.find('.') + 1), value);
    if (!args.force) io::check_publishable(args.output, false, "-o");
    io::write_output_text(args.output, text, "-o");
    std::fprintf(stderr, "wrote %s\n", args.output.c_str());
  }
  return exit_ok;
}

int calibrate_command(const CalibrateArgs& given) {
  CalibrateArgs args = given;
  if (args.targets.empty()) args.targets = shipped_data_dir() + "/calibration_targets.yaml";
  if (args.facts.empty()) args.facts = shipped_data_dir() + "/calibration/h2020_facts.csv";
  if (args.scenario.empty()) args.scenario = shipped_root() + (args.fit ? "/scenarios/base.yaml" : "/scenarios/jci-150m.yaml");
  if (args.fit) return fit_command(args);
  if (args.h2020) return h2020_command(args);
  const auto targets = io::load_calibration_targets(args.targets);
  ThreadLimit limit(args.threads);
  std::vector<std::string> scenarios;
  for (const auto& t : targets)
    if (std::find(scenarios.begin(), scenarios.end(), t.scenario) == scenarios.end()) scenarios.push_back(t.scenario);

  std::vector<Row> rows;
  for (const std::string& path : scenarios) {
    std::vector<std::string> sets = args.sets;
    sets.push_back("replicates=" + std::to_string(args.replicates));
    const auto seed = args.seed >= 0 ? std::optional<std::uint64_t>(args.seed) : std::nullopt;
    const PreparedRun prepared = prepare_run(path, sets, seed);
    const Scenario& scenario = prepared.scenario;
    refuse_sweep(path, sets, scenario);
    std::fprintf(stderr, "calibrate: running %s (%u replicates x %d months)\n", scenario.name.c_str(),
                 scenario.replicates, scenario.months);
    const World world = build_world(scenario.world, prepared.regions, scenario.seed);
    RunOptions options;
    options.max_concurrent_replicates = concurrent_replicates(scenario);
    const RunResults results = run_scenario(scenario, world, options);
    for (const auto& t : targets) {
      if (t.scenario != path) continue;
      std::size_t s = results.series.size();
      for (std::size_t k = 0; k < results.series.size(); ++k)
        if (results.series[k].name == t.metric) s = k;
      if (s == results.series.size())
        throw Error(ErrorInfo{"unknown metric", {args.targets, t.line, 0}, "metric", t.metric,
                              "a /metrics/network or /metrics/policy dataset name (see docs/results-format.md)"});
      std::vector<double> values;
      for (const auto& rep : results.replicates) values.push_back(rep.series[s].back());
      rows.push_back({t, scenario.name, stats::summarize(values)});
    }
  }

  if (!args.csv.empty()) {
    std::ostringstream csv;
    csv << "scenario,metric,published,simulated_mean,simulated_ci95_low,simulated_ci95_high,ratio,source\n";
    for (const auto& r : rows)
      csv << r.scenario_name << ',' << r.target.metric << ',' << json_number(r.target.published) << ','
          << json_number(r.simulated.mean) << ',' << json_number(r.simulated.ci_low) << ','
          << json_number(r.simulated.ci_high) << ',' << json_number(r.simulated.mean / r.target.published) << ",\""
          << r.target.source << "\"\n";
    io::write_output_text(args.csv, csv.str(), "--csv");  // checked, never a truncated file
  }
  if (args.json) {
    std::string json = "[";
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const auto& r = rows[i];
      json += fmt::format("{}{{\"scenario\":{},\"metric\":{},\"published\":{},\"simulated_mean\":{},"
                          "\"simulated_ci95_low\":{},\"simulated_ci95_high\":{},\"ratio\":{},\"source\":{}}}",
                          i ? "," : "", json_string(r.scenario_name), json_string(r.target.metric),
                          json_number(r.target.published), json_number(r.simulated.mean),
                          json_number(r.simulated.ci_low), json_number(r.simulated.ci_high),
                          json_number(r.simulated.mean / r.target.published), json_string(r.target.source));
    }
    std::cout << json << "]\n";
    return exit_ok;
  }
  std::cout << fmt::format("{:<14} {:<30} {:>12} {:>12} {:>25} {:>7}  {}\n", "scenario", "metric", "published",
                           "simulated", "95% CI", "ratio", "source");
  for (const auto& r : rows) {
    const auto& s = r.simulated;
    const std::string ci = s.ci_defined() ? fmt::format("[{:.4g}, {:.4g}]", s.ci_low, s.ci_high) : "n/a";
    std::cout << fmt::format("{:<14} {:<30} {:>12.4g} {:>12.4g} {:>25} {:>7.2f}  {}\n", r.scenario_name,
                             r.target.metric, r.target.published, s.mean, ci, s.mean / r.target.published,
                             r.target.source);
  }
  return exit_ok;
}

const CommandRegistration calibrate_registration(55, [](CLI::App& app, CommandResult& result) {
  auto args = std::make_shared<CalibrateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "calibrate", "Run the calibration scenarios and set simulated figures beside the published ones");
  cmd->add_option("--targets", args->targets,
                  "Calibration targets file (default: scenarios/data/calibration_targets.yaml shipped with clusternet, "
                  "found beside the installed program or in its source tree)");
  cmd->add_flag("--h2020", args->h2020, "Compare with the Horizon 2020 facts (fitted and held out) instead");
  cmd->add_option("--facts", args->facts, "Real facts table for --h2020 and --fit (default: the shipped one)");
  cmd->add_option("--scenario", args->scenario,
                  "Scenario run for --h2020 (default: jci-150m.yaml) or --fit (one without instruments; default: base.yaml)");
  cmd->add_option("-o,--output", args->output, "With --h2020: write the run's result file, the table in /calibration/h2020; with --fit: the fitted values as a scenario fragment with their provenance");
  cmd->add_flag("--force", args->force, "Overwrite the -o file");
  cmd->add_flag("--fit", args->fit, "Fit the behaviour parameters to the Horizon 2020 participation facts");
  cmd->add_option("--fit-scale", args->fit_scale, "World scale of the fit's runs")->capture_default_str()->check(CLI::Range(0.01, 10.0));
  cmd->add_option("--fit-evaluations", args->fit_evaluations, "Distance evaluations of the fit, in all")
      ->capture_default_str()->transform(whole_number(1, 100000));
  cmd->add_option("--replicates", args->replicates, "Replicates per scenario")->capture_default_str()->transform(whole_number(1, 1000));
  cmd->add_option("--seed", args->seed, "Random seed (default: each scenario's own)")->transform(whole_number(0, max_seed));
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores); results do not depend on it")
      ->transform(whole_number(0, max_threads));
  cmd->add_option("--csv", args->csv, "Also write the table as CSV to this file");
  cmd->add_flag("--json", args->json, "Print the table as JSON");
  cmd->add_option("--set", args->sets, "Override a value in every calibration scenario, e.g. measurement.network=false")
      ->type_name("KEY=VALUE");
  cmd->callback([args, &result] { result.exit_code = calibrate_command(*args); });
});

}  // namespace
}  // namespace clusternet::app
