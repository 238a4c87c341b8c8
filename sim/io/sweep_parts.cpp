// The parts folder of a running sweep: its manifest, one part per finished task, and the format of
// a part (written by encode_part, read back by sweep_detail::read_part for the join). Also how
// every file of a sweep is written: under a unique temporary name, synced, then renamed.
#include "io/sweep_results.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <system_error>

#include "io/h5_stable.hpp"
#include "io/h5_util.hpp"
#include "io/results_layout.hpp"
#include "io/sweep_results_detail.hpp"

namespace clusternet::io {
namespace fs = std::filesystem;
using h5::Handle;
using sweep_detail::attr_string_or;
using sweep_detail::publish;
using sweep_detail::read_sweep_description;
using sweep_detail::unique_suffix;
using sweep_detail::write_int_attr;
using sweep_detail::write_sweep_description;

namespace {

constexpr const char* part_format_name = "clusternet-sweep-part";
constexpr const char* manifest_format_name = "clusternet-sweep-manifest";
constexpr const char* manifest_file = "manifest.h5";

}  // namespace

// ---------------------------------------------------------------------------------------------
// Files written atomically

std::string sweep_detail::unique_suffix() {
  std::random_device device;
  return fmt::format(".{}-{:08x}.partial", ::getpid(), device());
}

namespace {

void sync_folder(const fs::path& folder) {
  // The rename is durable only once the folder's entry is: a crash right after could lose it.
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

void sweep_detail::sync_file(const std::string& path) {
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

void sweep_detail::publish(const std::string& temporary, const std::string& path, bool replace) {
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

namespace {

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
// Parts

constexpr std::size_t max_series = 100000;
constexpr std::size_t max_regions = 100000;

std::string part_name(const SweepPlan& plan, std::size_t task) {
  const SweepTask t = task_at(plan, task);
  return fmt::format("point-{:07}-replicate-{:05}.h5", t.point, t.replicate);
}

}  // namespace

sweep_detail::TaskData sweep_detail::read_part(const std::string& path, const std::string& expected_key) {
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

bool sweep_detail::same_shape(const TaskData& a, const TaskData& b) {
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

void write_file_atomically(const std::string& path, std::string_view bytes, bool replace) {
  write_bytes_atomically(
      path,
      std::span<const unsigned char>(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()),
      replace);
}

}  // namespace clusternet::io
