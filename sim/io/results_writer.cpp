#include "io/results_writer.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fmt/format.h>
#include <limits>
#include <span>
#include <string>
#include <vector>
#include <system_error>

#include "clusternet/git_revision.hpp"
#include "clusternet/version.hpp"
#include "core/statistics.hpp"
#include "io/h5_scales.hpp"
#include "io/h5_util.hpp"
#include "io/results_layout.hpp"
#include "io/safe_file.hpp"

namespace clusternet::io {
namespace fs = std::filesystem;
using h5::Handle;

std::string month_label(int start_year, int start_month, int month) {
  // 64 bits: with a forged start year or month the sum overflows an int.
  const std::int64_t total = std::int64_t{start_year} * 12 + (std::int64_t{start_month} - 1) + month;
  const std::int64_t year = total >= 0 ? total / 12 : (total - 11) / 12;
  return fmt::format("{:04d}-{:02d}", year, total - year * 12 + 1);
}

void check_recorded_calendar(std::int64_t start_year, std::int64_t start_month,
                             const std::vector<std::int32_t>& months) {
  if (start_year != 0 && (start_year < 1950 || start_year > 2100))
    throw Error(ErrorInfo{"start year outside the calendar of any scenario", {}, "start_year",
                          std::to_string(start_year), "1950 to 2100 (horizon.start)"});
  if (start_month < 1 || start_month > 12)
    throw Error(ErrorInfo{"start month is not a month", {}, "start_month", std::to_string(start_month), "1 to 12"});
  for (std::size_t i = 0; i < months.size(); ++i)
    if (months[i] < 0 || months[i] >= 1200 || (i > 0 && months[i] <= months[i - 1]))
      throw Error(ErrorInfo{"recorded months are not increasing within the horizon", {}, "/time/month",
                            fmt::format("{} at position {}", months[i], i), "increasing, 0 to 1199"});
}

void check_output_path(const std::string& path, bool force) {
  if (path.empty()) throw Error(ErrorInfo{"the output path is empty", {}, "output", "", "a file name ending in .h5"});
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw Error(ErrorInfo{"the output path is a directory", {path, 0, 0}, "", "", "a file name ending in .h5"});
  check_publishable(path, force, "--output");  // exists without --force, or not a regular file
  fs::path parent = fs::path(path).parent_path();
  if (parent.empty()) parent = ".";
  fs::create_directories(parent, ec);
  if (ec || !fs::is_directory(parent))
    throw Error(ErrorInfo{"cannot create the output directory: " + ec.message(), {parent.string(), 0, 0}, "", "", ""});
  if (::access(parent.c_str(), W_OK) != 0)
    throw Error(ErrorInfo{"the output directory is not writable", {parent.string(), 0, 0}, "", "", ""});
}

namespace {

void validate(const RunResults& r) {
  ErrorCollector errors;
  const std::size_t months = r.months.size();
  if (r.replicates.empty()) errors.add({"results hold no replicate", {}, "replicates", "0", "at least 1"});
  for (std::size_t k = 0; k < r.replicates.size(); ++k) {
    const auto& rep = r.replicates[k];
    const std::string key = fmt::format("replicates[{}]", k);
    if (rep.series.size() != r.series.size())
      errors.add({"series count differs from the declared series", {}, key + ".series",
                  std::to_string(rep.series.size()), std::to_string(r.series.size())});
    for (std::size_t s = 0; s < rep.series.size(); ++s)
      if (rep.series[s].size() != months)
        errors.add({"series length differs from the recorded months", {}, fmt::format("{}.series[{}]", key, s),
                    std::to_string(rep.series[s].size()), std::to_string(months)});
    if (rep.region_series.size() != r.region_series.size())
      errors.add({"region series count differs from the declared region series", {}, key + ".region_series",
                  std::to_string(rep.region_series.size()), std::to_string(r.region_series.size())});
    for (std::size_t s = 0; s < rep.region_series.size(); ++s) {
      if (rep.region_series[s].size() != months)
        errors.add({"region series length differs from the recorded months", {},
                    fmt::format("{}.region_series[{}]", key, s), std::to_string(rep.region_series[s].size()),
                    std::to_string(months)});
      for (const auto& row : rep.region_series[s])
        if (row.size() != r.regions.size()) {
          errors.add({"region series width differs from the region count", {},
                      fmt::format("{}.region_series[{}]", key, s), std::to_string(row.size()),
                      std::to_string(r.regions.size())});
          break;
        }
    }
    if (rep.table_names.size() != rep.tables.size())
      errors.add({"table names and tables differ in number", {}, key + ".tables", std::to_string(rep.tables.size()),
                  std::to_string(rep.table_names.size())});
  }
  for (const auto& s : r.series)
    if (s.name.empty() || s.group.empty() || s.name.find('/') != std::string::npos ||
        s.group.find('/') != std::string::npos)
      errors.add({"series group and name must be non-empty and contain no '/'", {}, "series", s.group + "/" + s.name, ""});
  errors.throw_if_any();
}


const std::string* estimator_of(const RunResults& r, const std::string& dataset) {
  for (const auto& [path, estimator] : r.estimators)
    if (path == dataset) return &estimator;
  return nullptr;
}

void describe(hid_t parent, const std::string& name, const std::string& description, const std::string& unit,
              const std::string* estimator = nullptr) {
  Handle d(H5Oopen(parent, name.c_str(), H5P_DEFAULT), H5Oclose, "open " + name);
  h5::write_attr(d, "description", description);
  h5::write_attr(d, "unit", unit);
  if (estimator) h5::write_attr(d, "estimator", *estimator);
}

// Integers joined with ';' (the members columns).
template <typename Int>
std::string joined(std::span<const Int> values) {
  std::string out;
  for (std::size_t j = 0; j < values.size(); ++j) {
    if (j) out += ';';
    out += std::to_string(values[j]);
  }
  return out;
}
std::string joined(const std::vector<OrgIndex>& values) { return joined(std::span<const OrgIndex>(values)); }

class Writer {
 public:
  Writer(const RunResults& r, const WriteOptions& o) : r_(r), o_(o), str_(h5::utf8_string_type()) {}

