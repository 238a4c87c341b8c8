#include "io/region_table_csv.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <unordered_map>

#include "core/data_paths.hpp"
#include "core/error.hpp"
#include "io/csv.hpp"
#include "io/safe_file.hpp"
#include "world/generate.hpp"


namespace clusternet::io {

namespace {

// Columns the reader needs; the shipped file has more (latest GDP, years), which are ignored.
constexpr std::array<std::string_view, 10> required_columns = {
    "nuts_id", "country", "eu27", "name", "lon", "lat", "gdp_pps_pct_eu27_2015_17", "population",
    "category_2021_27_approx", "gerd_pct_gdp"};
enum Column { c_code, c_country, c_eu27, c_name, c_lon, c_lat, c_gdp, c_population, c_category, c_rd };

// Every error of this file gives the column as a field number, because CSV positions in characters
// depend on quoting and are less useful to someone fixing the file in a spreadsheet.
[[noreturn]] void fail(const std::string& file, std::uint64_t line, int field, std::string key, std::string message,
                       std::string found, std::string valid) {
  ErrorInfo info;
  info.message = std::move(message) + (field > 0 ? " (column = field number)" : "");
  info.where = {file, int(std::min<std::uint64_t>(line, 0x7FFFFFFF)), field};
  info.key = std::move(key);
  info.found = std::move(found);
  info.valid = std::move(valid);
  throw Error(std::move(info));
}

double parse_number(std::string_view text, const std::string& file, std::uint64_t line, int field,
                    std::string_view column, double low, double high, std::string_view valid) {
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || !std::isfinite(value))
    fail(file, line, field, std::string(column), "not a number", std::string(text), std::string(valid));
  if (value < low || value > high)
    fail(file, line, field, std::string(column), "value out of range", std::string(text), std::string(valid));
  return value;
}

// The row of one line, field by field; `field(c)` is the text of column c, `at(c)` its number.
struct Row {
  const std::vector<std::string_view>& fields;
  const std::array<int, required_columns.size()>& column_of;
  const std::string& file;
  std::uint64_t line;
  std::string_view field(Column c) const { return fields[std::size_t(column_of[c])]; }
  int at(Column c) const { return column_of[c] + 1; }
  double number(Column c, double low, double high, std::string_view valid) const {
    return parse_number(field(c), file, line, at(c), required_columns[c], low, high, valid);
  }
};

// The codes of a row: its NUTS-2 code (once in the file), its eu27 flag and its country, checked
// against each other.
void read_codes(const Row& row, RegionRecord& record, std::unordered_map<std::string, std::uint64_t>& line_of_code) {
  Region& region = record.region;
  region.code = std::string(row.field(c_code));
  const std::string& code = region.code;
  if (!is_nuts2_code(code))
    fail(row.file, row.line, row.at(c_code), "nuts_id", "malformed NUTS-2 code", code,
         "two capital letters and two letters or digits, e.g. AT11");
  if (auto [it, inserted] = line_of_code.emplace(code, row.line); !inserted)
    fail(row.file, row.line, row.at(c_code), "nuts_id",
         "duplicate region code (first on line " + std::to_string(it->second) + ")", code, "each code once");
  const std::string_view eu27 = row.field(c_eu27);
  if (eu27 != "0" && eu27 != "1")
    fail(row.file, row.line, row.at(c_eu27), "eu27", "not a flag", std::string(eu27), "0 or 1");
  record.eu27 = eu27 == "1";
  region.country_code = std::string(row.field(c_country));
  const std::string& country = region.country_code;
  if (country.size() != 2 || !std::isupper(static_cast<unsigned char>(country[0])) ||
      !std::isupper(static_cast<unsigned char>(country[1])))
    fail(row.file, row.line, row.at(c_country), "country", "malformed country code", country,
         "two capital letters (Eurostat codes, EL for Greece)");
  if (code.compare(0, 2, country) != 0)
    fail(row.file, row.line, row.at(c_country), "country", "country does not match the region code " + code,
         country, code.substr(0, 2));
  if (record.eu27 && !is_eu27_country(country))
    fail(row.file, row.line, row.at(c_country), "country", "unknown EU27 country", country, eu27_country_list());
}

// The values of a row: name, location, population, and the optional GDP, R&D and category.
void read_values(const Row& row, RegionRecord& record) {
  Region& region = record.region;
  region.name = std::string(row.field(c_name));
  if (region.name.empty())
    fail(row.file, row.line, row.at(c_name), "name", "empty region name", "", "the region's name");
  region.lon = row.number(c_lon, -180, 180, "longitude in degrees, -180..180");
  region.lat = row.number(c_lat, -90, 90, "latitude in degrees, -90..90");
  // Rows outside the EU27 are never used but must still be well formed where filled in; the
  // shipped table has one without population.
  if (record.eu27 || !row.field(c_population).empty())
    region.population = row.number(c_population, 1, 1e9, "a positive number of inhabitants");
  if (!row.field(c_gdp).empty()) {
    region.gdp_index = row.number(c_gdp, 1, 1000, "GDP per head, % of EU27, 1..1000");
    record.has_gdp = true;
  }
  if (!row.field(c_rd).empty()) {
    region.rd_intensity = row.number(c_rd, 0, 20, "R&D expenditure, % of GDP, 0..20");
    record.has_rd = true;
  }
  if (const std::string_view category = row.field(c_category); !category.empty()) {
    auto it = std::find(cohesion_category_names.begin(), cohesion_category_names.end(), category);
    if (it == cohesion_category_names.end())
      fail(row.file, row.line, row.at(c_category), "category_2021_27_approx", "unknown cohesion category",
           std::string(category), "less_developed, transition, more_developed or empty");
    region.category = CohesionCategory(it - cohesion_category_names.begin());
    record.has_category = true;
  }
}

// Opens the table, naming the scenario key that points at it when it cannot be opened.
LineReader open_table(const std::string& path) {
  try {
    // Only a regular file: /dev/zero or a FIFO would be read for ever (or block) before any line
    // could be judged.
    require_regular_input(path);
    return LineReader(path);
  } catch (const Error& e) {
    throw Error(ErrorInfo{"cannot open the region table: " + e.info().message, {path, 0, 0}, "world.region_table",
                          path, "a readable CSV file in the format of scenarios/data/nuts2_2021_regions.csv"});
  }
}

}  // namespace

