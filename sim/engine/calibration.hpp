#pragma once
// Pattern-oriented calibration (Grimm et al. 2005): the simulated counterparts of the real facts of
// scenarios/data/calibration/h2020_facts.csv, computed from a run's collaboration log, and their
// comparison with the real values (fitted facts within their resampling tolerance, held-out facts
// against stated acceptance ranges). docs/calibration.md describes the method and the split.
#include <map>
#include <string>
#include <vector>

#include "core/statistics.hpp"
#include "engine/results.hpp"
#include "engine/simulation.hpp"

namespace clusternet {

// Model windows standing for the two real periods, counted back from the horizon's end: the
// held-out period (2018-2020: 36 months of project starts) is the last 36 months, the fit period
// (2014-2017: 46 months with a start) the 46 months before it. Funded consortia are taken over the
// whole horizon (one programme).
inline constexpr Month held_out_window_months = 36;
inline constexpr Month fit_window_months = 46;

// "scope/period/fact" -> value for one replicate (e.g. "autonomous/2014-2017/repeated_pair_share").
using FactValues = std::map<std::string, double>;

std::string fact_key(const std::string& scope, const std::string& period, const std::string& fact);

// Facts of a replicate's collaborations over a horizon of `months` (at least fit + held-out
// windows, 82 months) in a world of the given scale. `network` adds the co-participation network
// facts (the dear part: a graph and its metrics), their path samples keyed by `seed`.
FactValues simulated_facts(const CollaborationTable& log, const World& world, Month months, double scale, bool network,
                           std::uint64_t seed);
// The same for a finished simulation.
FactValues simulated_facts(const Simulation& sim, bool network);

// Runs one replicate of `scenario` from its first burn-in month to its horizon (no recording).
void run_to_end(Simulation& sim);

struct RealFactInput {
  std::string fact, scope, period, role;
  double value = 0, ci_low = 0, ci_high = 0;  // NaN interval: none given
};

struct FactComparison {
  RealFactInput real;
  stats::MeanSummary simulated;  // n = 0 when the model has no counterpart
  // Fitted facts: |simulated mean - real| <= sqrt(h_real^2 + h_sim^2), h the 95% half-widths (a
  // fact without a real interval, such as the project volume, takes 5% of its value); held-out
  // network facts: inside the acceptance range below; otherwise as fitted facts.
  bool within = false;
  std::string tolerance;  // the rule applied, in words
};

// Acceptance ranges of the held-out network facts (the realism targets of the project, stated
// before the fit and never tuned to): [low, high].
struct AcceptanceRange {
  const char* fact;
  double low, high;
};
inline constexpr AcceptanceRange network_acceptance[] = {
    {"mean_local_clustering", 0.6, 0.9}, {"transitivity", 0.08, 0.4},    {"degree_assortativity", -0.2, 0.0},
    {"giant_component_share", 0.9, 1.0}, {"mean_path_length", 0.0, 4.5}, {"degree_tail_exponent", 1.3, 2.3},
    {"max_over_mean_degree", 30.0, 1e300},
};

// The method-of-simulated-moments distance: the sum over `targets` of ((mean over replicates -
// real) / scale)^2, scale = max(real 95% half-width, 2% of |real|), or 5% of |real| for a fact
// without an interval. A target the replicates lack (or a NaN mean) adds 1e6: a parameter set that
// makes a fact undefined is far from the data.
double fact_distance(const std::vector<RealFactInput>& targets, const std::vector<FactValues>& replicates);

std::vector<FactComparison> compare_facts(const std::vector<RealFactInput>& real, const std::vector<FactValues>& replicates);

}  // namespace clusternet