  void write(hid_t file) {
    root(file);
    stage("root");
    scenario(file);
    stage("scenario");
    dimension_scales(file);
    time(file);
    stage("time");
    metrics(file);
    stage("metrics");
    regions(file);
    stage("regions");
    partnerships(file);
    stage("partnerships");
    collaborations(file);
    stage("collaborations");
    network(file);
    stage("network");
    tables(file);
    stage("tables");
    summary(file);
    stage("summary");
    provenance(file);
    stage("provenance");
    calibration(file);
    stage("calibration");
  }

 private:
  void stage(std::string_view name) {
    if (o_.after_stage) o_.after_stage(name);
  }

  void root(hid_t f) {
    h5::write_attr(f, "format", results_format_name);
    h5::write_attr(f, "format_version", std::int64_t{results_format_version});
    h5::write_attr(f, "clusternet_version", clusternet::version);
    h5::write_attr(f, "git_revision", clusternet::git_revision);
    h5::write_attr(f, "scenario_name", r_.scenario_name);
    h5::write_attr_u64(f, "seed", r_.seed);
    h5::write_attr(f, "replicates", static_cast<std::int64_t>(r_.replicates.size()));
    h5::write_attr(f, "threads", static_cast<std::int64_t>(r_.threads));
    h5::write_attr(f, "created_utc", utc_now());
    h5::write_attr(f, "start_year", std::int64_t{r_.start_year});
    h5::write_attr(f, "start_month", std::int64_t{r_.start_month});
    // Written as 0 now and set to 1 as the very last step, so that even a .partial file opened by
    // hand says that it is incomplete.
    h5::write_attr(f, "complete", std::int64_t{0});
  }

  void scenario(hid_t f) {
    Handle g = h5::create_group(f, "scenario");
    h5::write_scalar_string(g, "resolved_yaml", r_.resolved_yaml);
    describe(g, "resolved_yaml", "the scenario as run, with every default and override resolved", "");
    h5::write_strings(g, "source_files", r_.source_files);
    describe(g, "source_files", "files the scenario was read from (scenario, includes, data tables)", "");
  }

  void time(hid_t f) {
    Handle g = h5::create_group(f, "time");
    std::vector<std::int32_t> months(r_.months.begin(), r_.months.end());
    std::vector<std::string> dates;
    for (Month m : r_.months) dates.push_back(month_label(r_.start_year, r_.start_month, m));
    h5::write_ints(g, "month", months);
    describe(g, "month", "recorded month, counted from the scenario's start month (0 = first month)", "month");
    h5::write_strings(g, "date", dates);
    describe(g, "date", "calendar month of each recorded month", "YYYY-MM");
    h5::attach_scales(g, "month", {"/month"});
    h5::attach_scales(g, "date", {"/month"});
  }

