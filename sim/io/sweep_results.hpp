#pragma once
// Sweep results on disk (docs/results-format.md, "Sweep files"). While a sweep runs, each finished
// task (point, replicate) is one part in OUT.h5.parts/, written atomically, beside a manifest that
// says which sweep the folder belongs to. A join reads the parts in task order and writes OUT.h5
// (format clusternet-sweep): [point, replicate, month] metrics with HDF5 dimension scales. The
// joined file holds no wall-clock time and no thread or rank count, so it is the same bytes however
// the tasks were run: in one process, on any number of MPI ranks, in array jobs, or resumed.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/results.hpp"
#include "engine/sweep.hpp"
#include "io/sweep_loader.hpp"

namespace clusternet::io {

inline constexpr const char* sweep_format_name = "clusternet-sweep";
inline constexpr int sweep_format_version = 1;

// 64-bit FNV-1a of `text` as 16 hex digits. It tells parts of one sweep from those of another (a
// changed file, override, seed or program); it is not meant to resist forgery.
std::string checksum_hex(std::string_view text);

// What a join needs besides the tasks' results. Written to the parts folder before any task runs
// (so `sweep --join` needs nothing else) and copied into the joined file.
struct SweepManifest {
  SweepPlan plan;
  std::string description;
  int start_year = 2021, start_month = 1;
  std::string resolved_yaml;  // the resolved sweep file, overrides applied
  std::vector<std::string> source_files;
  std::vector<std::string> point_keys;  // checksum of each point's resolved scenario text
  std::string sweep_key;                // checksum of the program, resolved_yaml and point_keys

  // The key a task's part must carry: a checksum of the program's version and revision, the
  // point's scenario text (its key) and the replicate.
  std::string task_key(std::size_t task) const;
};

SweepManifest make_manifest(const SweepDefinition& definition);

// OUT.h5 -> OUT.h5.parts
std::string parts_folder(const std::string& output);

class SweepParts {
 public:
  // The parts folder of `output`, created with `manifest` when missing. An existing folder must
  // hold the same sweep (same sweep_key); otherwise Error, naming --force. With `fresh` (--force)
  // an existing folder is removed first. Throws Error for a folder that cannot be made or read.
  static SweepParts prepare(const std::string& output, const SweepManifest& manifest, bool fresh);
  // The existing parts folder of `output`, with its manifest (for --join). Throws Error when there
  // is none, naming the sweep command that makes it.
  static SweepParts existing(const std::string& output);

  const SweepManifest& manifest() const { return manifest_; }
  const std::string& folder() const { return folder_; }
  std::string part_path(std::size_t task) const;
  // Per task: its part is there and carries the task's key. A damaged part, or one of another
  // sweep or program version, counts as not finished (and is rewritten when the task runs).
  std::vector<bool> finished() const;
  // Writes the part of `task` (bytes from encode_part) under a unique temporary name, syncs it and
  // renames it into place. Throws Error (the temporary file removed) on any failed write.
  void store(std::size_t task, std::span<const unsigned char> part) const;
  // Removes the parts, the manifest and temporary files of killed writers, then the folder if
  // nothing else is in it. Returns what was left behind ("" when the folder is gone).
  std::string remove() const;

 private:
  SweepParts(std::string folder, SweepManifest manifest)
      : folder_(std::move(folder)), manifest_(std::move(manifest)) {}
  std::string folder_;
  SweepManifest manifest_;
};

// A finished task as the bytes of a small HDF5 file (built in memory): what an MPI rank sends to
// rank 0, and what SweepParts::store writes. `results` holds the task's one replicate.
std::vector<unsigned char> encode_part(const SweepManifest& manifest, std::size_t task,
                                       const RunResults& results);

struct JoinOptions {
  bool force = false;  // replace an existing output file
  // Called after each task is joined, from the calling thread.
  std::function<void(std::size_t joined, std::size_t total)> progress;
};

// Joins every part, in task order, into `output`: written under a unique temporary name, synced,
// and renamed into place only when complete. Throws Error when a part is missing or unreadable
// (naming how many and the first ones), when parts disagree in shape, or when `output` exists and
// !options.force; `output` is then left as it was.
void join_sweep(const SweepParts& parts, const std::string& output, const JoinOptions& options = {});

// Writes `bytes` to `path` under a unique temporary name, synced, then renamed into place (with
// `replace`, over an existing regular file; without, an existing file is an Error). Throws Error,
// the temporary file removed, on any failed write.
void write_file_atomically(const std::string& path, std::string_view bytes, bool replace);

// A sweep file's description, read back.
struct SweepFileInfo {
  SweepManifest manifest;  // plan, scenario text, keys
  std::vector<Month> months;
  std::vector<SeriesInfo> series;  // /metrics/<group>/<name>
  std::vector<RegionSeriesInfo> region_series;
};

// Reads a sweep file's plan and list of metrics; ResultsFileError (exit 2) for a file that is
// missing, not HDF5, not a sweep file, incomplete or malformed.
SweepFileInfo read_sweep_info(const std::string& path);
// One metric, [points, replicates, months] row-major. ResultsFileError as above.
std::vector<double> read_sweep_metric(const std::string& path, const SweepFileInfo& info,
                                      const std::string& group, const std::string& name);

}  // namespace clusternet::io
