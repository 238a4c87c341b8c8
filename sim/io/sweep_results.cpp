// The sweep's description (sweep_detail::write_sweep_description and its reader), the manifest's
// keys, and reading a joined sweep file. The parts folder is in sweep_parts.cpp, the join in
// sweep_join.cpp.
#include "io/sweep_results.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "clusternet/git_revision.hpp"
#include "clusternet/version.hpp"
#include "io/h5_scales.hpp"
#include "io/h5_stable.hpp"
#include "io/h5_util.hpp"
#include "io/isolated_read.hpp"
#include "io/results_reader.hpp"
#include "io/results_writer.hpp"
#include "io/sweep_results_detail.hpp"

namespace clusternet::io {
namespace fs = std::filesystem;
using h5::Handle;
using sweep_detail::attr_string_or;

std::string checksum_hex(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return fmt::format("{:016x}", hash);
}

namespace {

std::string program_identity() {
  return std::string("clusternet ") + clusternet::version + " " + clusternet::git_revision;
}

// ---------------------------------------------------------------------------------------------
// The plan and the sweep's description (manifest and joined file alike)

struct ParameterRowH5 {
  const char* key;
  const char* kind;
  const char* unit;
  const char* role;
  const char* scale;
  double low, high;
};

std::vector<h5::Field> parameter_fields(hid_t str) {
  return {{"key", offsetof(ParameterRowH5, key), str},
          {"kind", offsetof(ParameterRowH5, kind), str},
          {"unit", offsetof(ParameterRowH5, unit), str},
          {"role", offsetof(ParameterRowH5, role), str},
          {"scale", offsetof(ParameterRowH5, scale), str},
          {"low", offsetof(ParameterRowH5, low), H5T_NATIVE_DOUBLE},
          {"high", offsetof(ParameterRowH5, high), H5T_NATIVE_DOUBLE}};
}

// /sweep/points rows: point (and with a contrast design_point and arm), then one double per key.
struct PointsLayout {
  std::size_t row_size = 0;
  std::vector<h5::Field> fields;
};

PointsLayout points_layout(const SweepPlan& plan) {
  PointsLayout layout;
  const bool contrast = plan.arms > 1;
  layout.fields.push_back({"point", 0, H5T_NATIVE_INT32});
  if (contrast) {
    layout.fields.push_back({"design_point", 4, H5T_NATIVE_INT32});
    layout.fields.push_back({"arm", 8, H5T_NATIVE_INT32});
  }
  for (std::size_t j = 0; j < plan.parameters.size(); ++j)
    layout.fields.push_back({plan.parameters[j].key, 16 + 8 * j, H5T_NATIVE_DOUBLE});
  layout.row_size = 16 + 8 * plan.parameters.size();
  return layout;
}

std::size_t attr_size(hid_t obj, const std::string& name, std::int64_t max) {
  const std::int64_t v = h5::read_attr_int(obj, name);
  if (v < 0 || v > max)
    throw Error(
        ErrorInfo{"attribute out of range", {}, name, std::to_string(v), "0 to " + std::to_string(max)});
  return static_cast<std::size_t>(v);
}

// /sweep/design's attributes: the design, its seed and its sizes, each within what a plan can hold.
void read_design_settings(hid_t design, SweepPlan& plan) {
  plan.design = sweep_design_from_name(h5::read_attr_string(design, "design"));
  plan.design_seed = h5::read_attr_u64(design, "seed");
  const auto limit = static_cast<std::int64_t>(experiments::max_design_points);
  plan.samples = attr_size(design, "samples", limit);
  plan.trajectories = attr_size(design, "trajectories", limit);
  plan.levels = attr_size(design, "levels", 1000);
  plan.base_samples = attr_size(design, "base_samples", limit);
  plan.bootstrap_resamples = attr_size(design, "bootstrap_resamples", 1000000);
  plan.arms = attr_size(design, "arms", limit);
  if (plan.arms == 0)
    throw Error(ErrorInfo{"a sweep without arms", {}, "/sweep/design arms", "0", "at least 1"});
}

// /sweep/parameters: the swept keys in column order, a contrast key (when there are arms) last.
void read_parameters(hid_t sweep, SweepPlan& plan) {
  Handle str = h5::utf8_string_type();
  std::vector<unsigned char> buffer;
  const auto fields = parameter_fields(str);
  const std::size_t K = h5::read_table(sweep, "parameters", sizeof(ParameterRowH5), fields, buffer);
  if (K == 0 || K > 64 + 1)
    throw Error(ErrorInfo{"a sweep's parameters are missing or too many",
                          {},
                          "/sweep/parameters",
                          std::to_string(K),
                          "1 to 65"});
  for (std::size_t j = 0; j < K; ++j) {
    ParameterRowH5 row{};
    std::memcpy(&row, buffer.data() + j * sizeof row, sizeof row);
    SweptParameter p;
    p.key = row.key ? row.key : "";
    p.kind = swept_kind_from_name(row.kind ? row.kind : "");
    p.contrast = row.role && std::string(row.role) == "contrast";
    p.log_scale = row.scale && std::string(row.scale) == "log";
    p.low = row.low;
    p.high = row.high;
    plan.parameters.push_back(std::move(p));
  }
  h5::reclaim_table(sizeof(ParameterRowH5), fields, K, buffer);
  const std::size_t contrasts = static_cast<std::size_t>(std::count_if(
      plan.parameters.begin(), plan.parameters.end(), [](const SweptParameter& p) { return p.contrast; }));
  if (contrasts != (plan.arms > 1 ? 1u : 0u) || (contrasts == 1 && !plan.parameters.back().contrast))
    throw Error(ErrorInfo{
        "the contrast key and the arms disagree", {}, "/sweep/parameters", "", "one contrast key, last"});
}

// /sweep/points, and from them the values of grid axes and of the contrast.
void read_points(hid_t file, hid_t sweep, SweepPlan& plan) {
  const auto limit = static_cast<std::int64_t>(experiments::max_design_points);
  const std::size_t K = plan.parameters.size();
  // The shape is checked against the attributes before the table is read.
  const auto shape = h5::shape(sweep, "points");
  const std::size_t P = shape.size() == 1 ? static_cast<std::size_t>(shape[0]) : 0;
  if (shape.size() != 1 || P == 0 || P > experiments::max_design_points ||
      P != attr_size(file, "points", limit) || P % plan.arms != 0)
    throw Error(
        ErrorInfo{"/sweep/points does not match the sweep's point count", {}, "/sweep/points", "", ""});
  const PointsLayout layout = [&] {
    SweepPlan sized;
    sized.parameters = plan.parameters;
    sized.arms = plan.arms;
    return points_layout(sized);
  }();
  std::vector<unsigned char> buffer;
  h5::read_table(sweep, "points", layout.row_size, layout.fields, buffer);
  std::vector<std::string> names;
  for (const auto& p : plan.parameters) names.push_back(p.key);
  std::vector<double> values(P * K);
  for (std::size_t p = 0; p < P; ++p) {
    std::int32_t point = 0;
    std::memcpy(&point, buffer.data() + p * layout.row_size, sizeof point);
    if (point != static_cast<std::int32_t>(p))
      throw Error(ErrorInfo{"points out of order", {}, "/sweep/points", "", ""});
    for (std::size_t j = 0; j < K; ++j)
      std::memcpy(&values[p * K + j], buffer.data() + p * layout.row_size + 16 + 8 * j, 8);
  }
  plan.points = experiments::PointTable(std::move(names), std::move(values));
  // Grid axes and contrast values: the distinct values of each column, in order of appearance (a
  // grid's last axis varies fastest, the contrast fastest of all).
  for (std::size_t j = 0; j < K; ++j) {
    SweptParameter& p = plan.parameters[j];
    if (!p.contrast && plan.design != SweepDesign::grid) continue;
    for (std::size_t point = 0; point < P; ++point) {
      const double v = plan.points.at(point, j);
      if (std::find(p.values.begin(), p.values.end(), v) == p.values.end()) p.values.push_back(v);
    }
  }
}

}  // namespace

void sweep_detail::write_int_attr(hid_t obj, const std::string& name, std::size_t value) {
  h5::write_attr(obj, name, static_cast<std::int64_t>(value));
}

void sweep_detail::describe(hid_t parent, const std::string& name, const std::string& description,
                            const std::string& unit) {
  Handle d(H5Oopen(parent, name.c_str(), H5P_DEFAULT), H5Oclose, "open " + name);
  h5::write_attr(d, "description", description);
  h5::write_attr(d, "unit", unit);
}

void sweep_detail::write_sweep_description(hid_t file, const SweepManifest& m, const char* format,
                                           bool scales) {
  const SweepPlan& plan = m.plan;
  h5::write_attr(file, "format", format);
  h5::write_attr(file, "format_version", std::int64_t{sweep_format_version});
  h5::write_attr(file, "clusternet_version", clusternet::version);
  h5::write_attr(file, "git_revision", clusternet::git_revision);
  h5::write_attr(file, "scenario_name", plan.name);
  h5::write_attr(file, "description", m.description);
  h5::write_attr_u64(file, "seed", plan.seed);
  write_int_attr(file, "replicates", plan.replicates);
  write_int_attr(file, "points", plan.point_count());
  h5::write_attr(file, "design", std::string(sweep_design_name(plan.design)));
  h5::write_attr(file, "start_year", std::int64_t{m.start_year});
  h5::write_attr(file, "start_month", std::int64_t{m.start_month});
  h5::write_attr(file, "sweep_key", m.sweep_key);
  h5::write_attr(file, "complete", std::int64_t{0});

  {
    Handle g = h5::stable::group(file, "scenario");
    h5::stable::write_scalar_string(g, "resolved_yaml", m.resolved_yaml);
    describe(g, "resolved_yaml",
             "the sweep file as run: extends merged, set, --set, --seed and --replicates applied");
    h5::stable::write_strings(g, "source_files", m.source_files);
    describe(g, "source_files", "files the sweep was read from (the sweep file and every file it extends)");
  }

  Handle sweep = h5::stable::group(file, "sweep");
  Handle str = h5::utf8_string_type();
  std::vector<std::string> kinds, units, roles, scale_names;
  std::vector<ParameterRowH5> rows;
  for (const auto& p : plan.parameters) {
    kinds.emplace_back(swept_kind_name(p.kind));
    units.push_back(p.unit());
    roles.emplace_back(p.contrast ? "contrast" : "design");
    scale_names.emplace_back(p.log_scale ? "log" : "linear");
  }
  for (std::size_t j = 0; j < plan.parameters.size(); ++j)
    rows.push_back({plan.parameters[j].key.c_str(), kinds[j].c_str(), units[j].c_str(), roles[j].c_str(),
                    scale_names[j].c_str(), plan.parameters[j].low, plan.parameters[j].high});
  h5::stable::write_table(sweep, "parameters", sizeof(ParameterRowH5), parameter_fields(str), rows.size(),
                          rows.data());
  describe(sweep, "parameters",
           "the swept keys, in column order of /sweep/points: kind number, whole or money (values in EUR); "
           "role design "
           "or contrast; the design's range low..high (grid and contrast: least and greatest value), scale "
           "linear or log");

  const PointsLayout layout = points_layout(plan);
  const std::size_t P = plan.point_count();
  std::vector<unsigned char> buffer(P * layout.row_size, 0);
  for (std::size_t p = 0; p < P; ++p) {
    unsigned char* row = buffer.data() + p * layout.row_size;
    const std::int32_t ints[3] = {static_cast<std::int32_t>(p),
                                  static_cast<std::int32_t>(plan.design_point(p)),
                                  static_cast<std::int32_t>(plan.arm(p))};
    std::memcpy(row, ints, sizeof ints);
    for (std::size_t j = 0; j < plan.parameters.size(); ++j) {
      const double v = plan.points.at(p, j);
      std::memcpy(row + 16 + 8 * j, &v, sizeof v);
    }
  }
  h5::stable::write_table(sweep, "points", layout.row_size, layout.fields, P, buffer.data());
  describe(sweep, "points",
           "one row per point: its number and the value of each swept key (EUR for money)" +
               std::string(plan.arms > 1 ? "; design_point and arm (the contrast value's position): point = "
                                           "design_point x arms + arm"
                                         : ""));
  h5::stable::write_strings(sweep, "point_keys", m.point_keys);
  describe(sweep, "point_keys", "checksum (64-bit FNV-1a) of each point's resolved scenario text");
  if (scales) {
    h5::attach_scales(sweep, "points", {"/point"});
    h5::attach_scales(sweep, "point_keys", {"/point"});
  }

  Handle design = h5::stable::group(sweep, "design");
  h5::write_attr(design, "design", std::string(sweep_design_name(plan.design)));
  h5::write_attr_u64(design, "seed", plan.design_seed);
  write_int_attr(design, "samples", plan.samples);
  write_int_attr(design, "trajectories", plan.trajectories);
  write_int_attr(design, "levels", plan.levels);
  write_int_attr(design, "base_samples", plan.base_samples);
  write_int_attr(design, "bootstrap_resamples", plan.bootstrap_resamples);
  write_int_attr(design, "arms", plan.arms);
  write_int_attr(design, "design_points", plan.design_point_count());
  if (!plan.unit.empty()) {
    const std::vector<hsize_t> dims{plan.design_point_count(), plan.design_parameter_count()};
    h5::stable::write_doubles(design, "unit", dims, plan.unit.data());
    describe(design, "unit",
             "unit coordinates in [0, 1] of each design point (rows) for each design parameter");
  }
}

std::string sweep_detail::attr_string_or(hid_t obj, const std::string& name, const std::string& fallback) {
  return h5::has_attr(obj, name) ? h5::read_attr_string(obj, name) : fallback;
}

SweepManifest sweep_detail::read_sweep_description(hid_t file) {
  SweepManifest m;
  SweepPlan& plan = m.plan;
  plan.name = attr_string_or(file, "scenario_name");
  m.description = attr_string_or(file, "description");
  plan.seed = h5::read_attr_u64(file, "seed");
  plan.replicates = static_cast<std::uint32_t>(attr_size(file, "replicates", 10000));
  if (plan.replicates == 0)
    throw Error(ErrorInfo{"a sweep without replicates", {}, "replicates", "0", "at least 1"});
  const std::int64_t start_year = h5::read_attr_int(file, "start_year");
  const std::int64_t start_month = h5::read_attr_int(file, "start_month");
  check_recorded_calendar(start_year, start_month, {});  // before the casts
  m.start_year = static_cast<int>(start_year);
  m.start_month = static_cast<int>(start_month);
  m.sweep_key = attr_string_or(file, "sweep_key");
  {
    Handle g = h5::open_group(file, "scenario");
    m.resolved_yaml = h5::read_scalar_string(g, "resolved_yaml");
    m.source_files = h5::read_strings(g, "source_files");
  }
  Handle sweep = h5::open_group(file, "sweep");
  Handle design = h5::open_group(sweep, "design");
  read_design_settings(design, plan);
  read_parameters(sweep, plan);
  read_points(file, sweep, plan);
  if (h5::exists(design, "unit")) {
    std::vector<hsize_t> dims;
    if (h5::shape(design, "unit") !=
        std::vector<hsize_t>{plan.design_point_count(), plan.design_parameter_count()})
      throw Error(ErrorInfo{"unit coordinates do not match the points", {}, "/sweep/design/unit", "", ""});
    plan.unit = h5::read_doubles(design, "unit", dims);
  }
  if (h5::exists(sweep, "point_keys")) m.point_keys = h5::read_strings(sweep, "point_keys");
  return m;
}

// ---------------------------------------------------------------------------------------------

std::string SweepManifest::task_key(std::size_t task) const {
  const SweepTask t = task_at(plan, task);
  return checksum_hex(program_identity() + "\n" + point_keys.at(t.point) + "\nreplicate " +
                      std::to_string(t.replicate));
}

SweepManifest make_manifest(const SweepDefinition& definition) {
  SweepManifest m;
  m.plan = definition.plan();
  m.description = definition.base().description;
  m.start_year = definition.base().start_year;
  m.start_month = definition.base().start_month;
  m.resolved_yaml = definition.resolved_yaml();
  m.source_files = definition.source_files();
  std::string all = program_identity() + "\n" + m.resolved_yaml;
  for (std::size_t p = 0; p < m.plan.point_count(); ++p) {
    m.point_keys.push_back(checksum_hex(definition.point_text(p)));
    all += "\n" + m.point_keys.back();
  }
  m.sweep_key = checksum_hex(all);
  return m;
}

// ---------------------------------------------------------------------------------------------
// Reading

namespace {

using Kind = ResultsFileError::Kind;

Handle open_sweep_file(const std::string& path) {
  h5::quiet_hdf5();
  std::error_code ec;
  if (!fs::exists(path, ec)) throw ResultsFileError(Kind::missing, path, "no such file");
  if (!fs::is_regular_file(path, ec)) throw ResultsFileError(Kind::not_hdf5, path, "not a regular file");
  if (H5Fis_hdf5(path.c_str()) <= 0)
    throw ResultsFileError(Kind::not_hdf5, path, "not an HDF5 file; expected a clusternet sweep file (.h5)");
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0)
    throw ResultsFileError(Kind::unreadable, path, "HDF5 cannot open this file: it is truncated or damaged");
  Handle file(id, H5Fclose, path);
  try {
    // As for run results: links no sweep file has (cycles, soft or external links) are refused first.
    h5::check_link_structure(file, 1000000, 16);
  } catch (const Error& e) {
    throw ResultsFileError(Kind::malformed, path, std::string("malformed sweep file: ") + e.what());
  }
  const std::string format = attr_string_or(file, "format");
  if (format != sweep_format_name)
    throw ResultsFileError(
        Kind::foreign, path,
        format == results_format_name
            ? "a run result, not a sweep file (read it with info, compare or export)"
            : "an HDF5 file, but not a clusternet sweep file (no format=\"clusternet-sweep\" attribute)");
  if (!h5::has_attr(file, "complete") || h5::read_attr_int(file, "complete") != 1)
    throw ResultsFileError(Kind::incomplete, path, "the sweep file is incomplete (its join did not finish)");
  return file;
}

}  // namespace

