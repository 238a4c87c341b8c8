#include "io/sweep_loader.hpp"

#include <filesystem>

#include "io/scenario_checks.hpp"
#include "io/scenario_composition.hpp"
#include "io/scenario_reader.hpp"
#include "io/sweep_plan.hpp"
#include "io/yaml_tree.hpp"

namespace clusternet::io {

namespace fs = std::filesystem;

struct SweepDefinition::Impl {
  YamlValue tree;  // the resolved sweep file, sweep section included
  SweepPlan plan;
  Scenario base;
  std::string resolved;
  std::vector<std::string> files;
};

SweepDefinition::SweepDefinition(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SweepDefinition::SweepDefinition(SweepDefinition&&) noexcept = default;
SweepDefinition& SweepDefinition::operator=(SweepDefinition&&) noexcept = default;
SweepDefinition::~SweepDefinition() = default;

const SweepPlan& SweepDefinition::plan() const { return impl_->plan; }
const Scenario& SweepDefinition::base() const { return impl_->base; }
const std::string& SweepDefinition::resolved_yaml() const { return impl_->resolved; }
const std::vector<std::string>& SweepDefinition::source_files() const { return impl_->files; }

std::string SweepDefinition::point_text(std::size_t point) const {
  return emit_yaml(point_tree(impl_->tree, impl_->plan, point));
}

Scenario SweepDefinition::point_scenario(std::size_t point) const {
  const YamlValue tree = point_tree(impl_->tree, impl_->plan, point);
  ErrorCollector errors;
  ParsedScenario parsed = read_scenario_tree(tree, errors);
  check_scenario(parsed, tree.where, errors);
  errors.throw_if_any();
  parsed.scenario.resolved_yaml = emit_yaml(tree);
  parsed.scenario.source_files = impl_->files;
  return std::move(parsed.scenario);
}

std::string SweepDefinition::world_text(std::size_t point) const {
  const YamlValue tree = point_tree(impl_->tree, impl_->plan, point);
  const YamlValue* world = tree.find("world");
  const YamlValue* seed = tree.find("seed");
  return (world ? emit_yaml(*world) : std::string()) + "\nseed: " + (seed ? seed->text : std::string());
}

SweepDefinition load_sweep(const std::string& path, const std::vector<std::string>& set_overrides,
                           std::optional<std::uint64_t> seed) {
  // The steps of load_scenario (scenario_loader.cpp), keeping the tree: points are made from it.
  const std::string display = display_path(path);
  const YamlValue file = parse_yaml_file(path, display);
  ErrorCollector errors;
  Resolution resolution = resolve(file, display, fs::path(display).parent_path(), set_overrides, errors);
  if (seed) {
    YamlValue value;
    value.kind = YamlValue::Kind::scalar;
    value.text = std::to_string(*seed);
    value.where = {"--seed", 0, 0};
    resolution.tree.set("seed", value, value.where);
  }
  ParsedScenario parsed = read_scenario_tree(resolution.tree, errors);
  check_scenario(parsed, resolution.tree.where, errors);
  std::optional<SweepPlan> plan = plan_sweep(parsed.scenario, resolution.tree, errors);
  errors.throw_if_any();
  if (!plan)
    throw Error(ErrorInfo{"the file has no sweep section",
                          {display, 0, 0},
                          "sweep",
                          {},
                          "a `sweep:` section (docs/scenarios.md); `clusternet run` runs a plain scenario"});
  auto impl = std::make_unique<SweepDefinition::Impl>();
  impl->resolved = emit_yaml(resolution.tree);
  impl->tree = std::move(resolution.tree);
  impl->plan = std::move(*plan);
  impl->files = std::move(resolution.files);
  parsed.scenario.source_files = impl->files;
  YamlValue base_tree = impl->tree;
  base_tree.erase("sweep");
  parsed.scenario.resolved_yaml = emit_yaml(base_tree);
  impl->base = std::move(parsed.scenario);
  return SweepDefinition(std::move(impl));
}

}  // namespace clusternet::io
