#pragma once
// Scenario files: loading, composition (extends, set, --set) and strict validation.
// The language is documented key by key in docs/scenarios.md; a test keeps the two in agreement.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "engine/scenario.hpp"
#include "io/money.hpp"

namespace clusternet::io {

// Loads, resolves and validates the scenario at `path`, then applies each override of
// `set_overrides` ("dotted.key=value", in order) and then `seed` (the command line's --seed, which
// replaces the scenario's seed and is recorded in resolved_yaml) before validation. Every problem
// found is reported at once.
// Throws Error (one problem, or a file that cannot be read or parsed at all) or ErrorList (several).
Scenario load_scenario(const std::string& path, const std::vector<std::string>& set_overrides = {},
                       std::optional<std::uint64_t> seed = std::nullopt);

// As load_scenario, for scenario text not read from a file (e.g. Scenario::resolved_yaml stored
// with a result). `display_name` names it in errors; `extends` is resolved against `base_dir`.
// Throws Error or ErrorList.
Scenario load_scenario_text(std::string_view text, const std::string& display_name,
                            const std::string& base_dir = ".",
                            const std::vector<std::string>& set_overrides = {});

// The fully resolved scenario text (extends merged, set and --set applied) without validating the
// values. Throws Error/ErrorList for unreadable files, cycles and unknown --set paths.
std::string resolve_scenario_text(const std::string& path, const std::vector<std::string>& set_overrides = {});

// Where the value of `dotted_key` ("world.scale", "instruments.jci.budget", "world.s3_overrides.DE21")
// is written in the scenario at `path` resolved with `set_overrides`: its file, line and column, or
// those of its nearest written ancestor (the top of the file at least). Places errors found after
// loading (memory, region table, world) at the value that causes them. Throws Error/ErrorList as
// resolve_scenario_text does.
SourceLocation scenario_key_location(const std::string& path, const std::vector<std::string>& set_overrides,
                                     std::string_view dotted_key);

// Every field of a parsed scenario, defaults included, as YAML that loads back to the same values.
std::string effective_scenario_yaml(const Scenario& scenario);

// The keys the parser accepts, as dotted paths; list items of `instruments` appear as
// "instruments[].budget" and sections (maps) as their own path ("world"). `extends` and `set` are
// included. Used by the documentation test and for "did you mean" suggestions.
std::vector<std::string> scenario_schema_keys();

// Number of countries a world configuration includes: the distinct countries of `countries` and
// of the NUTS codes in `regions` (their first two letters), or 27 (EU27) when both are empty.
int world_country_count(const WorldConfig& world);

// Edit distance (Levenshtein) and the closest candidate within a typo's reach, or "" when none is.
std::size_t edit_distance(std::string_view a, std::string_view b);
std::string closest_match(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace clusternet::io
