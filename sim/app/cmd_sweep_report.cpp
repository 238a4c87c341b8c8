// `clusternet sweep-report SWEEP.h5 [--csv FILE] [--json] [--outcome NAME]...`: what a sweep says,
// outcome by outcome, at the final recorded month: per point the mean with its 95% interval, the
// paired difference to the first point (the counterfactual of a budget sweep), the marginal effect
// of each grid step (per million EUR along a money axis), the paired difference between contrast
// values, and for Morris and Sobol designs the sensitivity indices with bootstrap intervals. Every
// statistic comes from sim/experiments; this file only reads, arranges and prints.
#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "app/commands.hpp"
#include "app/json_text.hpp"
#include "app/results_common.hpp"
#include "app/sweep_runner.hpp"
#include "core/error.hpp"
#include "experiments/morris.hpp"
#include "experiments/saltelli.hpp"
#include "experiments/summary.hpp"
#include "io/csv.hpp"
#include "io/results_writer.hpp"
#include "io/sweep_results.hpp"

namespace clusternet::app {
namespace {

struct ReportArgs {
  std::string file;
  std::string csv;
  bool json = false;
  std::vector<std::string> outcomes;
};

// The key outcomes of `run`'s summary, in the same order; --outcome picks others.
const char* const key_outcomes[] = {"partnerships_funded",
                                    "cluster_orgs_in_partnerships",
                                    "smes_supported",
                                    "budget_committed_eur",
                                    "budget_spent_eur",
                                    "cost_per_sme_eur",
                                    "interregional_ties_per_meur",
                                    "less_developed_share_in_partnerships",
                                    "innovations",
                                    "jobs_created",
                                    "ties",
                                    "mean_degree",
                                    "giant_component_share",
                                    "transitivity",
                                    "interregional_tie_share",
                                    "cross_border_tie_share",
                                    "convergence_gap"};

struct Step {
  std::size_t axis = 0;  // design parameter
  experiments::MarginalEffect effect;
};

struct IndexSet {
  std::string target;  // "level", or "arm A - arm 0" with a contrast
  std::size_t arm = 0;
  std::vector<experiments::MorrisIndices> morris;
  std::optional<experiments::SobolIndices> sobol;
  std::string problem;  // why there are no indices (an outcome undefined at some point)
};

struct OutcomeReport {
  SeriesInfo info;
  Month month = 0;
  std::string date;
  std::vector<stats::MeanSummary> points;
  std::vector<stats::Difference> vs_first;
  std::vector<std::vector<Step>> steps;                            // per point: the steps that lead into it
  std::vector<std::optional<stats::Difference>> vs_reference_arm;  // per point; none for arm 0
  std::vector<IndexSet> indices;
};

struct Context {
  const SweepPlan& plan;
  const io::SweepFileInfo& info;
  std::optional<experiments::GridDesign> grid;
  std::optional<experiments::MorrisDesign> morris;
  std::optional<experiments::SaltelliDesign> sobol;
};

double per_of(const SweptParameter& p) { return p.kind == SweptKind::money ? 1e6 : 1.0; }
std::string per_label(const SweptParameter& p) {
  return p.kind == SweptKind::money ? "per 1M EUR" : "per unit";
}

std::string fmt_value(double v) {
  if (std::isnan(v)) return "n/a";
  if (v != 0 && (std::fabs(v) >= 1e6 || std::fabs(v) < 1e-3)) return fmt::format("{:.4g}", v);
  if (std::fabs(v) >= 100) return fmt::format("{:.0f}", v);
  return fmt::format("{:.4g}", v);
}
// fmt::format rather than operator+: GCC 12 warns falsely (-Wrestrict, its bug 105329) on "[" + string.
std::string fmt_signed(double v) {
  return std::isnan(v) ? "n/a" : fmt::format("{}{}", v > 0 ? "+" : "", fmt_value(v));
}
std::string fmt_ci(double low, double high) {
  if (std::isnan(low) || std::isnan(high)) return "[n/a]";
  return fmt::format("[{}, {}]", fmt_value(low), fmt_value(high));
}
std::string fmt_parameter(const SweptParameter& p, double v) {
  if (p.kind == SweptKind::money) {
    if (v != 0 && std::fabs(v) >= 1e6) return fmt::format("{:.6g}M", v / 1e6);
    return fmt::format("{:.6g}", v);
  }
  return fmt::format("{:.6g}", v);
}

OutcomeReport analyse(const Context& c, const io::SweepFileInfo& info, const std::string& path,
                      const SeriesInfo& series) {
  const SweepPlan& plan = c.plan;
  const std::size_t P = plan.point_count(), R = plan.replicates, M = info.months.size();
  const std::vector<double> values = io::read_sweep_metric(path, info, series.group, series.name);
  OutcomeReport out;
  out.info = series;
  // One month for every point, so that the differences compare like with like: the last month at
  // which any point has a value (metrics measured every few months are NaN in between).
  std::size_t m_index = M ? M - 1 : 0;
  for (std::size_t m = M; m-- > 0;) {
    bool any = false;
    for (std::size_t i = 0; i < P * R && !any; ++i) any = std::isfinite(values[i * M + m]);
    if (any) {
      m_index = m;
      break;
    }
  }
  out.month = M ? info.months[m_index] : 0;
  out.date = io::month_label(info.manifest.start_year, info.manifest.start_month, out.month);
  std::vector<double> at(P * R);
  for (std::size_t i = 0; i < P * R; ++i) at[i] = M ? values[i * M + m_index] : std::nan("");
  const experiments::ReplicateTable table(P, R, std::move(at));
  out.points = experiments::point_summaries(table);
  out.vs_first = experiments::paired_differences_to(table, 0);
  out.steps.resize(P);
  if (c.grid) {
    for (std::size_t axis = 0; axis < c.grid->axes.size(); ++axis) {
      const SweptParameter& p = plan.parameters[axis];
      for (const auto& [from_d, to_d] : c.grid->neighbours_along(axis))
        for (std::size_t arm = 0; arm < plan.arms; ++arm) {
          const std::size_t from = from_d * plan.arms + arm, to = to_d * plan.arms + arm;
          out.steps[to].push_back(
              {axis, experiments::marginal_effect(table, from, to, plan.points.at(from, axis),
                                                  plan.points.at(to, axis), per_of(p))});
        }
    }
  }
  out.vs_reference_arm.resize(P);
  if (plan.arms > 1)
    for (std::size_t point = 0; point < P; ++point)
      if (plan.arm(point) > 0)
        out.vs_reference_arm[point] = experiments::paired_difference(table, point - plan.arm(point), point);

  if (c.morris || c.sobol) {
    const std::size_t D = plan.design_point_count();
    const bool contrast = plan.arms > 1;
    for (std::size_t arm = contrast ? 1 : 0; arm < (contrast ? plan.arms : 1); ++arm) {
      IndexSet set;
      set.arm = arm;
      set.target = contrast ? fmt::format("arm {} - arm 0", arm) : "level";
      std::vector<double> outputs(D);
      for (std::size_t d = 0; d < D; ++d)
        outputs[d] = contrast ? out.vs_reference_arm[d * plan.arms + arm]->diff : out.points[d].mean;
      const experiments::BootstrapSettings bootstrap{plan.bootstrap_resamples, 0.95, plan.design_seed};
      try {
        if (c.morris)
          set.morris = experiments::morris_indices(*c.morris, outputs, bootstrap);
        else
          set.sobol = experiments::sobol_indices(*c.sobol, outputs, bootstrap);
      } catch (const Error& e) {
        set.problem = e.info().message + (e.info().key.empty() ? "" : " (" + e.info().key + ")");
      }
      out.indices.push_back(std::move(set));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Text

std::string text_report(const Context& c, const std::vector<OutcomeReport>& outcomes,
                        const std::string& path) {
  const SweepPlan& plan = c.plan;
  std::string keys;
  for (const auto& p : plan.parameters) keys += (keys.empty() ? "" : ", ") + p.key;
  std::string text =
      fmt::format("{} ({}): {} design over {}; {} points x {} replicates, seed {}\n", plan.name, path,
                  sweep_design_name(plan.design), keys, plan.point_count(), plan.replicates, plan.seed);
  text +=
      "Replicate k of every point draws the same random numbers: differences are paired; intervals are 95% t "
      "intervals (indices: bootstrap).\n";
  const bool list_points = plan.design == SweepDesign::grid || plan.design == SweepDesign::latin_hypercube;
  for (const auto& o : outcomes) {
    text += fmt::format("\n{} ({}{}) at month {} ({})\n", o.info.name, o.info.group,
                        o.info.unit.empty() ? "" : ", " + o.info.unit, o.month, o.date);
    if (list_points) {
      std::string header = fmt::format("  {:>5}", "point");
      for (const auto& p : plan.parameters)
        header += fmt::format("  {:>14}", p.key.size() > 14 ? p.key.substr(p.key.rfind('.') + 1) : p.key);
      header += fmt::format("  {:>30}  {:>30}", "mean [95% CI]", "vs point 0 [95% CI]");
      const bool steps = c.grid.has_value();
      const std::size_t last_axis = steps ? c.grid->axes.size() - 1 : 0;
      if (steps)
        header +=
            fmt::format("  {}", "step from previous " + per_label(plan.parameters[last_axis]) + " [95% CI]");
      if (plan.arms > 1) header += "  vs arm 0 [95% CI]";
      text += header + "\n";
      for (std::size_t point = 0; point < plan.point_count(); ++point) {
        std::string row = fmt::format("  {:>5}", point);
        for (std::size_t j = 0; j < plan.parameters.size(); ++j)
          row += fmt::format("  {:>14}", fmt_parameter(plan.parameters[j], plan.points.at(point, j)));
        const auto& s = o.points[point];
        row += fmt::format("  {:>30}", fmt_value(s.mean) + " " + fmt_ci(s.ci_low, s.ci_high));
        const auto& d = o.vs_first[point];
        row += fmt::format("  {:>30}", point == 0 ? std::string("-")
                                                  : fmt_signed(d.diff) + " " + fmt_ci(d.ci_low, d.ci_high));
        if (steps) {
          std::string step = "-";
          for (const auto& st : o.steps[point])
            if (st.axis == last_axis)
              step = fmt_signed(st.effect.effect) + " " + fmt_ci(st.effect.ci_low, st.effect.ci_high);
          row += "  " + step;
        }
        if (plan.arms > 1 && o.vs_reference_arm[point])
          row += "  " + fmt_signed(o.vs_reference_arm[point]->diff) + " " +
                 fmt_ci(o.vs_reference_arm[point]->ci_low, o.vs_reference_arm[point]->ci_high);
        text += row + "\n";
      }
      if (steps && c.grid->axes.size() > 1) text += "  (steps along the other axes: --csv or --json)\n";
    }
    for (const auto& set : o.indices) {
      const std::string of = set.target == "level" ? "" : " of the difference " + set.target;
      if (!set.problem.empty()) {
        text += fmt::format("  indices{}: not computed: {}\n", of, set.problem);
        continue;
      }
      if (c.morris) {
        text += fmt::format("  Morris indices{} (per whole range; mu* [95% CI], mu, sigma)\n", of);
        for (const auto& m : set.morris)
          text += fmt::format("    {:<44} mu* {:>10} {:<24} mu {:>10}  sigma {:>10}\n", m.parameter,
                              fmt_value(m.mu_star), fmt_ci(m.mu_star_ci.low, m.mu_star_ci.high),
                              fmt_value(m.mu), fmt_value(m.sigma));
      } else if (set.sobol) {
        text += fmt::format("  Sobol indices{} (variance {})\n", of, fmt_value(set.sobol->variance));
        for (const auto& s : set.sobol->parameters)
          text += fmt::format("    {:<44} first {:>8} {:<22} total {:>8} {}\n", s.parameter,
                              fmt_value(s.first), fmt_ci(s.first_ci.low, s.first_ci.high), fmt_value(s.total),
                              fmt_ci(s.total_ci.low, s.total_ci.high));
      }
    }
  }
  return text;
}

// ---------------------------------------------------------------------------------------------
// CSV

std::string csv_reports(const Context& c, const std::vector<OutcomeReport>& outcomes) {
  const SweepPlan& plan = c.plan;
  const std::size_t axes = c.grid ? c.grid->axes.size() : 0;
  std::string out = "outcome_group,outcome,unit,month,date,point,design_point,arm";
  for (const auto& p : plan.parameters) out += fmt::format(",{}", io::csv_quote(p.key));
  out += ",n,mean,ci95_low,ci95_high,vs_point0,vs_point0_ci95_low,vs_point0_ci95_high";
  if (plan.arms > 1) out += ",vs_arm0,vs_arm0_ci95_low,vs_arm0_ci95_high";
  for (std::size_t a = 0; a < axes; ++a) {
    const std::string k = "step." + plan.parameters[a].key;
    out += "," + io::csv_quote(k + ".from_point") + "," + io::csv_quote(k + ".effect") + "," +
           io::csv_quote(k + ".ci95_low") + "," + io::csv_quote(k + ".ci95_high") + "," +
           io::csv_quote(k + ".per");
  }
  out += "\n";
  for (const auto& o : outcomes)
    for (std::size_t point = 0; point < plan.point_count(); ++point) {
      out += io::csv_quote(o.info.group) + "," + io::csv_quote(o.info.name) + "," +
             io::csv_quote(o.info.unit) + "," + std::to_string(o.month) + "," + o.date + "," +
             std::to_string(point) + "," + std::to_string(plan.design_point(point)) + "," +
             std::to_string(plan.arm(point));
      for (std::size_t j = 0; j < plan.parameters.size(); ++j)
        out += fmt::format(",{}", io::csv_number(plan.points.at(point, j)));
      const auto& s = o.points[point];
      const auto& d = o.vs_first[point];
      out += fmt::format(",{},{},{},{},{},{},{}", s.n, io::csv_number(s.mean), io::csv_number(s.ci_low),
                         io::csv_number(s.ci_high), io::csv_number(d.diff), io::csv_number(d.ci_low),
                         io::csv_number(d.ci_high));
      if (plan.arms > 1) {
        const auto& r = o.vs_reference_arm[point];
        out += r ? fmt::format(",{},{},{}", io::csv_number(r->diff), io::csv_number(r->ci_low),
                               io::csv_number(r->ci_high))
                 : std::string(",,,");
      }
      for (std::size_t a = 0; a < axes; ++a) {
        const Step* step = nullptr;
        for (const auto& st : o.steps[point])
          if (st.axis == a) step = &st;
        out += step ? fmt::format(",{},{},{},{},{}", step->effect.from, io::csv_number(step->effect.effect),
                                  io::csv_number(step->effect.ci_low), io::csv_number(step->effect.ci_high),
                                  io::csv_number(step->effect.per))
                    : std::string(",,,,,");
      }
      out += "\n";
    }
  return out;
}

std::string csv_indices(const Context& c, const std::vector<OutcomeReport>& outcomes) {
  std::string out =
      "outcome_group,outcome,unit,target,method,parameter,mu,mu_star,mu_star_ci95_low,mu_star_ci95_high,"
      "sigma,first,"
      "first_ci95_low,first_ci95_high,total,total_ci95_low,total_ci95_high,variance,problem\n";
  for (const auto& o : outcomes)
    for (const auto& set : o.indices) {
      const std::string head = io::csv_quote(o.info.group) + "," + io::csv_quote(o.info.name) + "," +
                               io::csv_quote(o.info.unit) + "," + io::csv_quote(set.target) + ",";
      if (!set.problem.empty()) {
        out += head + (c.morris ? "morris" : "sobol") + std::string(",,,,,,,,,,,,,,") +
               io::csv_quote(set.problem) + "\n";
        continue;
      }
      for (const auto& m : set.morris)
        out += head + "morris," + io::csv_quote(m.parameter) + "," + io::csv_number(m.mu) + "," +
               io::csv_number(m.mu_star) + "," + io::csv_number(m.mu_star_ci.low) + "," +
               io::csv_number(m.mu_star_ci.high) + "," + io::csv_number(m.sigma) + ",,,,,,,,\n";
      if (set.sobol)
        for (const auto& s : set.sobol->parameters)
          out += head + "sobol," + io::csv_quote(s.parameter) + ",,,,,," + io::csv_number(s.first) + "," +
                 io::csv_number(s.first_ci.low) + "," + io::csv_number(s.first_ci.high) + "," +
                 io::csv_number(s.total) + "," + io::csv_number(s.total_ci.low) + "," +
                 io::csv_number(s.total_ci.high) + "," + io::csv_number(set.sobol->variance) + ",\n";
    }
  return out;
}

// ---------------------------------------------------------------------------------------------
// JSON

std::string json_difference(const stats::Difference& d) {
  return fmt::format("{{\"diff\":{},\"ci95_low\":{},\"ci95_high\":{},\"n\":{}}}", json_number(d.diff),
                     json_number(d.ci_low), json_number(d.ci_high), d.n_a);
}

std::string json_report(const Context& c, const std::vector<OutcomeReport>& outcomes,
                        const std::string& path) {
  const SweepPlan& plan = c.plan;
  std::string parameters;
  for (const auto& p : plan.parameters)
    parameters +=
        fmt::format("{}{{\"key\":{},\"kind\":{},\"unit\":{},\"role\":{}}}", parameters.empty() ? "" : ",",
                    json_string(p.key), json_string(swept_kind_name(p.kind)), json_string(p.unit()),
                    json_string(p.contrast ? "contrast" : "design"));
  std::string items;
  for (const auto& o : outcomes) {
    std::string points;
    for (std::size_t point = 0; point < plan.point_count(); ++point) {
      std::string values;
      for (std::size_t j = 0; j < plan.parameters.size(); ++j)
        values += fmt::format("{}{}:{}", j ? "," : "", json_string(plan.parameters[j].key),
                              json_number(plan.points.at(point, j)));
      std::string steps;
      for (const auto& st : o.steps[point])
        steps += fmt::format(
            "{}{{\"axis\":{},\"from_point\":{},\"effect\":{},\"ci95_low\":{},\"ci95_high\":{},\"per\":{}}}",
            steps.empty() ? "" : ",", json_string(plan.parameters[st.axis].key), st.effect.from,
            json_number(st.effect.effect), json_number(st.effect.ci_low), json_number(st.effect.ci_high),
            json_number(st.effect.per));
      const auto& s = o.points[point];
      points += fmt::format(
          "{}{{\"point\":{},\"design_point\":{},\"arm\":{},\"values\":{{{}}},\"n\":{},\"mean\":{},\"sd\":{},"
          "\"ci95_low\":{},"
          "\"ci95_high\":{},\"vs_point0\":{},\"vs_arm0\":{},\"steps\":[{}]}}",
          point ? "," : "", point, plan.design_point(point), plan.arm(point), values, s.n,
          json_number(s.mean), json_number(s.sd), json_number(s.ci_low), json_number(s.ci_high),
          json_difference(o.vs_first[point]),
          o.vs_reference_arm[point] ? json_difference(*o.vs_reference_arm[point]) : "null", steps);
    }
    std::string indices;
    for (const auto& set : o.indices) {
      std::string rows;
      for (const auto& m : set.morris)
        rows += fmt::format(
            "{}{{\"parameter\":{},\"mu\":{},\"mu_star\":{},\"mu_star_ci95_low\":{},\"mu_star_ci95_high\":{},"
            "\"sigma\":{}}}",
            rows.empty() ? "" : ",", json_string(m.parameter), json_number(m.mu), json_number(m.mu_star),
            json_number(m.mu_star_ci.low), json_number(m.mu_star_ci.high), json_number(m.sigma));
      if (set.sobol)
        for (const auto& s : set.sobol->parameters)
          rows += fmt::format(
              "{}{{\"parameter\":{},\"first\":{},\"first_ci95_low\":{},\"first_ci95_high\":{},\"total\":{},"
              "\"total_ci95_low\":{},\"total_ci95_high\":{}}}",
              rows.empty() ? "" : ",", json_string(s.parameter), json_number(s.first),
              json_number(s.first_ci.low), json_number(s.first_ci.high), json_number(s.total),
              json_number(s.total_ci.low), json_number(s.total_ci.high));
      indices += fmt::format("{}{{\"target\":{},\"method\":{},\"problem\":{},\"parameters\":[{}]}}",
                             indices.empty() ? "" : ",", json_string(set.target),
                             json_string(c.morris ? "morris" : "sobol"),
                             set.problem.empty() ? "null" : json_string(set.problem), rows);
    }
    items += fmt::format(
        "{}{{\"group\":{},\"name\":{},\"unit\":{},\"month\":{},\"date\":{},\"points\":[{}],\"indices\":[{}]}"
        "}",
        items.empty() ? "" : ",", json_string(o.info.group), json_string(o.info.name),
        json_string(o.info.unit), o.month, json_string(o.date), points, indices);
  }
  return fmt::format(
      "{{\"sweep\":{},\"file\":{},\"design\":{},\"points\":{},\"replicates\":{},\"seed\":{},\"arms\":{},"
      "\"parameters\":[{}],\"outcomes\":[{}]}}",
      json_string(plan.name), json_string(path), json_string(sweep_design_name(plan.design)),
      plan.point_count(), plan.replicates, plan.seed, plan.arms, parameters, items);
}

int sweep_report(const ReportArgs& args) {
  const io::SweepFileInfo info = io::read_sweep_info(args.file);
  const SweepPlan& plan = info.manifest.plan;
  Context c{plan, info, {}, {}, {}};
  try {
    if (plan.design == SweepDesign::grid) c.grid = grid_design(plan);
    if (plan.design == SweepDesign::morris) c.morris = morris_design(plan);
    if (plan.design == SweepDesign::sobol) c.sobol = sobol_design(plan);
  } catch (const Error& e) {
    throw io::ResultsFileError(io::ResultsFileError::Kind::malformed, args.file, e.what());
  }
  std::vector<SeriesInfo> chosen;
  if (args.outcomes.empty()) {
    for (const char* name : key_outcomes)
      for (const auto& s : info.series)
        if (s.name == name) chosen.push_back(s);
  } else {
    for (const auto& wanted : args.outcomes) {
      bool found = false;
      for (const auto& s : info.series)
        if (s.name == wanted || s.group + "/" + s.name == wanted) {
          chosen.push_back(s);
          found = true;
        }
      if (!found) {
        std::vector<std::string> names;
        for (const auto& s : info.series) names.push_back(s.group + "/" + s.name);
        throw Error(ErrorInfo{"the sweep file has no such metric",
                              {args.file, 0, 0},
                              "--outcome",
                              wanted,
                              "one of " + std::to_string(names.size()) + " metrics, e.g. " +
                                  (names.empty() ? "" : names.front())});
      }
    }
  }
  std::vector<OutcomeReport> outcomes;
  for (const auto& s : chosen) outcomes.push_back(analyse(c, info, args.file, s));
  if (!args.csv.empty()) {
    io::write_file_atomically(args.csv, csv_reports(c, outcomes), true);
    if (c.morris || c.sobol) {
      const std::filesystem::path p(args.csv);
      const std::string indices =
          (p.parent_path() / (p.stem().string() + "-indices" + p.extension().string())).string();
      io::write_file_atomically(indices, csv_indices(c, outcomes), true);
    }
  }
  if (args.json)
    std::cout << json_report(c, outcomes, args.file) << '\n';
  else
    std::cout << text_report(c, outcomes, args.file);
  return exit_ok;
}

const CommandRegistration sweep_report_registration(14, [](CLI::App& app, CommandResult& result) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "sweep-report",
      "What a sweep says: per point means, paired differences, marginal effects, sensitivity indices");
  cmd->add_option("sweep", args->file, "Sweep result file (written by clusternet sweep)")->required();
  cmd->add_option(
         "--csv", args->csv,
         "Also write the per-point table to FILE (and Morris/Sobol indices to FILE's name + -indices)")
      ->type_name("FILE");
  cmd->add_flag("--json", args->json, "Print the report as JSON");
  cmd->add_option("--outcome", args->outcomes,
                  "Report this metric (name or group/name; repeatable) instead of the key outcomes")
      ->type_name("NAME");
  cmd->callback([args, &result] {
    result.exit_code = with_result_files("sweep-report", [&] { return sweep_report(*args); });
  });
});

}  // namespace
}  // namespace clusternet::app
