#pragma once
// Reads and validates result files written by results_writer. Every way a file can be unusable
// (missing, not HDF5, truncated, written by another program, incomplete or a .partial left by a
// killed run, inconsistent datasets) ends as ResultsFileError, which the commands map to exit 2.
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "engine/results.hpp"

namespace clusternet::io {

class ResultsFileError : public Error {
 public:
  enum class Kind { missing, partial, not_hdf5, unreadable, foreign, incomplete, malformed };
  ResultsFileError(Kind kind, const std::string& path, const std::string& message);
  Kind kind() const noexcept { return kind_; }

 private:
  Kind kind_;
};

struct DatasetInfo {
  std::string path;                  // e.g. "/metrics/network/ties"
  std::vector<std::uint64_t> shape;  // empty for a scalar
  std::string type;                  // "float64", "int32", "string", "table", ...
};

// Root attributes and the list of datasets, without reading any data.
struct ResultsInfo {
  std::string path;
  int format_version = 0;
  std::string clusternet_version, git_revision, scenario_name, created_utc;
  std::uint64_t seed = 0;
  std::uint32_t replicates = 0, threads = 0;
  bool complete = false;
  int start_year = 0, start_month = 0;
  std::size_t months = 0;
  std::vector<DatasetInfo> datasets;  // every dataset, in path order
};

// /summary/<group>/<name>: the statistic over replicates at the final month with a value.
struct SummaryEntry {
  std::string group, name;
  int n = 0;      // replicates with a finite value
  int month = 0;  // the recorded month summarised
  double mean = 0, std = 0, ci95_low = 0, ci95_high = 0;
};

// What read_results does with each replicate's final network (/network/final), by far the largest
// part of a large run's file (138 million ties at scale 250, about 4 GB in memory): `load` fills
// final_edges and final_nodes; `verify` reads the tables through block by block, so that an
// unreadable or malformed table still fails the read, and keeps none of it (for commands that do
// not look at the network: check, compare, info).
enum class FinalNetwork { load, verify };

ResultsInfo read_info(const std::string& path);
RunResults read_results(const std::string& path, FinalNetwork final_network = FinalNetwork::load);
std::vector<SummaryEntry> read_summary(const std::string& path);

}  // namespace clusternet::io
