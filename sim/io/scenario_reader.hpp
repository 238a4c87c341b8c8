#pragma once
// Reading a resolved scenario tree into a Scenario (internal to sim/io): a FieldVisitor over the
// schema (scenario_fields.hpp) that validates each value as it reads it and reports every unknown
// key, with its location and a "did you mean" where one is near.
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "engine/scenario.hpp"
#include "io/yaml_tree.hpp"

namespace clusternet::io {

struct ParsedScenario {
  Scenario scenario;
  std::map<std::string, SourceLocation> locations;  // dotted path -> location of its value
};

// Reads `tree`; every problem is added to `errors`, and a field with a bad value keeps its default.
ParsedScenario read_scenario_tree(const YamlValue& tree, ErrorCollector& errors);

// Every dotted path the schema describes, sections included; the keys of list items as
// "instruments[].budget".
std::set<std::string> scenario_schema_paths();

// Text helpers shared by the scenario files.
std::string lower_case(std::string_view text);
std::string join(const std::vector<std::string>& items, std::string_view separator = ", ");

}  // namespace clusternet::io
