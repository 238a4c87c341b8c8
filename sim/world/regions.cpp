#include "world/regions.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/random.hpp"
#include "core/units.hpp"

namespace clusternet {

bool is_eu27_country(std::string_view code) {
  return std::find(eu27_countries.begin(), eu27_countries.end(), code) != eu27_countries.end();
}

std::string eu27_country_list() {
  std::string out;
  for (auto c : eu27_countries) {
    if (!out.empty()) out += ' ';
    out += c;
  }
  return out;
}

bool is_nuts2_code(std::string_view code) {
  return code.size() == 4 && std::isupper(static_cast<unsigned char>(code[0])) &&
         std::isupper(static_cast<unsigned char>(code[1])) && std::isalnum(static_cast<unsigned char>(code[2])) &&
         std::isalnum(static_cast<unsigned char>(code[3]));
}

namespace {

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

// Imputes the missing GDP indices, R&D intensities and cohesion categories of the EU27 records,
// over the whole table so that a restricted world keeps the same values. Returns a note per imputed
// value, (code, note) in record order.
std::vector<std::pair<std::string, std::string>> impute_missing(std::vector<RegionRecord>& rows) {
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
      means_of([](const RegionRecord& r) { return r.has_gdp; }, [](const RegionRecord& r) { return r.region.gdp_index; });
  const WeightedMeans rd_means =
      means_of([](const RegionRecord& r) { return r.has_rd; }, [](const RegionRecord& r) { return r.region.rd_intensity; });
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
  std::vector<std::pair<std::string, std::string>> notes;
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
  return notes;
}

// Checks that the config's countries, regions and S3 overrides name EU27 entries of the table.
void check_selection(const std::vector<RegionRecord>& rows, const std::string& source, const WorldConfig& config) {
  std::set<std::string> countries_in_table, codes_in_table;
  for (const auto& r : rows) {
    countries_in_table.insert(r.region.country_code);
    codes_in_table.insert(r.region.code);
  }
  for (const auto& c : config.countries)
    if (!countries_in_table.count(c))
      throw Error(ErrorInfo{"country not among the EU27 countries of the region table", {source, 0, 0}, "world.countries",
                            c, eu27_country_list()});
  for (const auto& c : config.regions)
    if (!codes_in_table.count(c))
      throw Error(ErrorInfo{"region not among the EU27 regions of the region table", {source, 0, 0}, "world.regions", c,
                            "an EU27 NUTS-2 code of the table, e.g. AT11"});
  for (const auto& [code, areas] : config.s3_overrides) {
    if (!codes_in_table.count(code))
      throw Error(ErrorInfo{"S3 override for a region not among the EU27 regions of the region table",
                            {source, 0, 0}, "world.s3_overrides", code, "an EU27 NUTS-2 code of the table"});
    std::set<AreaIndex> distinct(areas.begin(), areas.end());
    if (areas.empty() || distinct.size() != areas.size() || *distinct.rbegin() >= thematic_area_count)
      throw Error(ErrorInfo{"S3 override must list distinct thematic areas", {source, 0, 0},
                            "world.s3_overrides." + code, std::to_string(areas.size()) + " areas",
                            "1..21 distinct area ids 0..20"});
  }
}

void fill_distances(RegionTable& table) {
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
}

}  // namespace

double great_circle_km(double lon_a, double lat_a, double lon_b, double lat_b) {
  // IUGG mean Earth radius (core/units.hpp); the spherical model errs by up to ~0.5% against the
  // ellipsoid, far below anything a distance-decay parameter can resolve.
  constexpr double radians = 3.14159265358979323846 / 180.0;
  const double phi_a = lat_a * radians, phi_b = lat_b * radians;
  const double d_phi = (lat_b - lat_a) * radians, d_lambda = (lon_b - lon_a) * radians;
  const double h = std::sin(d_phi / 2) * std::sin(d_phi / 2) +
                   std::cos(phi_a) * std::cos(phi_b) * std::sin(d_lambda / 2) * std::sin(d_lambda / 2);
  return 2.0 * earth_radius_km * std::asin(std::min(1.0, std::sqrt(h)));
}

RegionTable build_region_table(std::vector<RegionRecord> rows, const std::string& source, const WorldConfig& config) {
  std::erase_if(rows, [](const RegionRecord& r) { return !r.eu27; });
  if (rows.empty())
    throw Error(ErrorInfo{"no EU27 region in the table", {source, 0, 0}, "eu27", "", "rows with eu27 = 1"});
  auto notes = impute_missing(rows);
  check_selection(rows, source, config);
  // Restriction: the union of the countries and the regions named.
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
  fill_distances(table);
  return table;
}

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
