// Sweep files: points drawn from the sweep section (counts, ranges, reproducibility, every design),
// errors with file, line and key, the points' scenarios, and the parts-manifest-join cycle on
// synthetic task results (no simulator).
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <set>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "io/sweep_loader.hpp"
#include "io/sweep_results.hpp"
#include "sample_results.hpp"

namespace fs = std::filesystem;
using namespace clusternet;
using namespace clusternet::io;

namespace {

const fs::path source_dir = CLUSTERNET_SOURCE_DIR;

class ScratchDir {
 public:
  ScratchDir() {
    path_ = fs::temp_directory_path() /
            ("clusternet-sweep-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
    fs::create_directories(path_);
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
    return (path_ / name).string();
  }
  std::string path(const std::string& name) const { return (path_ / name).string(); }

 private:
  static int& counter() {
    static int n = 0;
    return n;
  }
  fs::path path_;
};

// A sweep file over ci-small: `sweep` is the text of its sweep section (indented by two spaces).
std::string sweep_file(const ScratchDir& dir, const std::string& sweep, const std::string& name = "s.yaml") {
  return dir.write(name, "name: s\nextends: " + (source_dir / "scenarios/ci-small.yaml").string() +
                             "\nhorizon: {months: 12, burn_in_months: 6}\nsweep:\n" + sweep);
}

std::vector<ErrorInfo> errors_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const ErrorList& e) {
    return e.errors();
  } catch (const Error& e) {
    return {e.info()};
  }
  return {};
}

std::string all_text(const std::vector<ErrorInfo>& errors) {
  std::string text;
  for (const auto& e : errors) text += format_error(e) + "\n";
  return text;
}

