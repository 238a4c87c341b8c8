#include "app/run_support.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <fmt/format.h>

#include "app/results_common.hpp"
#include "core/error.hpp"
#include "io/results_writer.hpp"
#include "io/region_table_csv.hpp"
#include "io/safe_file.hpp"
#include "io/scenario_loader.hpp"
#include "world/generate.hpp"

namespace clusternet::app {

std::size_t estimate_run_bytes(const Scenario& scenario, std::size_t concurrent_replicates) {
  const std::size_t world = estimate_world_bytes(scenario.world, 242);
  std::uint64_t orgs = 0;
  for (auto c : organisation_counts(scenario.world)) orgs += c;
  // Per replicate, measured rather than derived (issue 18, docs/performance.md): the peak RSS of
  // `clusternet run scenarios/jci-150m.yaml --replicates 1 --threads 2` less the world (about 60
  // bytes per organisation) was 630 bytes per organisation at scale 10 and 598 at scale 50
  // (2026-12-03, the layout made with the weights, the final tables written in blocks, the tie
  // store's tighter room), against 697 and 663 before; bytes per organisation fall with the scale
  // (fixed costs spread out). Rounded up by about 8% over the largest, so that the check refuses
  // rather than lets a run run out. Scale 250 (30 million organisations) comes to 22.2 GB, within
  // 90% of this project's 24 GB machines (25.3 GB of physical memory); the measured figure would
  // be about 19.7 GB. It was 1,400 before the memory work of 2026-12-02 and 750 until 2026-12-03.
  const std::size_t per_replicate = static_cast<std::size_t>(orgs) * 680;
  return world + per_replicate * std::max<std::size_t>(1, concurrent_replicates);
}

namespace {
double organisation_total(const Scenario& scenario) {
  double total = 0;
  for (auto count : organisation_counts(scenario.world)) total += double(count);
  return total;
}
}  // namespace

std::size_t concurrent_replicates(const Scenario& scenario) {
  const long cores = std::max(1L, sysconf(_SC_NPROCESSORS_ONLN));
  const std::size_t wanted = std::max<std::size_t>(1, std::min<std::size_t>(scenario.replicates, std::size_t(cores)));
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return wanted;  // unknown machine size: nothing to compare against
  const double usable = 0.9 * double(pages) * double(page_size);
  for (std::size_t k = wanted; k >= 1; --k)
    if (double(estimate_run_bytes(scenario, k)) <= usable) return k;
  const double needed = double(estimate_run_bytes(scenario, 1));
  throw Error(ErrorInfo{"the run would need more memory than this machine has", {}, "world.scale",
                        fmt::format("scale {} with {:.3g} organisations (estimated {:.1f} GB for one replicate at "
                                    "a time)",
                                    scenario.world.scale, organisation_total(scenario), needed / 1e9),
                        fmt::format("a scale whose estimate fits in 90% of the {:.1f} GB of physical memory",
                                    usable / 0.9 / 1e9)});
}

void check_resources(const Scenario& scenario) {
  // A world without organisations runs to the end and writes a file of zeros and NaNs, as if a
  // policy had found nothing to fund: refused instead (each kind's count is rounded after scaling,
  // so a small enough scale, or counts of zero, leave none).
  if (organisation_total(scenario) < 1.0) {
    const WorldConfig& w = scenario.world;
    throw Error(ErrorInfo{"the world would have no organisations", {}, "world.scale",
                          fmt::format("scale {} with {} SMEs, {} large firms, {} research organisations and {} cluster "
                                      "organisations at scale 1: 0 organisations",
                                      w.scale, w.smes, w.large_firms, w.research_orgs, w.cluster_orgs),
                          "a scale and organisation counts that give at least one organisation (each count times the "
                          "scale, rounded)"});
  }
  (void)concurrent_replicates(scenario);
}

std::string default_output_path(const Scenario& scenario) {
  std::string path = scenario.output.path.empty() ? "output/" + scenario.name + ".h5" : scenario.output.path;
  if (!io::names_file_inside(path, "output"))
    throw Error(ErrorInfo{"the default result file would be outside output/", {}, "name", path,
                          "a scenario name made of letters, digits, '_', '-' and '.', or output.path under output/"});
  return path;
}

namespace {

// Scenario keys, as errors from the world and region-table code name them ("world.scale",
// "world.s3_overrides.XX99"), and never the region table's own columns ("nuts_id", ...).
bool is_scenario_key(const std::string& key) {
  for (const char* section : {"world", "horizon", "behaviour", "instruments", "measurement", "output"})
    if (key == section || key.rfind(std::string(section) + ".", 0) == 0) return true;
  return key == "name" || key == "seed" || key == "replicates";
}

// An error about a scenario value, placed at the file:line of that value. The file it named
// before (the region table, for a country it lacks) stays in the message.
Error located(const Error& error, const std::string& path, const std::vector<std::string>& sets,
              std::optional<std::uint64_t> seed) {
  ErrorInfo info = error.info();
  if (!is_scenario_key(info.key)) return error;
  SourceLocation where;
  if (info.key == "seed" && seed) where = {"--seed", 0, 0};
  else {
    try {
      where = io::scenario_key_location(path, sets, info.key);
      // A map entry named by its key (world.s3_overrides with found XX99): placed at the entry.
      if (!info.found.empty() && info.found.find('.') == std::string::npos) {
        const SourceLocation entry = io::scenario_key_location(path, sets, info.key + "." + info.found);
        if (entry.file != where.file || entry.line != where.line || entry.column != where.column) where = entry;
      }
    } catch (const std::exception&) {
      return error;  // the scenario loaded a moment ago; if it cannot be read again, keep the error as it is
    }
  }
  if (!info.where.file.empty() && info.where.file != info.found) info.message += " (" + info.where.file + ")";
  info.where = where;
  return Error(std::move(info));
}

}  // namespace

PreparedRun prepare_run(const std::string& scenario_path, const std::vector<std::string>& set_overrides,
                        std::optional<std::uint64_t> seed) {
  Scenario scenario = io::load_scenario(scenario_path, set_overrides, seed);
  try {
    (void)default_output_path(scenario);
    validate_world_config(scenario.world);
    check_resources(scenario);
    RegionTable regions = io::load_region_table(scenario.world);
    return {std::move(scenario), std::move(regions)};
  } catch (const Error& e) {
    throw located(e, scenario_path, set_overrides, seed);
  }
}

void refuse_sweep(const std::string& scenario_path, const std::vector<std::string>& set_overrides,
                  const Scenario& scenario) {
  const auto& sweep = scenario.sweep;
  if (sweep.parameter.empty() && sweep.values.empty()) return;
  SourceLocation where{scenario_path, 0, 0};
  try {
    where = io::scenario_key_location(scenario_path, set_overrides, "sweep");
  } catch (const std::exception&) {
  }
  throw Error(ErrorInfo{"the file describes a sweep; `run` runs one scenario and would silently run one of its points",
                        where, "sweep",
                        fmt::format("{} with {} value(s)", sweep.parameter, sweep.values.size()),
                        "`clusternet sweep FILE` to run the sweep, or a scenario without a sweep section"});
}

namespace {
// The key outcomes in print order, with the bounds of what each can be.
struct KeyName {
  const char* name;
  double lowest, highest;
};
constexpr double unbounded = std::numeric_limits<double>::infinity();
const KeyName key_names[] = {
    {"partnerships_funded", 0, unbounded},  {"cluster_orgs_in_partnerships", 0, unbounded},
    {"smes_supported", 0, unbounded},       {"budget_committed_eur", 0, unbounded},
    {"budget_spent_eur", 0, unbounded},     {"cost_per_sme_eur", 0, unbounded},
    {"interregional_ties_per_meur", 0, unbounded}, {"less_developed_share_in_partnerships", 0, 1},
    {"innovations", 0, unbounded},          {"jobs_created", 0, unbounded},
    {"ties", 0, unbounded},                 {"mean_degree", 0, unbounded},
    {"giant_component_share", 0, 1},        {"transitivity", 0, 1},
    {"interregional_tie_share", 0, 1},      {"cross_border_tie_share", 0, 1},
    {"convergence_gap", -unbounded, unbounded}};  // a difference between regions: either sign

// Below this many replicates a t interval is too wide and too dependent on normality to say much.
constexpr std::size_t few_replicates = 5;
}  // namespace

std::vector<KeyOutcome> summarize_key_outcomes(const RunResults& results) {
  std::vector<KeyOutcome> out;
  for (const KeyName& key : key_names) {
    for (std::size_t s = 0; s < results.series.size(); ++s) {
      if (results.series[s].name != key.name) continue;
      const std::size_t month = last_measured_month(results, s);
      std::vector<double> values;
      for (const auto& rep : results.replicates)
        if (month < rep.series[s].size()) values.push_back(rep.series[s][month]);
      // Replicates where the metric is undefined (NaN, e.g. cost per SME before any SME) are left out.
      KeyOutcome o{results.series[s].group, key.name, results.series[s].unit,
                   stats::summarize(stats::finite_values(values))};
      o.month_index = month;
      o.lowest = key.lowest;
      o.highest = key.highest;
      out.push_back(std::move(o));
    }
  }
  return out;
}

std::string format_value(double v, const std::string& unit) {
  if (std::isnan(v)) return "n/a";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  const bool money = unit.find("EUR") != std::string::npos;
  if (std::fabs(v) < 1000 && !(money && std::fabs(v) >= 100)) return fmt::format("{:.4g}", v);
  if (std::fabs(v) >= 1e18) return fmt::format("{:.4g}", v);
  const auto whole = static_cast<long long>(std::llround(std::fabs(v)));
  std::string digits = std::to_string(whole), grouped;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) grouped += ',';
    grouped += digits[i];
  }
  return (v < 0 && whole != 0 ? "-" : "") + grouped;
}

