// clusternet sweep: run every (point, replicate) task of a sweep file, each written as a part as
// it finishes (so a killed sweep resumes where it stopped), then join the parts into one file.
// `--tasks i/N` runs one share (an array job) and leaves the parts; `--join OUTPUT` joins them.
// Under `mpirun -np N` the tasks are farmed out to the ranks (cmd_sweep_mpi.cpp).
#include <fmt/format.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "app/commands.hpp"
#include "app/json_text.hpp"
#include "app/run_support.hpp"
#include "app/sweep_runner.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "engine/ensemble.hpp"
#include "io/results_writer.hpp"

namespace clusternet::app {

#ifdef CLUSTERNET_WITH_MPI
int run_sweep_mpi(const SweepArgs& args);
#endif

namespace {

extern "C" void on_sweep_signal(int) { sweep_stop_requested().store(true); }

// Processes in the job when started by mpirun or srun (OpenMPI, PMI and PMIx all say so in the
// environment); 1 otherwise.
std::size_t launched_processes() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"})
    // NOLINTNEXTLINE(concurrency-mt-unsafe): read once, before any worker thread starts
    if (const char* value = std::getenv(name)) {
      const long n = std::strtol(value, nullptr, 10);
      if (n > 0) return static_cast<std::size_t>(n);
    }
  return 1;
}

class SignalGuard {
 public:
  SignalGuard() {
    sweep_stop_requested() = false;
    old_int_ = std::signal(SIGINT, on_sweep_signal);
    old_term_ = std::signal(SIGTERM, on_sweep_signal);
  }
  ~SignalGuard() {
    std::signal(SIGINT, old_int_);
    std::signal(SIGTERM, old_term_);
  }
  SignalGuard(const SignalGuard&) = delete;
  SignalGuard& operator=(const SignalGuard&) = delete;

