#include "io/scenario_loader.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
#include <set>

#include "io/scenario_checks.hpp"
#include "io/scenario_composition.hpp"
#include "io/scenario_reader.hpp"
#include "io/yaml_tree.hpp"
#include "world/regions.hpp"

namespace clusternet::io {

namespace fs = std::filesystem;

// ---------------------------------------------------------------------------------------------
// Suggestions

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string closest_match(std::string_view word, const std::vector<std::string>& candidates) {
  // A typo is a few edits away; beyond a third of the word's length the "suggestion" would be noise.
  const std::size_t reach = std::max<std::size_t>(2, word.size() / 3);
  std::string best;
  std::size_t best_distance = reach + 1;
  for (const auto& candidate : candidates) {
    const std::size_t d = edit_distance(word, candidate);
    if (d < best_distance) {
      best_distance = d;
      best = candidate;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------------
// Public functions

int world_country_count(const WorldConfig& world) {
  if (world.countries.empty() && world.regions.empty()) return static_cast<int>(eu27_countries.size());
  std::set<std::string> countries(world.countries.begin(), world.countries.end());
  for (const auto& region : world.regions) countries.insert(region.substr(0, 2));
  return static_cast<int>(countries.size());
}

std::vector<std::string> scenario_schema_keys() {
  const auto& keys = schema_set();
  return {keys.begin(), keys.end()};
}

namespace {

Scenario parse_resolved(Resolution resolution, ErrorCollector& errors) {
  ParsedScenario parsed = read_scenario_tree(resolution.tree, errors);
  check_scenario(parsed, resolution.tree.where, errors);
  check_sweep(parsed.scenario, resolution.tree, errors);
  errors.throw_if_any();
  parsed.scenario.source_files = std::move(resolution.files);
  return std::move(parsed.scenario);
}

Scenario load_tree(const YamlValue& tree, const std::string& display, const fs::path& folder,
                   const std::vector<std::string>& overrides, std::optional<std::uint64_t> seed) {
  ErrorCollector errors;
  Resolution resolution = resolve(tree, display, folder, overrides, errors);
  // The seed goes into the tree as a value, after every override, so that the resolved text
  // records the seed the run used and the reader checks its range like any other seed.
  if (seed) {
    const SourceLocation where{"--seed", 0, 0};
    YamlValue value;
    value.kind = YamlValue::Kind::scalar;
    value.text = std::to_string(*seed);
    value.where = where;
    resolution.tree.set("seed", std::move(value), where);
  }
  const std::string resolved = emit_yaml(resolution.tree);
  Scenario scenario = parse_resolved(std::move(resolution), errors);
  scenario.resolved_yaml = resolved;
  return scenario;
}

}  // namespace

Scenario load_scenario(const std::string& path, const std::vector<std::string>& set_overrides,
                       std::optional<std::uint64_t> seed) {
  const std::string display = display_path(path);
  const YamlValue tree = parse_yaml_file(path, display);
  return load_tree(tree, display, fs::path(display).parent_path(), set_overrides, seed);
}

Scenario load_scenario_text(std::string_view text, const std::string& display_name, const std::string& base_dir,
                            const std::vector<std::string>& set_overrides) {
  const YamlValue tree = parse_yaml_text(text, display_name);
  return load_tree(tree, display_name, fs::path(base_dir), set_overrides, std::nullopt);
}

std::string resolve_scenario_text(const std::string& path, const std::vector<std::string>& set_overrides) {
  const std::string display = display_path(path);
  const YamlValue tree = parse_yaml_file(path, display);
  ErrorCollector errors;
  Resolution resolution = resolve(tree, display, fs::path(display).parent_path(), set_overrides, errors);
  errors.throw_if_any();
  return emit_yaml(resolution.tree);
}

SourceLocation scenario_key_location(const std::string& path, const std::vector<std::string>& set_overrides,
                                     std::string_view dotted_key) {
  const std::string display = display_path(path);
  const YamlValue tree = parse_yaml_file(path, display);
  ErrorCollector errors;
  const Resolution resolution = resolve(tree, display, fs::path(display).parent_path(), set_overrides, errors);
  const YamlValue* node = &resolution.tree;
  SourceLocation best = node->where.file.empty() ? SourceLocation{display, 1, 1} : node->where;
  std::size_t start = 0;
  bool in_instruments = false;
  while (node && start <= dotted_key.size()) {
    const std::size_t dot = dotted_key.find('.', start);
    const std::string_view part = dotted_key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    const YamlValue* next = nullptr;
    if (in_instruments && node->is_seq()) {
      // instruments.NAME.KEY: the list item whose name is NAME.
      for (const auto& item : node->items)
        if (const YamlValue* name = item.find("name"); name && name->is_scalar() && name->text == part) next = &item;
    } else if (node->is_map()) {
      next = node->find(part);
    }
    if (!next) break;
    in_instruments = node == &resolution.tree && part == "instruments";
    if (!next->where.file.empty()) best = next->where;
    node = next;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return best;
}

}  // namespace clusternet::io
