// clusternet run: load and validate a scenario, refuse it early if it cannot fit the machine or
// its output cannot be written, build the world, run every replicate, write the HDF5 result and
// print the key outcomes with 95% confidence intervals.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <mutex>
#include <string>

#include "app/cli_numbers.hpp"
#include "app/commands.hpp"
#include "app/run_support.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/statistics.hpp"
#include "engine/ensemble.hpp"
#include "io/results_writer.hpp"
#include "io/scenario_loader.hpp"
#include "world/generate.hpp"

namespace clusternet::app {
namespace {

// Set by SIGINT/SIGTERM: the run stops after the current month, or the writer before publishing,
// and the program exits with 128 + the signal's number (130, 143), as a shell reports a process
// killed by it.
std::atomic<bool> stop_requested{false};
std::atomic<int> stop_signal{0};
extern "C" void on_signal(int signal_number) {
  stop_signal.store(signal_number);
  stop_requested.store(true);
}
int signal_exit_code() { return 128 + stop_signal.load(); }

// Thrown from the writer's stage hook when a signal arrived while the file was being written.
struct StopWhileWriting {};

struct RunArgs {
  std::string scenario;
  std::string output;
  std::uint32_t replicates = 0;
  std::int64_t seed = -1;
  std::size_t threads = 0;
  std::vector<std::string> sets;
  bool quiet = false;
  bool json = false;
  bool force = false;
};

// Progress on stderr: a bar rewritten in place on a terminal, a plain line every 10% otherwise.
// "42s", "12m 05s", "2h 03m": an ETA of a whole-EU run reads in minutes, not thousands of seconds.
std::string duration_text(double seconds) {
  const long long s = std::llround(std::max(0.0, seconds));
  if (s < 100) return std::to_string(s) + "s";
  if (s < 3600) return fmt::format("{}m {:02}s", s / 60, s % 60);
  return fmt::format("{}h {:02}m", s / 3600, (s % 3600) / 60);
}

class ProgressPrinter {
 public:
  // eta: set up for the scenario and the replicates running at once (eta_estimator_for).
  ProgressPrinter(bool quiet, EtaEstimator eta)
      : quiet_(quiet), tty_(isatty(fileno(stderr)) != 0), start_(Clock::now()), eta_(eta) {}
  void operator()(const RunProgress& p) {
    if (quiet_ || p.months_total == 0) return;
    std::lock_guard lock(mutex_);
    // 100% only once every replicate is recorded: the last month of the last replicate is done a
    // moment before its results are, and "100% ... replicates 4/5" read as a lost replicate.
    const bool finished = p.months_done >= p.months_total && p.replicates_done >= p.replicates_total;
    const double fraction =
        finished ? 1.0 : std::min(0.999, double(p.months_done) / double(p.months_total));
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    const EtaEstimator::Estimate estimate = eta_.update(p, elapsed);
    const double rate = estimate.months_per_second;
    const std::string eta = duration_text(finished ? 0.0 : estimate.seconds_left);
    const int decile = static_cast<int>(fraction * 10);
    if (tty_) {
      const double since = std::chrono::duration<double>(Clock::now() - last_).count();
      if (since < 0.1 && !finished) return;
      last_ = Clock::now();
      const int width = 30;
      const int filled = static_cast<int>(fraction * width);
      std::fprintf(stderr, "\r[%s%s] %3.0f%%  months %llu/%llu  replicates %u/%u  %s months/s  ETA %s   ",
                   std::string(filled, '#').c_str(), std::string(width - filled, '.').c_str(), fraction * 100,
                   static_cast<unsigned long long>(p.months_done), static_cast<unsigned long long>(p.months_total),
                   p.replicates_done, p.replicates_total, rate_text(rate).c_str(), eta.c_str());
      if (finished) std::fputc('\n', stderr);
    } else if (decile > last_decile_) {
      last_decile_ = decile;
      std::fprintf(stderr, "progress: %3d%%  months %llu/%llu  replicates %u/%u  %s months/s  ETA %s\n",
                   decile * 10, static_cast<unsigned long long>(p.months_done),
                   static_cast<unsigned long long>(p.months_total), p.replicates_done, p.replicates_total,
                   rate_text(rate).c_str(), eta.c_str());
    }
    std::fflush(stderr);
  }

 private:
  using Clock = std::chrono::steady_clock;
  bool quiet_;
  bool tty_;
  Clock::time_point start_;
  Clock::time_point last_{};
  int last_decile_ = 0;
  EtaEstimator eta_;
  std::mutex mutex_;
  // Whole months per second on small worlds, tenths on large ones (a month at scale 250 takes
  // several seconds: "0 months/s" said nothing).
  static std::string rate_text(double rate) { return rate >= 10 ? fmt::format("{:.0f}", rate) : fmt::format("{:.2g}", rate); }
};

int run_command(const RunArgs& args) {
  std::vector<std::string> sets = args.sets;
  if (args.replicates > 0) sets.push_back("replicates=" + std::to_string(args.replicates));
  const auto seed = args.seed >= 0 ? std::optional<std::uint64_t>(args.seed) : std::nullopt;
  // The checks `validate` runs, in the same code: a scenario validate accepts is one run accepts.
  PreparedRun prepared = prepare_run(args.scenario, sets, seed);
  const Scenario& scenario = prepared.scenario;
  refuse_sweep(args.scenario, sets, scenario);  // before anything is written
  const std::string output = args.output.empty() ? default_output_path(scenario) : args.output;
  io::check_output_path(output, args.force);

  ThreadLimit limit(args.threads);
  const std::size_t threads = args.threads > 0 ? args.threads : active_threads();
  const auto t0 = std::chrono::steady_clock::now();
  const World world = build_world(scenario.world, prepared.regions, scenario.seed);
  const double world_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!args.quiet) {
    std::fprintf(stderr, "scenario %s: %u replicate(s) x %d months, seed %llu, %zu thread(s)\n", scenario.name.c_str(),
                 scenario.replicates, scenario.months, static_cast<unsigned long long>(scenario.seed), threads);
    std::fprintf(stderr, "world: %zu regions, %zu organisations, %zu cluster organisations (built in %.2fs)\n",
                 world.regions.size(), world.orgs.size(), world.cluster_orgs.size(), world_seconds);
    if (!world.regions.imputation_notes.empty())
      std::fprintf(stderr, "regions: %zu missing values imputed (listed by `clusternet world`; stored in /provenance/notes)\n",
                   world.regions.imputation_notes.size());
  }

