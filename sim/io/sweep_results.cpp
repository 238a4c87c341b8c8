#include "io/sweep_results.hpp"

#include <system_error>
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <random>

#include "clusternet/git_revision.hpp"
#include "clusternet/version.hpp"
#include "core/statistics.hpp"
#include "io/h5_scales.hpp"
#include "io/h5_stable.hpp"
#include "io/h5_util.hpp"
#include "io/results_layout.hpp"
#include "io/results_reader.hpp"
#include "io/results_writer.hpp"

namespace clusternet::io {
namespace fs = std::filesystem;
using h5::Handle;

std::string checksum_hex(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (const unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return fmt::format("{:016x}", hash);
}

namespace {

constexpr const char* part_format_name = "clusternet-sweep-part";
constexpr const char* manifest_format_name = "clusternet-sweep-manifest";
constexpr const char* manifest_file = "manifest.h5";

std::string program_identity() {
  return std::string("clusternet ") + clusternet::version + " " + clusternet::git_revision;
}

// ---------------------------------------------------------------------------------------------
// Files written atomically

std::string unique_suffix() {
  std::random_device device;
  return fmt::format(".{}-{:08x}.partial", ::getpid(), device());
}

void sync_folder(const fs::path& folder) {
  // The rename is durable only once the folder's entry is: a crash right after could lose it.
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

void sync_file(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY);
  if (fd < 0)
    throw Error(
        ErrorInfo{"cannot reopen to sync: " + std::error_code(errno, std::generic_category()).message(), {path, 0, 0}, "", "", ""});
  const int status = ::fsync(fd);
  const int saved = errno;
  ::close(fd);
  if (status != 0)
    throw Error(
        ErrorInfo{"cannot sync to disk: " + std::error_code(saved, std::generic_category()).message(), {path, 0, 0}, "", "", ""});
}

// Moves the finished temporary file into place. Without `replace` an existing `path` is left alone
// and reported (link() refuses to overwrite, unlike rename()).
void publish(const std::string& temporary, const std::string& path, bool replace) {
  std::error_code ec;
  if (replace) {
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
      throw Error(
          ErrorInfo{"will not replace something that is not a regular file", {path, 0, 0}, "", "", ""});
    if (::rename(temporary.c_str(), path.c_str()) != 0)
      throw Error(ErrorInfo{
          "cannot rename into place: " + std::error_code(errno, std::generic_category()).message(), {path, 0, 0}, "", "", ""});
  } else {
    if (::link(temporary.c_str(), path.c_str()) != 0) {
      const int saved = errno;
      throw Error(ErrorInfo{saved == EEXIST ? "the file exists; pass --force to replace it"
                                            : "cannot move into place: " + std::error_code(saved, std::generic_category()).message(),
                            {path, 0, 0},
                            "",
                            "",
                            ""});
    }
    fs::remove(temporary, ec);
  }
  sync_folder(fs::path(path).parent_path());
}

void write_bytes_atomically(const std::string& path, std::span<const unsigned char> bytes, bool replace) {
  const std::string temporary = path + unique_suffix();
  std::error_code ec;
  try {
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
      throw Error(
          ErrorInfo{"cannot create: " + std::error_code(errno, std::generic_category()).message(), {temporary, 0, 0}, "", "", ""});
    std::size_t written = 0;
    while (written < bytes.size()) {
      const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int saved = errno;
        ::close(fd);
        throw Error(
            ErrorInfo{"cannot write: " + std::error_code(saved, std::generic_category()).message(), {temporary, 0, 0}, "", "", ""});
      }
      written += static_cast<std::size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    const int saved = errno;
    if (::close(fd) != 0 || !synced)
      throw Error(ErrorInfo{
          "cannot write to disk: " + std::error_code(saved, std::generic_category()).message(), {temporary, 0, 0}, "", "", ""});
    publish(temporary, path, replace);
  } catch (...) {
    fs::remove(temporary, ec);
    throw;
  }
}

// An HDF5 file built in memory (the core driver, no backing file) and handed out as bytes.
class MemoryFile {
 public:
  explicit MemoryFile(const std::string& name) : name_(name) {
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "file access properties");
    h5::check(H5Pset_fapl_core(fapl, std::size_t(1) << 20, 0), "in-memory file driver");
    file_ = Handle(H5Fcreate(name.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl), H5Fclose, "create " + name);
  }
  hid_t get() const { return file_; }
  std::vector<unsigned char> bytes() {
    h5::check(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flush " + name_);
    const ssize_t size = H5Fget_file_image(file_, nullptr, 0);
    if (size <= 0) throw Error("image of " + name_ + ": HDF5 call failed");
    std::vector<unsigned char> image(static_cast<std::size_t>(size));
    if (H5Fget_file_image(file_, image.data(), image.size()) != size)
      throw Error("image of " + name_ + ": HDF5 call failed");
    file_.close("close " + name_);
    return image;
  }

 private:
  std::string name_;
  Handle file_;
};

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

void write_int_attr(hid_t obj, const std::string& name, std::size_t value) {
  h5::write_attr(obj, name, static_cast<std::int64_t>(value));
}

void describe(hid_t parent, const std::string& name, const std::string& description,
              const std::string& unit = "") {
  Handle d(H5Oopen(parent, name.c_str(), H5P_DEFAULT), H5Oclose, "open " + name);
  h5::write_attr(d, "description", description);
  h5::write_attr(d, "unit", unit);
}

// Root attributes and /scenario, /sweep of a manifest or a joined file. `scales`: attach the /point
// scale (a joined file has it; a manifest does not).
void write_sweep_description(hid_t file, const SweepManifest& m, const char* format, bool scales) {
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

std::string attr_string_or(hid_t obj, const std::string& name, const std::string& fallback = "") {
  return h5::has_attr(obj, name) ? h5::read_attr_string(obj, name) : fallback;
}

std::size_t attr_size(hid_t obj, const std::string& name, std::int64_t max) {
  const std::int64_t v = h5::read_attr_int(obj, name);
  if (v < 0 || v > max)
    throw Error(
        ErrorInfo{"attribute out of range", {}, name, std::to_string(v), "0 to " + std::to_string(max)});
  return static_cast<std::size_t>(v);
}

SweepManifest read_sweep_description(hid_t file) {
  SweepManifest m;
  SweepPlan& plan = m.plan;
  plan.name = attr_string_or(file, "scenario_name");
  m.description = attr_string_or(file, "description");
  plan.seed = h5::read_attr_u64(file, "seed");
  plan.replicates = static_cast<std::uint32_t>(attr_size(file, "replicates", 10000));
  if (plan.replicates == 0)
    throw Error(ErrorInfo{"a sweep without replicates", {}, "replicates", "0", "at least 1"});
  m.start_year = static_cast<int>(h5::read_attr_int(file, "start_year"));
  m.start_month = static_cast<int>(h5::read_attr_int(file, "start_month"));
  m.sweep_key = attr_string_or(file, "sweep_key");
  {
    Handle g = h5::open_group(file, "scenario");
    m.resolved_yaml = h5::read_scalar_string(g, "resolved_yaml");
    m.source_files = h5::read_strings(g, "source_files");
  }
  Handle sweep = h5::open_group(file, "sweep");
  Handle design = h5::open_group(sweep, "design");
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

  // Points: their shape is checked against the attributes before the table is read.
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
// Parts

struct TaskData {
  std::vector<std::int32_t> months;
  std::vector<SeriesInfo> series;
  std::vector<double> values;  // [series, month]
  std::vector<RegionSeriesInfo> region_series;
  std::vector<double> region_values;  // [region series, month, region]
  std::vector<RegionRow> regions;
  std::vector<std::string> notes;
};

constexpr std::size_t max_series = 100000;
constexpr std::size_t max_months = 1200;
constexpr std::size_t max_regions = 100000;

TaskData read_part(const std::string& path, const std::string& expected_key) {
  h5::quiet_hdf5();
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) throw Error(ErrorInfo{"the part cannot be opened (damaged?)", {path, 0, 0}, "", "", ""});
  Handle file(id, H5Fclose, path);
  if (attr_string_or(file, "format") != part_format_name)
    throw Error(ErrorInfo{"not a part of a clusternet sweep",
                          {path, 0, 0},
                          "format",
                          attr_string_or(file, "format"),
                          part_format_name});
  if (attr_string_or(file, "task_key") != expected_key)
    throw Error(ErrorInfo{"the part belongs to another sweep or program version",
                          {path, 0, 0},
                          "task_key",
                          attr_string_or(file, "task_key"),
                          expected_key});
  TaskData t;
  t.months = h5::read_ints(file, "months");
  if (t.months.size() > max_months) throw Error(ErrorInfo{"too many months", {path, 0, 0}, "months", "", ""});
  const auto groups = h5::read_strings(file, "series_group"), names = h5::read_strings(file, "series_name");
  const auto descriptions = h5::read_strings(file, "series_description"),
             units = h5::read_strings(file, "series_unit");
  const std::size_t S = names.size();
  if (S > max_series || groups.size() != S || descriptions.size() != S || units.size() != S)
    throw Error(ErrorInfo{"series descriptions disagree", {path, 0, 0}, "series_name", "", ""});
  for (std::size_t s = 0; s < S; ++s) t.series.push_back({groups[s], names[s], descriptions[s], units[s]});
  std::vector<hsize_t> dims;
  if (h5::shape(file, "series") != std::vector<hsize_t>{S, t.months.size()})
    throw Error(ErrorInfo{"series shape is not [series, months]", {path, 0, 0}, "series", "", ""});
  t.values = h5::read_doubles(file, "series", dims);
  Handle str = h5::utf8_string_type();
  std::vector<unsigned char> buffer;
  const auto region_fields = layout::region_fields(str);
  const std::size_t G = h5::read_table(file, "regions", sizeof(layout::RegionRowH5), region_fields, buffer);
  if (G > max_regions) throw Error(ErrorInfo{"too many regions", {path, 0, 0}, "regions", "", ""});
  for (std::size_t g = 0; g < G; ++g) {
    layout::RegionRowH5 row{};
    std::memcpy(&row, buffer.data() + g * sizeof row, sizeof row);
    auto text = [](const char* p) { return std::string(p ? p : ""); };
    t.regions.push_back({text(row.nuts_id), text(row.name), text(row.country), text(row.category), row.lon,
                         row.lat, row.population, row.gdp_index});
  }
  h5::reclaim_table(sizeof(layout::RegionRowH5), region_fields, G, buffer);
  const auto rnames = h5::read_strings(file, "region_series_name");
  const auto rdescriptions = h5::read_strings(file, "region_series_description");
  const auto runits = h5::read_strings(file, "region_series_unit");
  const std::size_t Q = rnames.size();
  if (Q > max_series || rdescriptions.size() != Q || runits.size() != Q)
    throw Error(ErrorInfo{"region series descriptions disagree", {path, 0, 0}, "region_series_name", "", ""});
  for (std::size_t q = 0; q < Q; ++q) t.region_series.push_back({rnames[q], rdescriptions[q], runits[q]});
  if (Q > 0) {
    if (h5::shape(file, "region_series") != std::vector<hsize_t>{Q, t.months.size(), G})
      throw Error(ErrorInfo{
          "region series shape is not [series, months, regions]", {path, 0, 0}, "region_series", "", ""});
    t.region_values = h5::read_doubles(file, "region_series", dims);
  }
  t.notes = h5::read_strings(file, "notes");
  return t;
}

bool same_shape(const TaskData& a, const TaskData& b) {
  if (a.months != b.months || a.series.size() != b.series.size() ||
      a.region_series.size() != b.region_series.size() || a.regions.size() != b.regions.size())
    return false;
  for (std::size_t s = 0; s < a.series.size(); ++s)
    if (a.series[s].group != b.series[s].group || a.series[s].name != b.series[s].name) return false;
  for (std::size_t q = 0; q < a.region_series.size(); ++q)
    if (a.region_series[q].name != b.region_series[q].name) return false;
  for (std::size_t g = 0; g < a.regions.size(); ++g)
    if (a.regions[g].nuts_id != b.regions[g].nuts_id) return false;
  return true;
}

std::string part_name(const SweepPlan& plan, std::size_t task) {
  const SweepTask t = task_at(plan, task);
  return fmt::format("point-{:07}-replicate-{:05}.h5", t.point, t.replicate);
}

}  // namespace

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

std::string parts_folder(const std::string& output) { return output + ".parts"; }

std::string SweepParts::part_path(std::size_t task) const {
  return (fs::path(folder_) / part_name(manifest_.plan, task)).string();
}

SweepParts SweepParts::prepare(const std::string& output, const SweepManifest& manifest, bool fresh) {
  h5::quiet_hdf5();
  const std::string folder = parts_folder(output);
  std::error_code ec;
  if (fresh && fs::exists(folder, ec)) {
    const std::string left = SweepParts(folder, manifest).remove();
    if (!left.empty())
      throw Error(ErrorInfo{
          "cannot start over: " + left, {folder, 0, 0}, "--force", "", "remove the folder by hand"});
  }
  if (fs::exists(folder, ec) && !fs::is_directory(folder, ec))
    throw Error(ErrorInfo{
        "the parts folder's name is taken by a file", {folder, 0, 0}, "", "", "a folder, or nothing"});
  fs::create_directories(folder, ec);
  if (ec || !fs::is_directory(folder))
    throw Error(ErrorInfo{"cannot create the parts folder: " + ec.message(), {folder, 0, 0}, "", "", ""});
  const std::string path = (fs::path(folder) / manifest_file).string();
  if (!fs::exists(path, ec)) {
    MemoryFile image("manifest");
    write_sweep_description(image.get(), manifest, manifest_format_name, false);
    h5::write_attr(image.get(), "complete", std::int64_t{1});
    const auto bytes = image.bytes();
    try {
      write_bytes_atomically(path, bytes, false);
    } catch (const Error&) {
      // Another share of the sweep wrote it first: fine, provided it is the same sweep (below).
      if (!fs::exists(path, ec)) throw;
    }
  }
  SweepParts existing = SweepParts::existing(output);
  if (existing.manifest().sweep_key != manifest.sweep_key)
    throw Error(
        ErrorInfo{"the parts folder holds a different sweep (another sweep file, --set, --seed, --replicates "
                  "or program version)",
                  {folder, 0, 0},
                  "--force",
                  existing.manifest().sweep_key + " (expected " + manifest.sweep_key + ")",
                  "--force to discard those parts and start over, or another --output"});
  return SweepParts(folder, manifest);
}

SweepParts SweepParts::existing(const std::string& output) {
  h5::quiet_hdf5();
  const std::string folder = parts_folder(output);
  const std::string path = (fs::path(folder) / manifest_file).string();
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw Error(ErrorInfo{"there is no sweep in progress for this output (no " + path + ")",
                          {output, 0, 0},
                          "--join",
                          "",
                          "the output of a `clusternet sweep SWEEP.yaml -o OUTPUT --tasks i/N` run"});
  const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0)
    throw Error(
        ErrorInfo{"the sweep's manifest cannot be opened (damaged?)", {path, 0, 0}, "", "", "--force"});
  Handle file(id, H5Fclose, path);
  try {
    if (attr_string_or(file, "format") != manifest_format_name)
      throw Error(ErrorInfo{"not a clusternet sweep manifest",
                            {},
                            "format",
                            attr_string_or(file, "format"),
                            manifest_format_name});
    SweepManifest manifest = read_sweep_description(file);
    if (manifest.point_keys.size() != manifest.plan.point_count())
      throw Error(ErrorInfo{"the manifest lacks its point keys", {}, "/sweep/point_keys", "", ""});
    return SweepParts(folder, std::move(manifest));
  } catch (const Error& e) {
    ErrorInfo info = e.info();
    info.where = {path, 0, 0};
    throw Error(std::move(info));
  }
}

std::vector<bool> SweepParts::finished() const {
  std::vector<bool> done(manifest_.plan.task_count(), false);
  for (std::size_t task = 0; task < done.size(); ++task) {
    const std::string path = part_path(task);
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) continue;
    const hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (id < 0) continue;
    Handle file(id, H5Fclose, path);
    try {
      done[task] = attr_string_or(file, "format") == part_format_name &&
                   attr_string_or(file, "task_key") == manifest_.task_key(task) &&
                   h5::has_attr(file, "complete") && h5::read_attr_int(file, "complete") == 1;
    } catch (const Error&) {
      done[task] = false;
    }
  }
  return done;
}

void SweepParts::store(std::size_t task, std::span<const unsigned char> part) const {
  write_bytes_atomically(part_path(task), part, true);
}

std::string SweepParts::remove() const {
  std::error_code ec;
  std::vector<fs::path> ours, others;
  for (const auto& entry : fs::directory_iterator(folder_, ec)) {
    const std::string name = entry.path().filename().string();
    const bool part = name.rfind("point-", 0) == 0 && name.find(".h5") != std::string::npos;
    const bool manifest = name.rfind(manifest_file, 0) == 0;
    if ((part || manifest) && entry.is_regular_file(ec))
      ours.push_back(entry.path());
    else
      others.push_back(entry.path());
  }
  if (ec) return "cannot list " + folder_ + ": " + ec.message();
  for (const auto& path : ours) fs::remove(path, ec);
  if (!others.empty())
    return "left " + std::to_string(others.size()) + " file(s) that are not parts in " + folder_;
  fs::remove(folder_, ec);
  if (ec) return "cannot remove " + folder_ + ": " + ec.message();
  return {};
}

std::vector<unsigned char> encode_part(const SweepManifest& manifest, std::size_t task,
                                       const RunResults& results) {
  if (results.replicates.size() != 1) throw Error("a sweep task's results must hold one replicate");
  h5::quiet_hdf5();
  const SweepTask t = task_at(manifest.plan, task);
  const ReplicateResults& rep = results.replicates.front();
  const std::size_t M = results.months.size(), S = results.series.size(), G = results.regions.size();
  MemoryFile image(fmt::format("sweep part {}", task));
  const hid_t file = image.get();
  h5::write_attr(file, "format", part_format_name);
  h5::write_attr(file, "format_version", std::int64_t{sweep_format_version});
  h5::write_attr(file, "task_key", manifest.task_key(task));
  h5::write_attr(file, "sweep_key", manifest.sweep_key);
  write_int_attr(file, "point", t.point);
  write_int_attr(file, "replicate", t.replicate);
  h5::stable::write_ints(file, "months",
                         std::vector<std::int32_t>(results.months.begin(), results.months.end()));
  std::vector<std::string> groups, names, descriptions, units;
  for (const auto& s : results.series) {
    groups.push_back(s.group);
    names.push_back(s.name);
    descriptions.push_back(s.description);
    units.push_back(s.unit);
  }
  h5::stable::write_strings(file, "series_group", groups);
  h5::stable::write_strings(file, "series_name", names);
  h5::stable::write_strings(file, "series_description", descriptions);
  h5::stable::write_strings(file, "series_unit", units);
  std::vector<double> values(S * M);
  for (std::size_t s = 0; s < S; ++s) {
    if (rep.series[s].size() != M) throw Error("a task's series length differs from its recorded months");
    std::copy(rep.series[s].begin(), rep.series[s].end(),
              values.begin() + static_cast<std::ptrdiff_t>(s * M));
  }
  h5::stable::write_doubles(file, "series", {S, M}, values.data());
  names.clear();
  descriptions.clear();
  units.clear();
  for (const auto& s : results.region_series) {
    names.push_back(s.name);
    descriptions.push_back(s.description);
    units.push_back(s.unit);
  }
  h5::stable::write_strings(file, "region_series_name", names);
  h5::stable::write_strings(file, "region_series_description", descriptions);
  h5::stable::write_strings(file, "region_series_unit", units);
  const std::size_t Q = results.region_series.size();
  if (Q > 0) {
    std::vector<double> region_values(Q * M * G);
    for (std::size_t q = 0; q < Q; ++q)
      for (std::size_t m = 0; m < M; ++m) {
        const auto& row = rep.region_series.at(q).at(m);
        if (row.size() != G) throw Error("a task's region series width differs from its region count");
        std::copy(row.begin(), row.end(),
                  region_values.begin() + static_cast<std::ptrdiff_t>((q * M + m) * G));
      }
    h5::stable::write_doubles(file, "region_series", {Q, M, G}, region_values.data());
  }
  Handle str = h5::utf8_string_type();
  std::vector<layout::RegionRowH5> rows;
  for (const auto& r : results.regions)
    rows.push_back({r.nuts_id.c_str(), r.name.c_str(), r.country.c_str(), r.category.c_str(), r.lon, r.lat,
                    r.population, r.gdp_index});
  h5::stable::write_table(file, "regions", sizeof(layout::RegionRowH5), layout::region_fields(str),
                          rows.size(), rows.data());
  h5::stable::write_strings(file, "notes", results.notes);
  h5::write_attr(file, "complete", std::int64_t{1});
  return image.bytes();
}

// ---------------------------------------------------------------------------------------------
// Join

namespace {

struct SummaryRowH5 {
  std::int32_t point, n, month;
  double mean, std, ci95_low, ci95_high;
};

std::vector<h5::Field> summary_fields() {
  return {{"point", offsetof(SummaryRowH5, point), H5T_NATIVE_INT32},
          {"n", offsetof(SummaryRowH5, n), H5T_NATIVE_INT32},
          {"month", offsetof(SummaryRowH5, month), H5T_NATIVE_INT32},
          {"mean", offsetof(SummaryRowH5, mean), H5T_NATIVE_DOUBLE},
          {"std", offsetof(SummaryRowH5, std), H5T_NATIVE_DOUBLE},
          {"ci95_low", offsetof(SummaryRowH5, ci95_low), H5T_NATIVE_DOUBLE},
          {"ci95_high", offsetof(SummaryRowH5, ci95_high), H5T_NATIVE_DOUBLE}};
}

// The summary of one series at one point, as in run files: over replicates at the final month where
// any replicate has a value (metrics measured every few months are NaN in between).
SummaryRowH5 summarize_point(std::size_t point, const std::vector<TaskData>& replicates, std::size_t s,
                             const std::vector<std::int32_t>& months) {
  const std::size_t M = months.size();
  std::vector<double> values;
  std::int32_t month = M ? months.back() : 0;
  for (std::size_t m = M; m-- > 0;) {
    std::vector<double> at;
    for (const auto& rep : replicates) at.push_back(rep.values[s * M + m]);
    values = stats::finite_values(at);
    if (!values.empty()) {
      month = months[m];
      break;
    }
  }
  const auto sm = stats::summarize(values);
  return {static_cast<std::int32_t>(point),
          static_cast<std::int32_t>(sm.n),
          month,
          sm.mean,
          sm.sd,
          sm.ci_low,
          sm.ci_high};
}

// Chunks of [points, replicates, months] hold whole points (every replicate and month of a few
// points): a join fills them in order, and a reader of one point or of one month across points
// touches few.
std::vector<hsize_t> metric_chunk(hsize_t P, hsize_t R, hsize_t M) {
  const hsize_t per_point = R * std::max<hsize_t>(1, M) * sizeof(double);
  if (per_point > 256 * 1024) return h5::stable::default_chunk({P, R, M}, sizeof(double));
  return {std::clamp<hsize_t>(256 * 1024 / per_point, 1, std::max<hsize_t>(1, P)), std::max<hsize_t>(1, R),
          std::max<hsize_t>(1, M)};
}

// Region series: a chunk is months of one (point, replicate), every region.
std::vector<hsize_t> region_chunk(hsize_t M, hsize_t G) {
  const hsize_t per_month = std::max<hsize_t>(1, G) * sizeof(double);
  return {1, 1, std::clamp<hsize_t>(256 * 1024 / per_month, 1, std::max<hsize_t>(1, M)),
          std::max<hsize_t>(1, G)};
}

class Joiner {
 public:
  Joiner(const SweepParts& parts, const JoinOptions& options) : parts_(parts), options_(options) {}

