// The join: every part of a finished sweep, read in task order, into one file of
// [point, replicate, month] metrics with dimension scales and per-point summaries.
#include "io/sweep_results.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/statistics.hpp"
#include "io/h5_scales.hpp"
#include "io/h5_stable.hpp"
#include "io/h5_util.hpp"
#include "io/results_layout.hpp"
#include "io/results_writer.hpp"
#include "io/sweep_results_detail.hpp"

namespace clusternet::io {
namespace fs = std::filesystem;
using h5::Handle;
using sweep_detail::describe;
using sweep_detail::publish;
using sweep_detail::read_part;
using sweep_detail::same_shape;
using sweep_detail::sync_file;
using sweep_detail::TaskData;
using sweep_detail::unique_suffix;
using sweep_detail::write_sweep_description;

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

  // Every part, in task order, into `file`. The order of the steps is the order of the objects in
  // the file, which is what keeps a join the same bytes every time.
  void write(hid_t file) {
    const SweepManifest& m = parts_.manifest();
    first_ = read_part(parts_.part_path(0), m.task_key(0));
    // Scales first: the description attaches /point to /sweep/points.
    write_scales(file);
    write_sweep_description(file, m, sweep_format_name, true);
    write_time(file);
    Handle regions = h5::stable::group(file, "regions");
    write_region_table(regions);
    OpenDatasets sets = create_datasets(file, regions);
    const auto summaries = copy_parts(sets);
    for (auto& d : sets.metrics) d.close("close a metric");
    for (auto& d : sets.regions) d.close("close a region series");
    write_summaries(file, summaries);
    Handle provenance = h5::stable::group(file, "provenance");
    h5::stable::write_strings(provenance, "notes", first_.notes);
    describe(provenance, "notes",
             "notes about the inputs of the sweep, e.g. imputed values in the region data");
    h5::write_attr(file, "complete", std::int64_t{1});
  }

 private:
  const SweepParts& parts_;
  const JoinOptions& options_;
  TaskData first_;  // the part of task 0: every other part must have its shape

  const SweepPlan& plan() const { return parts_.manifest().plan; }

  // /point, /replicate, /month and /region: the dimension scales of every dataset below.
  void write_scales(hid_t file) const {
    const std::size_t P = plan().point_count(), R = plan().replicates;
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
  }

  void write_time(hid_t file) const {
    const SweepManifest& m = parts_.manifest();
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

  void write_region_table(hid_t regions) const {
    Handle str = h5::utf8_string_type();
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
  struct OpenDatasets {
    std::vector<Handle> metrics, regions;  // per series of first_, per region series of first_
  };

  OpenDatasets create_datasets(hid_t file, hid_t regions) const {
    const std::size_t P = plan().point_count(), R = plan().replicates, M = first_.months.size(),
                      G = first_.regions.size();
    OpenDatasets sets;
    for (const auto& info : first_.series) {
      Handle g = h5::stable::group(file, "metrics/" + info.group);
      sets.metrics.push_back(
          h5::stable::dataset(g, info.name, H5T_IEEE_F64LE, {P, R, M}, metric_chunk(P, R, M)));
      describe(g, info.name, info.description, info.unit);
      h5::write_attr(sets.metrics.back(), "dimensions", "point, replicate, month");
      h5::attach_scales(g, info.name, {"/point", "/replicate", "/month"});
    }
    for (const auto& info : first_.region_series) {
      sets.regions.push_back(
          h5::stable::dataset(regions, info.name, H5T_IEEE_F64LE, {P, R, M, G}, region_chunk(M, G)));
      describe(regions, info.name, info.description, info.unit);
      h5::write_attr(sets.regions.back(), "dimensions", "point, replicate, month, region");
      h5::attach_scales(regions, info.name, {"/point", "/replicate", "/month", "/region"});
    }
    return sets;
  }

  // Reads the parts point by point (a point's replicates are needed together for its summary) and
  // writes each into the open datasets. Returns, per series, one summary row per point.
  std::vector<std::vector<SummaryRowH5>> copy_parts(const OpenDatasets& sets) const {
    const SweepManifest& m = parts_.manifest();
    const SweepPlan& plan = m.plan;
    const std::size_t P = plan.point_count(), R = plan.replicates;
    const std::size_t M = first_.months.size(), S = first_.series.size(), Q = first_.region_series.size(),
                      G = first_.regions.size();
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
          h5::stable::write_block(sets.metrics[s], {point, k, 0}, {1, 1, M}, t.values.data() + s * M,
                                  "/metrics/" + first_.series[s].group + "/" + first_.series[s].name);
        for (std::size_t q = 0; q < Q; ++q)
          h5::stable::write_block(sets.regions[q], {point, k, 0, 0}, {1, 1, M, G},
                                  t.region_values.data() + q * M * G,
                                  "/regions/" + first_.region_series[q].name);
        if (options_.progress) options_.progress(++joined, plan.task_count());
      }
      for (std::size_t s = 0; s < S; ++s)
        summaries[s].push_back(summarize_point(point, point_tasks, s, first_.months));
    }
    return summaries;
  }

  void write_summaries(hid_t file, const std::vector<std::vector<SummaryRowH5>>& summaries) const {
    for (std::size_t s = 0; s < first_.series.size(); ++s) {
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
  }
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

}  // namespace clusternet::io