  // Coordinates at the root, marked as HDF5 dimension scales and attached to every dataset over
  // them, so xarray (engine="h5netcdf") and R name the dimensions (docs/results-format.md).
  void dimension_scales(hid_t f) {
    std::vector<std::int32_t> replicates(r_.replicates.size());
    for (std::size_t k = 0; k < replicates.size(); ++k) replicates[k] = static_cast<std::int32_t>(k);
    h5::write_ints(f, "replicate", replicates);
    describe(f, "replicate", "replicate number; replicate k draws from the random streams keyed by k", "");
    h5::write_ints(f, "month", std::vector<std::int32_t>(r_.months.begin(), r_.months.end()));
    describe(f, "month", "recorded month, counted from the scenario's start month (0 = first month)", "month");
    std::vector<std::string> regions;
    for (const auto& reg : r_.regions) regions.push_back(reg.nuts_id);
    h5::write_strings(f, "region", regions);
    describe(f, "region", "NUTS-2 code of each region, in region index order (rows of /regions/table)", "");
    for (const char* name : {"replicate", "month", "region"}) {
      Handle d(H5Dopen2(f, name, H5P_DEFAULT), H5Dclose, std::string("open ") + name);
      h5::make_scale(d, name);
    }
  }

  void metrics(hid_t f) {
    Handle g = h5::create_group(f, "metrics");
    const hsize_t reps = r_.replicates.size(), months = r_.months.size();
    std::vector<double> buf(reps * months);
    for (std::size_t s = 0; s < r_.series.size(); ++s) {
      const auto& info = r_.series[s];
      Handle sub = h5::create_group(g, info.group);
      for (std::size_t k = 0; k < reps; ++k)
        std::copy(r_.replicates[k].series[s].begin(), r_.replicates[k].series[s].end(), buf.begin() + k * months);
      h5::write_doubles(sub, info.name, {reps, months}, buf.data());
      describe(sub, info.name, info.description, info.unit, estimator_of(r_, "metrics/" + info.group + "/" + info.name));
      Handle d(H5Dopen2(sub, info.name.c_str(), H5P_DEFAULT), H5Dclose, "open " + info.name);
      h5::write_attr(d, "dimensions", "replicate, month");
      h5::attach_scales(sub, info.name, {"/replicate", "/month"});
    }
  }

  void regions(hid_t f) {
    Handle g = h5::create_group(f, "regions");
    std::vector<layout::RegionRowH5> rows;
    for (const auto& reg : r_.regions)
      rows.push_back({reg.nuts_id.c_str(), reg.name.c_str(), reg.country.c_str(), reg.category.c_str(), reg.lon,
                      reg.lat, reg.population, reg.gdp_index});
    h5::write_table(g, "table", sizeof(layout::RegionRowH5), layout::region_fields(str_), rows.size(), rows.data());
    describe(g, "table",
             "the world's NUTS-2 regions in region index order; lon/lat in degrees (WGS84), population in persons, "
             "gdp_index: GDP per head relative to the EU average (100)",
             "");
    h5::attach_scales(g, "table", {"/region"});
    const hsize_t reps = r_.replicates.size(), months = r_.months.size(), n = r_.regions.size();
    std::vector<double> buf(reps * months * n);
    for (std::size_t s = 0; s < r_.region_series.size(); ++s) {
      const auto& info = r_.region_series[s];
      if (info.name == "table") throw Error(ErrorInfo{"a region series may not be called 'table'", {}, "region_series", "table", ""});
      for (std::size_t k = 0; k < reps; ++k)
        for (std::size_t m = 0; m < months; ++m)
          std::copy(r_.replicates[k].region_series[s][m].begin(), r_.replicates[k].region_series[s][m].end(),
                    buf.begin() + (k * months + m) * n);
      h5::write_doubles(g, info.name, {reps, months, n}, buf.data());
      describe(g, info.name, info.description, info.unit, estimator_of(r_, "regions/" + info.name));
      Handle d(H5Dopen2(g, info.name.c_str(), H5P_DEFAULT), H5Dclose, "open " + info.name);
      h5::write_attr(d, "dimensions", "replicate, month, region");
      h5::attach_scales(g, info.name, {"/replicate", "/month", "/region"});
    }
  }

