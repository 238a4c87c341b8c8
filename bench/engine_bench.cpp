// Engine benchmark: one replicate of a scenario (default jci-150m, 120 months) at several scales and
// thread counts. Reports the world build, the monthly step alone with its per-process profile, the
// whole run with measurement (what `clusternet run` does), and peak RSS. Medians over repeats.
// --pairs N measures the step's thread scaling instead: N pairs of step runs, the largest thread
// count then 1 thread, back to back on one world, so that a drift of the machine's speed hits both
// runs of a pair alike; it prints each pair's speed-up and their median.
//
//   build/bin/engine_bench [SCENARIO] [--scales 1,10] [--threads 1,2] [--repeats 3] [--pairs N]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <sstream>
#include <string>
#include <vector>

#include "core/parallel.hpp"
#include "engine/ensemble.hpp"
#include "engine/simulation.hpp"
#include "io/region_table_csv.hpp"
#include "io/scenario_loader.hpp"
#include "world/generate.hpp"

using namespace clusternet;
using Clock = std::chrono::steady_clock;

namespace {
double seconds_since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}
std::vector<double> parse_list(const std::string& text) {
  std::vector<double> out;
  std::stringstream ss(text);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(std::atof(item.c_str()));
  return out;
}
double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}
}  // namespace

double step_seconds(const Scenario& scenario, const World& world, std::size_t threads) {
  ThreadLimit limit(threads);
  const auto t0 = Clock::now();
  Simulation sim(scenario, world, 0);
  while (!sim.finished()) sim.step();
  return seconds_since(t0);
}

int run_pairs(const std::string& scenario_path, const std::vector<double>& scales, const std::vector<double>& threads,
              int pairs) {
  const auto many = static_cast<std::size_t>(*std::max_element(threads.begin(), threads.end()));
  for (double scale : scales) {
    const Scenario scenario =
        io::load_scenario(scenario_path, {"replicates=1", "world.scale=" + std::to_string(scale)});
    const World world = io::load_world(scenario.world, scenario.seed);
    std::vector<double> speedups, many_s, one_s;
    std::printf("scale %g, step seconds on %zu thread(s) / 1 thread, speed-up:\n", scale, many);
    for (int k = 0; k < pairs; ++k) {
      many_s.push_back(step_seconds(scenario, world, many));
      one_s.push_back(step_seconds(scenario, world, 1));
      speedups.push_back(one_s.back() / many_s.back());
      std::printf("  pair %d: %.3f / %.3f  %.2fx\n", k + 1, many_s.back(), one_s.back(), speedups.back());
      std::fflush(stdout);
    }
    std::printf("scale %g: median %.3f s on %zu thread(s), %.3f s on 1; median speed-up %.2fx\n", scale,
                median(many_s), many, median(one_s), median(speedups));
  }
  return 0;
}

int run_bench(int argc, char** argv) {
  std::string scenario_path = std::string(CLUSTERNET_SOURCE_DIR) + "/scenarios/jci-150m.yaml";
  std::vector<double> scales = {1, 10}, threads = {1, 2};
  int repeats = 3, pairs = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--scales" && i + 1 < argc) scales = parse_list(argv[++i]);
    else if (arg == "--threads" && i + 1 < argc) threads = parse_list(argv[++i]);
    else if (arg == "--repeats" && i + 1 < argc) repeats = std::atoi(argv[++i]);
    else if (arg == "--pairs" && i + 1 < argc) pairs = std::atoi(argv[++i]);
    else if (arg == "--help" || arg == "-h") {
      std::printf("usage: engine_bench [SCENARIO.yaml] [--scales 1,10] [--threads 1,2] [--repeats 3] [--pairs N]\n");
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      std::fprintf(stderr, "engine_bench: unknown option '%s' (valid: --scales, --threads, --repeats, --pairs, --help)\n",
                   arg.c_str());
      return 2;
    } else scenario_path = arg;
  }
  const bool bad_threads = threads.empty() || std::any_of(threads.begin(), threads.end(), [](double t) { return t < 1; });
  const bool bad_scales = scales.empty() || std::any_of(scales.begin(), scales.end(), [](double s) { return !(s > 0); });
  if (bad_threads || bad_scales || repeats < 1 || pairs < 0) {
    std::fprintf(stderr, "engine_bench: --threads takes counts >= 1, --scales positive numbers, --repeats >= 1, "
                         "--pairs >= 0 (comma-separated lists, e.g. --threads 2,1)\n");
    return 2;
  }
  if (pairs > 0) return run_pairs(scenario_path, scales, threads, pairs);
  std::printf("%-6s %-3s %9s %8s %8s %8s | %6s %6s %6s %6s %6s %6s | %9s %9s\n", "scale", "thr", "orgs", "world_s",
              "step_s", "run_s", "adj%", "auto%", "cons%", "exec%", "exch%", "decay%", "ties", "rss_MiB");
  for (double scale : scales) {
    Scenario scenario =
        io::load_scenario(scenario_path, {"replicates=1", "world.scale=" + std::to_string(scale)});
    for (double t : threads) {
      ThreadLimit limit(static_cast<std::size_t>(t));
      std::vector<double> world_s, step_s, run_s;
      ProcessTimes profile;
      std::size_t ties = 0, orgs = 0;
      const int reps = scale >= 10 ? 1 : repeats;
      for (int r = 0; r < reps; ++r) {
        auto t0 = Clock::now();
        const World world = io::load_world(scenario.world, scenario.seed);
        world_s.push_back(seconds_since(t0));
        orgs = world.orgs.size();
        t0 = Clock::now();
        Simulation sim(scenario, world, 0);
        while (!sim.finished()) sim.step();
        step_s.push_back(seconds_since(t0));
        profile = sim.process_times();
        ties = sim.ties().alive();
        t0 = Clock::now();
        const RunResults results = run_scenario(scenario, world, {});
        run_s.push_back(seconds_since(t0));
      }
      const double total = profile.adjacency + profile.autonomous + profile.consortia + profile.execution +
                           profile.exchange + profile.decay;
      auto pct = [&](double x) { return total > 0 ? 100.0 * x / total : 0.0; };
      std::printf("%-6g %-3g %9zu %8.2f %8.2f %8.2f | %6.1f %6.1f %6.1f %6.1f %6.1f %6.1f | %9zu %9.0f\n", scale, t,
                  orgs, median(world_s), median(step_s), median(run_s), pct(profile.adjacency),
                  pct(profile.autonomous), pct(profile.consortia), pct(profile.execution), pct(profile.exchange),
                  pct(profile.decay), ties, peak_rss_mib());
      std::fflush(stdout);
    }
  }
  return 0;
}

int main(int argc, char** argv) {
  try {
    return run_bench(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "engine_bench: %s\n", e.what());
    return 1;
  }
}