 private:
  void (*old_int_)(int) = nullptr;
  void (*old_term_)(int) = nullptr;
};

int interrupted(const io::SweepParts& parts, std::size_t finished) {
  std::fprintf(
      stderr,
      "\nclusternet sweep: interrupted; %zu finished task(s) are kept in %s: run the same command again to "
      "resume\n",
      finished, parts.folder().c_str());
  return 130;
}

int join_only(const SweepArgs& args) {
  const io::SweepParts parts = io::SweepParts::existing(args.join);
  return join_and_report(parts, args.join, args, 0, parts.manifest().plan.task_count(), 0);
}

int run_sweep(const SweepArgs& args) {
  const std::optional<TaskShare> share =
      args.tasks.empty() ? std::nullopt : std::optional<TaskShare>(parse_task_share(args.tasks));
  const auto start = std::chrono::steady_clock::now();
  SweepJob job = load_sweep_job(args);
  // Checked before any task runs, so that a finished sweep never fails at its very end.
  if (!share) io::check_output_path(job.output, args.force);
  const io::SweepParts parts = io::SweepParts::prepare(job.output, job.manifest, args.force && !share);
  const SweepPlan& plan = job.manifest.plan;
  const std::vector<bool> finished = parts.finished();
  std::vector<std::size_t> todo;
  std::size_t reused = 0, in_share = 0;
  for (std::size_t task = 0; task < plan.task_count(); ++task) {
    if (share && !share->contains(task)) continue;
    ++in_share;
    if (finished[task])
      ++reused;
    else
      todo.push_back(task);
  }
  const std::size_t threads = args.threads > 0 ? args.threads : 0;
  ThreadLimit limit(threads);
  if (!args.quiet)
    std::fprintf(stderr,
                 "sweep %s: %s design, %zu points x %u replicates = %zu tasks%s; %zu to run, %zu already "
                 "done; %zu thread(s)\n",
                 plan.name.c_str(), std::string(sweep_design_name(plan.design)).c_str(), plan.point_count(),
                 plan.replicates, plan.task_count(),
                 share ? fmt::format(" (share {}/{}: {})", share->index, share->count, in_share).c_str() : "",
                 todo.size(), reused, threads > 0 ? threads : active_threads());

  SignalGuard signals;
  TaskRunner runner(job.definition, job.manifest, threads > 0 ? threads : active_threads());
  SweepProgress progress(args.quiet, todo.size(), plan);
  std::size_t ran = 0;
  for (const std::size_t task : todo) {
    if (sweep_stop_requested()) return interrupted(parts, reused + ran);
    const auto task_start = std::chrono::steady_clock::now();
    std::vector<unsigned char> part;
    try {
      part = runner.run(task);
    } catch (const Interrupted&) {
      return interrupted(parts, reused + ran);
    }
    parts.store(task, part);
    ++ran;
    progress.task_done(task,
                       std::chrono::duration<double>(std::chrono::steady_clock::now() - task_start).count());
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (share) {
    if (args.json)
      std::cout << fmt::format(
          "{{\"sweep\":{},\"share\":\"{}/"
          "{}\",\"tasks\":{},\"run\":{},\"reused\":{},\"seconds\":{},\"parts\":{}}}\n",
          json_string(plan.name), share->index, share->count, in_share, ran, reused, json_number(seconds),
          json_string(parts.folder()));
    else if (!args.quiet)
      std::cout << fmt::format(
          "share {}/{} of {}: {} tasks ({} run, {} already done) in {:.1f}s; parts in {}\n"
          "when every share has finished: clusternet sweep --join {}\n",
          share->index, share->count, plan.name, in_share, ran, reused, seconds, parts.folder(), job.output);
    return exit_ok;
  }
  return join_and_report(parts, job.output, args, ran, reused, seconds);
}

int sweep_command(const SweepArgs& args) {
  if (!args.join.empty()) return join_only(args);
  if (launched_processes() > 1) {
#ifdef CLUSTERNET_WITH_MPI
    return run_sweep_mpi(args);
#else
    throw Error(ErrorInfo{"started by mpirun with " + std::to_string(launched_processes()) +
                              " processes, but this clusternet was built without MPI",
                          {},
                          "mpirun",
                          "",
                          "a build with MPI (Debian's libopenmpi-dev; CMake option CLUSTERNET_MPI), or "
                          "one process per array job with --tasks i/N and then --join"});
#endif
  }
  return run_sweep(args);
}

const CommandRegistration sweep_registration(11, [](CLI::App& app, CommandResult& result) {
  auto args = std::make_shared<SweepArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sweep", "Run a sweep file (budget curves, sensitivity designs) and join its tasks into one HDF5 file");
  cmd->footer(
      "Each (point, replicate) task is kept in OUTPUT.parts/ as it finishes: a sweep started again with the "
      "same "
      "command resumes.\nOn a cluster: mpirun -np N clusternet sweep ... (tasks farmed to ranks), or array "
      "jobs with "
      "--tasks i/N and then clusternet sweep --join OUTPUT.");
  auto* file = cmd->add_option("sweep", args->sweep_file, "Sweep file (a scenario with a sweep: section)")
                   ->check(CLI::ExistingFile);
  cmd->add_option("-o,--output", args->output, "Result file (default: output/<name>.h5, or output.path)");
  auto* join = cmd->add_option("--join", args->join,
                               "Join the finished parts of OUTPUT's sweep into OUTPUT (after --tasks shares)")
                   ->type_name("OUTPUT");
  auto* replicates =
      cmd->add_option("--replicates", args->replicates, "Replicates of every point (overrides the file)")
          ->check(CLI::Range(1u, 10000u));
  auto* seed = cmd->add_option("--seed", args->seed, "Random seed of every point (overrides the file)")
                   ->check(CLI::NonNegativeNumber);
  auto* threads =
      cmd->add_option("--threads", args->threads,
                      "Worker threads per process (default: all cores; under mpirun: 1 per rank); results do "
                      "not depend on it");
  auto* sets =
      cmd->add_option("--set", args->sets, "Override a value of every point by dotted path, as in run")
          ->type_name("KEY=VALUE");
  auto* tasks =
      cmd->add_option("--tasks", args->tasks,
                      "Run share INDEX of COUNT of the tasks (1 <= INDEX <= COUNT; an array job's index) and "
                      "keep the parts; join them with --join")
          ->type_name("INDEX/COUNT");
  cmd->add_flag("--quiet", args->quiet, "Print nothing but errors");
  cmd->add_flag("--json", args->json, "Print the outcome as JSON");
  cmd->add_flag("--force", args->force,
                "Start over: discard the parts of an earlier run and replace the output file");
  cmd->add_flag("--keep-parts", args->keep_parts, "Keep OUTPUT.parts/ after a successful join");
  for (auto* option : {file, replicates, seed, threads, sets, tasks}) join->excludes(option);
  cmd->callback([args, file, join, tasks, &result] {
    if (file->count() == 0 && join->count() == 0)
      throw CLI::ValidationError("sweep",
                                 "give a sweep file to run, or --join OUTPUT to join the parts of one");
    if (tasks->count() > 0 && args->force)
      throw CLI::ValidationError("--force",
                                 "cannot be combined with --tasks: one share would delete the parts of the "
                                 "others; remove OUTPUT.parts/ once, by hand, to start an array job over");
    result.exit_code = sweep_command(*args);
  });
});

}  // namespace
}  // namespace clusternet::app