  void write(hid_t file) {
    const SweepManifest& m = parts_.manifest();
    const SweepPlan& plan = m.plan;
    const std::size_t P = plan.point_count(), R = plan.replicates;
    first_ = read_part(parts_.part_path(0), m.task_key(0));
    const std::size_t M = first_.months.size(), S = first_.series.size(), Q = first_.region_series.size(),
                      G = first_.regions.size();

    // Scales first: the description attaches /point to /sweep/points.
    std::vector<std::int32_t> numbers(std::max(P, std::size_t(R)));
    for (std::size_t i = 0; i < numbers.size(); ++i) numbers[i] = static_cast<std::int32_t>(i);
    h5::stable::write_ints(
        file, "point",
        std::vector<std::int32_t>(numbers.begin(), numbers.begin() + static_cast<std::ptrdiff_t>(P)));
    describe(file, "point", "sweep point; its values are the row of /sweep/points with the same number");
    h5::stable::write_ints(file, "replicate",
                           std::vector<std::int32_t>(numbers.begin(), numbers.begin() + R));
    describe(file, "replicate",
             "replicate number; replicate k of every point draws from the streams keyed by k");
    h5::stable::write_ints(file, "month", first_.months);
    describe(file, "month", "recorded month, counted from the scenario's start month (0 = first month)",
             "month");
    std::vector<std::string> codes;
    for (const auto& r : first_.regions) codes.push_back(r.nuts_id);
    h5::stable::write_strings(file, "region", codes);
    describe(file, "region", "NUTS-2 code of each region, in region index order (rows of /regions/table)");
    for (const char* name : {"point", "replicate", "month", "region"}) {
      Handle d(H5Dopen2(file, name, H5P_DEFAULT), H5Dclose, std::string("open ") + name);
      h5::make_scale(d, name);
    }

    write_sweep_description(file, m, sweep_format_name, true);
    {
      Handle g = h5::stable::group(file, "time");
      h5::stable::write_ints(g, "month", first_.months);
      describe(g, "month", "recorded month, counted from the scenario's start month (0 = first month)",
               "month");
      std::vector<std::string> dates;
      for (const auto month : first_.months) dates.push_back(month_label(m.start_year, m.start_month, month));
      h5::stable::write_strings(g, "date", dates);
      describe(g, "date", "calendar month of each recorded month", "YYYY-MM");
      h5::attach_scales(g, "month", {"/month"});
      h5::attach_scales(g, "date", {"/month"});
    }
    Handle str = h5::utf8_string_type();
    Handle regions = h5::stable::group(file, "regions");
    {
      std::vector<layout::RegionRowH5> rows;
      for (const auto& r : first_.regions)
        rows.push_back({r.nuts_id.c_str(), r.name.c_str(), r.country.c_str(), r.category.c_str(), r.lon,
                        r.lat, r.population, r.gdp_index});
      h5::stable::write_table(regions, "table", sizeof(layout::RegionRowH5), layout::region_fields(str),
                              rows.size(), rows.data());
      describe(regions, "table",
               "the world's NUTS-2 regions in region index order; lon/lat in degrees (WGS84), population in "
               "persons, "
               "gdp_index: GDP per head relative to the EU average (100)");
      h5::attach_scales(regions, "table", {"/region"});
    }

    // Every dataset is created before any value is written and stays open, so that each keeps its
    // partly filled chunk in its cache until the chunk is full.
    std::vector<Handle> metric_sets, region_sets;
    for (const auto& info : first_.series) {
      Handle g = h5::stable::group(file, "metrics/" + info.group);
      metric_sets.push_back(
          h5::stable::dataset(g, info.name, H5T_IEEE_F64LE, {P, R, M}, metric_chunk(P, R, M)));
      describe(g, info.name, info.description, info.unit);
      h5::write_attr(metric_sets.back(), "dimensions", "point, replicate, month");
      h5::attach_scales(g, info.name, {"/point", "/replicate", "/month"});
    }
    for (const auto& info : first_.region_series) {
      region_sets.push_back(
          h5::stable::dataset(regions, info.name, H5T_IEEE_F64LE, {P, R, M, G}, region_chunk(M, G)));
      describe(regions, info.name, info.description, info.unit);
      h5::write_attr(region_sets.back(), "dimensions", "point, replicate, month, region");
      h5::attach_scales(regions, info.name, {"/point", "/replicate", "/month", "/region"});
    }

    std::vector<std::vector<SummaryRowH5>> summaries(S);
    std::vector<TaskData> point_tasks(R);
    std::size_t joined = 0;
    for (std::size_t point = 0; point < P; ++point) {
      for (std::uint32_t k = 0; k < R; ++k) {
        const std::size_t task = task_index(plan, point, k);
        point_tasks[k] = task == 0 ? first_ : read_part(parts_.part_path(task), m.task_key(task));
        const TaskData& t = point_tasks[k];
        if (!same_shape(t, first_))
          throw Error(ErrorInfo{"the part's months, series or regions differ from the first part's",
                                {parts_.part_path(task), 0, 0},
                                "",
                                "",
                                "parts of one sweep (rerun with --force)"});
        for (std::size_t s = 0; s < S; ++s)
          h5::stable::write_block(metric_sets[s], {point, k, 0}, {1, 1, M}, t.values.data() + s * M,
                                  "/metrics/" + first_.series[s].group + "/" + first_.series[s].name);
        for (std::size_t q = 0; q < Q; ++q)
          h5::stable::write_block(region_sets[q], {point, k, 0, 0}, {1, 1, M, G},
                                  t.region_values.data() + q * M * G,
                                  "/regions/" + first_.region_series[q].name);
        if (options_.progress) options_.progress(++joined, plan.task_count());
      }
      for (std::size_t s = 0; s < S; ++s)
        summaries[s].push_back(summarize_point(point, point_tasks, s, first_.months));
    }
    for (auto& d : metric_sets) d.close("close a metric");
    for (auto& d : region_sets) d.close("close a region series");

    for (std::size_t s = 0; s < S; ++s) {
      const auto& info = first_.series[s];
      Handle g = h5::stable::group(file, "summary/" + info.group);
      h5::stable::write_table(g, info.name, sizeof(SummaryRowH5), summary_fields(), summaries[s].size(),
                              summaries[s].data());
      describe(g, info.name,
               "per point, over replicates at the final month with a value: n replicates, mean, std "
               "(sample), 95% t "
               "interval of the mean (NaN when n < 2); " +
                   info.description,
               info.unit);
      h5::attach_scales(g, info.name, {"/point"});
    }
    Handle provenance = h5::stable::group(file, "provenance");
    h5::stable::write_strings(provenance, "notes", first_.notes);
    describe(provenance, "notes",
             "notes about the inputs of the sweep, e.g. imputed values in the region data");
    h5::write_attr(file, "complete", std::int64_t{1});
  }

