#pragma once
// Shared by `run` and `calibrate`: resource checks before anything is allocated, the default
// output path, and the summary of key outcomes printed at the end of a run.
#include <limits>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/json_text.hpp"
#include "core/statistics.hpp"
#include "engine/results.hpp"
#include "engine/scenario.hpp"
#include "world/regions.hpp"

namespace clusternet::app {

// Bytes a run of `scenario` is expected to need at its peak (world + per-replicate state + results).
std::size_t estimate_run_bytes(const Scenario& scenario, std::size_t concurrent_replicates);
// How many replicates run at once: as many as there are cores (and replicates), fewer when their
// estimated memory would not fit in 90% of this machine's physical memory; replicates beyond that
// run one wave after another (results do not depend on it). Throws Error, with the estimate, when
// not even one replicate fits.
std::size_t concurrent_replicates(const Scenario& scenario);
// concurrent_replicates() for its error only.
void check_resources(const Scenario& scenario);
// output.path of the scenario, or output/<scenario name>.h5; always a file inside output/ (the
// loader refuses names and paths that would leave it; checked again here). Throws Error.
std::string default_output_path(const Scenario& scenario);

// Everything `run` checks and reads before its first month, in one place so that `validate`,
// `run` and `calibrate` accept exactly the same scenarios: the scenario loaded and validated (every
// problem at once), its default output path, the memory it needs, its world settings, and its
// region table read and checked against the world section (countries, regions, S3 overrides).
// An error about a scenario value names the file:line where the value is written (or its nearest
// written ancestor). Throws Error or ErrorList.
struct PreparedRun {
  Scenario scenario;
  RegionTable regions;
};
PreparedRun prepare_run(const std::string& scenario_path, const std::vector<std::string>& set_overrides,
                        std::optional<std::uint64_t> seed = std::nullopt);

// Throws Error (at the sweep section's file:line) when the scenario defines a sweep: `run` and
// `calibrate` run one scenario, and a sweep file would silently run only one of its points.
void refuse_sweep(const std::string& scenario_path, const std::vector<std::string>& set_overrides,
                  const Scenario& scenario);

struct KeyOutcome {
  std::string group, name, unit;
  stats::MeanSummary summary;  // over replicates, at the last recorded month with a value
  std::size_t month_index = 0; // that month's position in results.months
  // What the quantity can be (counts, money and shares cannot be negative; shares not above 1):
  // the printed interval is cut there, a t interval knows nothing of it.
  double lowest = -std::numeric_limits<double>::infinity(), highest = std::numeric_limits<double>::infinity();
};
// The key outcomes present in the results, in a fixed order.
std::vector<KeyOutcome> summarize_key_outcomes(const RunResults& results);
// The summary for people: values at the month and date the file records (not a 1-based count),
// money and counts with thousands separators, intervals cut at the quantity's bounds, and a note
// when too few replicates make the t interval rough.
std::string summary_text(const RunResults& results, const std::vector<KeyOutcome>& outcomes,
                         const std::string& output, double seconds);
// A number for the summary: integers with thousands separators from 1,000 up (and always for
// EUR), four significant digits below; "n/a" for NaN.
std::string format_value(double value, const std::string& unit);
std::string summary_json(const RunResults& results, const std::vector<KeyOutcome>& outcomes,
                         const std::string& output, double seconds);

}  // namespace clusternet::app
