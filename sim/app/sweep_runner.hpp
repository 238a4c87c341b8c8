#pragma once
// Shared by `sweep` in one process and on MPI ranks: what a sweep command was asked to do, the
// runner of one task at a time, and the progress lines.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "engine/sweep.hpp"
#include "io/sweep_loader.hpp"
#include "io/sweep_results.hpp"
#include "world/world.hpp"

namespace clusternet::app {

struct SweepArgs {
  std::string sweep_file;
  std::string output;
  std::string join;  // --join OUTPUT
  std::uint32_t replicates = 0;
  std::int64_t seed = -1;
  std::size_t threads = 0;
  std::vector<std::string> sets;
  std::string tasks;  // --tasks i/N
  bool quiet = false;
  bool json = false;
  bool force = false;
  bool keep_parts = false;
};

// Set by SIGINT/SIGTERM: the running task stops after its current month and nothing of it is kept.
std::atomic<bool>& sweep_stop_requested();

// Runs tasks one at a time. The world is built once and kept while the tasks' world settings stay
// the same (the usual case: a sweep over behaviour or funding); the scenario of a point is kept
// while its replicates run. So a rank holds one world, one task's state and nothing else.
class TaskRunner {
 public:
  TaskRunner(const io::SweepDefinition& definition, const io::SweepManifest& manifest, std::size_t threads);
  // The part of `task`, as bytes. Throws Interrupted when asked to stop, Error on failure.
  std::vector<unsigned char> run(std::size_t task);
  double world_seconds() const { return world_seconds_; }

 private:
  const io::SweepDefinition& definition_;
  const io::SweepManifest& manifest_;
  std::size_t threads_;
  std::optional<std::size_t> point_;
  Scenario scenario_;
  std::string world_key_;
  std::unique_ptr<World> world_;
  double world_seconds_ = 0;
};

// One line per finished task on stderr (with the share done and an estimate of the time left).
class SweepProgress {
 public:
  SweepProgress(bool quiet, std::size_t total, const SweepPlan& plan);
  void task_done(std::size_t task, double seconds, const std::string& where = "");

 private:
  bool quiet_;
  std::size_t total_, done_ = 0;
  const SweepPlan& plan_;
  std::chrono::steady_clock::time_point start_;
  std::mutex mutex_;
};

// "instruments.jci.budget=150M, behaviour.x=0.25": the values of a point, as scenario text.
std::string describe_point(const SweepPlan& plan, std::size_t point);

// A sweep command's inputs resolved: the loaded sweep, its manifest and the output path. Throws
// Error/ErrorList for a bad sweep file, a machine too small for a point, or an unwritable output.
struct SweepJob {
  io::SweepDefinition definition;
  io::SweepManifest manifest;
  std::string output;
};
SweepJob load_sweep_job(const SweepArgs& args);

// Joins the parts of a finished sweep into its output and removes them (unless keep_parts); prints
// the outcome. Returns the exit status.
int join_and_report(const io::SweepParts& parts, const std::string& output, const SweepArgs& args,
                    std::size_t ran, std::size_t reused, double seconds);

}  // namespace clusternet::app