  void partnerships(hid_t f) {
    Handle g = h5::create_group(f, "partnerships");
    for (std::size_t k = 0; k < r_.replicates.size(); ++k) {
      const auto& ps = r_.replicates[k].partnerships;
      std::vector<std::string> members(ps.size()), associates(ps.size());
      std::vector<layout::PartnershipRowH5> rows;
      for (std::size_t i = 0; i < ps.size(); ++i) {
        const auto& p = ps[i];
        members[i] = joined(p.members);
        associates[i] = joined(p.associates);
        rows.push_back({p.id, p.instrument.c_str(), p.lead, members[i].c_str(), p.start, p.end, p.grant_eur,
                        p.smes_supported, p.status.c_str(), associates[i].c_str(), p.smes_approached, p.returned_eur});
      }
      const std::string name = fmt::format("rep_{}", k);
      h5::write_table(g, name, sizeof(layout::PartnershipRowH5), layout::partnership_written_fields(str_), rows.size(),
                      rows.data());
      describe(g, name,
               "funded partnerships of replicate " + std::to_string(k) +
                   "; members: the partners' organisation indices separated by ';', lead first; associates: the "
                   "associated members; start/end: months; grant_eur: EUR; status: active, completed or continued (a "
                   "partnership that received continuation funding); smes_approached: offers of support made; "
                   "returned_eur: unspent at its end, given back",
               "");
    }
  }