std::string summary_text(const RunResults& results, const std::vector<KeyOutcome>& outcomes, const std::string& output,
                         double seconds) {
  const auto date = [&](std::size_t index) {
    return index < results.months.size()
               ? fmt::format("month {} ({})", results.months[index],
                             io::month_label(results.start_year, results.start_month, results.months[index]))
               : std::string("no recorded month");
  };
  const std::size_t final_index = results.months.empty() ? 0 : results.months.size() - 1;
  std::string text = fmt::format("\n{} — {} replicate(s); values at {}, the last recorded month; mean [95% CI]\n",
                                 results.scenario_name, results.replicates.size(), date(final_index));
  bool cut = false;
  std::size_t fewest = std::numeric_limits<std::size_t>::max();
  for (const auto& o : outcomes) {
    const auto& s = o.summary;
    std::string ci;
    if (s.ci_defined()) {
      const double low = std::max(s.ci_low, o.lowest), high = std::min(s.ci_high, o.highest);
      cut = cut || low != s.ci_low || high != s.ci_high;
      ci = fmt::format("[{}, {}]", format_value(low, o.unit), format_value(high, o.unit));
      fewest = std::min(fewest, s.n);
    } else {
      ci = s.n == 0 ? "[n/a: not defined]" : s.n == 1 ? "[n/a: one replicate]" : "[n/a]";
    }
    std::string line = fmt::format("  {:<38} {:>14} {:<30} {}", o.name, format_value(s.mean, o.unit), ci, o.unit);
    if (o.month_index != final_index) line += " (at " + date(o.month_index) + ")";
    text += line + "\n";
  }
  if (cut)
    text += "intervals are cut where a t interval would pass what the quantity can be (below 0 for counts, money "
            "and shares, above 1 for shares)\n";
  if (fewest < few_replicates)
    text += fmt::format("note: from {} replicates a 95% t interval is wide (t = {:.2f}) and leans on normally "
                        "distributed outcomes; treat it as rough and run {} or more (--replicates) before relying "
                        "on it\n",
                        fewest, stats::t_quantile(0.975, double(fewest - 1)), few_replicates);
  text += fmt::format("wrote {} ({:.1f}s)\n", output, seconds);
  return text;
}

