#pragma once
// Shared by `run` and `calibrate`: resource checks before anything is allocated, the default
// output path, and the summary of key outcomes printed at the end of a run.
#include <string>
#include <vector>

#include "app/json_text.hpp"
#include "core/statistics.hpp"
#include "engine/results.hpp"
#include "engine/scenario.hpp"

namespace clusternet::app {

// Bytes a run of `scenario` is expected to need at its peak (world + per-replicate state + results).
std::size_t estimate_run_bytes(const Scenario& scenario, std::size_t concurrent_replicates);
// Throws Error, with the estimate, when the run would not fit in this machine's physical memory.
void check_resources(const Scenario& scenario);
// output.path of the scenario, or output/<scenario name>.h5.
std::string default_output_path(const Scenario& scenario);

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
