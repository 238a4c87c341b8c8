#include "engine/network_recording.hpp"

#include <cmath>
#include <limits>
#include <string>


namespace clusternet {

NetworkRecorder::NetworkRecorder(const World& world, const MeasurementConfig& measurement)
    : measurement_(measurement) {
  const auto& orgs = world.orgs;
  attributes_.region = orgs.region;
  attributes_.country.resize(orgs.size());
  attributes_.kind.resize(orgs.size());
  for (std::size_t o = 0; o < orgs.size(); ++o) {
    attributes_.country[o] = world.regions.regions[orgs.region[o]].country;
    attributes_.kind[o] = static_cast<std::uint8_t>(orgs.kind[o]);
  }
  attributes_.area = orgs.primary_area;
  attributes_.region_count = static_cast<std::uint32_t>(world.regions.size());
  for (const Region& r : world.regions.regions) attributes_.region_category.push_back(static_cast<std::uint8_t>(r.category));

  // Which values are estimates, and from what sample (issue 18: the whole EU cannot afford exact
  // path lengths or betweenness; a reader must be able to tell).
  const std::string path_sources = std::to_string(measurement.path_sample_size);
  const std::string paths_estimator =
      "sampled: breadth-first searches from " + path_sources + " sources per expensive month, drawn without "
      "replacement from the giant component with the stream (seed, replicate, month); exact when the giant "
      "component has at most " + path_sources + " organisations (path_sample_size gives the sources used)";
  local_moving_ = louvain_in_parallel(measurement, world.orgs.size()) ? network::LocalMoving::parallel
                                                                      : network::LocalMoving::sequential;
  const std::string louvain_estimator =
      local_moving_ == network::LocalMoving::sequential
          ? "heuristic: one weighted Louvain run (local moves in a block order seeded by (seed, replicate, month), "
            "then aggregation); the same partition on any thread count"
          : "heuristic: one weighted Louvain run with parallel local moving (first pass in a block order seeded by "
            "(seed, replicate, month), in batches of 1,024 organisations that decide at once against the moves "
            "of the batches before; louvain_moving: parallel), then aggregation; the same partition on any "
            "thread count";
  clustering_samples_ =
      clustering_is_sampled(measurement, world.orgs.size()) ? measurement.clustering_sample_size : 0;
  betweenness_pairs_ =
      betweenness_from_pairs(measurement, world.orgs.size()) ? measurement.betweenness_pair_samples : 0;
  const std::string clustering_estimator =
      clustering_samples_ == 0
          ? std::string("exact")
          : "sampled: " + std::to_string(clustering_samples_) + " wedges a month by stratified sampling with the "
            "stream (seed, replicate, month) (transitivity: wedges uniform in equal strata of all wedges; mean "
            "local clustering: one uniform wedge of an organisation uniform in equal strata of the active ones); "
            "standard error at most sqrt(v (1 - v) / " + std::to_string(clustering_samples_) + ") for a value v, "
            "exact transitivity when the network has no more wedges than that";
  if (measurement.network)
    for (const auto& info : network::scalar_metrics) {
      series_.push_back({"network", std::string(info.name), std::string(info.description), std::string(info.unit)});
      const bool paths = info.name == "mean_path_length" || info.name == "effective_diameter";
      const bool louvain = info.name == "modularity" || info.name == "communities";
      const bool clustering = info.name == "transitivity" || info.name == "mean_local_clustering";
      estimators_.emplace_back("metrics/network/" + std::string(info.name),
                               paths        ? paths_estimator
                               : louvain    ? louvain_estimator
                               : clustering ? clustering_estimator
                                            : std::string("exact"));
    }
  if (measurement.network && measurement.regions) {
    region_series_ = {
        {"region_degree", "distinct partner regions in the region-to-region graph of interregional ties", "regions"},
        {"region_strength", "interregional ties of the region's organisations", "ties"},
        {"region_betweenness", "normalised betweenness in the region-to-region graph", "1"}};
    estimators_.emplace_back("regions/region_degree", "exact");
    estimators_.emplace_back("regions/region_strength", "exact");
    estimators_.emplace_back("regions/region_betweenness",
                             "exact (weighted, from every region of the region-to-region graph)");
  }
  if (measurement.network) {
    table_names_ = {"degree_histogram"};
    if (measurement.betweenness) {
      table_names_.emplace_back("betweenness_top_org");
      table_names_.emplace_back("betweenness_top_score");
      const std::string pairs = std::to_string(betweenness_pairs_);
      const std::string sampled =
          betweenness_pairs_ == 0
              ? "sampled: Brandes dependencies from " + std::to_string(measurement.betweenness_sample_size) +
                    " sources per expensive month, drawn without replacement from the organisations with a tie "
                    "with the stream (seed, replicate, month), scaled to the normalised betweenness"
              : "sampled: " + pairs + " shortest paths per expensive month, each drawn uniformly among the "
                "shortest paths between a pair of distinct organisations with a tie drawn uniformly with the "
                "stream (seed, replicate, month) (pair sampling, Riondato and Kornaropoulos 2016; balanced "
                "bidirectional search); score = paths through the organisation / " + pairs +
                " * n / (n - 2) for n organisations with a tie, standard error about sqrt(b / " + pairs +
                ") for a normalised betweenness b";
      estimators_.emplace_back("tables/betweenness_top_org", sampled);
      estimators_.emplace_back("tables/betweenness_top_score", sampled);
    }
  }
}

namespace {

// The scalars only the layout groups (path lengths, Louvain) write.
bool from_layout(std::size_t k) {
  const std::string_view name = network::scalar_metrics[k].name;
  return name == "mean_path_length" || name == "effective_diameter" || name == "path_sample_size" ||
         name == "modularity" || name == "communities";
}

}  // namespace

network::MetricOptions NetworkRecorder::options(Month month, std::uint64_t seed, std::uint32_t replicate,
                                                bool expensive) const {
  network::MetricOptions options;
  options.groups.paths = expensive && measurement_.paths;
  options.groups.communities = expensive && measurement_.communities;
  options.groups.betweenness = expensive && measurement_.betweenness;
  options.groups.regions = measurement_.regions;
  options.groups.region_betweenness = expensive && measurement_.regions;
  options.path_samples = measurement_.path_sample_size;
  options.betweenness_samples = measurement_.betweenness_sample_size;
  options.betweenness_top_k = measurement_.betweenness_top;
  options.betweenness_pairs = betweenness_pairs_;
  options.local_moving = local_moving_;
  options.seed = seed;
  options.replicate = replicate;
  options.month = month;
  options.clustering_samples = clustering_samples_;
  return options;
}

void NetworkRecorder::prepare(ReplicateResults& out, std::size_t first_series, std::size_t rows) const {
  if (!measurement_.network) return;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t k = 0; k < network::scalar_count; ++k) out.series.at(first_series + k).assign(rows, nan);
  for (auto& series : out.region_series) series.assign(rows, {});
  for (auto& table : out.tables) table.assign(rows, {});
}

