#include "io/scenario_checks.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "io/money.hpp"
#include "io/safe_file.hpp"
#include "io/scenario_composition.hpp"
#include "io/scenario_loader.hpp"
#include "io/sweep_plan.hpp"
#include "world/regions.hpp"

namespace clusternet::io {

namespace {

class CrossChecks {
 public:
  CrossChecks(const Scenario& s, const std::map<std::string, SourceLocation>& locations, const SourceLocation& root,
              ErrorCollector& errors)
      : s_(s), locations_(locations), root_(root), errors_(errors) {}

  void run() {
    check_output_naming();
    check_world();
    const auto& b = s_.behaviour;
    if (b.project_duration_min_months > b.project_duration_max_months)
      add("behaviour.project_duration_min_months", "project_duration_min_months is above project_duration_max_months",
          std::to_string(b.project_duration_min_months) + " > " + std::to_string(b.project_duration_max_months), "min <= max");
    if (b.repeat_tie_propensity + b.triadic_closure_propensity + b.cluster_member_propensity > 1.0 + 1e-9)
      add("behaviour.cluster_member_propensity", "candidate source shares add up to more than 1",
          std::to_string(b.repeat_tie_propensity + b.triadic_closure_propensity + b.cluster_member_propensity),
          "repeat_tie_propensity + triadic_closure_propensity + cluster_member_propensity <= 1");
    for (const auto& in : s_.instruments) check_instrument(in);
    const auto& m = s_.measurement;
    if (m.every_months > s_.months)
      add("measurement.every_months", "measures less often than the horizon is long",
          std::to_string(m.every_months), "at most horizon.months (" + std::to_string(s_.months) + ")");
    if (m.expensive_every_months % m.every_months != 0)
      add("measurement.expensive_every_months", "expensive metrics must fall on measured months",
          std::to_string(m.expensive_every_months), "a multiple of every_months (" + std::to_string(m.every_months) + ")");
  }

 private:
  const Scenario& s_;
  const std::map<std::string, SourceLocation>& locations_;
  SourceLocation root_;
  ErrorCollector& errors_;

  // The location of a path, or of its nearest written ancestor (a default has no position).
  SourceLocation at(std::string path) const {
    while (true) {
      if (auto it = locations_.find(path); it != locations_.end()) return it->second;
      const auto dot = path.rfind('.');
      if (dot == std::string::npos) return root_;
      path.resize(dot);
    }
  }
  void add(const std::string& path, std::string message, std::string found, std::string valid) {
    errors_.add({std::move(message), at(path), path, std::move(found), std::move(valid)});
  }

  // The name becomes the default result file output/<name>.h5 and output.path a file under
  // output/: neither may name a file anywhere else ("../../x", "/tmp/x", "", "~").
  void check_output_naming() {
    const std::string& name = s_.name;
    const bool plain = !name.empty() && name.size() <= 100 && std::isalnum(static_cast<unsigned char>(name[0])) &&
                       std::all_of(name.begin(), name.end(), [](char c) {
                         return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
                       });
    if (!plain && locations_.count("name"))
      add("name", name.empty() ? "the scenario name is empty" : "the scenario name is not a plain file name",
          name.empty() ? "nothing" : name,
          "letters, digits, '_', '-' and '.', starting with a letter or digit, at most 100 characters "
          "(it names the result file output/<name>.h5)");
    const std::string& path = s_.output.path;
    if (!path.empty() && !names_file_inside(path, "output"))
      add("output.path", "output.path must name a file inside output/ (write elsewhere with -o)", path,
          "a relative path under output/, e.g. output/jci/run-1.h5");
  }

  void check_world() {
    const auto& w = s_.world;
    const double sum = w.sme_micro_share + w.sme_small_share + w.sme_medium_share;
    if (std::abs(sum - 1.0) > world_limits::sme_share_sum_tolerance) {
      char found[64];
      std::snprintf(found, sizeof found, "%g + %g + %g = %.9g", w.sme_micro_share, w.sme_small_share,
                    w.sme_medium_share, sum);
      add(locations_.count("world.sme_micro_share") ? "world.sme_micro_share" :
          locations_.count("world.sme_small_share") ? "world.sme_small_share" : "world.sme_medium_share",
          "SME size shares must sum to 1", found, "sme_micro_share + sme_small_share + sme_medium_share = 1 (within 1e-6)");
    }
    if (w.s3_min_priorities > w.s3_max_priorities)
      add("world.s3_min_priorities", "s3_min_priorities is above s3_max_priorities",
          std::to_string(w.s3_min_priorities) + " > " + std::to_string(w.s3_max_priorities), "min <= max");
    const double labels = w.label_bronze_share + w.label_silver_share + w.label_gold_share;
    if (labels > 1.0 + world_limits::label_share_sum_tolerance)
      add("world.label_gold_share", "label shares add up to more than 1", std::to_string(labels),
          "label_bronze_share + label_silver_share + label_gold_share <= 1");
    // Country codes are checked against EU27 only for the shipped region table.
    if (w.region_table.empty()) {
      for (std::size_t i = 0; i < w.countries.size(); ++i) {
        const auto& code = w.countries[i];
        if (!is_eu27_country(code)) {
          const std::string hint = code == "GR" ? "; Eurostat writes Greece as EL" : "";
          add("world.countries", "not an EU27 country code" + hint, code, "two-letter Eurostat codes: " + eu27_country_list());
        }
        if (std::find(w.countries.begin(), w.countries.begin() + static_cast<std::ptrdiff_t>(i), code) !=
            w.countries.begin() + static_cast<std::ptrdiff_t>(i))
          add("world.countries", "country listed twice", code, "each country once");
      }
      for (const auto& code : w.regions) {
        if (!is_nuts2_code(code) || !is_eu27_country(std::string_view(code).substr(0, 2)))
          add("world.regions", "not a NUTS-2 code of an EU27 region", code, "a code such as DE21, FR10, EL30");
      }
    }
  }

