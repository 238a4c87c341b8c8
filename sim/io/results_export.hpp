#pragma once
// Writers of a run's results for other tools (`clusternet export`): tidy CSV files for spreadsheets
// and R/pandas (one observation per row, an empty cell for NaN, i.e. not measured; the dialect of
// io/csv.hpp), and one replicate's final network as GraphML or GEXF 1.3 for Gephi, with node
// attributes kind, region (NUTS code) and area and edge attributes weight, formed_month, origin and
// instrument. Each throws clusternet::Error naming the file when it cannot be created or a write
// fails.
#include <cstddef>
#include <string>

#include "engine/results.hpp"

namespace clusternet::io {

// metrics.csv, regions.csv, region_series.csv, partnerships.csv, edges.csv, nodes.csv and
// tables.csv in `directory` (created if needed).
void write_results_csv(const RunResults& results, const std::string& directory);
// The final network of replicate `replicate` (which must exist).
void write_graphml(const RunResults& results, std::size_t replicate, const std::string& path);
void write_gexf(const RunResults& results, std::size_t replicate, const std::string& path);

}  // namespace clusternet::io