// Found beside the installed program or in the source tree (core/data_paths.hpp).
std::string default_region_table_path() { return shipped_data_dir() + "/nuts2_2021_regions.csv"; }

std::vector<RegionRecord> read_region_records(const std::string& path) {
  LineReader reader = open_table(path);
  const CsvHeader header = read_csv_header(reader);
  std::string expected;
  for (auto name : required_columns) {
    if (!expected.empty()) expected += ',';
    expected += name;
  }
  std::array<int, required_columns.size()> column_of{};
  for (std::size_t c = 0; c < required_columns.size(); ++c)
    column_of[c] = int(header.require(required_columns[c], path, "a header with at least the columns " + expected));

  std::vector<RegionRecord> records;
  std::unordered_map<std::string, std::uint64_t> line_of_code;
  std::uint64_t blank_line = 0;  // the first blank line since the last row: an error if a row follows
  std::string_view line;
  std::vector<std::string_view> fields;
  std::string scratch;
  while (reader.next(line)) {
    const std::uint64_t n = reader.line_number();
    if (blank_csv_line(line)) {
      if (blank_line == 0) blank_line = n;
      continue;
    }
    if (blank_line != 0) fail(path, blank_line, 1, "", "empty line inside the table", "", "one region per line");
    split_csv_record(line, fields, scratch, path, n);
    if (fields.size() != header.names.size())
      fail(path, n, int(std::min(fields.size(), header.names.size())) + 1, "",
           fields.size() < header.names.size() ? "truncated line: fewer fields than the header"
                                               : "more fields than the header",
           std::to_string(fields.size()) + " fields", std::to_string(header.names.size()) + " fields");
    const Row row{fields, column_of, path, n};
    RegionRecord record;
    record.line = int(std::min<std::uint64_t>(n, 0x7FFFFFFF));
    read_codes(row, record, line_of_code);
    read_values(row, record);
    records.push_back(std::move(record));
  }
  return records;
}

RegionTable load_region_table(const std::string& path, const WorldConfig& config) {
  const std::string file = path.empty() ? default_region_table_path() : path;
  return build_region_table(read_region_records(file), file, config);
}

RegionTable load_region_table(const WorldConfig& config) { return load_region_table(config.region_table, config); }

World load_world(const WorldConfig& config, std::uint64_t seed) {
  return build_world(config, load_region_table(config), seed);
}

}  // namespace clusternet::io
