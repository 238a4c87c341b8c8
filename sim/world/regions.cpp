#include "world/regions.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <memory>
#include <map>
#include <set>
#include <unordered_map>

#include "core/error.hpp"
#include "core/random.hpp"

#ifndef CLUSTERNET_DATA_DIR
#error "CLUSTERNET_DATA_DIR must be defined by the build (sim/world/CMakeLists.txt)"
#endif

namespace clusternet {

namespace {

constexpr std::array<std::string_view, 27> eu27_countries = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL",
                                                             "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU",
                                                             "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"};

std::string eu27_list() {
  std::string out;
  for (auto c : eu27_countries) {
    if (!out.empty()) out += ' ';
    out += c;
  }
  return out;
}

bool is_eu27_country(std::string_view code) {
  return std::find(eu27_countries.begin(), eu27_countries.end(), code) != eu27_countries.end();
}

// Columns the loader needs; the shipped file has more (latest GDP, years), which are ignored.
constexpr std::array<std::string_view, 10> required_columns = {
    "nuts_id", "country", "eu27", "name", "lon", "lat", "gdp_pps_pct_eu27_2015_17", "population",
    "category_2021_27_approx", "gerd_pct_gdp"};
enum Column { c_code, c_country, c_eu27, c_name, c_lon, c_lat, c_gdp, c_population, c_category, c_rd };

// Every error of this file says the column is a field number, because CSV positions in characters
// depend on quoting and are less useful to someone fixing the file in a spreadsheet.
[[noreturn]] void fail(const std::string& file, int line, int field, std::string key, std::string message,
                       std::string found, std::string valid) {
  ErrorInfo info;
  info.message = std::move(message) + (field > 0 ? " (column = field number)" : "");
  info.where = {file, line, field};
  info.key = std::move(key);
  info.found = std::move(found);
  info.valid = std::move(valid);
  throw Error(std::move(info));
}

// Splits one CSV record (RFC 4180 quoting, no embedded newlines). A quote left open is a truncated
// line: the error points at the field where it opened.
std::vector<std::string> split_record(std::string_view line, const std::string& file, int line_number) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  int quote_field = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char ch = line[i];
    if (quoted) {
      if (ch == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += ch;
      }
    } else if (ch == '"' && field.empty()) {
      quoted = true;
      quote_field = int(fields.size()) + 1;
    } else if (ch == ',') {
      fields.push_back(std::move(field));
      field.clear();
    } else {
      field += ch;
    }
  }
  if (quoted)
    fail(file, line_number, quote_field, "", "quoted field not closed before the end of the line (truncated line?)",
         std::string(line.substr(0, 60)), "a closing '\"' on the same line");
  fields.push_back(std::move(field));
  return fields;
}

struct RawRow {
  Region region;
  bool eu27 = false;
  bool has_gdp = false, has_rd = false, has_category = false;
  int line = 0;
};

double parse_number(const std::string& text, const std::string& file, int line, int field, std::string_view column,
                    double low, double high, std::string_view valid) {
  double value = 0;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || !std::isfinite(value))
    fail(file, line, field, std::string(column), "not a number", text, std::string(valid));
  if (value < low || value > high)
    fail(file, line, field, std::string(column), "value out of range", text, std::string(valid));
  return value;
}

// Population-weighted mean of `value` over rows that have it, by country, with the EU27 mean as the
// fallback for a country where no row has it.
struct WeightedMeans {
  std::map<std::string, std::pair<double, double>> by_country;  // sum(w*x), sum(w)
  std::pair<double, double> eu{0, 0};
  std::map<std::string, int> counts;
  int eu_count = 0;
};

CohesionCategory category_from_gdp(double gdp_index) {
  // The 2021-27 cohesion thresholds (Regulation (EU) 2021/1060, art. 108): below 75% of the EU
  // average less developed, 75-100% transition, 100% and above more developed.
  if (gdp_index < 75.0) return CohesionCategory::less_developed;
  if (gdp_index < 100.0) return CohesionCategory::transition;
  return CohesionCategory::more_developed;
}

std::string format_value(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  return buffer;
}

}  // namespace

std::string default_region_table_path() { return std::string(CLUSTERNET_DATA_DIR) + "/nuts2_2021_regions.csv"; }

