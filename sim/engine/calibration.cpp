#include "engine/calibration.hpp"

#include <cmath>
#include <algorithm>
#include <cstdio>
#include <limits>

#include "engine/ensemble.hpp"
#include "engine/participation_facts.hpp"

namespace clusternet {

namespace {
std::string stats_number(double x) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", x);
  return buffer;
}
}  // namespace

std::string fact_key(const std::string& scope, const std::string& period, const std::string& fact) {
  return scope + "/" + period + "/" + fact;
}

void run_to_end(Simulation& sim) {
  while (!sim.finished()) sim.step();
}

namespace {

void add_participation(FactValues& out, const std::string& scope, const std::string& period, const ParticipationFacts& f,
                       double months, double scale) {
  auto put = [&](const char* name, double value) { out[fact_key(scope, period, name)] = value; };
  put("project_size_median", f.project_size_median);
  put("project_size_mean", f.project_size_mean);
  put("project_size_p90", f.project_size_p90);
  put("project_size_max", f.project_size_max);
  put("bilateral_project_share", f.bilateral_project_share);
  put("cross_border_project_share", f.cross_border_project_share);
  put("participations_once_share", f.participations_once_share);
  put("participations_10plus_share", f.participations_10plus_share);
  put("participations_mean", f.participations_mean);
  put("research_participation_share", f.research_participation_share);
  put("firm_participation_share", f.firm_participation_share);
  put("other_participation_share", f.other_participation_share);
  put("repeated_pair_share", f.repeated_pair_share);
  put("orgs_without_repeated_partner_share", f.orgs_without_repeated_partner_share);
  // The volume at scale 1: the model's world at scale s holds s times the organisations.
  put("eu_projects_per_month", static_cast<double>(f.projects) / months / scale);
}

void add_network(FactValues& out, const std::string& period, const CoParticipationFacts& f) {
  auto put = [&](const char* name, double value) { out[fact_key("autonomous", period, name)] = value; };
  put("mean_local_clustering", f.mean_local_clustering);
  put("transitivity", f.transitivity);
  put("degree_assortativity", f.degree_assortativity);
  put("giant_component_share", f.giant_component_share);
  put("mean_path_length", f.mean_path_length);
  put("degree_tail_exponent", f.degree_tail_exponent);
  put("max_over_mean_degree", f.max_over_mean_degree);
  put("mean_degree", f.mean_degree);
}

}  // namespace

FactValues simulated_facts(const Simulation& sim, bool network) {
  CollaborationTable table;
  record_collaborations(sim.state().collaborations, table);
  return simulated_facts(table, sim.world(), sim.scenario().months, sim.scenario().world.scale, network,
                         hash_mix(sim.scenario().seed, sim.replicate()));
}

FactValues simulated_facts(const CollaborationTable& log, const World& world, Month months, double scale, bool network,
                           std::uint64_t seed) {
  const Month end = months;
  FactValues out;
  // Funded facts count every member of a partnership, associated members included: in the model
  // the firms and research organisations of a cluster consortium take part as associated members
  // of its cluster partners, the counterpart of the firms, universities and research centres that
  // "Innovation in SMEs" consortia list beside their cluster organisations.
  struct Window {
    const char* period;
    Month from, to;
  };
  const Window windows[] = {{"2014-2017", end - held_out_window_months - fit_window_months, end - held_out_window_months},
                            {"2018-2020", end - held_out_window_months, end}};
  for (const Window& w : windows) {
    const CollaborationFilter autonomous{TieOrigin::autonomous, w.from, w.to};
    add_participation(out, "autonomous", w.period, participation_facts(log, world, autonomous),
                      static_cast<double>(w.to - w.from), scale);
    if (network)
      add_network(out, w.period, coparticipation_facts(log, world, autonomous, seed));
    const CollaborationFilter funded{TieOrigin::partnership, 0, end};
    add_participation(out, "funded", w.period, participation_facts(log, world, funded), static_cast<double>(end), scale);
  }
  return out;
}

double fact_distance(const std::vector<RealFactInput>& targets, const std::vector<FactValues>& replicates) {
  double distance = 0;
  for (const RealFactInput& r : targets) {
    const std::string key = fact_key(r.scope, r.period, r.fact);
    double sum = 0, n = 0;
    for (const FactValues& rep : replicates)
      if (auto it = rep.find(key); it != rep.end() && std::isfinite(it->second)) {
        sum += it->second;
        n += 1;
      }
    if (n == 0) {
      distance += 1e6;
      continue;
    }
    const bool interval = std::isfinite(r.ci_low) && std::isfinite(r.ci_high);
    const double scale = interval ? std::max(0.5 * (r.ci_high - r.ci_low), 0.02 * std::abs(r.value)) : 0.05 * std::abs(r.value);
    const double z = (sum / n - r.value) / std::max(scale, 1e-12);
    distance += z * z;
  }
  return distance;
}

std::vector<FactComparison> compare_facts(const std::vector<RealFactInput>& real, const std::vector<FactValues>& replicates) {
  std::vector<FactComparison> rows;
  for (const RealFactInput& r : real) {
    if (r.role == "fit-direct") continue;  // distribution parameters: used as inputs, not compared
    FactComparison c;
    c.real = r;
    std::vector<double> values;
    const std::string key = fact_key(r.scope, r.period, r.fact);
    for (const FactValues& rep : replicates)
      if (auto it = rep.find(key); it != rep.end() && std::isfinite(it->second)) values.push_back(it->second);
    if (values.empty()) {
      c.tolerance = "no simulated counterpart";
      rows.push_back(std::move(c));
      continue;
    }
    c.simulated = stats::summarize(values);
    const double h_sim = c.simulated.ci_defined() ? 0.5 * (c.simulated.ci_high - c.simulated.ci_low) : 0.0;
    const AcceptanceRange* range = nullptr;
    for (const AcceptanceRange& a : network_acceptance)
      if (r.fact == a.fact) range = &a;
    if (r.role == "validate" && range) {
      c.within = c.simulated.mean >= range->low && c.simulated.mean <= range->high;
      c.tolerance = range->high > 1e299 ? "acceptance: >= " + stats_number(range->low)
                                         : "acceptance: [" + stats_number(range->low) + ", " + stats_number(range->high) + "]";
    } else {
      const bool interval = std::isfinite(r.ci_low) && std::isfinite(r.ci_high);
      const double h_real = interval ? 0.5 * (r.ci_high - r.ci_low) : 0.05 * std::abs(r.value);
      const double allowed = std::sqrt(h_real * h_real + h_sim * h_sim);
      c.within = std::abs(c.simulated.mean - r.value) <= allowed;
      c.tolerance = std::string(interval ? "resampling" : "5% of value") + ": +-" + stats_number(allowed);
    }
    rows.push_back(std::move(c));
  }
  return rows;
}

}  // namespace clusternet
