#pragma once
// Reading the region table: NUTS-2 regions in the CSV format of
// scenarios/data/nuts2_2021_regions.csv (the dialect of io/csv.hpp), into plain records that the
// world module builds its RegionTable from (world/regions.hpp), and the world of a scenario built
// over the table it names.
#include <cstdint>
#include <string>
#include <vector>

#include "world/regions.hpp"
#include "world/world.hpp"
#include "world/world_config.hpp"

namespace clusternet::io {

// The table shipped with the sources (absolute path, fixed at configure time).
std::string default_region_table_path();

// Reads every row of the table at `path`. Columns are found by header name (the shipped file has
// more, which are ignored). Throws clusternet::Error naming file, line and column (the 1-based field
// number) for a file that cannot be read, a missing column, a bad number, a duplicate code, a
// malformed NUTS-2 or country code, an unknown EU27 country, coordinates out of range, a blank line
// between rows, a quoted field not closed on its line, or a row with fewer or more fields than the
// header. Blank lines at the end are ignored.
std::vector<RegionRecord> read_region_records(const std::string& path);

// read_region_records then build_region_table. `path` empty: the shipped table.
// Throws clusternet::Error as either.
RegionTable load_region_table(const std::string& path, const WorldConfig& config);
// Same, taking the path from config.region_table.
RegionTable load_region_table(const WorldConfig& config);

// The world of a scenario's world section: its region table loaded, then build_world.
World load_world(const WorldConfig& config, std::uint64_t seed);

}  // namespace clusternet::io
