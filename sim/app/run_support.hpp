#pragma once
// Shared by `run` and `calibrate`: resource checks before anything is allocated, the default
// output path, and the summary of key outcomes printed at the end of a run.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/json_text.hpp"
#include "engine/results.hpp"
#include "engine/scenario.hpp"
#include "io/statistics.hpp"
#include "world/regions.hpp"

namespace clusternet::app {

// Bytes a run of `scenario` is expected to need at its peak (world + per-replicate state + results).
std::size_t estimate_run_bytes(const Scenario& scenario, std::size_t concurrent_replicates);
// Throws Error, with the estimate, when the run would not fit in this machine's physical memory.
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
  stats::MeanSummary summary;  // over replicates, at the final recorded month
};
// The key outcomes present in the results, in a fixed order.
std::vector<KeyOutcome> summarize_key_outcomes(const RunResults& results);
std::string summary_text(const RunResults& results, const std::vector<KeyOutcome>& outcomes,
                         const std::string& output, double seconds);
std::string summary_json(const RunResults& results, const std::vector<KeyOutcome>& outcomes,
                         const std::string& output, double seconds);

}  // namespace clusternet::app
