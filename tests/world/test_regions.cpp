// Region table: building it from plain records, imputation, restriction, distances and S3
// priorities over the shipped EU27 table (read by sim/io; its reader's own tests are in
// tests/io/test_region_table_csv.cpp).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include "core/error.hpp"
#include "io/region_table_csv.hpp"
#include "world/regions.hpp"

using namespace clusternet;
using clusternet::io::load_region_table;

namespace {

const std::string shipped_table = std::string(CLUSTERNET_SOURCE_DIR) + "/scenarios/data/nuts2_2021_regions.csv";

const Region& find_region(const RegionTable& table, const std::string& code) {
  auto it = std::find_if(table.regions.begin(), table.regions.end(), [&](const Region& r) { return r.code == code; });
  REQUIRE(it != table.regions.end());
  return *it;
}

}  // namespace

TEST_CASE("the shipped table gives the 242 EU27 regions with their attributes", "[regions]") {
  const RegionTable table = load_region_table(shipped_table, WorldConfig{});
  REQUIRE(table.size() == 242);
  CHECK(table.countries.size() == 27);
  std::set<std::string> codes;
  for (const auto& r : table.regions) {
    codes.insert(r.code);
    CHECK(r.population > 0);
    CHECK(r.gdp_index > 0);
    CHECK(r.rd_intensity > 0);
    CHECK(table.countries[r.country] == r.country_code);
  }
  CHECK(codes.size() == 242);
  const Region& wien = find_region(table, "AT13");
  CHECK(wien.name == "Wien");
  CHECK(wien.country_code == "AT");
  CHECK(wien.lat == Approx(48.2028));
  CHECK_FALSE(wien.gdp_imputed);
  // A quoted name with a comma survives parsing.
  CHECK(find_region(table, "EL51").name == "Anatoliki Makedonia, Thraki");
  // The default path resolves to the shipped file.
  CHECK(load_region_table(WorldConfig{}).size() == 242);
}

TEST_CASE("imputation fills exactly the documented gaps and reports each value", "[regions]") {
  const RegionTable table = load_region_table(shipped_table, WorldConfig{});
  const std::set<std::string> no_gdp = {"NL31", "NL33", "PT16", "PT17", "PT18"};
  const std::set<std::string> no_rd = {"FRY1", "FRY2", "FRY3", "FRY4", "FRY5", "NL11", "NL12", "NL13", "NL21",
                                       "NL22", "NL23", "NL31", "NL32", "NL33", "NL34", "NL41", "NL42"};
  std::set<std::string> gdp_imputed, rd_imputed;
  for (const auto& r : table.regions) {
    if (r.gdp_imputed) gdp_imputed.insert(r.code);
    if (r.rd_imputed) rd_imputed.insert(r.code);
  }
  CHECK(gdp_imputed == no_gdp);
  CHECK(rd_imputed == no_rd);
  REQUIRE(table.imputation_notes.size() == no_gdp.size() + no_rd.size());

  // Rule: the country's population-weighted mean over its regions that have the value.
  double sum = 0, weight = 0;
  for (const auto& r : table.regions)
    if (r.country_code == "PT" && !r.gdp_imputed) {
      sum += r.gdp_index * r.population;
      weight += r.population;
    }
  CHECK(find_region(table, "PT16").gdp_index == Approx(sum / weight));
  sum = weight = 0;
  for (const auto& r : table.regions)
    if (r.country_code == "FR" && !r.rd_imputed) {
      sum += r.rd_intensity * r.population;
      weight += r.population;
    }
  CHECK(find_region(table, "FRY3").rd_intensity == Approx(sum / weight));
  // No Dutch region has R&D intensity: the EU27 population-weighted mean instead.
  sum = weight = 0;
  for (const auto& r : table.regions)
    if (!r.rd_imputed) {
      sum += r.rd_intensity * r.population;
      weight += r.population;
    }
  CHECK(find_region(table, "NL32").rd_intensity == Approx(sum / weight));
  // Category from the imputed GDP with the cohesion thresholds.
  for (const auto& code : no_gdp) {
    const Region& r = find_region(table, code);
    const auto expected = r.gdp_index < 75    ? CohesionCategory::less_developed
                          : r.gdp_index < 100 ? CohesionCategory::transition
                                              : CohesionCategory::more_developed;
    CHECK(r.category == expected);
  }
  // Each note names its region and says how the value was made.
  const auto mentions = [&](const std::string& code, const std::string& what) {
    return std::count_if(table.imputation_notes.begin(), table.imputation_notes.end(), [&](const std::string& n) {
      return n.rfind(code + " " + what, 0) == 0 && n.find("population-weighted mean") != std::string::npos;
    });
  };
  for (const auto& code : no_gdp) CHECK(mentions(code, "gdp_index") == 1);
  for (const auto& code : no_rd) CHECK(mentions(code, "rd_intensity") == 1);
}

