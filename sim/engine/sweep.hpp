#pragma once
// A sweep as the engine sees it: a plan of points (values of scenario keys, drawn by a design of
// sim/experiments) and, for every point and replicate, one independent task. A task is a pure
// function of (point scenario, seed, replicate), so tasks can run in any order, on any rank, in
// any array job, be resumed, and still join into the same result; joins go in task order.
//
// Common random numbers: every point runs with the same seed, and replicate k of every point is
// replicate k (streams keyed (seed, k, month, entity, purpose)), so the differences between points
// are paired replicate by replicate.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/ensemble.hpp"
#include "experiments/grid.hpp"
#include "experiments/latin_hypercube.hpp"
#include "experiments/morris.hpp"
#include "experiments/parameters.hpp"
#include "experiments/saltelli.hpp"

namespace clusternet {

enum class SweepDesign { grid, latin_hypercube, morris, sobol };
inline constexpr std::string_view sweep_design_names[] = {"grid", "latin_hypercube", "morris", "sobol"};
std::string_view sweep_design_name(SweepDesign design);
// Throws Error for a name that is not a design.
SweepDesign sweep_design_from_name(std::string_view name);

// What a swept key holds: it decides how a value is written back into a scenario and its unit.
enum class SweptKind { number, whole, money };
std::string_view swept_kind_name(SweptKind kind);
SweptKind swept_kind_from_name(std::string_view name);

struct SweptParameter {
  std::string key;  // dotted scenario path, as for --set
  SweptKind kind = SweptKind::number;
  bool contrast = false;     // the contrast key rather than a design parameter
  double low = 0, high = 0;  // the design's range (grid and contrast: the least and greatest value)
  bool log_scale = false;
  std::vector<double> values;  // grid axis or contrast values, in the order given; empty otherwise
  std::string unit() const { return kind == SweptKind::money ? "EUR" : ""; }
};

struct SweepPlan {
  std::string name;  // the sweep file's scenario name
  SweepDesign design = SweepDesign::grid;
  std::vector<SweptParameter> parameters;  // the design's parameters in order, then the contrast key
  std::uint64_t seed = 0;                  // the simulation's seed, shared by every point
  std::uint64_t design_seed = 0;           // the design's random draws (Latin hypercube, Morris, Sobol)
  std::uint32_t replicates = 1;
  std::size_t samples = 0;                   // latin_hypercube
  std::size_t trajectories = 0, levels = 0;  // morris
  std::size_t base_samples = 0;              // sobol
  std::size_t bootstrap_resamples = 1000;    // intervals of the Morris and Sobol indices
  // Points in natural units (EUR for money), one column per parameter (contrast key last). With a
  // contrast, point = design point x arms + arm: the runs of one design point are adjacent.
  experiments::PointTable points;
  std::size_t arms = 1;
  // Unit coordinates of the design points (design points x design parameters); empty for a grid.
  std::vector<double> unit;

  std::size_t point_count() const { return points.point_count(); }
  std::size_t design_parameter_count() const { return parameters.size() - (arms > 1 ? 1 : 0); }
  std::size_t design_point_count() const { return point_count() / arms; }
  std::size_t design_point(std::size_t point) const { return point / arms; }
  std::size_t arm(std::size_t point) const { return point % arms; }
  std::size_t task_count() const { return point_count() * replicates; }
};

// Draws the points of a plan whose parameters and settings are filled in: the design of
// sim/experiments, money rounded to whole cents (what a scenario can hold), then the contrast.
// Throws clusternet::Error (from the design: sizes, ranges) naming the offending setting.
void draw_points(SweepPlan& plan);

// The design objects the estimators take, rebuilt from a plan (e.g. one read back from a file).
// Each throws Error when the plan is not of that design or its points differ from the rebuilt
// design's (a file written by another version of the design code).
experiments::GridDesign grid_design(const SweepPlan& plan);
experiments::MorrisDesign morris_design(const SweepPlan& plan);
experiments::SaltelliDesign sobol_design(const SweepPlan& plan);

// Tasks are numbered point-major: task = point x replicates + replicate.
struct SweepTask {
  std::size_t point = 0;
  std::uint32_t replicate = 0;
};
inline SweepTask task_at(const SweepPlan& plan, std::size_t task) {
  return {task / plan.replicates, static_cast<std::uint32_t>(task % plan.replicates)};
}
inline std::size_t task_index(const SweepPlan& plan, std::size_t point, std::uint32_t replicate) {
  return point * plan.replicates + replicate;
}

// One share of the tasks for an array job (`--tasks index/count`, index from 1). Tasks are dealt
// round-robin, so every share gets points from the whole design (cheap and dear ones alike).
struct TaskShare {
  std::size_t index = 1, count = 1;
  bool contains(std::size_t task) const { return task % count == index - 1; }
};
// Parses "i/N" (1 <= i <= N). Throws Error naming --tasks otherwise.
TaskShare parse_task_share(std::string_view text);

// Hands out tasks from a list, each once, in list order, to any number of threads.
class TaskDispenser {
 public:
  explicit TaskDispenser(std::vector<std::size_t> tasks) : tasks_(std::move(tasks)) {}
  std::optional<std::size_t> next() {
    const std::size_t i = next_.fetch_add(1, std::memory_order_relaxed);
    if (i >= tasks_.size()) return std::nullopt;
    return tasks_[i];
  }
  std::size_t size() const { return tasks_.size(); }

 private:
  std::vector<std::size_t> tasks_;
  std::atomic<std::size_t> next_{0};
};

// Runs replicate `replicate` of `scenario` alone: what run_scenario computes for that replicate of
// a scenario with that many replicates, bit for bit. The results hold that one replicate.
RunResults run_task(const Scenario& scenario, const World& world, std::uint32_t replicate,
                    const RunOptions& options);

}  // namespace clusternet
