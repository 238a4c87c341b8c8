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
  std::vector<OrgIndex> members;  // partners (organisations of eligible kinds), lead first
  Month start = 0;
  Month end = 0;
  double grant_eur = 0;
  std::uint32_t smes_supported = 0;
  std::string status;             // "active", "completed", "continued"
  std::vector<OrgIndex> associates;  // associated members brought in by cluster partners
  std::uint32_t smes_approached = 0; // offers of support it made to SMEs
  double returned_eur = 0;           // unspent at its end, returned to the instrument
};

struct FinalEdge {
  OrgIndex source = 0, target = 0;  // source < target
  double weight = 0;
  Month formed_month = 0;
  std::uint8_t origin = 0;          // 0 autonomous, 1 partnership, 2 exchange
  std::int32_t instrument = -1;     // instrument index, -1 for none
  std::uint32_t collaborations = 1; // collaborations (projects, partnerships, visits) the pair shared
};

// Every collaboration of a replicate (autonomous projects, funded partnerships, exchange visits)
// with its members and their roles, members stored flat (CSR): collaboration c's members are
// members[offsets[c] .. offsets[c + 1]).
struct CollaborationTable {
  std::vector<std::int16_t> origin;      // 0 autonomous, 1 partnership, 2 exchange
  std::vector<std::int32_t> instrument;  // instrument index, -1 for none
  std::vector<Month> start, end;         // months, end exclusive
  std::vector<std::uint64_t> offsets{0};
  std::vector<OrgIndex> members;
  std::vector<std::int16_t> roles;       // 0 lead, 1 partner, 2 associated
  std::size_t size() const { return origin.size(); }
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
  bool collaborations_recorded = false;  // /collaborations/rep_<k> is written only when recorded
  CollaborationTable collaborations;
  // False for files written before the nodes table listed isolated organisations (format 1 files
  // without a `degree` column): final_nodes then holds only organisations with ties.
  bool final_nodes_complete = true;
  // Extra tables keyed by name (e.g. "degree_histogram", "betweenness_top"): [recorded month][k].
  std::vector<std::string> table_names;
  std::vector<std::vector<std::vector<double>>> tables;
};

// A table of text and numbers that a command adds to a result file (e.g. the calibration table,
// /calibration/<name>): one compound row per entry, columns in order.
struct ResultTable {
  struct Column {
    std::string name;
    bool text = false;
    std::vector<std::string> strings;  // when text
    std::vector<double> numbers;       // otherwise
  };
  std::string name, description;
  std::vector<Column> columns;  // all of one length
  std::size_t rows() const {
    if (columns.empty()) return 0;
    return columns[0].text ? columns[0].strings.size() : columns[0].numbers.size();
  }
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
  // How the values of a dataset are computed ("exact", or the estimator with its sample), by
  // dataset: "metrics/GROUP/NAME", "regions/NAME" or "tables/NAME" (every rep_k); written as its
  // `estimator` attribute. Datasets not listed get none.
  std::vector<std::pair<std::string, std::string>> estimators;
  std::vector<ReplicateResults> replicates;  // in replicate order
  std::string resolved_yaml;
  std::vector<std::string> source_files;
  std::vector<std::string> notes;            // e.g. the world's imputation notes
  std::vector<ResultTable> calibration;      // /calibration/<name>, when a command adds any
};

}  // namespace clusternet