std::vector<double> column(const SweepPlan& plan, std::size_t j) {
  std::vector<double> values;
  for (std::size_t p = 0; p < plan.point_count(); ++p) values.push_back(plan.points.at(p, j));
  return values;
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("the shipped budget sweep is nine budgets from 0 to 400M, the same as its range form") {
  const auto sweep = load_sweep((source_dir / "scenarios/sweep-budget.yaml").string());
  const SweepPlan& plan = sweep.plan();
  REQUIRE(plan.point_count() == 9);
  REQUIRE(plan.parameters.size() == 1);
  CHECK(plan.parameters[0].kind == SweptKind::money);
  CHECK(column(plan, 0) == std::vector<double>{0, 50e6, 100e6, 150e6, 200e6, 250e6, 300e6, 350e6, 400e6});
  CHECK(sweep.point_scenario(3).instruments.at(0).budget == 150'000'000'00);
  CHECK(sweep.point_scenario(0).instruments.at(0).budget == 0);
  CHECK(sweep.point_scenario(0).sweep.empty());  // a point is a plain scenario

  ScratchDir dir;
  for (const std::string range : {"{from: 0, to: 400M, step: 50M}", "{from: 0, to: 400 MEUR, steps: 8}"}) {
    INFO(range);
    const auto ranged = load_sweep(dir.write(
        "r.yaml", "name: r\nextends: " + (source_dir / "scenarios/jci-150m.yaml").string() +
                      "\nsweep:\n  parameters:\n    - key: instruments.jci.budget\n      range: " + range +
                      "\n"));
    CHECK(ranged.plan().points.values() == plan.points.values());
  }
}

TEST_CASE("grid: the product of its axes, the last varying fastest; log ranges are geometric") {
  ScratchDir dir;
  const auto sweep = load_sweep(sweep_file(dir,
                                           "  parameters:\n"
                                           "    - key: instruments.jci.budget\n"
                                           "      range: {from: 2M, to: 6M, steps: 2}\n"
                                           "    - key: behaviour.distance_decay_km\n"
                                           "      range: {from: 100, to: 1600, steps: 4, scale: log}\n"));
  const SweepPlan& plan = sweep.plan();
  REQUIRE(plan.point_count() == 3 * 5);
  CHECK(column(plan, 0)[4] == 2e6);
  CHECK(column(plan, 0)[5] == 4e6);
  const std::vector<double> decays = column(plan, 1);
  const std::vector<double> decay(decays.begin(), decays.begin() + 5);
  CHECK(decay.front() == 100);
  CHECK(decay.back() == 1600);
  CHECK(decay[2] == Approx(400));
  CHECK(sweep.point_scenario(7).behaviour.distance_decay_km == decay[2]);
  CHECK(sweep.point_scenario(7).instruments.at(0).budget == 4'000'000'00);
  // Only the budget and a behaviour key vary: every point shares one world.
  CHECK(sweep.world_text(0) == sweep.world_text(14));
  CHECK(sweep.point_text(0) != sweep.point_text(1));
}

TEST_CASE("latin hypercube: n points in the ranges, one per stratum, reproducible from the seed") {
  ScratchDir dir;
  const std::string body =
      "  design: latin_hypercube\n  samples: 20\n  parameters:\n"
      "    - key: behaviour.tie_decay_rate\n      range: {from: 0.01, to: 0.05}\n"
      "    - key: behaviour.search_rate_sme\n      range: {from: 0.002, to: 0.02, scale: log}\n";
  const auto a = load_sweep(sweep_file(dir, body, "a.yaml"));
  REQUIRE(a.plan().point_count() == 20);
  std::set<int> strata;
  for (double v : column(a.plan(), 0)) {
    CHECK(v >= 0.01);
    CHECK(v < 0.05);
    strata.insert(static_cast<int>((v - 0.01) / 0.04 * 20));
  }
  CHECK(strata.size() == 20);
  for (double v : column(a.plan(), 1)) {
    CHECK(v >= 0.002);
    CHECK(v < 0.02);
  }
  // The design's seed defaults to the scenario's (ci-small: 42); the same seed gives the same points.
  CHECK(a.plan().design_seed == 42);
  CHECK(load_sweep(sweep_file(dir, body, "b.yaml")).plan().points.values() == a.plan().points.values());
  CHECK(load_sweep(sweep_file(dir, body, "c.yaml"), {}, 7).plan().points.values() !=
        a.plan().points.values());
  const auto seeded = load_sweep(sweep_file(dir, body + "  seed: 9\n", "d.yaml"));
  CHECK(seeded.plan().design_seed == 9);
  CHECK(seeded.plan().seed == 42);
  CHECK(seeded.plan().points.values() != a.plan().points.values());
}

TEST_CASE("morris and sobol: r (k + 1) and N (k + 2) points; a contrast doubles them") {
  ScratchDir dir;
  const std::string parameters =
      "  parameters:\n"
      "    - key: behaviour.repeat_tie_propensity\n      range: {from: 0.05, to: 0.3}\n"
      "    - key: behaviour.weight_social\n      range: {from: 0.25, to: 1}\n"
      "    - key: behaviour.distance_decay_km\n      range: {from: 150, to: 1000, scale: log}\n";
  const auto morris =
      load_sweep(sweep_file(dir, "  design: morris\n  trajectories: 4\n" + parameters, "m.yaml"));
  REQUIRE(morris.plan().point_count() == 4 * 4);
  const std::vector<double> first = column(morris.plan(), 0);
  const std::set<double> levels(first.begin(), first.end());
  CHECK(levels.size() <= 4);
  CHECK(*levels.begin() >= 0.05);
  CHECK(*levels.rbegin() <= 0.3);
  CHECK(morris_design(morris.plan()).points.point_count() == 16);

  const auto sobol =
      load_sweep(sweep_file(dir, "  design: sobol\n  base_samples: 8\n" + parameters, "s.yaml"));
  CHECK(sobol.plan().point_count() == 8 * 5);

  const auto contrast =
      load_sweep(sweep_file(dir,
                            "  design: morris\n  trajectories: 4\n" + parameters +
                                "  contrast: {key: instruments.jci.budget, values: [0, 6M]}\n",
                            "c.yaml"));
  const SweepPlan& plan = contrast.plan();
  REQUIRE(plan.arms == 2);
  REQUIRE(plan.point_count() == 32);
  CHECK(plan.parameters.back().contrast);
  for (std::size_t p = 0; p < plan.point_count(); ++p) {
    CHECK(plan.points.at(p, 3) == (p % 2 == 0 ? 0.0 : 6e6));
    for (std::size_t j = 0; j < 3; ++j) CHECK(plan.points.at(p, j) == morris.plan().points.at(p / 2, j));
  }
  CHECK(contrast.point_scenario(1).instruments.at(0).budget == 6'000'000'00);
}

TEST_CASE("sweep errors name the file, the line and the key") {
  ScratchDir dir;
  struct Case {
    std::string body;
    int line;  // of the error, in the file (the sweep section starts on line 5)
    std::string fragment;
  };
  const std::vector<Case> cases = {
      {"  parameters:\n    - key: behaviour.tie_decay_rat\n      values: [0.01]\n", 6,
       "did you mean 'behaviour.tie_decay_rate'"},
      {"  parameters:\n    - key: world.countries\n      values: [1]\n", 6, "must hold a number"},
      {"  parameters:\n    - key: horizon.months\n      values: [12, 24]\n", 6, "changes what is recorded"},
      {"  parameters:\n    - key: seed\n      values: [1, 2]\n", 6, "common random numbers"},
      {"  design: morris\n  parameters:\n    - key: behaviour.tie_decay_rate\n      values: [0.01, 0.02]\n",
       8, "values are for a grid"},
      {"  parameters:\n    - key: behaviour.tie_decay_rate\n      range: {from: 0.01, to: 0.05}\n", 7,
       "either step (the size of a step) or steps"},
      {"  parameters:\n    - key: behaviour.tie_decay_rate\n      range: {from: 0.01, to: 0.05, step: "
       "0.03}\n",
       7, "whole steps"},
      {"  parameters:\n    - key: behaviour.tie_decay_rate\n      values: [0.01, 2]\n", 7,
       "sweep value: value out of range"},
      {"  parameters:\n    - key: behaviour.tie_decay_rate\n      values: [0.01, 0.01]\n", 7, "listed twice"},
      {"  design: latin_hypercube\n  samples: 4\n  parameters:\n    - key: behaviour.candidates_per_search\n"
       "      range: {from: 2, to: 8}\n",
       8, "grid only"},
      {"  design: latin_hypercube\n  trajectories: 20\n  samples: 4\n  parameters:\n    - key: "
       "behaviour.tie_decay_rate\n"
       "      range: {from: 0.01, to: 0.05}\n",
       6, "does not apply to a latin_hypercube"},
      {"  design: morris\n  levels: 3\n  parameters:\n    - key: behaviour.tie_decay_rate\n      range: "
       "{from: 0.01, to: 0.05}\n",
       6, "sweep.levels: sweep design: Morris levels must be an even number"},
      {"  parameters:\n    - key: instruments.jci.budget\n      values: [0, 2M]\n  contrast: {key: "
       "instruments.jci.budget, "
       "values: [0, 1M]}\n",
       8, "swept twice"},
      // Every value alone is valid; the combination (grant_min 1M above a 0.5M budget) is not.
      {"  parameters:\n    - key: instruments.jci.budget\n      values: [0.5M, 6M]\n    - key: "
       "instruments.jci.grant_min\n"
       "      values: [0.2M, 1M]\n",
       6, "sweep point 1 (instruments.jci.budget=500k, instruments.jci.grant_min=1M)"},
      {"  parameter: instruments.jci.budget\n  values: [0, 1M]\n  parameters:\n    - key: "
       "behaviour.tie_decay_rate\n"
       "      values: [0.01]\n",
       8, "not both"},
  };
  for (const auto& c : cases) {
    INFO(c.body);
    const std::string file = sweep_file(dir, c.body);
    const auto errors = errors_of([&] { load_sweep(file); });
    INFO(all_text(errors));
    REQUIRE_FALSE(errors.empty());
    const auto it = std::find_if(errors.begin(), errors.end(), [&](const ErrorInfo& e) {
      return format_error(e).find(c.fragment) != std::string::npos;
    });
    REQUIRE(it != errors.end());
    CHECK(it->where.file == file);
    CHECK(it->where.line == c.line);
    CHECK_FALSE(it->key.empty());
  }
  // A long axis: its duplicates were searched value by value (10,000,000 steps: years). Here a bad
  // second key is the only error, found in about a second.
  {
    const std::string file = sweep_file(dir, "  parameters:\n    - key: instruments.jci.budget\n"
                                             "      range: {from: 6M, to: 400M, steps: 10000000}\n"
                                             "    - key: world.nope\n      values: [1]\n");
    const auto errors = errors_of([&] { load_sweep(file); });
    REQUIRE(errors.size() == 1);
    CHECK(errors[0].where.line == 8);
    CHECK(errors[0].message.find("unknown key path") != std::string::npos);
  }
  // Invalid points across several of the batches that are read in parallel: the same errors, in
  // point order, on any thread count (budgets below the 1M grant_min are invalid).
  {
    const std::string file = sweep_file(dir, "  parameters:\n    - key: instruments.jci.budget\n"
                                             "      range: {from: 0.1M, to: 2M, steps: 5000}\n"
                                             "    - key: instruments.jci.grant_min\n      values: [1M]\n");
    std::vector<std::string> first;
    for (const std::size_t threads : {1u, 2u, 8u}) {
      const clusternet::ThreadLimit limit(threads);
      std::vector<std::string> texts;
      for (const auto& e : errors_of([&] { load_sweep(file); })) texts.push_back(format_error(e));
      if (first.empty()) first = texts;
      CHECK(texts == first);
    }
    REQUIRE(first.size() >= 2);
    CHECK(first.front().find("sweep point 0 (") != std::string::npos);
    CHECK(first.back().find("more invalid sweep points") != std::string::npos);
  }
  // A file without a sweep is not a sweep file.
  CHECK(all_text(errors_of([] {
          load_sweep((source_dir / "scenarios/ci-small.yaml").string());
        })).find("no sweep section") != std::string::npos);
}

TEST_CASE("parts, manifest and join: a task's part is reused only by its own sweep, joins are reproducible") {
  ScratchDir dir;
  const auto sweep =
      load_sweep(sweep_file(dir, "  parameter: instruments.jci.budget\n  values: [0, 3M, 6M]\n"));
  const SweepManifest manifest = make_manifest(sweep);
  REQUIRE(manifest.point_keys.size() == 3);
  CHECK(manifest.point_keys[0] != manifest.point_keys[1]);
  CHECK(manifest.task_key(0) != manifest.task_key(1));  // replicates 0 and 1 of point 0
  // Another seed is another sweep: every key differs.
  const SweepManifest reseeded = make_manifest(load_sweep(
      sweep_file(dir, "  parameter: instruments.jci.budget\n  values: [0, 3M, 6M]\n", "t.yaml"), {}, 5));
  CHECK(reseeded.sweep_key != manifest.sweep_key);
  CHECK(reseeded.task_key(0) != manifest.task_key(0));

  const std::string output = dir.path("out.h5");
  const SweepParts parts = SweepParts::prepare(output, manifest, false);
  const SweepPlan& plan = manifest.plan;
  REQUIRE(plan.task_count() == 6);
  auto results_of = [&](std::size_t task) {
    return testing::make_sample_results(100 + task, 1, 5, 1.0 + double(task_at(plan, task).point));
  };
  auto count_finished = [&] {
    const std::vector<bool> done = parts.finished();
    return std::count(done.begin(), done.end(), true);
  };
  CHECK(count_finished() == 0);
  for (std::size_t task = 0; task < 5; ++task)
    parts.store(task, encode_part(manifest, task, results_of(task)));
  // The last part is missing: the join refuses, naming it.
  const auto missing = errors_of([&] { join_sweep(parts, output); });
  REQUIRE(missing.size() == 1);
  CHECK(missing[0].message.find("1 of 6 tasks") != std::string::npos);
  CHECK(missing[0].message.find("point 2, replicate 1") != std::string::npos);
  CHECK_FALSE(fs::exists(output));
  // A part written for another task, and a damaged part, do not count as finished.
  parts.store(5, encode_part(manifest, 4, results_of(5)));
  CHECK_FALSE(parts.finished()[5]);
  { std::ofstream(parts.part_path(4), std::ios::trunc) << "not HDF5"; }
  CHECK_FALSE(parts.finished()[4]);
  parts.store(4, encode_part(manifest, 4, results_of(4)));
  parts.store(5, encode_part(manifest, 5, results_of(5)));
  CHECK(count_finished() == 6);

  // Another sweep cannot take this folder over without --force.
  const auto other = errors_of([&] { SweepParts::prepare(output, reseeded, false); });
  REQUIRE(other.size() == 1);
  CHECK(other[0].message.find("different sweep") != std::string::npos);
  CHECK(other[0].key == "--force");

  join_sweep(parts, output);
  join_sweep(SweepParts::existing(output), dir.path("again.h5"));
  CHECK(file_bytes(output) == file_bytes(dir.path("again.h5")));
  CHECK_THROWS_AS(join_sweep(parts, output), Error);  // exists, no force

  const SweepFileInfo info = read_sweep_info(output);
  CHECK(info.manifest.plan.points.values() == plan.points.values());
  CHECK(info.manifest.plan.parameters.at(0).values == std::vector<double>{0, 3e6, 6e6});
  CHECK(info.manifest.sweep_key == manifest.sweep_key);
  CHECK(info.months.size() == 5);
  const auto ties = read_sweep_metric(output, info, "network", "ties");
  REQUIRE(ties.size() == 3 * 2 * 5);
  for (std::size_t task = 0; task < 6; ++task) {
    const auto expected = results_of(task).replicates[0].series[0];
    for (std::size_t m = 0; m < 5; ++m) CHECK(ties[task * 5 + m] == expected[m]);
  }

  CHECK(parts.remove().empty());
  CHECK_FALSE(fs::exists(parts.folder()));
  CHECK_THROWS_AS(SweepParts::existing(output), Error);
}