void NetworkRecorder::record_betweenness(const network::MetricSet& metrics, ReplicateResults& out,
                                         std::size_t row) const {
  if (!measurement_.betweenness) return;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> orgs(measurement_.betweenness_top, nan), scores(measurement_.betweenness_top, nan);
  for (std::size_t i = 0; i < metrics.betweenness_top_vertices.size() && i < orgs.size(); ++i) {
    orgs[i] = metrics.betweenness_top_vertices[i];
    scores[i] = metrics.betweenness_top_scores[i];
  }
  out.tables.at(1).at(row) = std::move(orgs);
  out.tables.at(2).at(row) = std::move(scores);
}

bool NetworkRecorder::record(const MeasuredMonth& measured, ReplicateResults& out, std::size_t first_series,
                             std::size_t row, LayoutPart* later) const {
  if (!measurement_.network) return false;
  network::MetricOptions options = this->options(measured.month, measured.seed, measured.replicate, measured.expensive);
  options.triangles = measured.triangles.get();
  options.layout = measured.layout.get();
  // Last recorded month's largest core, finished before this month started (one month is
  // recorded at a time): where max_core_number starts looking. It moves the cost, not the value.
  if (row > 0) {
    const double previous = out.series.at(first_series + network::scalar_index("max_kcore")).at(row - 1);
    if (std::isfinite(previous) && previous >= 1 && previous < 4e9) options.kcore_hint = static_cast<std::uint32_t>(previous);
  }
  const bool split = later != nullptr && measured.expensive && measured.layout != nullptr &&
                     (options.groups.paths || options.groups.communities || options.groups.betweenness);
  network::Components components;
  if (split) {
    options.groups.paths = options.groups.communities = options.groups.betweenness = false;
    options.layout = nullptr;
    options.components_out = &components;
  }
  network::MetricSet metrics = network::compute_metrics(*measured.graph, &attributes_, options);
  metrics.scalars[network::scalar_index("repeated_tie_share")] = measured.repeated_tie_share;
  for (std::size_t k = 0; k < network::scalar_count; ++k)
    if (!split || !from_layout(k)) out.series.at(first_series + k).at(row) = metrics.scalars[k];

  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (!region_series_.empty()) {
    const std::size_t regions = attributes_.region_count;
    std::vector<double> degree(regions, nan), strength(regions, nan), betweenness(regions, nan);
    for (std::size_t r = 0; r < regions && r < metrics.region_degree.size(); ++r) degree[r] = metrics.region_degree[r];
    for (std::size_t r = 0; r < regions && r < metrics.region_strength.size(); ++r) strength[r] = metrics.region_strength[r];
    for (std::size_t r = 0; r < regions && r < metrics.region_betweenness.size(); ++r)
      betweenness[r] = metrics.region_betweenness[r];
    out.region_series[0].at(row) = std::move(degree);
    out.region_series[1].at(row) = std::move(strength);
    out.region_series[2].at(row) = std::move(betweenness);
  }
  std::vector<double> histogram(degree_histogram_bins, 0.0);
  for (std::size_t b = 0; b < metrics.degree_histogram_counts.size() && b < degree_histogram_bins; ++b)
    histogram[b] = static_cast<double>(metrics.degree_histogram_counts[b]);
  out.tables.at(0).at(row) = std::move(histogram);
  if (!split) {
    record_betweenness(metrics, out, row);
    return false;
  }
  later->layout = measured.layout;
  later->components = std::make_shared<const network::Components>(std::move(components));
  later->seed = measured.seed;
  later->replicate = measured.replicate;
  later->month = measured.month;
  later->row = row;
  return true;
}

void NetworkRecorder::record_layout_part(const LayoutPart& part, ReplicateResults& out, std::size_t first_series) const {
  const network::MetricOptions options = this->options(part.month, part.seed, part.replicate, true);
  const network::MetricSet metrics = network::compute_layout_metrics(*part.layout, *part.components, options);
  for (std::size_t k = 0; k < network::scalar_count; ++k)
    if (from_layout(k)) out.series.at(first_series + k).at(part.row) = metrics.scalars[k];
  record_betweenness(metrics, out, part.row);
}

}  // namespace clusternet
