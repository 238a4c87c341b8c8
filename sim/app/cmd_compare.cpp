// `clusternet compare A.h5 B.h5`: every metric of two runs side by side at the final month, with the
// difference B - A and its 95% confidence interval. When both runs share the seed and the number
// of replicates, replicate k of A and of B drew the same random numbers (common random numbers),
// so the interval is computed on the paired differences, which removes the shared noise; otherwise
// Welch's unpaired interval is used. The output says which.
#include <sstream>
#include <memory>

#include "app/json_text.hpp"
#include "app/results_common.hpp"
#include "core/statistics.hpp"
#include "io/csv.hpp"
#include "io/results_writer.hpp"
#include "io/safe_file.hpp"

namespace clusternet::app {
namespace {

struct CompareOptions {
  std::string a, b;
  bool json = false, over_time = false;
  std::string csv;
};

struct Row {
  std::string group, name, unit;
  int month = 0;  // recorded month compared
  std::string date;
  stats::Difference d;
};

std::vector<double> values_at(const RunResults& r, std::size_t s, std::size_t m) {
  std::vector<double> v;
  for (const auto& rep : r.replicates) v.push_back(rep.series[s][m]);
  return v;
}

int compare(const CompareOptions& o) {
  const RunResults a = io::read_results(o.a, io::FinalNetwork::verify);
  const RunResults b = io::read_results(o.b, io::FinalNetwork::verify);
  const bool paired = a.seed == b.seed && a.replicates.size() == b.replicates.size();
  const std::string mode =
      paired ? fmt::format("paired by replicate (both runs use seed {} and {} replicates: common random numbers)",
                           a.seed, a.replicates.size())
             : fmt::format("unpaired, Welch interval (seeds {} vs {}, replicates {} vs {}: no common random numbers)",
                           a.seed, b.seed, a.replicates.size(), b.replicates.size());
  auto diff = [&](const std::vector<double>& x, const std::vector<double>& y) {
    return paired ? stats::paired_difference(x, y) : stats::welch_difference(x, y);
  };

  std::vector<Row> finals, over_time;
  for (std::size_t sa = 0; sa < a.series.size(); ++sa) {
    std::size_t sb = b.series.size();
    for (std::size_t i = 0; i < b.series.size(); ++i)
      if (b.series[i].group == a.series[sa].group && b.series[i].name == a.series[sa].name) sb = i;
    if (sb == b.series.size()) continue;
    const auto& info = a.series[sa];
    const std::size_t ma = last_measured_month(a, sa), mb = last_measured_month(b, sb);
    if (a.months.empty() || b.months.empty()) continue;
    finals.push_back({info.group, info.name, info.unit, a.months[ma],
                      io::month_label(a.start_year, a.start_month, a.months[ma]),
                      diff(values_at(a, sa, ma), values_at(b, sb, mb))});
    if (o.over_time)
      for (std::size_t m = 0; m < a.months.size(); ++m)
        for (std::size_t n = 0; n < b.months.size(); ++n)
          if (b.months[n] == a.months[m])
            over_time.push_back({info.group, info.name, info.unit, a.months[m],
                                 io::month_label(a.start_year, a.start_month, a.months[m]),
                                 diff(values_at(a, sa, m), values_at(b, sb, n))});
  }
  const bool single = a.replicates.size() < 2 || b.replicates.size() < 2;
  const std::size_t flagged =
      static_cast<std::size_t>(std::count_if(finals.begin(), finals.end(), [](const Row& r) { return r.d.excludes_zero(); }));

  if (!o.csv.empty()) {
    std::ostringstream out;
    out << "scenario_a,scenario_b,mode,group,metric,unit,month,date,n_a,n_b,mean_a,mean_b,difference,ci95_low,"
           "ci95_high,ci_excludes_zero\n";
    auto write = [&](const std::vector<Row>& rows) {
      for (const auto& r : rows)
        out << io::csv_quote(a.scenario_name) << ',' << io::csv_quote(b.scenario_name) << ',' << (paired ? "paired" : "welch")
            << ',' << io::csv_quote(r.group) << ',' << io::csv_quote(r.name) << ',' << io::csv_quote(r.unit) << ',' << r.month
            << ',' << r.date << ',' << r.d.n_a << ',' << r.d.n_b << ',' << io::csv_number(r.d.mean_a) << ','
            << io::csv_number(r.d.mean_b) << ',' << io::csv_number(r.d.diff) << ',' << io::csv_number(r.d.ci_low) << ','
            << io::csv_number(r.d.ci_high) << ',' << (r.d.excludes_zero() ? 1 : 0) << '\n';
    };
    write(o.over_time ? over_time : finals);
    // Every write checked: /dev/full or a full disk fail the command, and a failed write never
    // leaves a truncated file behind.
    io::write_output_text(o.csv, out.str(), "--csv");
  }

  if (o.json) {
    auto rows_json = [&](const std::vector<Row>& rows) {
      std::string s = "[";
      for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto& r = rows[i];
        s += fmt::format(
            "{}\n    {{\"group\": {}, \"metric\": {}, \"unit\": {}, \"month\": {}, \"date\": {}, \"n_a\": {}, "
            "\"n_b\": {}, \"mean_a\": {}, \"mean_b\": {}, \"difference\": {}, \"ci95_low\": {}, \"ci95_high\": {}, "
            "\"ci_excludes_zero\": {}}}",
            i ? "," : "", json_string(r.group), json_string(r.name), json_string(r.unit), r.month, json_string(r.date),
            r.d.n_a, r.d.n_b, json_number(r.d.mean_a), json_number(r.d.mean_b), json_number(r.d.diff),
            json_number(r.d.ci_low), json_number(r.d.ci_high), r.d.excludes_zero() ? "true" : "false");
      }
      return s + (rows.empty() ? "]" : "\n  ]");
    };
    std::cout << "{\n  \"a\": {\"file\": " << json_string(o.a) << ", \"scenario\": " << json_string(a.scenario_name)
              << ", \"seed\": " << a.seed << ", \"replicates\": " << a.replicates.size() << "},\n"
              << "  \"b\": {\"file\": " << json_string(o.b) << ", \"scenario\": " << json_string(b.scenario_name)
              << ", \"seed\": " << b.seed << ", \"replicates\": " << b.replicates.size() << "},\n"
              << "  \"paired\": " << (paired ? "true" : "false") << ",\n  \"mode\": " << json_string(mode) << ",\n"
              << "  \"final\": " << rows_json(finals);
    if (o.over_time) std::cout << ",\n  \"over_time\": " << rows_json(over_time);
    std::cout << "\n}\n";
    return exit_ok;
  }

