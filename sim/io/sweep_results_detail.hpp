#pragma once
// Internal to sim/io: what the three files behind io/sweep_results.hpp share. sweep_results.cpp
// holds the sweep's description (the same in a manifest and in a joined file) and reads joined
// files; sweep_parts.cpp the parts folder, the format of one part and atomic file writing;
// sweep_join.cpp the join. A part's writer and its reader sit in one file so that they cannot
// drift apart; the join only reads parts through read_part.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/results.hpp"
#include "io/h5_util.hpp"
#include "io/sweep_results.hpp"

namespace clusternet::io::sweep_detail {

// No horizon records more months: a file that claims more is refused before it is read.
inline constexpr std::size_t max_months = 1200;

// ---- Files written atomically (sweep_parts.cpp) ----------------------------------------------

// ".PID-RANDOM.partial": appended to a final name, a temporary name no other writer picks.
std::string unique_suffix();
// fsync of a written file; throws Error naming `path`.
void sync_file(const std::string& path);
// Moves the finished temporary file onto `path`. With `replace`, over an existing regular file;
// without, an existing `path` is left alone and reported (naming --force). Throws Error.
void publish(const std::string& temporary, const std::string& path, bool replace);

// ---- Attributes and the sweep's description (sweep_results.cpp) ------------------------------

void write_int_attr(hid_t obj, const std::string& name, std::size_t value);
// Sets the description and unit attributes of the object `name` under `parent`.
void describe(hid_t parent, const std::string& name, const std::string& description,
              const std::string& unit = "");
std::string attr_string_or(hid_t obj, const std::string& name, const std::string& fallback = "");

// Root attributes and /scenario, /sweep of a manifest or a joined file, with `format` as the
// format attribute. `scales`: attach the /point scale (a joined file has it; a manifest does not).
void write_sweep_description(hid_t file, const SweepManifest& m, const char* format, bool scales);
// The description read back; throws Error naming the attribute or dataset that is out of range.
SweepManifest read_sweep_description(hid_t file);

// ---- One task's part, read back (sweep_parts.cpp) ---------------------------------------------

struct TaskData {
  std::vector<std::int32_t> months;
  std::vector<SeriesInfo> series;
  std::vector<double> values;  // [series, month]
  std::vector<RegionSeriesInfo> region_series;
  std::vector<double> region_values;  // [region series, month, region]
  std::vector<RegionRow> regions;
  std::vector<std::string> notes;
};

// The part at `path`, which must carry `expected_key`. Throws Error naming `path` when it cannot
// be opened, is of another sweep or program version, or its shapes disagree.
TaskData read_part(const std::string& path, const std::string& expected_key);
// Same months, series, region series and regions, in the same order.
bool same_shape(const TaskData& a, const TaskData& b);

}  // namespace clusternet::io::sweep_detail