TEST_CASE("great-circle distances are precomputed and match a known pair", "[regions]") {
  const RegionTable table = load_region_table(shipped_table, WorldConfig{});
  RegionIndex wien = 0, madrid = 0;
  for (std::size_t i = 0; i < table.size(); ++i) {
    if (table.regions[i].code == "AT13") wien = RegionIndex(i);
    if (table.regions[i].code == "ES30") madrid = RegionIndex(i);
  }
  // Vienna-Madrid between city centres is about 1,810 km; the label points lie within ~10 km.
  CHECK(table.distance(wien, madrid) == Approx(1810.0).epsilon(0.01));
  CHECK(table.distance(madrid, wien) == table.distance(wien, madrid));
  CHECK(table.distance(wien, wien) == 0.0);
  CHECK(great_circle_km(0, 0, 90, 0) == Approx(6371.0088 * 3.14159265358979 / 2).epsilon(1e-9));
}

TEST_CASE("a world can be restricted to countries and regions", "[regions]") {
  WorldConfig config;
  config.countries = {"AT"};
  config.regions = {"DE30"};
  const RegionTable table = load_region_table(shipped_table, config);
  REQUIRE(table.size() == 10);  // 9 Austrian regions and Berlin
  CHECK(table.countries == std::vector<std::string>{"AT", "DE"});
  CHECK(table.distance_km.size() == 100);
  CHECK(table.imputation_notes.empty());

  config.countries = {"NL"};
  config.regions.clear();
  const RegionTable dutch = load_region_table(shipped_table, config);
  CHECK(dutch.size() == 12);
  CHECK(dutch.imputation_notes.size() == 14);  // 12 R&D, 2 GDP; imputed from the whole EU27 table

  config.countries = {"XX"};
  CHECK_THROWS_WITH(load_region_table(shipped_table, config), Catch::Contains("XX"));
  config.countries.clear();
  config.regions = {"ZZ99"};
  CHECK_THROWS_WITH(load_region_table(shipped_table, config), Catch::Contains("ZZ99"));
  config.regions.clear();
  config.s3_overrides["QQ11"] = {1, 2, 3};
  CHECK_THROWS_WITH(load_region_table(shipped_table, config), Catch::Contains("QQ11"));
}

