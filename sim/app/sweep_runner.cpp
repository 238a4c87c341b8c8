#include "app/sweep_runner.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <iostream>

#include "app/commands.hpp"
#include "app/json_text.hpp"
#include "app/run_support.hpp"
#include "engine/ensemble.hpp"
#include "io/money.hpp"
#include "io/region_table_csv.hpp"

namespace clusternet::app {

std::atomic<bool>& sweep_stop_requested() {
  static std::atomic<bool> stop{false};
  return stop;
}

std::string describe_point(const SweepPlan& plan, std::size_t point) {
  std::string text;
  for (std::size_t j = 0; j < plan.parameters.size(); ++j) {
    const auto& p = plan.parameters[j];
    const double v = plan.points.at(point, j);
    const std::string value = p.kind == SweptKind::money
                                  ? io::format_money(static_cast<Cents>(std::llround(v * 100))) + " EUR"
                                  : fmt::format("{:.6g}", v);
    text += (j ? ", " : "") + p.key + "=" + value;
  }
  return text;
}

TaskRunner::TaskRunner(const io::SweepDefinition& definition, const io::SweepManifest& manifest,
                       std::size_t threads)
    : definition_(definition), manifest_(manifest), threads_(threads) {}

std::vector<unsigned char> TaskRunner::run(std::size_t task) {
  const SweepTask t = task_at(manifest_.plan, task);
  if (point_ != t.point) {
    scenario_ = definition_.point_scenario(t.point);
    // A sweep file keeps metrics only: the final network and partnership tables would be built
    // and dropped. Neither setting changes what is simulated or measured.
    scenario_.output.final_network = false;
    scenario_.output.partnerships = false;
    point_ = t.point;
    const std::string key = definition_.world_text(t.point);
    if (!world_ || key != world_key_) {
      world_.reset();  // one world at a time
      const auto start = std::chrono::steady_clock::now();
      world_ = std::make_unique<World>(io::load_world(scenario_.world, scenario_.seed));
      world_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      world_key_ = key;
    }
  }
  RunOptions options;
  options.threads = threads_;
  options.stop = &sweep_stop_requested();
  const RunResults results = run_task(scenario_, *world_, t.replicate, options);
  return io::encode_part(manifest_, task, results);
}

SweepProgress::SweepProgress(bool quiet, std::size_t total, const SweepPlan& plan)
    : quiet_(quiet), total_(total), plan_(plan), start_(std::chrono::steady_clock::now()) {}

void SweepProgress::task_done(std::size_t task, double seconds, const std::string& where) {
  if (quiet_) return;
  std::lock_guard lock(mutex_);
  ++done_;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double left = done_ > 0 ? elapsed / double(done_) * double(total_ - done_) : 0;
  const SweepTask t = task_at(plan_, task);
  std::fprintf(stderr, "task %zu/%zu: point %zu (%s) replicate %u, %.1fs%s; about %.0fs left\n", done_,
               total_, t.point, describe_point(plan_, t.point).c_str(), t.replicate, seconds, where.c_str(),
               left);
  std::fflush(stderr);
}

SweepJob load_sweep_job(const SweepArgs& args) {
  std::vector<std::string> sets = args.sets;
  if (args.replicates > 0) sets.push_back("replicates=" + std::to_string(args.replicates));
  const auto seed = args.seed >= 0 ? std::optional<std::uint64_t>(args.seed) : std::nullopt;
  io::SweepDefinition definition = io::load_sweep(args.sweep_file, sets, seed);
  // A rank runs one task at a time: what must fit is one replicate of the largest world.
  bool world_swept = false;
  for (const auto& p : definition.plan().parameters)
    world_swept = world_swept || p.key.rfind("world.", 0) == 0;
  const std::size_t checked = world_swept ? definition.plan().point_count() : 1;
  for (std::size_t point = 0; point < checked; ++point) {
    Scenario scenario = world_swept ? definition.point_scenario(point) : definition.base();
    scenario.replicates = 1;
    check_resources(scenario);
  }
  std::string output = args.output.empty() ? default_output_path(definition.base()) : args.output;
  io::SweepManifest manifest = io::make_manifest(definition);
  return {std::move(definition), std::move(manifest), std::move(output)};
}

int join_and_report(const io::SweepParts& parts, const std::string& output, const SweepArgs& args,
                    std::size_t ran, std::size_t reused, double seconds) {
  const auto start = std::chrono::steady_clock::now();
  io::JoinOptions options;
  options.force = args.force;
  io::join_sweep(parts, output, options);
  const double join_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::string left;
  if (!args.keep_parts) left = parts.remove();
  const SweepPlan& plan = parts.manifest().plan;
  if (args.json) {
    std::cout << fmt::format(
                     "{{\"sweep\":{},\"output\":{},\"design\":{},\"points\":{},\"replicates\":{},\"tasks\":{}"
                     ",\"run\":{},"
                     "\"reused\":{},\"seconds\":{},\"join_seconds\":{},\"parts\":{}}}",
                     json_string(plan.name), json_string(output), json_string(sweep_design_name(plan.design)),
                     plan.point_count(), plan.replicates, plan.task_count(), ran, reused,
                     json_number(seconds), json_number(join_seconds),
                     args.keep_parts || !left.empty() ? json_string(parts.folder()) : "null")
              << '\n';
  } else if (!args.quiet) {
    std::cout
        << fmt::format(
               "{}: {} points x {} replicates = {} tasks ({} run, {} reused) in {:.1f}s, joined in {:.1f}s\n",
               plan.name, plan.point_count(), plan.replicates, plan.task_count(), ran, reused, seconds,
               join_seconds)
        << fmt::format("wrote {}; summarise it with: clusternet sweep-report {}\n", output, output);
  }
  if (!left.empty()) std::cerr << "clusternet sweep: " << left << '\n';
  return exit_ok;
}

}  // namespace clusternet::app
