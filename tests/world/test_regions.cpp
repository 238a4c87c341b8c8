// Region table: loading the shipped EU27 table, imputation, restriction, distances, S3 priorities,
// and strict rejection of malformed tables.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "core/error.hpp"
#include "world/regions.hpp"

using namespace clusternet;

namespace {

const std::string shipped_table = std::string(CLUSTERNET_SOURCE_DIR) + "/scenarios/data/nuts2_2021_regions.csv";

const Region& find_region(const RegionTable& table, const std::string& code) {
  auto it = std::find_if(table.regions.begin(), table.regions.end(), [&](const Region& r) { return r.code == code; });
  REQUIRE(it != table.regions.end());
  return *it;
}

// A well-formed three-region table; tests break one thing in it at a time.
const std::string header =
    "nuts_id,country,eu27,name,lon,lat,gdp_pps_pct_eu27_2015_17,population,category_2021_27_approx,gerd_pct_gdp\n";
const std::string good_rows =
    "AT11,AT,1,Burgenland,16.2874,47.2361,90.0,301790,transition,0.78\n"
    "AT13,AT,1,Wien,16.3932,48.2028,155.0,2000000,more_developed,3.6\n"
    "DE30,DE,1,Berlin,13.4022,52.5005,120.0,3700000,more_developed,3.4\n";

// Writes `text` to a temporary file and returns the error message of loading it ("" if it loads).
std::string load_error(const std::string& text, const std::string& name) {
  const auto dir = std::filesystem::temp_directory_path() / "clusternet_world_tests";
  std::filesystem::create_directories(dir);
  const auto path = (dir / name).string();
  {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }
  try {
    (void)load_region_table(path, WorldConfig{});
  } catch (const Error& e) {
    CHECK(e.info().where.file == path);
    return e.what();
  }
  return "";
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

TEST_CASE("malformed region tables are rejected with file, line and column", "[regions]") {
  CHECK(load_error(header + good_rows, "good.csv").empty());

  SECTION("missing column") {
    const std::string no_lat =
        "nuts_id,country,eu27,name,lon,gdp_pps_pct_eu27_2015_17,population,category_2021_27_approx,gerd_pct_gdp\n"
        "AT11,AT,1,Burgenland,16.2874,90.0,301790,transition,0.78\n";
    const auto message = load_error(no_lat, "missing_column.csv");
    CHECK_THAT(message, Catch::Contains("missing_column.csv:1:10") && Catch::Contains("lat") &&
                            Catch::Contains("missing column"));
  }
  SECTION("bad number") {
    const auto message =
        load_error(header + good_rows + "DE21,DE,1,Oberbayern,11.5,48.1,1x5.0,4700000,more_developed,3.3\n",
                   "bad_number.csv");
    CHECK_THAT(message, Catch::Contains("bad_number.csv:5:7") && Catch::Contains("not a number") &&
                            Catch::Contains("1x5.0") && Catch::Contains("field number"));
  }
  SECTION("duplicate code") {
    const auto message =
        load_error(header + good_rows + "AT13,AT,1,Wien again,16.4,48.2,150.0,1,more_developed,3.6\n", "dup.csv");
    CHECK_THAT(message, Catch::Contains("dup.csv:5:1") && Catch::Contains("duplicate") && Catch::Contains("line 3"));
  }
  SECTION("unknown country") {
    const auto message =
        load_error(header + "XX11,XX,1,Nowhere,10.0,50.0,100.0,1000,more_developed,1.0\n" + good_rows, "country.csv");
    CHECK_THAT(message, Catch::Contains("country.csv:2:2") && Catch::Contains("unknown EU27 country") &&
                            Catch::Contains("AT BE BG"));
  }
  SECTION("malformed country") {
    const auto message =
        load_error(header + good_rows + "DE21,De,1,Oberbayern,11.5,48.1,150.0,4700000,more_developed,3.3\n",
                   "malformed_country.csv");
    CHECK_THAT(message, Catch::Contains("malformed_country.csv:5:2") && Catch::Contains("malformed country"));
  }
  SECTION("country not matching the code") {
    const auto message =
        load_error(header + good_rows + "DE21,AT,1,Oberbayern,11.5,48.1,150.0,4700000,more_developed,3.3\n",
                   "mismatch.csv");
    CHECK_THAT(message, Catch::Contains("mismatch.csv:5:2"));
  }
  SECTION("coordinates out of range") {
    const auto message =
        load_error(header + good_rows + "DE21,DE,1,Oberbayern,11.5,98.1,150.0,4700000,more_developed,3.3\n",
                   "coords.csv");
    CHECK_THAT(message, Catch::Contains("coords.csv:5:6") && Catch::Contains("out of range") &&
                            Catch::Contains("-90..90"));
  }
  SECTION("truncated line") {
    const auto message = load_error(header + good_rows + "DE21,DE,1,Oberbayern,11.5,48.1", "truncated.csv");
    CHECK_THAT(message, Catch::Contains("truncated.csv:5:7") && Catch::Contains("truncated line"));
  }
  SECTION("unterminated quote") {
    const auto message = load_error(header + "AT11,AT,1,\"Burgenland,16.2,47.2,90.0,301790,transition,0.78\n",
                                    "quote.csv");
    CHECK_THAT(message, Catch::Contains("quote.csv:2:4"));
  }
  SECTION("missing file") {
    CHECK_THROWS_WITH(load_region_table("/nonexistent/regions.csv", WorldConfig{}),
                      Catch::Contains("/nonexistent/regions.csv") && Catch::Contains("cannot open"));
  }
}