  void collaborations(hid_t f) {
    bool any = false;
    for (const auto& rep : r_.replicates) any = any || rep.collaborations_recorded;
    if (!any) return;
    Handle g = h5::create_group(f, "collaborations");
    for (std::size_t k = 0; k < r_.replicates.size(); ++k) {
      const auto& rep = r_.replicates[k];
      if (!rep.collaborations_recorded) continue;
      const CollaborationTable& c = rep.collaborations;
      std::vector<std::string> members(c.size()), roles(c.size());
      std::vector<layout::CollaborationRowH5> rows(c.size());
      for (std::size_t i = 0; i < c.size(); ++i) {
        const auto first = c.offsets[i], last = c.offsets[i + 1];
        members[i] = joined(std::span<const OrgIndex>(c.members.data() + first, last - first));
        roles[i] = joined(std::span<const std::int16_t>(c.roles.data() + first, last - first));
        rows[i] = {static_cast<std::uint32_t>(i), c.origin[i], c.instrument[i], c.start[i], c.end[i],
                   static_cast<std::uint32_t>(last - first), members[i].c_str(), roles[i].c_str()};
      }
      const std::string name = fmt::format("rep_{}", k);
      h5::write_table(g, name, sizeof(layout::CollaborationRowH5), layout::collaboration_fields(str_), rows.size(),
                      rows.data());
      describe(g, name,
               "every collaboration of replicate " + std::to_string(k) +
                   " (autonomous projects, funded partnerships, exchange visits); origin: 0 autonomous, 1 partnership, 2 "
                   "exchange; instrument: index or -1; start/end: months (end exclusive); members: organisation indices "
                   "separated by ';', lead first; roles: aligned role codes (0 lead, 1 partner, 2 associated)",
               "");
      Handle d(H5Dopen2(g, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
      h5::write_attr(d, "origin_codes", layout::origin_codes);
      h5::write_attr(d, "role_codes", layout::role_codes);
    }
  }

  // Each ResultTable as a compound table whose row is laid out at run time: a `const char*` per
  // text column, a double per number column.
  void calibration(hid_t f) {
    if (r_.calibration.empty()) return;
    Handle g = h5::create_group(f, "calibration");
    for (const ResultTable& t : r_.calibration) {
      const std::size_t rows = t.rows();
      std::vector<h5::Field> fields;
      std::size_t row_size = 0;
      for (const auto& c : t.columns) {
        const std::size_t rows_here = c.text ? c.strings.size() : c.numbers.size();
        if (rows_here != rows) throw Error(ErrorInfo{"calibration table columns differ in length", {}, t.name, c.name, ""});
        fields.push_back({c.name, row_size, c.text ? str_.get() : H5T_NATIVE_DOUBLE});
        row_size += c.text ? sizeof(const char*) : sizeof(double);
      }
      std::vector<unsigned char> buffer(rows * row_size);
      for (std::size_t i = 0; i < rows; ++i)
        for (std::size_t k = 0; k < t.columns.size(); ++k) {
          unsigned char* cell = buffer.data() + i * row_size + fields[k].offset;
          if (t.columns[k].text) {
            const char* text = t.columns[k].strings[i].c_str();
            std::memcpy(cell, &text, sizeof text);
          } else {
            std::memcpy(cell, &t.columns[k].numbers[i], sizeof(double));
          }
        }
      h5::write_table(g, t.name, row_size, fields, rows, buffer.data());
      describe(g, t.name, t.description, "");
    }
  }

  void network(hid_t f) {
    Handle g = h5::create_group(f, "network/final");
    for (std::size_t k = 0; k < r_.replicates.size(); ++k) {
      const auto& rep = r_.replicates[k];
      Handle rg = h5::create_group(g, fmt::format("rep_{}", k));
      // Packed and written in blocks: a copy of the whole table was, at the end of a run, its peak.
      h5::write_table_blocks(rg, "edges", sizeof(layout::EdgeRowH5), layout::edge_written_fields(),
                             rep.final_edges.size(), [&](std::size_t first, std::size_t count, unsigned char* out) {
        for (std::size_t i = 0; i < count; ++i) {
          const auto& e = rep.final_edges[first + i];
          const layout::EdgeRowH5 row{e.source, e.target, e.weight, e.formed_month, e.origin, e.instrument, e.collaborations};
          std::memcpy(out + i * sizeof row, &row, sizeof row);
        }
      });
      describe(rg, "edges",
               "ties at the final month; source < target are organisation indices; weight: tie strength; "
               "formed_month: month the tie formed; instrument: instrument index or -1; collaborations: joint "
               "collaborations of the pair (projects, partnerships, visits) while the tie lived",
               "");
      Handle ed(H5Dopen2(rg, "edges", H5P_DEFAULT), H5Dclose, "open edges");
      h5::write_attr(ed, "origin_codes", layout::origin_codes);
      h5::write_table_blocks(rg, "nodes", sizeof(layout::NodeRowH5), layout::node_fields(), rep.final_nodes.size(),
                             [&](std::size_t first, std::size_t count, unsigned char* out) {
        for (std::size_t i = 0; i < count; ++i) {
          const auto& n = rep.final_nodes[first + i];
          const layout::NodeRowH5 row{n.id, n.kind, n.region, n.area,
                                      static_cast<std::int32_t>(std::min<std::uint32_t>(n.degree, INT32_MAX)), n.cluster,
                                      static_cast<std::int16_t>(std::min<std::uint16_t>(n.memberships, INT16_MAX))};
          std::memcpy(out + i * sizeof row, &row, sizeof row);
        }
      });
      describe(rg, "nodes",
               "every organisation at the final month, isolated ones included; region: row of /regions/table; area: S3 "
               "thematic area index; degree: ties at the final month (0: isolated); cluster: a cluster organisation's own "
               "index, otherwise the index of the first cluster organisation it is a member of, -1 none; memberships: "
               "clusters it is a member of",
               "");
      Handle nd(H5Dopen2(rg, "nodes", H5P_DEFAULT), H5Dclose, "open nodes");
      h5::write_attr(nd, "kind_codes", layout::kind_codes);
    }
  }

  void tables(hid_t f) {
    // Extra per-replicate tables ([month][k], rows may differ in length, e.g. a degree histogram
    // whose maximum degree grows): stored rectangular, padded with NaN, with each row's true length
    // in the attribute row_length so that reading back is exact.
    bool any = false;
    for (const auto& rep : r_.replicates) any = any || !rep.table_names.empty();
    if (!any) return;
    Handle g = h5::create_group(f, "tables");
    for (std::size_t k = 0; k < r_.replicates.size(); ++k) {
      const auto& rep = r_.replicates[k];
      for (std::size_t t = 0; t < rep.table_names.size(); ++t) {
        Handle tg = h5::create_group(g, rep.table_names[t]);
        const auto& rows = rep.tables[t];
        std::size_t width = 0;
        std::vector<std::int64_t> lengths;
        for (const auto& row : rows) {
          width = std::max(width, row.size());
          lengths.push_back(static_cast<std::int64_t>(row.size()));
        }
        std::vector<double> buf(rows.size() * width, std::numeric_limits<double>::quiet_NaN());
        for (std::size_t m = 0; m < rows.size(); ++m) std::copy(rows[m].begin(), rows[m].end(), buf.begin() + m * width);
        const std::string name = fmt::format("rep_{}", k);
        h5::write_doubles(tg, name, {rows.size(), width}, buf.data());
        Handle d(H5Dopen2(tg, name.c_str(), H5P_DEFAULT), H5Dclose, "open " + name);
        h5::write_attr(d, "row_length", lengths);
        h5::write_attr(d, "dimensions", "month, k (NaN beyond row_length)");
        if (const std::string* estimator = estimator_of(r_, "tables/" + rep.table_names[t]))
          h5::write_attr(d, "estimator", *estimator);
      }
    }
  }

  void summary(hid_t f) {
    Handle g = h5::create_group(f, "summary");
    const std::size_t months = r_.months.size();
    for (std::size_t s = 0; s < r_.series.size(); ++s) {
      const auto& info = r_.series[s];
      // The final month where any replicate has a value: metrics measured every few months are NaN
      // in between, and a summary of NaN would say nothing.
      std::vector<double> values;
      std::int32_t month = months ? r_.months.back() : 0;
      for (std::size_t m = months; m-- > 0;) {
        std::vector<double> at;
        for (const auto& rep : r_.replicates) at.push_back(rep.series[s][m]);
        values = stats::finite_values(at);
        if (!values.empty()) {
          month = r_.months[m];
          break;
        }
      }
      const auto sm = stats::summarize(values);
      layout::SummaryRowH5 row{static_cast<std::int32_t>(sm.n), month, sm.mean, sm.sd, sm.ci_low, sm.ci_high};
      Handle sub = h5::create_group(g, info.group);
      h5::write_table(sub, info.name, sizeof row, layout::summary_fields(), 1, &row);
      describe(sub, info.name,
               "over replicates at the final month with a value: n replicates, mean, std (sample), 95% t interval "
               "of the mean (NaN when n < 2); " + info.description,
               info.unit);
    }
  }

  void provenance(hid_t f) {
    Handle g = h5::create_group(f, "provenance");
    h5::write_strings(g, "notes", r_.notes);
    describe(g, "notes", "notes about the inputs of the run, e.g. imputed values in the region data", "");
  }

  const RunResults& r_;
  const WriteOptions& o_;
  Handle str_;
};

// The whole file built in memory by HDF5's core driver, as the bytes of an HDF5 file. HDF5 then
// never writes to the disk itself: on a full disk its flush failed and its clean-up at exit
// crashed on the half-closed file. The bytes are written by PendingFile, every write checked.
// Costs one file's size of memory twice at the end (the driver's buffer and the image), small
// next to RunResults, which holds the same values uncompressed.
std::vector<unsigned char> build_file_image(const RunResults& results, const WriteOptions& options,
                                            const std::string& name) {
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access properties");
  // Grows in 8 MiB steps: few reallocations for big files, little waste for small ones.
  h5::check(H5Pset_fapl_core(fapl, std::size_t(8) << 20, 0), "in-memory file driver");
  Handle file(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), H5Fclose, "create " + name);
  h5::deflate_level() = std::clamp(options.compression_level, 0, 9);
  Writer(results, options).write(file);
  h5::write_attr(file, "complete", std::int64_t{1});
  h5::check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + name);
  const ssize_t size = H5Fget_file_image(file, nullptr, 0);
  if (size <= 0) throw Error("image of " + name + ": HDF5 call failed");
  std::vector<unsigned char> image(static_cast<std::size_t>(size));
  if (H5Fget_file_image(file, image.data(), image.size()) != size) throw Error("image of " + name + ": HDF5 call failed");
  file.close("close " + name);
  return image;
}

}  // namespace

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void write_results(const RunResults& results, const std::string& path, const WriteOptions& options) {
  validate(results);
  check_output_path(path, options.force);
  h5::quiet_hdf5();
  const std::vector<unsigned char> image = build_file_image(results, options, path + " (in memory)");
  // A unique temporary name per process (two runs writing one -o never share a .partial), removed
  // on any failure, renamed into place only when complete and durable.
  PendingFile pending(path);
  pending.write(image.data(), image.size());
  if (options.after_stage) options.after_stage("written");
  pending.publish(options.force, "--output");
}

}  // namespace clusternet::io
