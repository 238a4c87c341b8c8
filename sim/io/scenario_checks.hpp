#pragma once
// Checks of a scenario that involve several fields (internal to sim/io): shares that must add up,
// bounds that must be ordered, calendars and milestones inside the horizon, countries of the world,
// and a sweep whose every value must make a valid scenario. Each problem is reported at the
// location of the value that causes it (or of its nearest written ancestor).
#include "core/error.hpp"
#include "engine/scenario.hpp"
#include "io/scenario_reader.hpp"
#include "io/yaml_tree.hpp"

namespace clusternet::io {

// The cross-field checks of a parsed scenario; `root` locates problems with no written ancestor.
void check_scenario(const ParsedScenario& parsed, const SourceLocation& root, ErrorCollector& errors);

// A sweep must name settable numeric keys, its design's settings must fit, and each value and
// each point must make a valid scenario (io/sweep_plan.hpp). `tree` is the resolved scenario the
// sweep was read from.
void check_sweep(const Scenario& scenario, const YamlValue& tree, ErrorCollector& errors);

}  // namespace clusternet::io