double great_circle_km(double lon_a, double lat_a, double lon_b, double lat_b) {
  // IUGG mean Earth radius; the spherical model errs by up to ~0.5% against the ellipsoid, far
  // below anything a distance-decay parameter can resolve.
  constexpr double earth_radius_km = 6371.0088;
  constexpr double radians = 3.14159265358979323846 / 180.0;
  const double phi_a = lat_a * radians, phi_b = lat_b * radians;
  const double d_phi = (lat_b - lat_a) * radians, d_lambda = (lon_b - lon_a) * radians;
  const double h = std::sin(d_phi / 2) * std::sin(d_phi / 2) +
                   std::cos(phi_a) * std::cos(phi_b) * std::sin(d_lambda / 2) * std::sin(d_lambda / 2);
  return 2.0 * earth_radius_km * std::asin(std::min(1.0, std::sqrt(h)));
}

RegionTable parse_region_table(std::string_view text, const std::string& file, const WorldConfig& config) {
  // ---- header ----
  std::size_t position = 0;
  int line_number = 0;
  auto next_line = [&](std::string_view& out) {
    if (position >= text.size()) return false;
    std::size_t end = text.find('\n', position);
    if (end == std::string_view::npos) end = text.size();
    out = text.substr(position, end - position);
    if (!out.empty() && out.back() == '\r') out.remove_suffix(1);  // the shipped file has CRLF endings
    position = end + 1;
    ++line_number;
    return true;
  };
  std::string_view line;
  if (!next_line(line) || line.empty())
    fail(file, 1, 0, "", "region table is empty: no header line", "", "a header naming the columns");
  const std::vector<std::string> header = split_record(line, file, 1);
  std::array<int, required_columns.size()> column_of{};
  for (std::size_t c = 0; c < required_columns.size(); ++c) {
    auto it = std::find(header.begin(), header.end(), required_columns[c]);
    if (it == header.end()) {
      std::string valid;
      for (auto name : required_columns) {
        if (!valid.empty()) valid += ',';
        valid += name;
      }
      fail(file, 1, int(header.size()) + 1, std::string(required_columns[c]), "missing column in the header",
           std::string(line), "a header with at least the columns " + valid);
    }
    column_of[c] = int(it - header.begin());
  }

  // ---- rows ----
  std::vector<RawRow> rows;
  std::unordered_map<std::string, int> line_of_code;
  while (next_line(line)) {
    if (line.empty()) {
      if (position >= text.size()) break;  // a final newline
      fail(file, line_number, 1, "", "empty line inside the table", "", "one region per line");
    }
    std::vector<std::string> fields = split_record(line, file, line_number);
    if (fields.size() != header.size())
      fail(file, line_number, int(std::min(fields.size(), header.size())) + 1, "",
           fields.size() < header.size() ? "truncated line: fewer fields than the header"
                                         : "more fields than the header",
           std::to_string(fields.size()) + " fields", std::to_string(header.size()) + " fields");
    auto field = [&](Column c) -> const std::string& { return fields[std::size_t(column_of[c])]; };
    auto field_number = [&](Column c) { return column_of[c] + 1; };

    RawRow row;
    row.line = line_number;
    Region& region = row.region;
    region.code = field(c_code);
    const auto& code = region.code;
    const bool code_ok = code.size() == 4 && std::isupper(static_cast<unsigned char>(code[0])) &&
                         std::isupper(static_cast<unsigned char>(code[1])) &&
                         std::isalnum(static_cast<unsigned char>(code[2])) &&
                         std::isalnum(static_cast<unsigned char>(code[3]));
    if (!code_ok)
      fail(file, line_number, field_number(c_code), "nuts_id", "malformed NUTS-2 code", code,
           "two capital letters and two letters or digits, e.g. AT11");
    if (auto [it, inserted] = line_of_code.emplace(code, line_number); !inserted)
      fail(file, line_number, field_number(c_code), "nuts_id",
           "duplicate region code (first on line " + std::to_string(it->second) + ")", code, "each code once");

    const std::string& eu27 = field(c_eu27);
    if (eu27 != "0" && eu27 != "1") fail(file, line_number, field_number(c_eu27), "eu27", "not a flag", eu27, "0 or 1");
    row.eu27 = eu27 == "1";

    region.country_code = field(c_country);
    const auto& country = region.country_code;
    if (country.size() != 2 || !std::isupper(static_cast<unsigned char>(country[0])) ||
        !std::isupper(static_cast<unsigned char>(country[1])))
      fail(file, line_number, field_number(c_country), "country", "malformed country code", country,
           "two capital letters (Eurostat codes, EL for Greece)");
    if (code.compare(0, 2, country) != 0)
      fail(file, line_number, field_number(c_country), "country", "country does not match the region code " + code,
           country, code.substr(0, 2));
    if (row.eu27 && !is_eu27_country(country))
      fail(file, line_number, field_number(c_country), "country", "unknown EU27 country", country, eu27_list());

    region.name = field(c_name);
    if (region.name.empty())
      fail(file, line_number, field_number(c_name), "name", "empty region name", "", "the region's name");

    region.lon = parse_number(field(c_lon), file, line_number, field_number(c_lon), "lon", -180, 180,
                              "longitude in degrees, -180..180");
    region.lat = parse_number(field(c_lat), file, line_number, field_number(c_lat), "lat", -90, 90,
                              "latitude in degrees, -90..90");
    // Rows outside the EU27 are never used but must still be well formed where filled in; the
    // shipped table has one without population.
    if (row.eu27 || !field(c_population).empty())
      region.population = parse_number(field(c_population), file, line_number, field_number(c_population),
                                       "population", 1, 1e9, "a positive number of inhabitants");
    if (!field(c_gdp).empty()) {
      region.gdp_index = parse_number(field(c_gdp), file, line_number, field_number(c_gdp),
                                      "gdp_pps_pct_eu27_2015_17", 1, 1000, "GDP per head, % of EU27, 1..1000");
      row.has_gdp = true;
    }
    if (!field(c_rd).empty()) {
      region.rd_intensity = parse_number(field(c_rd), file, line_number, field_number(c_rd), "gerd_pct_gdp", 0,
                                         20, "R&D expenditure, % of GDP, 0..20");
      row.has_rd = true;
    }
    if (const std::string& category = field(c_category); !category.empty()) {
      auto it = std::find(cohesion_category_names.begin(), cohesion_category_names.end(), category);
      if (it == cohesion_category_names.end())
        fail(file, line_number, field_number(c_category), "category_2021_27_approx", "unknown cohesion category",
             category, "less_developed, transition, more_developed or empty");
      region.category = CohesionCategory(it - cohesion_category_names.begin());
      row.has_category = true;
    }
    rows.push_back(std::move(row));
  }
  std::erase_if(rows, [](const RawRow& r) { return !r.eu27; });
  if (rows.empty()) fail(file, line_number, 0, "eu27", "no EU27 region in the table", "", "rows with eu27 = 1");

  // ---- imputation, over the whole EU27 table so that a restricted world keeps the same values ----
  auto means_of = [&](auto has, auto value) {
    WeightedMeans means;
    for (const auto& r : rows) {
      if (!has(r)) continue;
      auto& [sum, weight] = means.by_country[r.region.country_code];
      sum += r.region.population * value(r);
      weight += r.region.population;
      means.counts[r.region.country_code] += 1;
      means.eu.first += r.region.population * value(r);
      means.eu.second += r.region.population;
      means.eu_count += 1;
    }
    return means;
  };
  const WeightedMeans gdp_means =
      means_of([](const RawRow& r) { return r.has_gdp; }, [](const RawRow& r) { return r.region.gdp_index; });
  const WeightedMeans rd_means =
      means_of([](const RawRow& r) { return r.has_rd; }, [](const RawRow& r) { return r.region.rd_intensity; });
  // Imputation rule: the population-weighted mean of the same country's regions that have the
  // value; the EU27 population-weighted mean if none of them has it. Returns the value and a note.
  auto impute = [](const WeightedMeans& means, const Region& region, std::string_view what) {
    auto it = means.by_country.find(region.country_code);
    if (it != means.by_country.end() && it->second.second > 0) {
      const double value = it->second.first / it->second.second;
      return std::pair{value, region.code + " " + std::string(what) + " imputed " + format_value(value) +
                                  ": population-weighted mean of the " +
                                  std::to_string(means.counts.at(region.country_code)) + " " +
                                  region.country_code + " regions that have it"};
    }
    if (means.eu.second <= 0)
      throw Error("cannot impute " + std::string(what) + " for " + region.code + ": no EU27 region has the value");
    const double value = means.eu.first / means.eu.second;
    return std::pair{value, region.code + " " + std::string(what) + " imputed " + format_value(value) +
                                ": no " + region.country_code +
                                " region has it, so the population-weighted mean of the " +
                                std::to_string(means.eu_count) + " EU27 regions that have it"};
  };
  std::vector<std::pair<std::string, std::string>> notes;  // (code, note), file order
  for (auto& r : rows) {
    if (!r.has_gdp) {
      auto [value, note] = impute(gdp_means, r.region, "gdp_index");
      r.region.gdp_index = value;
      r.region.gdp_imputed = true;
      if (!r.has_category) {
        r.region.category = category_from_gdp(value);
        note += "; category " + std::string(cohesion_category_names[std::size_t(r.region.category)]) +
                " from the imputed GDP (<75 less developed, 75-100 transition, >=100 more developed)";
        r.has_category = true;
      }
      notes.emplace_back(r.region.code, std::move(note));
    }
    if (!r.has_category) r.region.category = category_from_gdp(r.region.gdp_index);
    if (!r.has_rd) {
      auto [value, note] = impute(rd_means, r.region, "rd_intensity");
      r.region.rd_intensity = value;
      r.region.rd_imputed = true;
      notes.emplace_back(r.region.code, std::move(note));
    }
  }

  // ---- restriction (union of the countries and the regions named) ----
  std::set<std::string> countries_in_table, codes_in_table;
  for (const auto& r : rows) {
    countries_in_table.insert(r.region.country_code);
    codes_in_table.insert(r.region.code);
  }
  for (const auto& c : config.countries)
    if (!countries_in_table.count(c))
      throw Error(ErrorInfo{"country not among the EU27 countries of the region table", {file, 0, 0}, "world.countries",
                            c, eu27_list()});
  for (const auto& c : config.regions)
    if (!codes_in_table.count(c))
      throw Error(ErrorInfo{"region not among the EU27 regions of the region table", {file, 0, 0}, "world.regions", c,
                            "an EU27 NUTS-2 code of the table, e.g. AT11"});
  for (const auto& [code, areas] : config.s3_overrides) {
    if (!codes_in_table.count(code))
      throw Error(ErrorInfo{"S3 override for a region not among the EU27 regions of the region table",
                            {file, 0, 0}, "world.s3_overrides", code, "an EU27 NUTS-2 code of the table"});
    std::set<AreaIndex> distinct(areas.begin(), areas.end());
    if (areas.empty() || distinct.size() != areas.size() || *distinct.rbegin() >= thematic_area_count)
      throw Error(ErrorInfo{"S3 override must list distinct thematic areas", {file, 0, 0},
                            "world.s3_overrides." + code, std::to_string(areas.size()) + " areas",
                            "1..21 distinct area ids 0..20"});
  }
  const bool restricted = !config.countries.empty() || !config.regions.empty();
  const std::set<std::string> keep_countries(config.countries.begin(), config.countries.end());
  const std::set<std::string> keep_regions(config.regions.begin(), config.regions.end());

  RegionTable table;
  std::set<std::string> kept_codes;
  for (auto& r : rows) {
    if (restricted && !keep_countries.count(r.region.country_code) && !keep_regions.count(r.region.code)) continue;
    auto it = std::find(table.countries.begin(), table.countries.end(), r.region.country_code);
    if (it == table.countries.end()) {
      table.countries.push_back(r.region.country_code);
      it = table.countries.end() - 1;
    }
    r.region.country = CountryIndex(it - table.countries.begin());
    kept_codes.insert(r.region.code);
    table.regions.push_back(std::move(r.region));
  }
  if (table.regions.size() >= none<RegionIndex>)
    throw Error("region table has more regions than RegionIndex can address");
  for (auto& [code, note] : notes)
    if (kept_codes.count(code)) table.imputation_notes.push_back(std::move(note));

  const std::size_t n = table.size();
  table.distance_km.assign(n * n, 0.0);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = a + 1; b < n; ++b) {
      const auto& ra = table.regions[a];
      const auto& rb = table.regions[b];
      const double d = great_circle_km(ra.lon, ra.lat, rb.lon, rb.lat);
      table.distance_km[a * n + b] = d;
      table.distance_km[b * n + a] = d;
    }
  return table;
}

