#include "app/run_support.hpp"

#include <unistd.h>

#include <cmath>
#include <fmt/format.h>

#include "app/results_common.hpp"
#include "core/error.hpp"
#include "world/generate.hpp"

namespace clusternet::app {

std::size_t estimate_run_bytes(const Scenario& scenario, std::size_t concurrent_replicates) {
  const std::size_t world = estimate_world_bytes(scenario.world, 242);
  std::uint64_t orgs = 0;
  for (auto c : organisation_counts(scenario.world)) orgs += c;
  // Per replicate, measured rather than derived: engine_bench's peak RSS for one replicate of
  // jci-150m was 785 MB at 1.2M organisations (82 MB at 120k), i.e. about 600 bytes per organisation
  // beyond the world (agent state, tie store and its index, the monthly snapshot, metric scratch
  // and recorded results). Rounded up so the check refuses rather than lets a run run out.
  const std::size_t per_replicate = static_cast<std::size_t>(orgs) * 640;
  return world + per_replicate * std::max<std::size_t>(1, concurrent_replicates);
}

void check_resources(const Scenario& scenario) {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return;  // unknown machine size: nothing to compare against
  const double physical = double(pages) * double(page_size);
  const std::size_t concurrent = std::min<std::size_t>(scenario.replicates, std::max(1L, sysconf(_SC_NPROCESSORS_ONLN)));
  const double needed = double(estimate_run_bytes(scenario, concurrent));
  if (needed > 0.9 * physical)
    throw Error(ErrorInfo{"the run would need more memory than this machine has", {}, "world.scale",
                          fmt::format("{} (estimated {:.1f} GB for {} concurrent replicate(s))", scenario.world.scale,
                                      needed / 1e9, concurrent),
                          fmt::format("a scale whose estimate fits in 90% of the {:.1f} GB of physical memory",
                                      physical / 1e9)});
}

std::string default_output_path(const Scenario& scenario) {
  if (!scenario.output.path.empty()) return scenario.output.path;
  return "output/" + scenario.name + ".h5";
}

namespace {
const char* const key_names[] = {
    "partnerships_funded",  "cluster_orgs_in_partnerships", "smes_supported", "budget_committed_eur",
    "budget_spent_eur",     "cost_per_sme_eur",             "interregional_ties_per_meur",
    "less_developed_share_in_partnerships", "innovations", "jobs_created",   "ties",
    "mean_degree",          "giant_component_share",        "transitivity",  "interregional_tie_share",
    "cross_border_tie_share", "convergence_gap"};
}  // namespace

std::vector<KeyOutcome> summarize_key_outcomes(const RunResults& results) {
  std::vector<KeyOutcome> out;
  for (const char* name : key_names) {
    for (std::size_t s = 0; s < results.series.size(); ++s) {
      if (results.series[s].name != name) continue;
      const std::size_t month = last_measured_month(results, s);
      std::vector<double> values;
      for (const auto& rep : results.replicates)
        if (month < rep.series[s].size()) values.push_back(rep.series[s][month]);
      // Replicates where the metric is undefined (NaN, e.g. cost per SME before any SME) are left out.
      out.push_back({results.series[s].group, name, results.series[s].unit,
                     stats::summarize(stats::finite_values(values))});
    }
  }
  return out;
}

namespace {
std::string fmt_value(double v) {
  if (std::isnan(v)) return "n/a";
  if (std::fabs(v) >= 1e6) return fmt::format("{:.4g}", v);
  if (std::fabs(v) >= 100) return fmt::format("{:.0f}", v);
  return fmt::format("{:.4g}", v);
}
}  // namespace

std::string summary_text(const RunResults& results, const std::vector<KeyOutcome>& outcomes, const std::string& output,
                         double seconds) {
  std::string text = fmt::format("\n{} — final month {}, {} replicate(s); mean [95% CI]\n", results.scenario_name,
                                 results.months.empty() ? 0 : results.months.back() + 1, results.replicates.size());
  for (const auto& o : outcomes) {
    const auto& s = o.summary;
    const std::string ci = s.ci_defined() ? fmt::format("[{}, {}]", fmt_value(s.ci_low), fmt_value(s.ci_high))
                           : s.n < 2     ? std::string(s.n == 0 ? "[n/a: not defined]" : "[n/a: one replicate]")
                                         : std::string("[n/a]");
    text += fmt::format("  {:<38} {:>12} {:<28} {}\n", o.name, fmt_value(s.mean), ci, o.unit);
  }
  text += fmt::format("wrote {} ({:.1f}s)\n", output, seconds);
  return text;
}

std::string summary_json(const RunResults& results, const std::vector<KeyOutcome>& outcomes, const std::string& output,
                         double seconds) {
  std::string items;
  for (const auto& o : outcomes) {
    if (!items.empty()) items.push_back(',');
    items.append(fmt::format(
        "{}:{{\"group\":{},\"unit\":{},\"mean\":{},\"sd\":{},\"ci95_low\":{},\"ci95_high\":{},\"n\":{}}}",
        json_string(o.name), json_string(o.group), json_string(o.unit), json_number(o.summary.mean),
        json_number(o.summary.sd), json_number(o.summary.ci_low), json_number(o.summary.ci_high), o.summary.n));
  }
  return fmt::format("{{\"scenario\":{},\"output\":{},\"seed\":{},\"replicates\":{},\"seconds\":{},\"outcomes\":{{{}}}}}",
                     json_string(results.scenario_name), json_string(output), results.seed, results.replicates.size(),
                     json_number(seconds), items);
}

}  // namespace clusternet::app
