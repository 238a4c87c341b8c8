#pragma once
// The world section of a scenario, as plain validated values (sim/io parses and validates YAML into
// this; world generation reads it and nothing else). Defaults are the calibrated EU27 world at
// scale 1.0; each default's source is given beside it and in docs/scenarios.md.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace clusternet {

// The valid range of a world setting: [min, max], or (min, max] when min_open.
struct SettingRange {
  double min;
  double max;
  bool min_open = false;
  constexpr bool contains(double value) const {
    return value == value && (min_open ? value > min : value >= min) && value <= max;  // NaN fails
  }
};

// The valid ranges of the world settings, in one place: world generation refuses anything outside
// them (validate_world_config), and the scenario schema (sim/io/scenario_fields.cpp) reads the same
// constants, so that `clusternet validate` accepts exactly what `clusternet run` accepts.
namespace world_limits {
// 250 is about the whole EU SME population at the default counts; 1000 leaves room for
// sensitivity runs while still catching a misplaced zero. Whether a scale fits the machine is the
// memory check's decision (estimate_world_bytes), not this range's.
inline constexpr SettingRange scale{0.0, 1000.0, true};
inline constexpr SettingRange organisation_count{0.0, 1e9};  // of one kind, at scale 1
inline constexpr SettingRange share{0.0, 1.0};               // shares and probabilities
inline constexpr SettingRange placement_exponent{-10.0, 10.0};
inline constexpr SettingRange memberships_mean{0.0, 10.0};
inline constexpr SettingRange pareto_alpha{0.1, 100.0};
inline constexpr int min_capabilities_per_area = 1;
inline constexpr int max_capabilities_per_area = 1000;  // 21 x 1000 capability ids fit CapabilityIndex
inline constexpr int min_partnership_capacity = 1;
inline constexpr int max_partnership_capacity = 254;    // gold adds 1, and capacity is a byte
// The SME size shares must sum to 1 within this; the label shares may exceed 1 by at most this.
inline constexpr double sme_share_sum_tolerance = 1e-6;
inline constexpr double label_share_sum_tolerance = 1e-9;
}  // namespace world_limits

struct WorldConfig {
  // Multiplies every organisation count. 250 is about the whole EU SME population.
  double scale = 1.0;
  // Region table in the format of scenarios/data/nuts2_2021_regions.csv. Empty: the shipped table.
  // A relative path is resolved by the scenario loader against the scenario file's folder.
  std::string region_table;
  // Restrict the world: ISO country codes and/or NUTS-2 codes (empty: all EU27 regions).
  std::vector<std::string> countries;
  std::vector<std::string> regions;

  // Organisation counts at scale 1.0 (eu_cluster_programme_facts.yaml, population.*; source S5/S2).
  double smes = 100000;
  double large_firms = 8000;
  double research_orgs = 11000;
  double cluster_orgs = 1000;
  // SME size classes as shares of SMEs (Eurostat 2016/2019: micro 93.0%, medium about 0.9% of all
  // enterprises, large 0.2%; renormalised to SMEs). Must sum to 1.
  double sme_micro_share = 0.932;
  double sme_small_share = 0.059;
  double sme_medium_share = 0.009;

  // Placement: an organisation's region is drawn with weight population^a * (gdp_index/100)^b *
  // (rd_intensity)^c; research and cluster organisations use their own rd exponent.
  double placement_population_exponent = 1.0;  // added by the world module: the "a" above
  double placement_gdp_exponent = 1.0;
  double placement_rd_exponent_firms = 0.0;
  double placement_rd_exponent_research = 1.0;
  double placement_rd_exponent_clusters = 0.5;

  // S3 priorities: 3..6 per region; the count rises with R&D intensity and GDP (docs/model.md).
  int s3_min_priorities = 3;
  int s3_max_priorities = 6;
  // Explicit S3 priorities by NUTS-2 code (area ids 0..20), replacing the generated ones.
  std::map<std::string, std::vector<AreaIndex>> s3_overrides;
  // Probability that a cluster organisation's primary area is one of its region's S3 priorities.
  double cluster_s3_alignment = 0.7;
  // Probability that any other organisation's primary area is one of its region's S3 priorities
  // (added by the world module; the rest are uniform over the 21 areas). Lower than the clusters'
  // alignment because firms are not selected for S3 fit; an assumption, not a published figure.
  double org_s3_alignment = 0.5;

  // Knowledge profiles (SKIN-style kene): capabilities per thematic area, and slots per organisation.
  int capabilities_per_area = 10;

  // Memberships: mean number of cluster memberships per organisation of each kind, the share of
  // memberships in the organisation's own region, and the Pareto tail exponent of cluster sizes
  // (attractiveness of a cluster organisation ~ Pareto(alpha); smaller alpha, heavier tail).
  double memberships_per_sme = 1.0;
  double memberships_per_large_firm = 1.5;
  double memberships_per_research_org = 2.0;
  double membership_own_region_share = 0.8;
  double membership_same_area_share = 0.7;
  double cluster_size_pareto_alpha = 1.5;

  // Cluster organisations: share holding each excellence label (none = the rest) and the number of
  // partnerships one can take part in at once.
  double label_bronze_share = 0.30;
  double label_silver_share = 0.10;
  double label_gold_share = 0.08;
  int cluster_partnership_capacity = 2;
};

}  // namespace clusternet