RegionTable load_region_table(const std::string& path, const WorldConfig& config) {
  const std::string file = path.empty() ? default_region_table_path() : path;
  // <cstdio> rather than <fstream>: the world module stays free of iostreams (house rule).
  const std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(std::fopen(file.c_str(), "rb"), &std::fclose);
  if (!in)
    throw Error(ErrorInfo{"cannot open the region table", {file, 0, 0}, "world.region_table", file,
                          "a readable CSV file in the format of scenarios/data/nuts2_2021_regions.csv"});
  std::string text;
  char chunk[65536];
  for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, in.get())) > 0;) text.append(chunk, n);
  if (std::ferror(in.get()))
    throw Error(ErrorInfo{"error while reading the region table", {file, 0, 0}, "world.region_table", file,
                          "a readable CSV file"});
  return parse_region_table(text, file, config);
}

RegionTable load_region_table(const WorldConfig& config) { return load_region_table(config.region_table, config); }

// ---- S3 priorities ----------------------------------------------------------------------------

namespace {
// Which areas rise with a region's innovation score (+1), fall with it (-1) or neither (0). A
// judgement from the areas' R&D content, not a published table: research-led areas (nano, AI,
// photonics, personalised medicine, batteries, hydrogen, cyber, 3D printing, medical technology)
// are more often chosen by rich, R&D-intensive regions; resource- and labour-based areas (biomass,
// sport, tourism, social economy, mining, textiles, water) by the others.
constexpr std::array<int, thematic_area_count> area_research_lean = {
    0,   // Advanced manufacturing
    +1,  // 3D Printing
    -1,  // Non-food biomass
    -1,  // Sport
    +1,  // Nano-Enabled Products
    +1,  // Hydrogen Valleys
    -1,  // Digitalisation & Safety for Tourism
    +1,  // Personalised medicine
    -1,  // Social Economy
    -1,  // Mining Industry
    +1,  // European Cyber Valleys
    +1,  // Artificial intelligence & Human machine
    0,   // Chemicals
    +1,  // Advanced materials on batteries
    0,   // SMEs to Industry 4.0
    -1,  // Textile Innovation
    -1,  // Water Smart Technologies
    +1,  // Medical Technology
    0,   // Efficient & Sustainable Manufacturing
    +1,  // Photonics
    0,   // Safe & sustainable mobility
};
}  // namespace