std::string summary_json(const RunResults& results, const std::vector<KeyOutcome>& outcomes, const std::string& output,
                         double seconds) {
  std::string items;
  for (const auto& o : outcomes) {
    if (!items.empty()) items.push_back(',');
    items.append(fmt::format(
        "{}:{{\"group\":{},\"unit\":{},\"mean\":{},\"sd\":{},\"ci95_low\":{},\"ci95_high\":{},\"n\":{},"
        "\"month\":{},\"date\":{}}}",
        json_string(o.name), json_string(o.group), json_string(o.unit), json_number(o.summary.mean),
        json_number(o.summary.sd), json_number(o.summary.ci_low), json_number(o.summary.ci_high), o.summary.n,
        o.month_index < results.months.size() ? std::to_string(results.months[o.month_index]) : "null",
        o.month_index < results.months.size()
            ? json_string(io::month_label(results.start_year, results.start_month, results.months[o.month_index]))
            : "null"));
  }
  return fmt::format("{{\"scenario\":{},\"output\":{},\"seed\":{},\"replicates\":{},\"seconds\":{},\"outcomes\":{{{}}}}}",
                     json_string(results.scenario_name), json_string(output), results.seed, results.replicates.size(),
                     json_number(seconds), items);
}

}  // namespace clusternet::app