TEST_CASE("S3 priorities: 3..6 per region, reproducible, rising with R&D and GDP, overridable", "[regions]") {
  WorldConfig config;
  RegionTable a = load_region_table(shipped_table, config);
  RegionTable b = a;
  assign_s3_priorities(a, config, 42);
  assign_s3_priorities(b, config, 42);
  double count_low = 0, count_high = 0;
  int n_low = 0, n_high = 0;
  bool any_different = false;
  RegionTable c = a;
  assign_s3_priorities(c, config, 43);
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto& p = a.regions[i].s3_priorities;
    CHECK(p == b.regions[i].s3_priorities);
    any_different = any_different || p != c.regions[i].s3_priorities;
    REQUIRE(p.size() >= 3);
    REQUIRE(p.size() <= 6);
    CHECK(std::is_sorted(p.begin(), p.end()));
    CHECK(std::adjacent_find(p.begin(), p.end()) == p.end());
    CHECK(p.back() < thematic_area_count);
    const double score = innovation_score(a.regions[i]);
    if (score < 0.3) count_low += double(p.size()), ++n_low;
    if (score > 0.7) count_high += double(p.size()), ++n_high;
  }
  CHECK(any_different);
  REQUIRE(n_low > 10);
  REQUIRE(n_high > 10);
  CHECK(count_high / n_high > count_low / n_low + 0.8);

  // Restricting the world keeps a region's generated priorities (keyed by its code).
  WorldConfig austria;
  austria.countries = {"AT"};
  RegionTable at = load_region_table(shipped_table, austria);
  assign_s3_priorities(at, austria, 42);
  CHECK(at.regions[2].s3_priorities == find_region(a, at.regions[2].code).s3_priorities);

  config.s3_overrides["AT13"] = {20, 0, 7};
  RegionTable overridden = load_region_table(shipped_table, config);
  assign_s3_priorities(overridden, config, 42);
  CHECK(find_region(overridden, "AT13").s3_priorities == std::vector<AreaIndex>{0, 7, 20});
  config.s3_overrides["AT13"] = {21};
  CHECK_THROWS_WITH(load_region_table(shipped_table, config), Catch::Contains("AT13"));
}

TEST_CASE("a table is built from plain records, without any file", "[regions]") {
  auto record = [](std::string code, std::string country, bool eu27, double lon, double lat, double population,
                   double gdp, bool has_gdp) {
    RegionRecord r;
    r.region.code = std::move(code);
    r.region.name = r.region.code;
    r.region.country_code = std::move(country);
    r.region.lon = lon;
    r.region.lat = lat;
    r.region.population = population;
    r.region.gdp_index = gdp;
    r.region.rd_intensity = 1.0;
    r.eu27 = eu27;
    r.has_gdp = has_gdp;
    r.has_rd = true;
    return r;
  };
  std::vector<RegionRecord> records = {record("AT11", "AT", true, 16.3, 47.2, 300000, 90, true),
                                       record("AT13", "AT", true, 16.4, 48.2, 100000, 150, true),
                                       record("AT12", "AT", true, 15.8, 48.3, 100000, 0, false),
                                       record("CH01", "CH", false, 7.4, 46.9, 1000000, 160, true)};
  const RegionTable table = build_region_table(records, "records", WorldConfig{});
  REQUIRE(table.size() == 3);  // the non-EU27 record is dropped
  CHECK(table.countries == std::vector<std::string>{"AT"});
  // The missing GDP is the population-weighted mean of the country's other regions: (3*90 + 150) / 4.
  CHECK(table.regions[2].gdp_imputed);
  CHECK(table.regions[2].gdp_index == Approx(105.0));
  CHECK(table.regions[2].category == CohesionCategory::more_developed);
  CHECK(table.regions[0].category == CohesionCategory::transition);
  CHECK(table.distance(0, 1) == Approx(great_circle_km(16.3, 47.2, 16.4, 48.2)));
  WorldConfig only_de;
  only_de.countries = {"DE"};
  CHECK_THROWS_WITH(build_region_table(records, "records", only_de), Catch::Contains("world.countries"));
  records.resize(1);
  records[0].eu27 = false;
  CHECK_THROWS_WITH(build_region_table(records, "records", WorldConfig{}), Catch::Contains("no EU27 region"));
}

TEST_CASE("EU27 countries and NUTS-2 codes are recognised by one definition each", "[regions]") {
  CHECK(eu27_countries.size() == 27);
  CHECK(is_eu27_country("EL"));
  CHECK_FALSE(is_eu27_country("GR"));
  CHECK_FALSE(is_eu27_country("UK"));
  CHECK(eu27_country_list().rfind("AT BE BG", 0) == 0);
  CHECK(is_nuts2_code("DE21"));
  CHECK(is_nuts2_code("FRY1"));
  CHECK_FALSE(is_nuts2_code("de21"));
  CHECK_FALSE(is_nuts2_code("DE2"));
  CHECK_FALSE(is_nuts2_code("DE2-"));
}
