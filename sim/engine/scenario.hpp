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
};

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

// A parameter sweep (run by a later sweep command): one dotted key and its values as written.
struct SweepSpec {
  std::string parameter;
  std::vector<std::string> values;
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
  SweepSpec sweep;  // empty parameter: no sweep

  // Provenance, filled by the loader.
  std::string resolved_yaml;              // the fully resolved scenario text
  std::vector<std::string> source_files;  // the file and every file it extends, in order
};

}  // namespace clusternet
