#include "io/scenario_composition.hpp"

#include <algorithm>
#include <cctype>

#include "io/scenario_loader.hpp"
#include "io/scenario_reader.hpp"

namespace clusternet::io {

namespace fs = std::filesystem;

namespace {

bool is_section(const std::string& key) {
  static const std::set<std::string> sections = {"horizon", "world", "behaviour", "instruments",
                                                 "measurement", "output", "sweep", "set",
                                                 "instruments[].calendar", "instruments[].rules",
                                                 "instruments[].evaluation", "instruments[].continuation",
                                                 "world.s3_overrides", "sweep.parameters",
                                                 "sweep.parameters[].range", "sweep.contrast"};
  return sections.count(key) > 0;
}

void merge_into(YamlValue& base, const YamlValue& overlay, ErrorCollector& errors, const std::string& path = {}) {
  // Maps merge key by key; anything else (lists included) replaces what was there, so that a
  // child's instrument list never interleaves with its parent's.
  if (!base.is_map() || !overlay.is_map()) {
    base = overlay;
    return;
  }
  for (const auto& entry : overlay.entries) {
    YamlValue* existing = base.find(entry.key);
    const std::string key_path = path.empty() ? entry.key : path + "." + entry.key;
    if (existing && entry.value.is_null() && (!existing->entries.empty() || !existing->items.empty())) {
      // A key with nothing under it would silently drop the whole inherited section or list: far
      // more often a list that lost its items (or an indentation slip) than a wish. `[]` and `{}`
      // say it on purpose; the inherited value is kept so that later checks see a whole scenario.
      const bool list = existing->is_seq();
      errors.add({"'" + entry.key + ":' has nothing under it, which would drop " +
                      (list ? "the " + std::to_string(existing->items.size()) + " item(s)" : std::string("every key")) +
                      " inherited from the extended file",
                  entry.key_where, key_path, "nothing",
                  list ? "the items, or `" + entry.key + ": []` to mean none"
                       : "keys under it, or no '" + entry.key + ":' line to keep the inherited ones"});
      continue;
    }
    if (existing && existing->is_map() && entry.value.is_map()) merge_into(*existing, entry.value, errors, key_path);
    else base.set(entry.key, entry.value, entry.key_where);
  }
}

std::vector<std::string> split_path(std::string_view dotted) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const auto dot = dotted.find('.', start);
    parts.emplace_back(dotted.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts;
}

}  // namespace

const std::set<std::string>& schema_set() {
  static const std::set<std::string> keys = [] {
    std::set<std::string> all = scenario_schema_paths();
    all.insert("extends");
    all.insert("set");
    return all;
  }();
  return keys;
}

std::string display_path(const fs::path& path) { return path.lexically_normal().generic_string(); }

bool apply_set(YamlValue& root, const std::string& dotted, const YamlValue& value, const SourceLocation& where,
               ErrorCollector& errors) {
  const auto parts = split_path(dotted);
  const auto& schema = schema_set();
  auto fail = [&](std::string message, std::string valid) {
    errors.add({std::move(message), where, dotted, dotted, std::move(valid)});
    return false;
  };
  if (std::any_of(parts.begin(), parts.end(), [](const std::string& p) { return p.empty(); }))
    return fail("malformed key path", "keys joined by dots, e.g. world.scale or instruments.jci.budget");
  YamlValue* target = &root;
  std::size_t first = 0;
  std::string normalised;
  if (parts[0] == "instruments") {
    if (parts.size() < 3)
      return fail("address an instrument's key by the instrument's name",
                  "instruments.NAME.KEY, e.g. instruments.jci.budget");
    YamlValue* list = root.find("instruments");
    std::vector<std::string> names;
    YamlValue* item = nullptr;
    if (list && list->is_seq())
      for (auto& candidate : list->items)
        if (const YamlValue* name = candidate.find("name"); name && name->is_scalar()) {
          names.push_back(name->text);
          if (name->text == parts[1]) item = &candidate;
        }
    if (!item) {
      if (names.empty()) return fail("the scenario has no instruments, so there is none named '" + parts[1] + "'",
                                     "a path to a key of an existing instrument");
      const std::string hint = closest_match(parts[1], names);
      return fail("no instrument named '" + parts[1] + "'" + (hint.empty() ? "" : "; did you mean '" + hint + "'?"),
                  "instruments." + join(names, "|") + ".KEY");
    }
    target = item;
    first = 2;
    normalised = "instruments[]";
  }
  for (std::size_t i = first; i < parts.size(); ++i) normalised += (normalised.empty() ? "" : ".") + parts[i];
  const bool override_entry = parts.size() == 3 && parts[0] == "world" && parts[1] == "s3_overrides";
  if (!override_entry && (!schema.count(normalised) || is_section(normalised) || normalised == "extends")) {
    std::vector<std::string> leaves;
    for (const auto& key : schema)
      if (!is_section(key) && key != "extends") leaves.push_back(key);
    std::string hint = closest_match(normalised, leaves);
    if (!hint.empty() && first == 2) hint = "instruments." + parts[1] + hint.substr(std::string("instruments[]").size());
    if (is_section(normalised))
      return fail("'" + dotted + "' is a section; set one of its keys instead", "a dotted path to a single value");
    return fail("unknown key path" + (hint.empty() ? std::string() : "; did you mean '" + hint + "'?"),
                "a dotted path listed in docs/scenarios.md");
  }
  for (std::size_t i = first; i + 1 < parts.size(); ++i) {
    YamlValue* next = target->find(parts[i]);
    if (!next || next->is_null()) {
      YamlValue fresh;
      fresh.kind = YamlValue::Kind::map;
      fresh.where = where;
      next = &target->set(parts[i], std::move(fresh), where);
    } else if (!next->is_map()) {
      return fail("cannot set a key inside '" + parts[i] + "', which is not a map", "a path through maps");
    }
    target = next;
  }
  if (!target->is_map()) return fail("cannot set a key inside a value that is not a map", "a path through maps");
  target->set(parts.back(), value, where);
  return true;
}

namespace {

// Resolves one file: its `extends` chain merged below it, then its own `set:` applied.
// `chain` holds the canonical paths of the files being resolved, to detect cycles.
void resolve_into(const YamlValue& own_text_tree, const std::string& display, const fs::path& folder,
                  std::vector<std::pair<std::string, std::string>>& chain, Resolution& out,
                  ErrorCollector& errors) {
  const YamlValue& own = own_text_tree;
  if (!own.is_map())
    throw Error(ErrorInfo{"a scenario must be a map of keys", own.where, {}, describe(own),
                          "name: ..., horizon: ..., world: ... (see docs/scenarios.md)"});
  out.files.push_back(display);
  YamlValue merged;
  merged.kind = YamlValue::Kind::map;
  merged.where = own.where;
  if (const YamlValue* extends = own.find("extends")) {
    if (!extends->is_scalar() || extends->text.empty())
      throw Error(ErrorInfo{"extends names one scenario file", extends->where, "extends", describe(*extends),
                            "a path relative to this file, e.g. base.yaml"});
    const fs::path parent = folder / extends->text;
    const std::string parent_display = display_path(parent);
    std::error_code ec;
    if (!fs::is_regular_file(parent, ec))
      throw Error(ErrorInfo{fs::exists(parent, ec) ? "the extended file is not a regular file (a directory, a "
                                                     "device or a FIFO)"
                                                   : "the extended file does not exist",
                            extends->where, "extends", parent_display, "a path relative to the extending file's folder"});
    const std::string canonical = fs::weakly_canonical(parent, ec).string();
    for (std::size_t i = 0; i < chain.size(); ++i)
      if (chain[i].first == canonical) {
        std::string cycle;
        for (std::size_t k = i; k < chain.size(); ++k) cycle += chain[k].second + " -> ";
        cycle += parent_display;
        throw Error(ErrorInfo{"extends forms a cycle: " + cycle, extends->where, "extends", extends->text,
                              "a chain of files that ends in a file without extends"});
      }
    if (chain.size() >= 32)
      throw Error(ErrorInfo{"extends chain is too long", extends->where, "extends", extends->text,
                            "at most 32 files"});
    chain.emplace_back(canonical, parent_display);
    const YamlValue parent_tree = parse_yaml_file(parent.string(), parent_display);
    Resolution parent_resolution;
    resolve_into(parent_tree, parent_display, parent.parent_path(), chain, parent_resolution, errors);
    chain.pop_back();
    merged = std::move(parent_resolution.tree);
    out.files.insert(out.files.end(), parent_resolution.files.begin(), parent_resolution.files.end());
  }
  YamlValue body = own;
  body.erase("extends");
  body.erase("set");
  merge_into(merged, body, errors);
  // A relative region table is relative to the file that names it; make it relative to the
  // working directory now, while it is still known which file that was.
  if (YamlValue* world = body.find("world"); world && world->is_map())
    if (const YamlValue* table = world->find("region_table"); table && table->is_scalar() && !table->text.empty() &&
                                                             fs::path(table->text).is_relative())
      if (YamlValue* merged_world = merged.find("world"); merged_world && merged_world->is_map())
        if (YamlValue* merged_table = merged_world->find("region_table"))
          merged_table->text = display_path(folder / table->text);
  if (const YamlValue* set = own.find("set")) {
    if (!set->is_map() && !set->is_null()) {
      errors.add({"set is a map from dotted key path to value", set->where, "set", describe(*set),
                  "set: {instruments.jci.budget: 300M}"});
    } else {
      for (const auto& entry : set->entries) {
        if (entry.value.is_map()) {
          errors.add({"a set value is a single value or a list", entry.value.where, entry.key, "a map",
                      "a number, money amount, word or list"});
          continue;
        }
        apply_set(merged, entry.key, entry.value, entry.key_where, errors);
      }
    }
  }
  out.tree = std::move(merged);
}

}  // namespace

Resolution resolve(const YamlValue& tree, const std::string& display, const fs::path& folder,
                   const std::vector<std::string>& overrides, ErrorCollector& errors) {
  Resolution resolution;
  std::error_code ec;
  std::vector<std::pair<std::string, std::string>> chain;
  chain.emplace_back(fs::weakly_canonical(fs::path(display), ec).string(), display);
  resolve_into(tree, display, folder, chain, resolution, errors);
  for (const auto& item : overrides) {
    const SourceLocation where{"--set", 0, 0};
    const auto equals = item.find('=');
    if (equals == std::string::npos || equals == 0) {
      errors.add({"expected KEY=VALUE", where, {}, item, "e.g. --set instruments.jci.budget=300M"});
      continue;
    }
    std::string key = item.substr(0, equals);
    while (!key.empty() && std::isspace(static_cast<unsigned char>(key.back()))) key.pop_back();
    const SourceLocation key_where{"--set", 0, 0};
    try {
      const YamlValue value = parse_yaml_value(std::string_view(item).substr(equals + 1), key_where);
      apply_set(resolution.tree, key, value, key_where, errors);
    } catch (const Error& e) {
      errors.add(e.info());
    }
  }
  return resolution;
}

}  // namespace clusternet::io
