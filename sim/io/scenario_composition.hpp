#pragma once
// Composition of scenario files (internal to sim/io): a file's `extends` chain merged below it
// (maps key by key, anything else replaced), then its `set:` entries, then the command line's
// --set overrides, each a dotted key path checked against the schema.
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "io/yaml_tree.hpp"

namespace clusternet::io {

struct Resolution {
  YamlValue tree;                  // the resolved scenario
  std::vector<std::string> files;  // the file and every file it extends, in order
};

// The schema's dotted paths (scenario_schema_paths) plus `extends` and `set`.
const std::set<std::string>& schema_set();

// A path as shown in errors and provenance: normalised, with forward slashes.
std::string display_path(const std::filesystem::path& path);

// Applies one dotted-path assignment (`set:` entry, `--set`, or a sweep value) to the tree.
// Returns false (with an error recorded at `where`) when the path is not a settable scenario key.
bool apply_set(YamlValue& root, const std::string& dotted, const YamlValue& value, const SourceLocation& where,
               ErrorCollector& errors);

// Resolves the scenario `tree` read from `display` (in `folder`): extends, set, then `overrides`
// ("dotted.key=value", in order). Throws Error for a file that cannot be read or an extends cycle;
// every other problem goes to `errors`.
Resolution resolve(const YamlValue& tree, const std::string& display, const std::filesystem::path& folder,
                   const std::vector<std::string>& overrides, ErrorCollector& errors);

}  // namespace clusternet::io