namespace {
SweepFileInfo read_sweep_info_here(const std::string& path) {
  Handle file = open_sweep_file(path);
  try {
    SweepFileInfo info;
    info.manifest = sweep_detail::read_sweep_description(file);
    if (const auto shape = h5::shape(file, "time/month"); shape.size() != 1 || shape[0] > sweep_detail::max_months)
      throw Error("/time/month is not a list of at most " + std::to_string(sweep_detail::max_months) + " months");
    const auto months = h5::read_ints(file, "time/month");
    check_recorded_calendar(info.manifest.start_year, info.manifest.start_month, months);
    info.months.assign(months.begin(), months.end());
    Handle metrics = h5::open_group(file, "metrics");
    for (const auto& group : h5::children(metrics)) {
      Handle g = h5::open_group(metrics, group);
      for (const auto& name : h5::children(g)) {
        Handle d(H5Oopen(g, name.c_str(), H5P_DEFAULT), H5Oclose, "open " + name);
        info.series.push_back({group, name, attr_string_or(d, "description"), attr_string_or(d, "unit")});
      }
    }
    if (h5::exists(file, "regions")) {
      Handle regions = h5::open_group(file, "regions");
      for (const auto& name : h5::children(regions)) {
        if (name == "table") continue;
        Handle d(H5Oopen(regions, name.c_str(), H5P_DEFAULT), H5Oclose, "open " + name);
        info.region_series.push_back({name, attr_string_or(d, "description"), attr_string_or(d, "unit")});
      }
    }
    return info;
  } catch (const ResultsFileError&) {
    throw;
  } catch (const Error& e) {
    throw ResultsFileError(Kind::malformed, path, std::string("malformed sweep file: ") + e.what());
  }
}

std::vector<double> read_sweep_metric_here(const std::string& path, const SweepFileInfo& info,
                                           const std::string& group, const std::string& name) {
  Handle file = open_sweep_file(path);
  try {
    Handle g = h5::open_group(file, "metrics/" + group);
    const std::vector<hsize_t> expected{info.manifest.plan.point_count(), info.manifest.plan.replicates,
                                        info.months.size()};
    if (h5::shape(g, name) != expected)
      throw Error("/metrics/" + group + "/" + name + " is not [points, replicates, months]");
    std::vector<hsize_t> dims;
    return h5::read_doubles(g, name, dims);
  } catch (const ResultsFileError&) {
    throw;
  } catch (const Error& e) {
    throw ResultsFileError(Kind::malformed, path, std::string("malformed sweep file: ") + e.what());
  }
}

}  // namespace

// Each read runs first in a child process (isolated_read.hpp): HDF5 can crash on a forged file.
SweepFileInfo read_sweep_info(const std::string& path) {
  probe_read_in_child(path, [&] { (void)read_sweep_info_here(path); });
  return read_sweep_info_here(path);
}

std::vector<double> read_sweep_metric(const std::string& path, const SweepFileInfo& info,
                                      const std::string& group, const std::string& name) {
  probe_read_in_child(path, [&] { (void)read_sweep_metric_here(path, info, group, name); });
  return read_sweep_metric_here(path, info, group, name);
}

}  // namespace clusternet::io
