#pragma once
// What a run produces, independent of how it is written (sim/io writes it to HDF5). Declared
// separately from the writer so that recording and writing can change independently.
#include <cstdint>
#include <string>
#include <vector>

#include "core/types.hpp"

namespace clusternet {

// A recorded time series: one value per recorded month. NaN where a metric was not computed in a
// month (e.g. expensive metrics between their measurement months).
struct SeriesInfo {
  std::string group;        // "network" or "policy"
  std::string name;         // e.g. "giant_component_share", "budget_committed_eur"
  std::string description;
  std::string unit;
};

struct RegionSeriesInfo {
  std::string name;         // e.g. "region_degree"
  std::string description;
  std::string unit;
};

struct PartnershipRecord {
  std::uint32_t id = 0;
  std::string instrument;
  OrgIndex lead = 0;
  std::vector<OrgIndex> members;  // cluster organisations, lead first
  Month start = 0;
  Month end = 0;
  double grant_eur = 0;
  std::uint32_t smes_supported = 0;
  std::string status;             // "active", "completed", "continued"
};

struct FinalEdge {
  OrgIndex source = 0, target = 0;  // source < target
  double weight = 0;
  Month formed_month = 0;
  std::uint8_t origin = 0;          // 0 autonomous, 1 partnership, 2 exchange
  std::int32_t instrument = -1;     // instrument index, -1 for none
};

// Every organisation of the world at the final month (isolated ones included: degree 0), so that
// money and members can be placed in their regions whether or not they still have a tie.
struct FinalNode {
  OrgIndex id = 0;
  std::uint8_t kind = 0;
  RegionIndex region = 0;
  AreaIndex area = 0;
  std::uint32_t degree = 0;        // ties at the final month
  std::int32_t cluster = -1;       // a cluster organisation's own index; else its first cluster's; -1 none
  std::uint16_t memberships = 0;   // clusters the organisation is a member of
};

struct ReplicateResults {
  std::vector<std::vector<double>> series;                      // [series][recorded month]
  std::vector<std::vector<std::vector<double>>> region_series;  // [name][recorded month][region]
  std::vector<PartnershipRecord> partnerships;
  std::vector<FinalEdge> final_edges;
  std::vector<FinalNode> final_nodes;
  // False for files written before the nodes table listed isolated organisations (format 1 files
  // without a `degree` column): final_nodes then holds only organisations with ties.
  bool final_nodes_complete = true;
  // Extra tables keyed by name (e.g. "degree_histogram", "betweenness_top"): [recorded month][k].
  std::vector<std::string> table_names;
  std::vector<std::vector<std::vector<double>>> tables;
};

// One row of /regions/table.
struct RegionRow {
  std::string nuts_id, name, country, category;
  double lon = 0, lat = 0, population = 0, gdp_index = 0;
};

struct RunResults {
  std::string scenario_name;
  std::uint64_t seed = 0;
  std::uint32_t threads = 0;
  int start_year = 2021, start_month = 1;
  std::vector<Month> months;                 // recorded months
  std::vector<RegionRow> regions;            // the world's regions, in region index order
  std::vector<SeriesInfo> series;
  std::vector<RegionSeriesInfo> region_series;
  std::vector<ReplicateResults> replicates;  // in replicate order
  std::string resolved_yaml;
  std::vector<std::string> source_files;
  std::vector<std::string> notes;            // e.g. the world's imputation notes
};

}  // namespace clusternet
