#pragma once
// Internal to sim/io: the `sweep:` section of a resolved scenario tree turned into a plan of points
// (engine/sweep.hpp), and every point checked as a scenario before anything runs. Shared by the
// scenario loader (so `validate` checks a sweep file completely) and by load_sweep.
#include <optional>
#include <string>

#include "core/error.hpp"
#include "engine/scenario.hpp"
#include "engine/sweep.hpp"
#include "io/yaml_tree.hpp"

namespace clusternet::io {

// Reads the sweep section of `scenario` (parsed from the resolved `tree`): the swept keys must be
// settable numeric scenario keys (as for --set) that leave what is recorded unchanged; the design's
// settings must fit it; every value as written must give a valid scenario (reported at the value),
// and so must every point of the design (reported at the sweep's first parameter, naming the
// point). Problems go to `errors`, each with file, line and key. Returns the plan when there is a
// sweep and no problem was found.
std::optional<SweepPlan> plan_sweep(const Scenario& scenario, const YamlValue& tree, ErrorCollector& errors);

// `tree` without its sweep section and with the values of `point` set: the scenario of the point.
YamlValue point_tree(const YamlValue& tree, const SweepPlan& plan, std::size_t point);

// A value of a swept key as scenario text that reads back to exactly that value ("150M", "0.25", "3").
std::string value_text(const SweptParameter& parameter, double value);

}  // namespace clusternet::io
