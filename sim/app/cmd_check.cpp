// `clusternet check RESULT.h5 --against GOLDEN.h5`: the regression guard for CI. Compares every
// metric, region series and summary present in the golden file value by value and exits 0 (all
// within tolerance), 1 (drift, listed) or 2 (a file unusable, or shapes that cannot be compared).
#include <fnmatch.h>

#include <map>
#include <memory>

#include "app/cli_numbers.hpp"
#include "app/results_common.hpp"
#include "io/results_writer.hpp"

namespace clusternet::app {
namespace {

struct CheckOptions {
  std::string result, golden;
  double rtol = 1e-6, atol = 1e-9;
  std::vector<std::string> globs;
};

struct Drift {
  std::string what;  // e.g. "/metrics/network/ties month 5 (2021-06) replicate 2"
  double result = 0, golden = 0;
  bool missing = false;
};

bool selected(const CheckOptions& o, const std::string& group, const std::string& name) {
  if (o.globs.empty()) return true;
  const std::string qualified = group + "/" + name;
  for (const auto& g : o.globs)
    if (fnmatch(g.c_str(), name.c_str(), 0) == 0 || fnmatch(g.c_str(), qualified.c_str(), 0) == 0) return true;
  return false;
}

bool within(double a, double b, const CheckOptions& o) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  if (std::isinf(a) || std::isinf(b)) return a == b;
  return std::fabs(a - b) <= o.atol + o.rtol * std::fabs(b);
}

int check(const CheckOptions& o) {
  const RunResults golden = io::read_results(o.golden, io::FinalNetwork::verify);
  const RunResults result = io::read_results(o.result, io::FinalNetwork::verify);
  if (golden.months != result.months || golden.replicates.size() != result.replicates.size() ||
      golden.regions.size() != result.regions.size()) {
    std::cerr << fmt::format(
        "clusternet check: shapes differ: result has {} replicates x {} months x {} regions, golden {} x {} x {}; "
        "rerun the scenario with the golden's settings or refresh the golden deliberately\n",
        result.replicates.size(), result.months.size(), result.regions.size(), golden.replicates.size(),
        golden.months.size(), golden.regions.size());
    return exit_usage;
  }
  const std::size_t R = golden.replicates.size(), M = golden.months.size();
  auto date = [&](std::size_t m) { return io::month_label(golden.start_year, golden.start_month, golden.months[m]); };
  std::vector<Drift> drifts;
  std::size_t datasets = 0, values = 0;

  for (std::size_t gs = 0; gs < golden.series.size(); ++gs) {
    const auto& info = golden.series[gs];
    if (!selected(o, info.group, info.name)) continue;
    ++datasets;
    const std::string where = "/metrics/" + info.group + "/" + info.name;
    std::size_t rs = result.series.size();
    for (std::size_t i = 0; i < result.series.size(); ++i)
      if (result.series[i].group == info.group && result.series[i].name == info.name) rs = i;
    if (rs == result.series.size()) {
      drifts.push_back({where + ": missing from the result", 0, 0, true});
      continue;
    }
    for (std::size_t k = 0; k < R; ++k)
      for (std::size_t m = 0; m < M; ++m, ++values) {
        const double a = result.replicates[k].series[rs][m], b = golden.replicates[k].series[gs][m];
        if (!within(a, b, o))
          drifts.push_back({fmt::format("{} month {} ({}) replicate {}", where, golden.months[m], date(m), k), a, b});
      }
  }

  for (std::size_t gs = 0; gs < golden.region_series.size(); ++gs) {
    const auto& info = golden.region_series[gs];
    if (!selected(o, "regions", info.name)) continue;
    ++datasets;
    const std::string where = "/regions/" + info.name;
    std::size_t rs = result.region_series.size();
    for (std::size_t i = 0; i < result.region_series.size(); ++i)
      if (result.region_series[i].name == info.name) rs = i;
    if (rs == result.region_series.size()) {
      drifts.push_back({where + ": missing from the result", 0, 0, true});
      continue;
    }
    for (std::size_t k = 0; k < R; ++k)
      for (std::size_t m = 0; m < M; ++m)
        for (std::size_t g = 0; g < golden.regions.size(); ++g, ++values) {
          const double a = result.replicates[k].region_series[rs][m][g], b = golden.replicates[k].region_series[gs][m][g];
          if (!within(a, b, o))
            drifts.push_back({fmt::format("{} month {} ({}) replicate {} region {}", where, golden.months[m], date(m),
                                          k, golden.regions[g].nuts_id),
                              a, b});
        }
  }

  const auto golden_summary = io::read_summary(o.golden);
  const auto result_summary = io::read_summary(o.result);
  for (const auto& g : golden_summary) {
    if (!selected(o, g.group, g.name)) continue;
    ++datasets;
    const std::string where = "/summary/" + g.group + "/" + g.name;
    const io::SummaryEntry* r = nullptr;
    for (const auto& e : result_summary)
      if (e.group == g.group && e.name == g.name) r = &e;
    if (!r) {
      drifts.push_back({where + ": missing from the result", 0, 0, true});
      continue;
    }
    const std::pair<const char*, std::pair<double, double>> fields[] = {
        {"n", {double(r->n), double(g.n)}}, {"month", {double(r->month), double(g.month)}},          {"mean", {r->mean, g.mean}},
        {"std", {r->std, g.std}}, {"ci95_low", {r->ci95_low, g.ci95_low}}, {"ci95_high", {r->ci95_high, g.ci95_high}}};
    for (const auto& [field, v] : fields) {
      ++values;
      if (!within(v.first, v.second, o)) drifts.push_back({where + " " + field, v.first, v.second});
    }
  }

  if (datasets == 0) {
    std::cerr << "clusternet check: no dataset of the golden file matches --metrics; nothing was compared\n";
    return exit_usage;
  }
  if (drifts.empty()) {
    std::cout << fmt::format("check: OK — {} datasets, {} values within rtol={} atol={} of {}\n", datasets, values,
                             o.rtol, o.atol, o.golden);
    return exit_ok;
  }
  constexpr std::size_t shown = 25;
  std::cout << fmt::format("check: DRIFT — {} of {} values in {} datasets differ from {} beyond rtol={} atol={}:\n",
                           drifts.size(), values, datasets, o.golden, o.rtol, o.atol);
  for (std::size_t i = 0; i < std::min(shown, drifts.size()); ++i) {
    const auto& d = drifts[i];
    if (d.missing)
      std::cout << "  " << d.what << '\n';
    else
      std::cout << fmt::format("  {}: result {} golden {} (difference {})\n", d.what, num(d.result), num(d.golden),
                               num(d.result - d.golden));
  }
  if (drifts.size() > shown) std::cout << fmt::format("  ... and {} more\n", drifts.size() - shown);
  return exit_failure;
}

const CommandRegistration check_registration(30, [](CLI::App& app, CommandResult& result) {
  auto o = std::make_shared<CheckOptions>();
  auto* cmd = app.add_subcommand(
      "check",
      "Compare a result with a golden result for regression testing: every metric, region series and summary "
      "present in the golden, value by value (replicate x month). A value matches when |result - golden| <= atol + "
      "rtol * |golden|; NaN matches NaN.\nExit status: 0 all match; 1 drift (listed, at most 25 lines); 2 a file is "
      "missing, not HDF5, truncated, foreign, incomplete or .partial, or the shapes (replicates, months, regions) "
      "differ.");
  cmd->add_option("RESULT", o->result, "result file to check (.h5)")->required();
  cmd->add_option("--against", o->golden, "golden result file (.h5) to compare with")->required();
  cmd->add_option("--rtol", o->rtol, "relative tolerance")->capture_default_str()
      ->transform(real_number(0, std::numeric_limits<double>::infinity()));
  cmd->add_option("--atol", o->atol, "absolute tolerance")->capture_default_str()
      ->transform(real_number(0, std::numeric_limits<double>::infinity()));
  cmd->add_option("--metrics", o->globs,
                  "compare only datasets whose name or group/name matches this shell glob (e.g. 'ties', "
                  "'policy/*', 'regions/*'); repeatable");
  cmd->callback([o, &result] { result.exit_code = with_result_files("check", [&] { return check(*o); }); });
});

}  // namespace
}  // namespace clusternet::app
