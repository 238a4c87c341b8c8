#include "io/results_reader.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <limits>
#include <map>

#include "io/h5_util.hpp"
#include "io/results_layout.hpp"
#include "io/results_writer.hpp"
#include "io/isolated_read.hpp"
#include "io/safe_file.hpp"

namespace clusternet::io {
namespace fs = std::filesystem;
using h5::Handle;
using Kind = ResultsFileError::Kind;

ResultsFileError::ResultsFileError(Kind kind, const std::string& path, const std::string& message)
    : Error(ErrorInfo{message, {path, 0, 0}, "", "", ""}), kind_(kind) {}

namespace {

// HDF5's 8-byte signature sits at offset 0 or, after a user block, at 512, 1024, 2048, ...
bool has_hdf5_signature(const std::string& path) {
  static constexpr std::array<unsigned char, 8> signature = {0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec) return false;
  for (std::uintmax_t offset = 0; offset + 8 <= size; offset = offset ? offset * 2 : 512) {
    std::array<unsigned char, 8> buf{};
    in.seekg(static_cast<std::streamoff>(offset));
    if (!in.read(reinterpret_cast<char*>(buf.data()), 8)) return false;
    if (buf == signature) return true;
  }
  return false;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Far beyond any result (a few hundred links, plus a handful per replicate; groups 3 deep), far
// below what would make a walk of the file slow.
constexpr std::size_t max_links = 1000000;
constexpr int max_group_depth = 16;
// The scenario schema's limits: a result cannot hold more (horizon.months, replicates).
constexpr std::uint64_t max_months = 1200;
constexpr std::int64_t max_replicates = 10000;

// Opens `path` read-only after every check that a result file must pass.
Handle open_validated(const std::string& path) {
  h5::quiet_hdf5();
  if (ends_with(path, ".partial"))
    throw ResultsFileError(Kind::partial, path,
                           "this is the temporary file of a run that did not finish (.partial); it is not a "
                           "result — rerun the scenario");
  std::error_code ec;
  if (!fs::exists(path, ec)) throw ResultsFileError(Kind::missing, path, "no such file");
  if (fs::is_directory(path, ec)) throw ResultsFileError(Kind::not_hdf5, path, "is a directory, not a result file");
  // A FIFO would block the signature check, a device such as /dev/zero never end it.
  if (const std::string kind = describe_file_kind(path); kind != "a regular file")
    throw ResultsFileError(Kind::not_hdf5, path, "is " + kind + ", not a result file");
  if (!has_hdf5_signature(path))
    throw ResultsFileError(Kind::not_hdf5, path, "not an HDF5 file (no HDF5 signature); expected a clusternet result (.h5)");
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0)
    throw ResultsFileError(Kind::unreadable, path,
                           "HDF5 cannot open this file: it is truncated or damaged (e.g. copied while being written)");
  Handle file(id, H5Fclose, path);
  try {
    // Before anything walks the file: links the reader does not expect make walks endless.
    h5::check_link_structure(file, max_links, max_group_depth);
    if (!h5::has_attr(file, "format") || h5::read_attr_string(file, "format") != results_format_name)
      throw ResultsFileError(Kind::foreign, path,
                             "an HDF5 file, but not a clusternet result (no format=\"clusternet-results\" attribute)");
    if (!h5::has_attr(file, "complete") || h5::read_attr_int(file, "complete") != 1)
      throw ResultsFileError(Kind::incomplete, path,
                             "incomplete result (complete != 1): the run that wrote it did not finish");
    const auto version = h5::has_attr(file, "format_version") ? h5::read_attr_int(file, "format_version") : 0;
    if (version < 1 || version > results_format_version)
      throw ResultsFileError(Kind::malformed, path,
                             fmt::format("format_version {} is not supported by this clusternet (reads 1 to {})",
                                         version, results_format_version));
  } catch (const ResultsFileError&) {
    throw;
  } catch (const std::exception& e) {
    throw ResultsFileError(Kind::malformed, path, std::string("malformed result file: ") + e.what());
  }
  return file;
}

// Runs `body` and turns anything it throws into ResultsFileError(malformed), so that callers see
// one error type for every unusable file.
template <typename Body>
auto guarded(const std::string& path, Body body) {
  try {
    return body();
  } catch (const ResultsFileError&) {
    throw;
  } catch (const std::exception& e) {
    throw ResultsFileError(Kind::malformed, path, std::string("malformed result file: ") + e.what());
  }
}

std::string type_name(hid_t type) {
  const std::size_t size = H5Tget_size(type);
  switch (H5Tget_class(type)) {
    case H5T_FLOAT: return fmt::format("float{}", size * 8);
    case H5T_INTEGER: return fmt::format("{}int{}", H5Tget_sign(type) == H5T_SGN_NONE ? "u" : "", size * 8);
    case H5T_STRING: return "string";
    case H5T_COMPOUND: return "table";
    default: return "other";
  }
}

void list_datasets(hid_t group, const std::string& prefix, std::vector<DatasetInfo>& out) {
  for (const auto& name : h5::children(group)) {
    const std::string path = prefix + "/" + name;
    Handle obj(H5Oopen(group, name.c_str(), H5P_DEFAULT), H5Oclose, "open " + path);
    const H5I_type_t t = H5Iget_type(obj);
    if (t == H5I_GROUP) {
      list_datasets(obj, path, out);
    } else if (t == H5I_DATASET) {
      DatasetInfo info;
      info.path = path;
      Handle type(H5Dget_type(obj), H5Tclose, "type of " + path);
      info.type = type_name(type);
      Handle space(H5Dget_space(obj), H5Sclose, "dataspace of " + path);
      const int rank = H5Sget_simple_extent_ndims(space);
      if (rank < 0) throw Error("dataspace of " + path + ": HDF5 call failed");
      std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
      if (rank > 0) h5::check(H5Sget_simple_extent_dims(space, dims.data(), nullptr), "dataspace of " + path);
      info.shape.assign(dims.begin(), dims.end());
      out.push_back(std::move(info));
    }
  }
}

std::string attr_or(hid_t obj, const std::string& name, const std::string& fallback = "") {
  return h5::has_attr(obj, name) ? h5::read_attr_string(obj, name) : fallback;
}

ResultsInfo info_of(hid_t file, const std::string& path) {
  ResultsInfo info;
  info.path = path;
  info.format_version = static_cast<int>(h5::read_attr_int(file, "format_version"));
  info.clusternet_version = attr_or(file, "clusternet_version");
  info.git_revision = attr_or(file, "git_revision");
  info.scenario_name = attr_or(file, "scenario_name");
  info.created_utc = attr_or(file, "created_utc");
  info.seed = h5::read_attr_u64(file, "seed");
  const std::int64_t replicates = h5::read_attr_int(file, "replicates");
  if (replicates < 1 || replicates > max_replicates)
    throw Error(ErrorInfo{"replicate count out of range", {}, "replicates", std::to_string(replicates),
                          "1 to " + std::to_string(max_replicates)});
  info.replicates = static_cast<std::uint32_t>(replicates);
  const std::int64_t threads = h5::read_attr_int(file, "threads");
  if (threads < 0 || threads > std::numeric_limits<std::uint32_t>::max())
    throw Error(ErrorInfo{"thread count out of range", {}, "threads", std::to_string(threads), "0 to 2^32-1"});
  info.threads = static_cast<std::uint32_t>(threads);
  info.complete = h5::read_attr_int(file, "complete") == 1;
  const std::int64_t start_year = h5::has_attr(file, "start_year") ? h5::read_attr_int(file, "start_year") : 0;
  const std::int64_t start_month = h5::has_attr(file, "start_month") ? h5::read_attr_int(file, "start_month") : 1;
  const auto month_shape = h5::shape(file, "time/month");
  if (month_shape.size() != 1) throw Error("/time/month is not one-dimensional");
  if (month_shape[0] > max_months)
    throw Error(ErrorInfo{"more recorded months than any horizon", {}, "/time/month", std::to_string(month_shape[0]),
                          "at most " + std::to_string(max_months)});
  check_recorded_calendar(start_year, start_month, h5::read_ints(file, "time/month"));
  info.start_year = static_cast<int>(start_year);
  info.start_month = static_cast<int>(start_month);
  info.months = month_shape[0];
  list_datasets(file, "", info.datasets);
  return info;
}

std::string strdup_or_empty(const char* p) { return p ? std::string(p) : std::string(); }

std::vector<OrgIndex> parse_members(const std::string& text, const std::string& where) {
  std::vector<OrgIndex> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    const std::string part = text.substr(start, end - start);
    std::size_t used = 0;
    unsigned long value = 0;
    try {
      value = std::stoul(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != part.size() || part.empty()) throw Error(ErrorInfo{"bad member list", {}, where, text, "\"12;45;78\""});
    out.push_back(static_cast<OrgIndex>(value));
    start = end + 1;
  }
  return out;
}

// Metrics: /metrics/<group>/<name>, [replicates, months]; read back in group then name order.
void read_metrics(hid_t file, RunResults& r) {
  const std::size_t M = r.months.size(), R = r.replicates.size();
  Handle metrics = h5::open_group(file, "metrics");
  for (const auto& group : h5::children(metrics)) {
    Handle g = h5::open_group(metrics, group);
    for (const auto& name : h5::children(g)) {
      // The shape is checked before the values are read: a forged shape must not size an allocation.
      const std::vector<hsize_t> expected{R, M};
      if (h5::shape(g, name) != expected)
        throw Error(ErrorInfo{"metric shape is not [replicates, months]", {}, "/metrics/" + group + "/" + name, "", ""});
      std::vector<hsize_t> dims;
      const auto values = h5::read_doubles(g, name, dims);
      Handle d(H5Oopen(g, name.c_str(), H5P_DEFAULT), H5Oclose, "open " + name);
      r.series.push_back({group, name, attr_or(d, "description"), attr_or(d, "unit")});
      for (std::size_t k = 0; k < R; ++k)
        r.replicates[k].series.emplace_back(values.begin() + static_cast<std::ptrdiff_t>(k * M),
                                            values.begin() + static_cast<std::ptrdiff_t>((k + 1) * M));
    }
  }
}

// /regions/table and the region series /regions/<name>, [replicates, months, regions].
void read_regions(hid_t file, RunResults& r) {
  const std::size_t M = r.months.size(), R = r.replicates.size();
  Handle str = h5::utf8_string_type();
  Handle regions = h5::open_group(file, "regions");
  {
    const auto fields = layout::region_fields(str);
    std::vector<unsigned char> buf;
    const std::size_t n = h5::read_table(regions, "table", sizeof(layout::RegionRowH5), fields, buf);
    const auto* rows = reinterpret_cast<const layout::RegionRowH5*>(buf.data());
    for (std::size_t i = 0; i < n; ++i)
      r.regions.push_back({strdup_or_empty(rows[i].nuts_id), strdup_or_empty(rows[i].name),
                           strdup_or_empty(rows[i].country), strdup_or_empty(rows[i].category), rows[i].lon,
                           rows[i].lat, rows[i].population, rows[i].gdp_index});
    h5::reclaim_table(sizeof(layout::RegionRowH5), fields, n, buf);
  }
  const std::size_t N = r.regions.size();
  for (const auto& name : h5::children(regions)) {
    if (name == "table") continue;
    const std::vector<hsize_t> expected{R, M, N};
    if (h5::shape(regions, name) != expected)
      throw Error(ErrorInfo{"region series shape is not [replicates, months, regions]", {}, "/regions/" + name, "", ""});
    std::vector<hsize_t> dims;
    const auto values = h5::read_doubles(regions, name, dims);
    Handle d(H5Oopen(regions, name.c_str(), H5P_DEFAULT), H5Oclose, "open " + name);
    r.region_series.push_back({name, attr_or(d, "description"), attr_or(d, "unit")});
    for (std::size_t k = 0; k < R; ++k) {
      std::vector<std::vector<double>> per_month(M);
      for (std::size_t m = 0; m < M; ++m) {
        const auto first = values.begin() + static_cast<std::ptrdiff_t>((k * M + m) * N);
        per_month[m].assign(first, first + static_cast<std::ptrdiff_t>(N));
      }
      r.replicates[k].region_series.push_back(std::move(per_month));
    }
  }
}

// /partnerships/rep_<k>.
bool table_has_field(hid_t file, const std::string& path, const char* field);

void read_partnerships(hid_t file, const std::string& rep_name, ReplicateResults& rep) {
  Handle str = h5::utf8_string_type();
  const std::string path = "partnerships/" + rep_name;
  // Files written before the realistic consortia lack associates, smes_approached and returned_eur.
  const bool extended = table_has_field(file, path, "associates");
  const auto fields = extended ? layout::partnership_written_fields(str) : layout::partnership_fields(str);
  std::vector<unsigned char> buf;
  const std::size_t n = h5::read_table(file, path, sizeof(layout::PartnershipRowH5), fields, buf);
  const auto* rows = reinterpret_cast<const layout::PartnershipRowH5*>(buf.data());
  try {
    for (std::size_t i = 0; i < n; ++i) {
      const auto& row = rows[i];
      PartnershipRecord record{row.id, strdup_or_empty(row.instrument), row.lead,
                               parse_members(strdup_or_empty(row.members), "/partnerships/" + rep_name),
                               row.start, row.end, row.grant_eur, row.smes_supported,
                               strdup_or_empty(row.status), {}, 0, 0.0};
      if (extended) {
        const std::string associates = strdup_or_empty(row.associates);
        if (!associates.empty()) record.associates = parse_members(associates, "/partnerships/" + rep_name);
        record.smes_approached = row.smes_approached;
        record.returned_eur = row.returned_eur;
      }
      rep.partnerships.push_back(std::move(record));
    }
  } catch (...) {
    h5::reclaim_table(sizeof(layout::PartnershipRowH5), fields, n, buf);
    throw;
  }
  h5::reclaim_table(sizeof(layout::PartnershipRowH5), fields, n, buf);
}

bool table_has_field(hid_t file, const std::string& path, const char* field) {
  Handle d(H5Dopen2(file, path.c_str(), H5P_DEFAULT), H5Dclose, "open " + path);
  Handle type(H5Dget_type(d), H5Tclose, "type of " + path);
  return H5Tget_class(type) == H5T_COMPOUND && H5Tget_member_index(type, field) >= 0;
}

// /network/final/rep_<k>/edges and nodes, block by block: with `keep` false every row is read and
// none is kept; with it, each block is converted as it arrives (the table is never held twice).
void read_final_network(hid_t file, const std::string& rep_name, ReplicateResults& rep, bool keep) {
  {
    const std::string path = "network/final/" + rep_name + "/edges";
    const bool counted = table_has_field(file, path, "collaborations");  // files before projects lack it
    const auto fields = counted ? layout::edge_written_fields() : layout::edge_fields();
    h5::read_table_blocks(file, path, sizeof(layout::EdgeRowH5), fields,
                          [&](std::size_t first, std::size_t count, std::size_t total, const unsigned char* bytes) {
                            if (!keep) return;
                            if (first == 0) rep.final_edges.reserve(total);
                            for (std::size_t i = 0; i < count; ++i) {
                              layout::EdgeRowH5 row{};
                              std::memcpy(&row, bytes + i * sizeof row, sizeof row);
                              rep.final_edges.push_back(
                                  {row.source, row.target, row.weight, row.formed_month,
                                   row.origin >= 0 && row.origin < 255 ? static_cast<std::uint8_t>(row.origin)
                                                                       : std::uint8_t{255},
                                   row.instrument, counted ? row.collaborations : 1u});
                            }
                          });
  }
  {
    // Files written before isolated organisations were listed lack `degree`, `cluster` and
    // `memberships`; they are read with the columns they have and marked incomplete.
    const std::string path = "network/final/" + rep_name + "/nodes";
    const bool complete = table_has_field(file, path, "degree");
    rep.final_nodes_complete = complete;
    const auto code = [](std::int16_t v) { return v >= 0 && v < 255 ? static_cast<std::uint8_t>(v) : std::uint8_t{255}; };
    h5::read_table_blocks(file, path, sizeof(layout::NodeRowH5),
                          complete ? layout::node_fields() : layout::node_fields_legacy(),
                          [&](std::size_t first, std::size_t count, std::size_t total, const unsigned char* bytes) {
                            if (!keep) return;
                            if (first == 0) rep.final_nodes.reserve(total);
                            for (std::size_t i = 0; i < count; ++i) {
                              layout::NodeRowH5 row{};
                              std::memcpy(&row, bytes + i * sizeof row, sizeof row);
                              FinalNode node{row.id, code(row.kind), row.region, code(row.area)};
                              if (complete) {
                                node.degree = static_cast<std::uint32_t>(std::max(row.degree, 0));
                                node.cluster = row.cluster;
                                node.memberships = static_cast<std::uint16_t>(std::max<std::int16_t>(row.memberships, 0));
                              }
                              rep.final_nodes.push_back(node);
                            }
                          });
  }
}

// /tables/<name>/rep_<k>, rows cut to their row_length.
void read_tables(hid_t file, RunResults& r) {
  const std::size_t R = r.replicates.size();
  if (!h5::exists(file, "tables")) return;
  Handle tables = h5::open_group(file, "tables");
  for (const auto& name : h5::children(tables)) {
    Handle tg = h5::open_group(tables, name);
    for (std::size_t k = 0; k < R; ++k) {
      const std::string rep_name = fmt::format("rep_{}", k);
      if (!h5::exists(tg, rep_name)) continue;
      std::vector<hsize_t> dims;
      const auto values = h5::read_doubles(tg, rep_name, dims);
      if (dims.size() != 2) throw Error("/tables/" + name + "/" + rep_name + " is not two-dimensional");
      Handle d(H5Oopen(tg, rep_name.c_str(), H5P_DEFAULT), H5Oclose, "open " + rep_name);
      // row_length says where each padded row really ends; a wrong one would silently cut or pad
      // rows in every reader downstream, so it is refused, never clamped.
      const std::string table_path = "/tables/" + name + "/" + rep_name;
      if (!h5::has_attr(d, "row_length"))
        throw Error(ErrorInfo{"a table lacks its row_length attribute", {}, table_path, "", "one length per row"});
      const std::vector<std::int64_t> lengths = h5::read_attr_ints(d, "row_length");
      if (lengths.size() != dims[0])
        throw Error(ErrorInfo{"row_length does not give one length per row", {}, table_path + " row_length",
                              std::to_string(lengths.size()) + " lengths", std::to_string(dims[0]) + " (the rows)"});
      std::vector<std::vector<double>> rows(dims[0]);
      for (std::size_t m = 0; m < dims[0]; ++m) {
        if (lengths[m] < 0 || static_cast<std::uint64_t>(lengths[m]) > dims[1])
          throw Error(ErrorInfo{"a row length is outside the table", {}, table_path + " row_length",
                                fmt::format("{} at row {}", lengths[m], m), fmt::format("0 to {} (the columns)", dims[1])});
        const auto len = static_cast<std::size_t>(lengths[m]);
        const auto first = values.begin() + static_cast<std::ptrdiff_t>(m * dims[1]);
        rows[m].assign(first, first + static_cast<std::ptrdiff_t>(len));
      }
      r.replicates[k].table_names.push_back(name);
      r.replicates[k].tables.push_back(std::move(rows));
    }
  }
}

RunResults read_all(hid_t file, const std::string& path, FinalNetwork final_network) {
  const ResultsInfo info = info_of(file, path);
  RunResults r;
  r.scenario_name = info.scenario_name;
  r.seed = info.seed;
  r.threads = info.threads;
  r.start_year = info.start_year;
  r.start_month = info.start_month;
  const auto months = h5::read_ints(file, "time/month");
  r.months.assign(months.begin(), months.end());
  if (info.replicates == 0) throw Error("the file declares 0 replicates");
  r.replicates.resize(info.replicates);
  r.resolved_yaml = h5::read_scalar_string(file, "scenario/resolved_yaml");
  r.source_files = h5::read_strings(file, "scenario/source_files");
  if (h5::exists(file, "provenance/notes")) r.notes = h5::read_strings(file, "provenance/notes");
  read_metrics(file, r);
  read_regions(file, r);
  for (std::size_t k = 0; k < r.replicates.size(); ++k) {
    const std::string rep_name = fmt::format("rep_{}", k);
    read_partnerships(file, rep_name, r.replicates[k]);
    read_final_network(file, rep_name, r.replicates[k], final_network == FinalNetwork::load);
  }
  read_tables(file, r);
  return r;
}

}  // namespace

// Every public read runs first in a child process (isolated_read.hpp), then here.
template <typename Read>
auto isolated(const std::string& path, Read read) {
  probe_read_in_child(path, [&] { (void)read(); });
  return read();
}

ResultsInfo read_info(const std::string& path) {
  return isolated(path, [&] {
    Handle file = open_validated(path);
    return guarded(path, [&] { return info_of(file, path); });
  });
}

RunResults read_results(const std::string& path, FinalNetwork final_network) {
  return isolated(path, [&] {
    Handle file = open_validated(path);
    return guarded(path, [&] { return read_all(file, path, final_network); });
  });
}

std::vector<SummaryEntry> read_summary(const std::string& path) {
  return isolated(path, [&] {
    Handle file = open_validated(path);
    return guarded(path, [&] {
      std::vector<SummaryEntry> out;
      if (!h5::exists(file, "summary")) return out;
      Handle summary = h5::open_group(file, "summary");
      for (const auto& group : h5::children(summary)) {
        Handle g = h5::open_group(summary, group);
        for (const auto& name : h5::children(g)) {
          std::vector<unsigned char> buf;
          const std::size_t n = h5::read_table(g, name, sizeof(layout::SummaryRowH5), layout::summary_fields(), buf);
          if (n != 1) throw Error("/summary/" + group + "/" + name + " does not hold exactly one row");
          layout::SummaryRowH5 row{};
          std::memcpy(&row, buf.data(), sizeof row);
          out.push_back({group, name, row.n, row.month, row.mean, row.std, row.ci95_low, row.ci95_high});
        }
      }
      return out;
    });
  });
}

}  // namespace clusternet::io