double innovation_score(const Region& region) {
  const double rd = std::clamp(region.rd_intensity / 3.0, 0.0, 1.0);        // 3% GERD: top regions
  const double gdp = std::clamp((region.gdp_index - 50.0) / 100.0, 0.0, 1.0);  // 50..150% of EU average
  return 0.5 * (rd + gdp);
}

void assign_s3_priorities(RegionTable& table, const WorldConfig& config, std::uint64_t seed) {
  const int low = std::clamp(config.s3_min_priorities, 1, thematic_area_count);
  const int high = std::clamp(config.s3_max_priorities, low, thematic_area_count);
  for (auto& region : table.regions) {
    region.s3_priorities.clear();
    if (auto it = config.s3_overrides.find(region.code); it != config.s3_overrides.end()) {
      for (AreaIndex a : it->second)
        if (a >= thematic_area_count)
          throw Error(ErrorInfo{"S3 override names an area that does not exist", {}, "world.s3_overrides." + region.code,
                                std::to_string(int(a)), "area ids 0..20"});
      region.s3_priorities = it->second;
      std::sort(region.s3_priorities.begin(), region.s3_priorities.end());
      region.s3_priorities.erase(std::unique(region.s3_priorities.begin(), region.s3_priorities.end()),
                                 region.s3_priorities.end());
      continue;
    }
    // Keyed by the code's characters, not the region's index: restricting the world to some
    // countries must not change the priorities of the regions that remain.
    std::uint64_t code_key = 0;
    for (char ch : region.code) code_key = (code_key << 8) | static_cast<unsigned char>(ch);
    RandomStream stream(StreamKey{seed, 0, 0, code_key, Purpose::region_s3_priorities});
    const double score = innovation_score(region);
    // Count: low + Binomial(high - low, score), so its mean rises linearly from low (score 0) to
    // high (score 1); each of the (high - low) trials always consumes one draw.
    int count = low;
    for (int trial = 0; trial < high - low; ++trial) count += bernoulli(stream, score) ? 1 : 0;
    // Areas: weighted draws without replacement, weight exp(2 * lean * (score - 0.5)): at the
    // extremes a research-led area is e times as likely as a neutral one (or 1/e as likely).
    std::array<double, thematic_area_count> weight{};
    for (int a = 0; a < thematic_area_count; ++a) weight[a] = std::exp(2.0 * area_research_lean[a] * (score - 0.5));
    for (int pick = 0; pick < count; ++pick) {
      const std::uint32_t area = weighted_choice(stream, weight);
      region.s3_priorities.push_back(AreaIndex(area));
      weight[area] = 0.0;
    }
    std::sort(region.s3_priorities.begin(), region.s3_priorities.end());
  }
}

}  // namespace clusternet
