#pragma once
// A scenario: everything one run needs, parsed once by sim/io into validated plain values. No hot
// loop ever looks a setting up by name.
#include <cstdint>
#include <string>
#include <vector>

#include "behaviour/behaviour_params.hpp"
#include "policy/instrument.hpp"
#include "world/world_config.hpp"

namespace clusternet {

struct MeasurementConfig {
  Month every_months = 1;              // cheap network, policy and region metrics
  Month expensive_every_months = 12;   // communities, path lengths, betweenness (also the final month)
  bool network = true;
  bool policy = true;
  bool regions = true;
  bool communities = true;
  bool paths = true;
  bool betweenness = true;
  std::uint32_t path_sample_size = 64;        // BFS sources for mean_path_length / effective_diameter
  std::uint32_t betweenness_sample_size = 32; // sources for approximate betweenness
  std::uint32_t betweenness_top = 10;         // organisations reported in betweenness_top
  // transitivity and mean_local_clustering: exact (triangle counts carried month to month), or
  // estimated from clustering_sample_size wedges a month (network::sampled_clustering). Auto:
  // sampled in worlds of more than sampled_clustering_above organisations (issue 18).
  enum class Clustering : std::uint8_t { automatic, exact, sampled };
  Clustering clustering = Clustering::automatic;
  std::uint32_t clustering_sample_size = 1u << 20;
  // betweenness_top: Brandes dependencies from betweenness_sample_size sources, or estimated from
  // betweenness_pair_samples shortest paths, each between a pair of organisations drawn at random
  // (network::sampled_path_interiors). Auto: pairs in worlds of more than
  // sampled_clustering_above organisations, where a Brandes source costs the whole network twice.
  enum class Betweenness : std::uint8_t { automatic, sources, pairs };
  Betweenness betweenness_estimator = Betweenness::automatic;
  std::uint32_t betweenness_pair_samples = 1u << 15;
  // Louvain's local moving (network::louvain): sequential, each organisation deciding after every
  // move before it, or parallel, batches of 1,024 deciding at once (the same partition on any
  // thread count either way; another partition of similar modularity). Auto: parallel in worlds of
  // more than sampled_clustering_above organisations, where a sequential pass over every tie is
  // the longest serial part of a run (issue 18).
  enum class LouvainMoving : std::uint8_t { automatic, sequential, parallel };
  LouvainMoving louvain_moving = LouvainMoving::automatic;
};

// Above this many organisations `clustering: auto` samples: the exact counts' cost grows with the
// hubs' degrees, which grow with the population (docs/performance.md).
inline constexpr std::size_t sampled_clustering_above = 1'000'000;

// The three estimator switches (clustering, betweenness, Louvain's local moving) share one rule:
// forced off, forced on, or auto = on in worlds of more than sampled_clustering_above organisations.
template <typename Mode>
bool estimator_switch_on(Mode mode, Mode off, Mode on, std::size_t organisations) {
  if (mode == off) return false;
  if (mode == on) return true;
  return organisations > sampled_clustering_above;
}

// Whether a run of a world of `organisations` estimates its clustering by sampling.
inline bool clustering_is_sampled(const MeasurementConfig& m, std::size_t organisations) {
  using C = MeasurementConfig::Clustering;
  return estimator_switch_on(m.clustering, C::exact, C::sampled, organisations);
}

// Whether a run of a world of `organisations` estimates betweenness from sampled pairs.
inline bool betweenness_from_pairs(const MeasurementConfig& m, std::size_t organisations) {
  using B = MeasurementConfig::Betweenness;
  return estimator_switch_on(m.betweenness_estimator, B::sources, B::pairs, organisations);
}

// Whether a run of a world of `organisations` moves Louvain's vertices in parallel batches.
inline bool louvain_in_parallel(const MeasurementConfig& m, std::size_t organisations) {
  using L = MeasurementConfig::LouvainMoving;
  return estimator_switch_on(m.louvain_moving, L::sequential, L::parallel, organisations);
}

struct OutputConfig {
  std::string path;             // empty: output/<scenario name>.h5
  bool final_network = true;    // /network/final/rep_<k>
  bool region_series = true;    // /regions/<name>
  bool partnerships = true;     // /partnerships/rep_<k>
  // /collaborations/rep_<k>: every project, partnership and exchange visit with its members. Auto:
  // recorded at world scale 10 and below (a whole-EU run starts millions of projects).
  enum class Switch : std::uint8_t { automatic, on, off };
  Switch collaborations = Switch::automatic;
};

// A swept key of a sweep design (`clusternet sweep`, docs/scenarios.md "sweep"), as written; sim/io
// turns it into numbers once the key's type (number, whole number, money) is known.
struct SweepParameterSpec {
  std::string key;                  // a dotted path, as for --set (instruments by name)
  std::vector<std::string> values;  // grid: the values taken
  std::string from, to;             // range: the bounds
  std::string step;                 // grid range: the size of a step
  std::int64_t steps = 0;           // grid range: the number of equal steps (values: steps + 1)
  int scale = 0;                    // 0 linear, 1 log (log-uniform sampling, geometric grid)
};

// Runs every point of the design once per value of `key`, with the same random numbers: the
// outcome of a design point can then be the paired difference between its runs (e.g. a behaviour
// sensitivity analysis of what 300M buys over no funding).
struct SweepContrastSpec {
  std::string key;
  std::vector<std::string> values;
};

// A parameter sweep, run by `clusternet sweep`. Either the one-parameter form (parameter and
// values: a grid of one axis) or a design over `parameters`. Empty: no sweep.
struct SweepSpec {
  std::string parameter;
  std::vector<std::string> values;
  int design = 0;  // 0 grid, 1 latin_hypercube, 2 morris, 3 sobol
  std::vector<SweepParameterSpec> parameters;
  std::int64_t samples = 0;              // latin_hypercube: points
  std::int64_t trajectories = 10;        // morris: r
  std::int64_t levels = 4;               // morris: p
  std::int64_t base_samples = 64;        // sobol: N
  std::int64_t seed = -1;                // the design's seed; -1: the scenario's seed
  std::int64_t bootstrap_resamples = 1000;
  SweepContrastSpec contrast;
  bool empty() const { return parameter.empty() && values.empty() && parameters.empty() && contrast.key.empty(); }
};

struct Scenario {
  std::string name;
  std::string description;
  int start_year = 2021;
  int start_month = 1;  // 1..12
  Month months = 120;
  // Months of autonomous collaboration simulated before month 0 and never recorded, so that the
  // network has reached its steady state when the horizon (and any funding) starts.
  Month burn_in_months = 72;
  std::uint64_t seed = 1;
  std::uint32_t replicates = 1;
  WorldConfig world;
  BehaviourParams behaviour;
  std::vector<InstrumentSpec> instruments;
  MeasurementConfig measurement;
  OutputConfig output;
  SweepSpec sweep;  // empty(): no sweep

  // Provenance, filled by the loader.
  std::string resolved_yaml;              // the fully resolved scenario text
  std::vector<std::string> source_files;  // the file and every file it extends, in order
};

}  // namespace clusternet