  stop_requested = false;
  stop_signal = 0;
  auto old_int = std::signal(SIGINT, on_signal);
  auto old_term = std::signal(SIGTERM, on_signal);
  struct RestoreSignals {
    decltype(old_int) int_handler, term_handler;
    ~RestoreSignals() {
      std::signal(SIGINT, int_handler);
      std::signal(SIGTERM, term_handler);
    }
  } restore{old_int, old_term};
  RunOptions options;
  options.threads = threads;
  options.stop = &stop_requested;
  // Replicates that would not fit in memory together run one wave after another instead.
  options.max_concurrent_replicates = concurrent_replicates(scenario);
  // The replicates side by side: at most one per thread, and the waves' size.
  std::size_t side_by_side = std::min<std::size_t>(scenario.replicates, std::max<std::size_t>(1, threads));
  if (options.max_concurrent_replicates > 0) side_by_side = std::min(side_by_side, options.max_concurrent_replicates);
  ProgressPrinter printer(args.quiet, eta_estimator_for(scenario, side_by_side));
  options.progress = [&](const RunProgress& p) { printer(p); };
  if (!args.quiet && options.max_concurrent_replicates < std::min<std::size_t>(scenario.replicates, threads))
    std::fprintf(stderr,
                 "memory: %zu replicate(s) at a time fit in this machine's memory (estimated %.1f GB each); the "
                 "others run after them\n",
                 options.max_concurrent_replicates,
                 double(estimate_run_bytes(scenario, 2) - estimate_run_bytes(scenario, 1)) / 1e9);
  RunResults results;
  try {
    results = run_scenario(scenario, world, options);
  } catch (const Interrupted&) {
    std::fprintf(stderr, "\nclusternet run: interrupted; nothing was written (%s does not exist)\n", output.c_str());
    return signal_exit_code();
  }
  const double run_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  results.threads = static_cast<std::uint32_t>(threads);
  auto interrupted_while_writing = [&] {
    std::fprintf(stderr, "\nclusternet run: interrupted while writing; the partial file was removed (%s does not exist)\n",
                 output.c_str());
    return signal_exit_code();
  };
  io::WriteOptions write;
  write.force = args.force;
  write.after_stage = [&](std::string_view) {
    if (stop_requested) throw StopWhileWriting{};
  };
  try {
    // The stop flag also reaches inside the long parts of the write (blocks of the final network,
    // pieces of the file): at whole-EU scale one part takes half a minute.
    const CancelScope cancel(&stop_requested);
    io::write_results(results, output, write);
  } catch (const StopWhileWriting&) {
    return interrupted_while_writing();
  } catch (const Interrupted&) {
    return interrupted_while_writing();
  }
  if (stop_requested) {
    // The signal came after the last check, while the finished file was being moved into place.
    std::fprintf(stderr, "\nclusternet run: interrupted; the result was already complete and is kept as %s\n",
                 output.c_str());
    return signal_exit_code();
  }

  const auto summary = summarize_key_outcomes(results);
  if (args.json) {
    std::cout << summary_json(results, summary, output, run_seconds) << '\n';
  } else if (!args.quiet) {
    std::cout << summary_text(results, summary, output, run_seconds);
  }
  return exit_ok;
}

const CommandRegistration run_registration(10, [](CLI::App& app, CommandResult& result) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* cmd = app.add_subcommand("run", "Run a scenario (all replicates) and write its HDF5 result");
  cmd->add_option("scenario", args->scenario, "Scenario YAML file")->required()->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "Result file (default: output/<scenario name>.h5, or output.path)");
  cmd->add_option("--replicates", args->replicates, "Number of replicates (overrides the scenario)")
      ->transform(whole_number(1, 10000));
  cmd->add_option("--seed", args->seed, "Random seed (overrides the scenario)")->transform(whole_number(0, max_seed));
  cmd->add_option("--threads", args->threads, "Worker threads (default: all cores); results do not depend on it")
      ->transform(whole_number(0, max_threads));
  cmd->add_option("--set", args->sets, "Override a scenario value by dotted path, e.g. instruments.jci.budget=300M")
      ->type_name("KEY=VALUE");
  cmd->add_flag("--quiet", args->quiet, "Print nothing but errors");
  cmd->add_flag("--json", args->json, "Print the summary of key outcomes as JSON");
  cmd->add_flag("--force", args->force, "Overwrite an existing result file");
  cmd->callback([args, &result] { result.exit_code = run_command(*args); });
});

}  // namespace
}  // namespace clusternet::app
