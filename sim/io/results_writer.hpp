#pragma once
// Writes a run's results (engine/results.hpp) to one HDF5 file; the layout is documented in
// docs/results-format.md. The writer takes the finished RunResults, i.e. it is called once after
// every replicate is done and holds nothing of its own: all series live in memory in RunResults
// (months x replicates x metrics doubles, small next to the simulation state). This keeps HDF5 on
// one thread and makes the file either complete or absent.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/results.hpp"

namespace clusternet::io {

inline constexpr const char* results_format_name = "clusternet-results";
inline constexpr int results_format_version = 1;

struct WriteOptions {
  // Replace an existing file at the output path. Without it, an existing file is an error.
  bool force = false;
  // Deflate level 0-9 for every chunked dataset (4: most of the gain for little CPU).
  int compression_level = 4;
  // Called after each part of the file is written ("scenario", "time", "metrics", ...), from the
  // calling thread. Lets a caller report progress; an exception thrown from it aborts the write
  // exactly like a failing disk would (the tests inject failures this way).
  std::function<void(std::string_view stage)> after_stage;
};

// Writes `results` to `path`. The file is built in memory, written to a temporary name unique to
// this process (PATH.<pid>-<tag>.partial), made durable (fsync) and renamed to `path` only when
// complete (root attribute complete=1). Without options.force the rename refuses a `path` that
// appeared meanwhile (another run writing the same file); with it only a regular file is replaced.
// Parent directories are created. On any failure the temporary file is removed and
// clusternet::Error is thrown; `path` is left untouched. Throws Error before writing anything when
// `path` exists and !options.force, is not a regular file, or when the results are inconsistent
// (series lengths not matching the months, etc.). after_stage is last called with "written", after
// the bytes are on disk and before the rename.
void write_results(const RunResults& results, const std::string& path, const WriteOptions& options = {});

// Throws Error when the output cannot be created (exists without force, not a regular file, directory
// not writable);
// meant to be called before a long run so that the user learns about it at once.
void check_output_path(const std::string& path, bool force);

// "YYYY-MM" of recorded month `month` (0-based months since start_year/start_month). Defined for
// every int argument (a forged file can hold any), though only a valid calendar gives a real month.
std::string month_label(int start_year, int start_month, int month);

// Throws Error unless a file's calendar is one a scenario can have: start_year 1950 to 2100 (0: a
// file written before it was recorded), start_month 1 to 12, and recorded months increasing
// within 0 to 1199. A reader checks this before any date is formed from it.
void check_recorded_calendar(std::int64_t start_year, std::int64_t start_month,
                             const std::vector<std::int32_t>& months);

// The current UTC time as ISO 8601 ("2026-12-01T18:00:00Z"), as files record when they were made.
std::string utc_now();

}  // namespace clusternet::io
