#pragma once
// Loading the region table (NUTS-2 CSV in the format of scenarios/data/nuts2_2021_regions.csv),
// imputing its known gaps, restricting it to a scenario's countries/regions, precomputing distances,
// and generating the regions' S3 priorities. Pure functions over plain values; no I/O but the one
// file read.
#include <cstdint>
#include <string>
#include <string_view>

#include "world/world.hpp"
#include "world/world_config.hpp"

namespace clusternet {

// The table shipped with the sources (absolute path, fixed at configure time).
std::string default_region_table_path();

// Parses a region table held in memory; `file_name` only labels errors. Keeps the EU27 rows
// (eu27 = 1), imputes missing GDP and R&D intensity (rule in docs/world.md and at impute below),
// derives missing cohesion categories from the (imputed) GDP, then restricts to the config's
// countries/regions (their union; both empty = all EU27) and fills distance_km. Region order is the
// file's order. s3_priorities are left empty: assign_s3_priorities fills them from a seed.
// Validates config.s3_overrides' codes and areas against the full EU27 table.
// Throws clusternet::Error naming file, line and column (the 1-based field number) for a missing
// column, a bad number, a duplicate code, an unknown or malformed country, coordinates out of range
// or a truncated line; and for unknown codes in countries/regions/s3_overrides. Nothing is returned
// on error.
RegionTable parse_region_table(std::string_view text, const std::string& file_name, const WorldConfig& config);

// Reads `path` (empty: default_region_table_path()) and parses it as above.
// Throws clusternet::Error if the file cannot be read, or as parse_region_table.
RegionTable load_region_table(const std::string& path, const WorldConfig& config);
// Same, taking the path from config.region_table.
RegionTable load_region_table(const WorldConfig& config);

// Mean-radius great-circle distance (haversine), kilometres.
double great_circle_km(double lon_a, double lat_a, double lon_b, double lat_b);

// Fills every region's s3_priorities: config.s3_overrides where given, otherwise generated from
// `seed` (stream keyed by a hash of the NUTS code, so a region's priorities do not change when the
// world is restricted to a subset). Throws clusternet::Error on an override naming an area > 20.
void assign_s3_priorities(RegionTable& table, const WorldConfig& config, std::uint64_t seed);

// The 0..1 "innovation score" of a region used by S3 generation: mean of rd_intensity/3 and
// (gdp_index-50)/100, each clamped to 0..1. Absolute scales, not ranks, so that a region's score
// does not depend on which other regions are loaded.
double innovation_score(const Region& region);

}  // namespace clusternet