 private:
  const SweepParts& parts_;
  const JoinOptions& options_;
  TaskData first_;
};

}  // namespace

void join_sweep(const SweepParts& parts, const std::string& output, const JoinOptions& options) {
  h5::quiet_hdf5();
  const auto done = parts.finished();
  const std::size_t missing = static_cast<std::size_t>(std::count(done.begin(), done.end(), false));
  if (missing > 0) {
    std::string first;
    std::size_t listed = 0;
    for (std::size_t task = 0; task < done.size() && listed < 5; ++task)
      if (!done[task]) {
        const SweepTask t = task_at(parts.manifest().plan, task);
        first += (listed++ ? ", " : "") +
                 fmt::format("task {} (point {}, replicate {})", task, t.point, t.replicate);
      }
    throw Error(ErrorInfo{
        fmt::format("{} of {} tasks have no finished part, e.g. {}", missing, done.size(), first),
        {parts.folder(), 0, 0},
        "--join",
        "",
        "every share finished (run the missing --tasks shares, or the sweep command without --tasks)"});
  }
  check_output_path(output, options.force);
  const std::string temporary = output + unique_suffix();
  std::error_code ec;
  try {
    {
      // The file is not written through the core driver: a large sweep's region series would not
      // fit in memory, so it goes to disk chunk by chunk.
      Handle file(H5Fcreate(temporary.c_str(), H5F_ACC_EXCL, H5P_DEFAULT, H5P_DEFAULT), H5Fclose,
                  "create " + temporary);
      Joiner(parts, options).write(file);
      h5::check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flush " + temporary);
      file.close("close " + temporary);
    }
    sync_file(temporary);
    publish(temporary, output, options.force);
  } catch (...) {
    fs::remove(temporary, ec);
    throw;
  }
}

void write_file_atomically(const std::string& path, std::string_view bytes, bool replace) {
  write_bytes_atomically(
      path,
      std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()),
      replace);
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

SweepFileInfo read_sweep_info(const std::string& path) {
  Handle file = open_sweep_file(path);
  try {
    SweepFileInfo info;
    info.manifest = read_sweep_description(file);
    const auto months = h5::read_ints(file, "time/month");
    if (months.size() > max_months) throw Error("more recorded months than any horizon");
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

std::vector<double> read_sweep_metric(const std::string& path, const SweepFileInfo& info,
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

}  // namespace clusternet::io