  void check_instrument(const InstrumentSpec& in) {
    const std::string p = "instruments." + in.name + ".";
    const bool grants = in.kind != InstrumentKind::exchange;
    if (grants && in.grant_max <= 0)
      add(p + "grant", "a " + std::string(in.kind == InstrumentKind::consortium ? "consortium" : "capacity_building") +
          " instrument needs a grant", format_money(in.grant_max), "grant (or grant_min and grant_max) above 0");
    if (in.grant_min > in.grant_max)
      add(p + "grant_min", "grant_min is above grant_max", format_money(in.grant_min) + " > " + format_money(in.grant_max),
          "grant_min <= grant_max");
    if (in.budget > 0 && in.grant_min > in.budget)
      add(p + "grant_min", "a single grant is larger than the instrument's budget",
          format_money(in.grant_min) + " > " + format_money(in.budget), "grant_min <= budget");
    if (in.kind == InstrumentKind::exchange) {
      if (in.lump_sum_per_visit <= 0)
        add(p + "lump_sum_per_visit", "an exchange instrument needs a lump sum per visit",
            format_money(in.lump_sum_per_visit), "an amount above 0, e.g. 1100 EUR");
      if (in.visits_per_month <= 0)
        add(p + "visits_per_month", "an exchange instrument needs visits per month", "0", "a number > 0");
    }
    if (in.sme_cascade_share > 0 && in.support_per_sme <= 0 && in.voucher_max <= 0)
      add(p + "support_per_sme", "a cascade to SMEs needs a voucher size", format_money(in.support_per_sme),
          "an amount above 0, or a voucher range (voucher_min, voucher_max), when sme_cascade_share > 0");
    if (in.support_per_sme > 0 && grants && in.grant_max > 0 && in.support_per_sme > in.grant_max)
      add(p + "support_per_sme", "one SME's support exceeds a whole grant", format_money(in.support_per_sme),
          "at most grant_max (" + format_money(in.grant_max) + ")");
    if (in.voucher_min > in.voucher_max)
      add(p + "voucher_min", "voucher_min is above voucher_max", format_money(in.voucher_min) + " > " + format_money(in.voucher_max),
          "voucher_min <= voucher_max");
    if (in.voucher_max > 0 && grants && in.grant_max > 0 && in.voucher_max > in.grant_max)
      add(p + "voucher_max", "one SME's voucher exceeds a whole grant", format_money(in.voucher_max),
          "at most grant_max (" + format_money(in.grant_max) + ")");
    const auto& r = in.rules;
    if (r.min_partners > r.max_partners)
      add(p + "rules.min_partners", "min_partners is above max_partners",
          std::to_string(r.min_partners) + " > " + std::to_string(r.max_partners), "min_partners <= max_partners");
    if (r.min_countries > r.max_partners)
      add(p + "rules.min_countries", "more countries required than partners allowed",
          std::to_string(r.min_countries) + " > max_partners " + std::to_string(r.max_partners),
          "min_countries <= max_partners");
    const int countries = world_country_count(s_.world);
    if (r.min_countries > countries)
      add(p + "rules.min_countries", "more countries required than the world includes",
          std::to_string(r.min_countries), "at most " + std::to_string(countries) + " (the countries of world.countries / world.regions)");
    if (r.eligible_kinds.empty())
      add(p + "rules.eligible_kinds", "no organisation kind is eligible", "an empty list", "at least one kind, e.g. [cluster]");
    // Calendar: every call's deadline must fall inside the horizon.
    const auto& c = in.calendar;
    const Month last_deadline = c.open_month + (c.calls - 1) * c.call_interval_months + c.open_months;
    if (last_deadline >= s_.months)
      add(p + "calendar", "the last call's deadline is beyond the horizon",
          "month " + std::to_string(last_deadline) + " (open_month + (calls-1) * call_interval_months + open_months)",
          "before month " + std::to_string(s_.months) + " (horizon.months)");
    if (in.continuation.enabled) {
      const auto& cont = in.continuation;
      if (cont.milestone_month > in.duration_months)
        add(p + "continuation.milestone_month", "the milestone falls after the project has ended",
            std::to_string(cont.milestone_month), "at most duration_months (" + std::to_string(in.duration_months) + ")");
      const Month first_start = c.open_month + c.open_months + c.start_delay_months;
      if (first_start + cont.milestone_month >= s_.months)
        add(p + "continuation.milestone_month", "the first milestone is beyond the horizon",
            "month " + std::to_string(first_start + cont.milestone_month),
            "before month " + std::to_string(s_.months) + " (first project start " + std::to_string(first_start) + " + milestone)");
    }
  }
};

}  // namespace

void check_scenario(const ParsedScenario& parsed, const SourceLocation& root, ErrorCollector& errors) {
  CrossChecks(parsed.scenario, parsed.locations, root, errors).run();
}

void check_sweep(const Scenario& scenario, const YamlValue& tree, ErrorCollector& errors) {
  // The sweep's own reading: keys, values, design settings, and every point as a scenario.
  plan_sweep(scenario, tree, errors);
}

}  // namespace clusternet::io
