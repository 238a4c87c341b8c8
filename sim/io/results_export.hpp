#pragma once
// Writers of a run's results for other tools (`clusternet export`): tidy CSV files for spreadsheets
// and R/pandas (one observation per row, an empty cell for NaN, i.e. not measured; the dialect of
// io/csv.hpp), and one replicate's final network as GraphML or GEXF 1.2 (the version that Gephi,
// NetworkX and igraph's readers share; igraph reads the GraphML).
//
// Graph nodes carry what a geographic layout and a reader need: label, kind (name), region (NUTS-2
// code), region_name, country, cohesion, lon, lat (degrees WGS84, the region's representative
// point), area, degree, cluster (index of the cluster organisation it is grouped with, -1 none) and
// memberships. Edges carry weight, formed_month, formed (YYYY-MM), origin (name) and instrument
// (the instrument's name, empty for none). Values that are not known (NaN coordinates, cluster
// columns of files written before they existed) are left out rather than written as a number.
#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "engine/results.hpp"
#include "io/output_files.hpp"

namespace clusternet::io {

struct ExportOptions {
  // Every organisation of the world, isolated ones included; otherwise only those with a tie at
  // the final month (the network as drawn).
  bool all_organisations = false;
};

// metrics.csv, regions.csv, region_series.csv, partnerships.csv, edges.csv, nodes.csv and
// tables.csv in `directory` (which must exist), each opened in `out` (nothing is final before
// out.commit()). Throws clusternet::Error for --all-organisations on a file that lists only
// organisations with ties (written before isolated ones were recorded).
void write_results_csv(const RunResults& results, const std::string& directory, OutputSet& out,
                       const ExportOptions& options = {});
// The final network of replicate `replicate` (which must exist). Same error as above.
void write_graphml(const RunResults& results, std::size_t replicate, std::ostream& out,
                   const ExportOptions& options = {});
void write_gexf(const RunResults& results, std::size_t replicate, std::ostream& out,
                const ExportOptions& options = {});

// Instrument names by index (the `instrument` column of the edges), read from the scenario stored
// with the results; "instrument_<i>" for an index the scenario text does not name.
std::vector<std::string> instrument_names(const RunResults& results);

}  // namespace clusternet::io
