#include "engine/sweep.hpp"

#include <charconv>
#include <cmath>
#include <string>

#include "core/error.hpp"

namespace clusternet {

std::string_view sweep_design_name(SweepDesign design) {
  return sweep_design_names[static_cast<std::size_t>(design)];
}

SweepDesign sweep_design_from_name(std::string_view name) {
  for (std::size_t i = 0; i < std::size(sweep_design_names); ++i)
    if (sweep_design_names[i] == name) return static_cast<SweepDesign>(i);
  throw Error(ErrorInfo{
      "unknown sweep design", {}, "design", std::string(name), "grid, latin_hypercube, morris or sobol"});
}

std::string_view swept_kind_name(SweptKind kind) {
  switch (kind) {
    case SweptKind::number:
      return "number";
    case SweptKind::whole:
      return "whole";
    case SweptKind::money:
      return "money";
  }
  return "number";
}

SweptKind swept_kind_from_name(std::string_view name) {
  if (name == "number") return SweptKind::number;
  if (name == "whole") return SweptKind::whole;
  if (name == "money") return SweptKind::money;
  throw Error(
      ErrorInfo{"unknown kind of swept value", {}, "kind", std::string(name), "number, whole or money"});
}

namespace {

std::vector<experiments::ParameterRange> design_ranges(const SweepPlan& plan) {
  std::vector<experiments::ParameterRange> ranges;
  for (const auto& p : plan.parameters)
    if (!p.contrast) ranges.push_back({p.key, p.low, p.high, p.log_scale});
  return ranges;
}

// A scenario holds money in whole cents; a design value is rounded there so that /sweep/points
// records exactly what each point ran with.
double to_cents(double eur) { return std::round(eur * 100.0) / 100.0; }

experiments::GridDesign make_grid(const SweepPlan& plan) {
  std::vector<experiments::GridAxis> axes;
  for (const auto& p : plan.parameters)
    if (!p.contrast) axes.push_back({p.key, p.values});
  return experiments::grid(std::move(axes));
}

void require_same_points(const SweepPlan& plan, const experiments::PointTable& design_points) {
  const std::size_t k = plan.design_parameter_count();
  bool same =
      design_points.point_count() == plan.design_point_count() && design_points.parameter_count() == k;
  for (std::size_t d = 0; same && d < plan.design_point_count(); ++d)
    for (std::size_t j = 0; same && j < k; ++j) {
      double value = design_points.at(d, j);
      if (plan.parameters[j].kind == SweptKind::money) value = to_cents(value);
      same = value == plan.points.at(d * plan.arms, j);
    }
  if (!same)
    throw Error(ErrorInfo{"the sweep's points differ from the points its design gives",
                          {},
                          "sweep/points",
                          std::string(sweep_design_name(plan.design)),
                          "a file written by a version of clusternet with the same designs"});
}

}  // namespace

void draw_points(SweepPlan& plan) {
  std::size_t k = 0;
  for (const auto& p : plan.parameters) k += p.contrast ? 0 : 1;
  experiments::PointTable design_points;
  plan.unit.clear();
  switch (plan.design) {
    case SweepDesign::grid:
      design_points = make_grid(plan).points;
      break;
    case SweepDesign::latin_hypercube: {
      auto d = experiments::latin_hypercube(design_ranges(plan), plan.samples, plan.design_seed);
      plan.unit = std::move(d.unit);
      design_points = std::move(d.points);
      break;
    }
    case SweepDesign::morris: {
      auto d = experiments::morris(design_ranges(plan), {plan.trajectories, plan.levels}, plan.design_seed);
      plan.unit = std::move(d.unit);
      design_points = std::move(d.points);
      break;
    }
    case SweepDesign::sobol: {
      auto d = experiments::saltelli(design_ranges(plan), {plan.base_samples}, plan.design_seed);
      plan.unit = std::move(d.unit);
      design_points = std::move(d.points);
      break;
    }
  }
  const SweptParameter* contrast = nullptr;
  for (const auto& p : plan.parameters)
    if (p.contrast) contrast = &p;
  plan.arms = contrast ? contrast->values.size() : 1;
  const std::size_t columns = k + (contrast ? 1 : 0);
  if (design_points.point_count() * plan.arms > experiments::max_design_points)
    throw Error(ErrorInfo{"the sweep has too many points",
                          {},
                          "contrast",
                          std::to_string(design_points.point_count()) + " design points x " +
                              std::to_string(plan.arms) + " contrast values",
                          "at most " + std::to_string(experiments::max_design_points) + " points"});
  std::vector<double> values;
  values.reserve(design_points.point_count() * plan.arms * columns);
  for (std::size_t d = 0; d < design_points.point_count(); ++d)
    for (std::size_t a = 0; a < plan.arms; ++a) {
      for (std::size_t j = 0; j < k; ++j) {
        const double v = design_points.at(d, j);
        values.push_back(plan.parameters[j].kind == SweptKind::money ? to_cents(v) : v);
      }
      if (contrast) values.push_back(contrast->values[a]);
    }
  std::vector<std::string> names;
  for (const auto& p : plan.parameters) names.push_back(p.key);
  plan.points = experiments::PointTable(std::move(names), std::move(values));
}

experiments::GridDesign grid_design(const SweepPlan& plan) {
  if (plan.design != SweepDesign::grid)
    throw Error(
        ErrorInfo{"not a grid sweep", {}, "design", std::string(sweep_design_name(plan.design)), "grid"});
  auto grid = make_grid(plan);
  require_same_points(plan, grid.points);
  return grid;
}

experiments::MorrisDesign morris_design(const SweepPlan& plan) {
  if (plan.design != SweepDesign::morris)
    throw Error(
        ErrorInfo{"not a Morris sweep", {}, "design", std::string(sweep_design_name(plan.design)), "morris"});
  auto design = experiments::morris(design_ranges(plan), {plan.trajectories, plan.levels}, plan.design_seed);
  require_same_points(plan, design.points);
  return design;
}

experiments::SaltelliDesign sobol_design(const SweepPlan& plan) {
  if (plan.design != SweepDesign::sobol)
    throw Error(
        ErrorInfo{"not a Sobol sweep", {}, "design", std::string(sweep_design_name(plan.design)), "sobol"});
  auto design = experiments::saltelli(design_ranges(plan), {plan.base_samples}, plan.design_seed);
  require_same_points(plan, design.points);
  return design;
}

TaskShare parse_task_share(std::string_view text) {
  const auto fail = [&] {
    return Error(
        ErrorInfo{"not a share of the tasks",
                  {},
                  "--tasks",
                  std::string(text),
                  "INDEX/COUNT with 1 <= INDEX <= COUNT, e.g. 3/8 (the array index $SLURM_ARRAY_TASK_ID "
                  "of an --array=1-8 job)"});
  };
  const auto slash = text.find('/');
  if (slash == std::string_view::npos) throw fail();
  std::size_t index = 0, count = 0;
  const auto a = std::from_chars(text.data(), text.data() + slash, index);
  const auto b = std::from_chars(text.data() + slash + 1, text.data() + text.size(), count);
  if (a.ec != std::errc() || a.ptr != text.data() + slash || b.ec != std::errc() ||
      b.ptr != text.data() + text.size() || count == 0 || index == 0 || index > count)
    throw fail();
  return {index, count};
}

RunResults run_task(const Scenario& scenario, const World& world, std::uint32_t replicate,
                    const RunOptions& options) {
  Scenario one = scenario;
  one.replicates = 1;
  RunOptions task_options = options;
  task_options.first_replicate = replicate;
  return run_scenario(one, world, task_options);
}

}  // namespace clusternet
