#pragma once
// A synthetic RunResults for the results-layer tests, built without the engine. Deterministic in
// (seed, replicates, months, scale): the same arguments give identical files, a different seed
// gives different replicate noise, and `scale` multiplies every policy metric (to fake a drift or
// a scenario with a larger budget).
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "engine/results.hpp"

namespace clusternet::testing {

inline double noise(std::uint64_t seed, std::uint64_t a, std::uint64_t b) {
  // SplitMix64 of the coordinates, mapped to [-0.5, 0.5).
  std::uint64_t z = seed * 0x9E3779B97F4A7C15ULL + a * 0xBF58476D1CE4E5B9ULL + b * 0x94D049BB133111EBULL + 1;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) / 9007199254740992.0 - 0.5;
}

inline RunResults make_sample_results(std::uint64_t seed = 42, int replicates = 3, int months = 12,
                                      double scale = 1.0, const std::string& scenario = "sample") {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  RunResults r;
  r.scenario_name = scenario;
  r.seed = seed;
  r.threads = 2;
  r.start_year = 2021;
  r.start_month = 11;  // so that the dates cross a year: 2021-11, 2021-12, 2022-01, ...
  for (int m = 0; m < months; ++m) r.months.push_back(m);
  r.regions = {{"AT13", "Wien", "AT", "more_developed", 16.37, 48.21, 1.9e6, 152},
               {"PL91", "Warszawski stołeczny", "PL", "more_developed", 21.01, 52.23, 3.1e6, 160},
               {"RO11", "Nord-Vest", "RO", "less_developed", 23.6, 46.77, 2.5e6, 62},
               {"PT11", "Norte", "PT", "transition", -8.61, 41.15, 3.6e6, 65}};
  r.series = {{"network", "ties", "ties between organisations", "ties"},
              {"network", "mean_degree", "mean number of ties per organisation", "ties per organisation"},
              {"network", "giant_component_share", "share of organisations in the largest component", "share"},
              {"network", "transitivity", "global clustering coefficient (every second month)", "ratio"},
              {"policy", "budget_committed_eur", "budget committed to funded partnerships", "EUR"},
              {"policy", "partnerships_funded", "partnerships funded so far", "partnerships"},
              {"policy", "smes_supported", "unique SMEs supported", "SMEs"},
              {"policy", "cost_per_sme_eur", "budget committed per SME supported", "EUR per SME"}};
  r.region_series = {{"region_degree", "ties of the region's organisations to other regions", "ties"},
                     {"region_centrality", "eigenvector centrality in the region graph", "score"}};
  r.resolved_yaml = "name: " + scenario + "\nseed: " + std::to_string(seed) + "\nbudget: \"150M\"\n";
  r.source_files = {"scenarios/" + scenario + ".yaml", "data/regions.csv"};
  r.notes = {"PT11: population imputed from the 2019 census", "RO11: gdp_index from 2020"};
  for (int k = 0; k < replicates; ++k) {
    ReplicateResults rep;
    for (std::size_t s = 0; s < r.series.size(); ++s) {
      std::vector<double> v;
      const bool policy = r.series[s].group == "policy";
      for (int m = 0; m < months; ++m) {
        double x = (10.0 * static_cast<double>(s + 1)) * (1 + m) * (1 + 0.1 * noise(seed, k * 100 + s, m));
        if (policy) x *= scale;
        if (r.series[s].name == "transitivity") x = (m % 2 == 1) ? nan : 0.3 + 0.05 * noise(seed, k, m);
        v.push_back(x);
      }
      rep.series.push_back(v);
    }
    for (std::size_t s = 0; s < r.region_series.size(); ++s) {
      std::vector<std::vector<double>> per_month;
      for (int m = 0; m < months; ++m) {
        std::vector<double> row;
        for (std::size_t g = 0; g < r.regions.size(); ++g) row.push_back(1 + g + m + noise(seed, k * 7 + s, m * 13 + g));
        per_month.push_back(row);
      }
      rep.region_series.push_back(per_month);
    }
    rep.partnerships = {{1, "jci", 3, {3, 7, 11}, 2, 26, 1.5e6, 14, "active", {12}, 30, 0},
                        {2, "jci", 7, {7, 3}, 4, 10, 0.75e6, 5, "completed", {}, 9, 0.25e6},
                        {3, "exchange", 11, {11}, 5, 8, 0.1e6 + k, 0, "continued", {}, 0, 0}};
    // Every organisation, as the engine writes them: two isolated ones (degree 0) at the end.
    rep.final_nodes = {{3, 5, 0, 2, 2, 3, 0},  {7, 5, 1, 2, 1, 7, 0},   {11, 5, 2, 7, 2, 11, 0}, {12, 0, 2, 7, 2, 3, 2},
                       {20, 4, 3, 20, 1, 7, 1}, {25, 1, 1, 4, 0, 11, 1}, {30, 3, 0, 9, 0, -1, 0}};
    rep.final_edges = {{3, 7, 2.5, 4, 1, 0}, {3, 11, 1.0, 2, 1, 0}, {11, 12, 0.5 + k, 9, 0, -1}, {12, 20, 1.5, 5, 2, 1}};
    rep.table_names = {"degree_histogram"};
    std::vector<std::vector<double>> hist;
    for (int m = 0; m < months; ++m) {
      std::vector<double> row;
      for (int d = 0; d <= 1 + m % 4; ++d) row.push_back(std::floor(40.0 / (1 + d * d)) + k);
      hist.push_back(row);
    }
    rep.tables.push_back(hist);
    r.replicates.push_back(rep);
  }
  return r;
}

}  // namespace clusternet::testing
