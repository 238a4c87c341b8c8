// The region table reader: the CSV dialect on a real table, and strict rejection of malformed
// tables with file, line and column (the field number).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "io/region_table_csv.hpp"

using namespace clusternet;
using namespace clusternet::io;

namespace {

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

TEST_CASE("the shipped table reads as 242 EU27 regions among its rows", "[regions]") {
  const auto records = read_region_records(default_region_table_path());
  std::size_t eu27 = 0;
  for (const auto& r : records) eu27 += r.eu27;
  CHECK(eu27 == 242);
  CHECK(records.size() > eu27);
}

TEST_CASE("spaces around fields are not part of them; quoted fields keep theirs", "[regions]") {
  const auto dir = std::filesystem::temp_directory_path() / "clusternet_io_tests";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "spaces.csv").string();
  std::ofstream(path, std::ios::binary) << header << "AT11 , AT,1,\" Burgenland \",16.2874,47.2361, 90.0 ,301790,transition,0.78\r\n\n";
  const auto records = read_region_records(path);
  REQUIRE(records.size() == 1);
  CHECK(records[0].region.code == "AT11");
  CHECK(records[0].region.name == " Burgenland ");
  CHECK(records[0].region.gdp_index == 90.0);
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
  SECTION("a column named twice") {
    // The first population column used to be read and the second ignored, whichever was meant.
    std::string twice = header;
    twice.insert(twice.size() - 1, ",population");
    const auto message = load_error(twice + "AT11,AT,1,Burgenland,16.2874,47.2361,90.0,301790,transition,0.78,0\n",
                                    "twice.csv");
    CHECK_THAT(message, Catch::Contains("twice.csv:1:11") && Catch::Contains("appears twice"));
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
  SECTION("text after a closing quote") {
    const auto message = load_error(header + "AT11,AT,1,\"Burgen\"land,16.2,47.2,90.0,301790,transition,0.78\n",
                                    "after_quote.csv");
    CHECK_THAT(message, Catch::Contains("after_quote.csv:2:4") && Catch::Contains("after a closing quote"));
  }
  SECTION("blank line between rows") {
    const auto message = load_error(header + good_rows + "\n" + good_rows, "hole.csv");
    CHECK_THAT(message, Catch::Contains("hole.csv:5") && Catch::Contains("empty line"));
  }
  SECTION("missing file") {
    CHECK_THROWS_WITH(load_region_table("/nonexistent/regions.csv", WorldConfig{}),
                      Catch::Contains("/nonexistent/regions.csv") && Catch::Contains("cannot open"));
  }
}