  std::cout << fmt::format("A: {} (scenario {}, seed {}, {} replicates)\nB: {} (scenario {}, seed {}, {} replicates)\n",
                           o.a, a.scenario_name, a.seed, a.replicates.size(), o.b, b.scenario_name, b.seed,
                           b.replicates.size())
            << "Comparison: " << mode << "\n";
  if (single)
    std::cout << "Note: with a single replicate on a side the 95% interval of the difference is undefined (n/a); "
                 "run more replicates to judge differences.\n";
  std::cout << "Values at the final month (mean over replicates); difference = B - A; * = the 95% interval "
               "excludes zero.\n\n";
  auto print = [&](const std::vector<Row>& rows, bool with_month) {
    std::size_t w = 6;
    for (const auto& r : rows) w = std::max(w, r.group.size() + r.name.size() + 1);
    std::cout << fmt::format("{:<{}} {}{:>13} {:>13} {:>13} {:>29}\n", "metric", w, with_month ? "date     " : "",
                             "A", "B", "B - A", "95% CI of B - A");
    for (const auto& r : rows) {
      const std::string ci = r.d.ci_defined() ? fmt::format("[{}, {}]", num(r.d.ci_low), num(r.d.ci_high)) : "n/a";
      std::cout << fmt::format("{:<{}} {}{:>13} {:>13} {:>13} {:>29} {}\n", r.group + "/" + r.name, w,
                               with_month ? r.date + "  " : "", num(r.d.mean_a), num(r.d.mean_b), num(r.d.diff), ci,
                               r.d.excludes_zero() ? "*" : "");
    }
  };
  print(finals, false);
  std::cout << fmt::format("\n{} of {} metrics differ (95% interval excludes zero).\n", flagged, finals.size());
  if (o.over_time) {
    std::cout << "\nOver time:\n";
    print(over_time, true);
  }
  return exit_ok;
}

const CommandRegistration compare_registration(22, [](CLI::App& app, CommandResult& result) {
  auto o = std::make_shared<CompareOptions>();
  auto* cmd = app.add_subcommand(
      "compare",
      "Compare two results metric by metric at the final month: mean of A, mean of B, difference B - A and its 95% "
      "confidence interval. Paired by replicate when both runs have the same seed and number of replicates (common "
      "random numbers), Welch's unpaired interval otherwise; the output says which. Differences whose interval "
      "excludes zero are marked with *. Metrics present in only one file are skipped.\nExit status: 0 compared; 2 a "
      "file is missing, not HDF5, truncated, foreign, incomplete or .partial.");
  cmd->add_option("A", o->a, "first result (.h5), e.g. the counterfactual or the smaller budget")->required();
  cmd->add_option("B", o->b, "second result (.h5)")->required();
  cmd->add_flag("--json", o->json, "print the comparison as JSON instead of a table");
  cmd->add_option("--csv", o->csv, "also write the comparison as CSV to this file");
  cmd->add_flag("--over-time", o->over_time,
                "also compare every recorded month present in both files (the CSV then holds every month)");
  cmd->callback([o, &result] { result.exit_code = with_result_files("compare", [&] { return compare(*o); }); });
});

}  // namespace
}  // namespace clusternet::app
