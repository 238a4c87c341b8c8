#pragma once
// The region table of a world: built from plain records (sim/io reads them from the CSV file in
// the format of scenarios/data/nuts2_2021_regions.csv), with its known gaps imputed, restricted to
// a scenario's countries/regions, distances precomputed, and the regions' S3 priorities generated.
// Pure functions over plain values; no file is read here. Also the one definition of the EU27
// country list and of the shape of a NUTS-2 code, which the scenario checks share.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "world/world.hpp"
#include "world/world_config.hpp"

namespace clusternet {

// The 27 member states as Eurostat writes them (EL for Greece), alphabetical.
inline constexpr std::array<std::string_view, 27> eu27_countries = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"};
bool is_eu27_country(std::string_view code);
// The list, space-separated, for error messages.
std::string eu27_country_list();
// The shape of a NUTS-2 code: two capital letters (the country) and two letters or digits.
bool is_nuts2_code(std::string_view code);

// One row of a region table as read: the region's values, which optional values the row had, and
// its line in the file (for errors). s3_priorities and country are left for build_region_table.
struct RegionRecord {
  Region region;
  bool eu27 = false;
  bool has_gdp = false, has_rd = false, has_category = false;
  int line = 0;
};

// Builds the table from the records of one file (`source` names it in errors): keeps the EU27
// records, imputes missing GDP and R&D intensity (rule in docs/world.md and at impute), derives
// missing cohesion categories from the (imputed) GDP, then restricts to the config's
// countries/regions (their union; both empty = all EU27) and fills distance_km. Region order is the
// records' order. s3_priorities are left empty: assign_s3_priorities fills them from a seed.
// Validates config.s3_overrides' codes and areas against the full EU27 table.
// Throws clusternet::Error naming `source` and the key for unknown codes in
// countries/regions/s3_overrides, and when no record is of an EU27 region.
RegionTable build_region_table(std::vector<RegionRecord> records, const std::string& source,
                               const WorldConfig& config);

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
