#pragma once
// What the engine records about the network each measured month, declared apart from how it is
// computed (sim/network) and written (sim/io): the series, region series and tables, in a fixed
// order, and one call that appends a month's values.
#include <memory>
#include <string>
#include <vector>

#include "engine/results.hpp"
#include "engine/scenario.hpp"
#include "network/metrics.hpp"
#include "world/world.hpp"

namespace clusternet {

// Log-binned degree histogram stored with a fixed number of bins so months line up: bin b holds
// degrees in [2^b, 2^(b+1)).
inline constexpr std::size_t degree_histogram_bins = 24;

class NetworkRecorder {
 public:
  NetworkRecorder(const World& world, const MeasurementConfig& measurement);

  const std::vector<SeriesInfo>& series() const { return series_; }
  const std::vector<RegionSeriesInfo>& region_series() const { return region_series_; }
  const std::vector<std::string>& table_names() const { return table_names_; }
  // How each recorded network dataset's values are computed (RunResults::estimators).
  const std::vector<std::pair<std::string, std::string>>& estimators() const { return estimators_; }
  // The node attributes handed to the metric code (also used by the month benchmark).
  const network::NodeAttributes& attributes() const { return attributes_; }

  // Records the values of `month` (the month just simulated, whose end-of-month snapshot is
  // `graph`) into row `row` of out (sized by prepare): one per series (starting at `first_series`
  // in out.series), one [regions] row per region series and one row per table. `expensive` turns
  // on communities, path lengths and betweenness (NaN otherwise); Louvain uses the tie weights
  // when `graph` carries them. repeated_tie_share is taken as given (counted on the tie store, so
  // the monthly snapshot needs no renewal counts). Reads nothing but its arguments and the world's
  // attributes, so it may run while the simulation goes on to the next month.
  struct MeasuredMonth {
    std::shared_ptr<const network::CsrGraph> graph;
    // The layout of `graph` with the ties' weights (Simulation::weighted_layout) when the month's
    // communities are measured; null: made from `graph` when needed.
    std::shared_ptr<const network::Layout> layout;
    // Triangles through each vertex of `graph` when the engine carries them (else counted here).
    std::shared_ptr<const std::vector<std::uint64_t>> triangles;
    std::uint64_t seed = 0;
    std::uint32_t replicate = 0;
    Month month = 0;
    bool expensive = false;
    double repeated_tie_share = 0.0;
  };
  // What an expensive month measures from its layout alone (paths, communities, betweenness): see
  // record's `later`.
  struct LayoutPart {
    std::shared_ptr<const network::Layout> layout;
    std::shared_ptr<const network::Components> components;
    std::uint64_t seed = 0;
    std::uint32_t replicate = 0;
    Month month = 0;
    std::size_t row = 0;
  };
  // Sizes out's network series, region series and tables for `rows` recorded months (NaN values,
  // empty rows), which record and record_layout_part then fill row by row in any order (each
  // writes only its own rows and values, so months may be recorded side by side).
  void prepare(ReplicateResults& out, std::size_t first_series, std::size_t rows) const;
  // With `later` not null and the month expensive with its layout handed over, the groups that
  // read only the layout are left out and `later` receives what record_layout_part needs to record
  // them (the layout and the graph's components): the month's graph can then go before they are
  // done. Returns whether it left them out.
  bool record(const MeasuredMonth& measured, ReplicateResults& out, std::size_t first_series, std::size_t row,
              LayoutPart* later = nullptr) const;
  void record_layout_part(const LayoutPart& part, ReplicateResults& out, std::size_t first_series) const;

 private:
  const MeasurementConfig& measurement_;
  network::NodeAttributes attributes_;
  std::vector<SeriesInfo> series_;
  std::vector<RegionSeriesInfo> region_series_;
  std::vector<std::string> table_names_;
  std::vector<std::pair<std::string, std::string>> estimators_;
  std::uint64_t clustering_samples_ = 0;  // MetricOptions::clustering_samples: 0 exact
  std::uint32_t betweenness_pairs_ = 0;   // MetricOptions::betweenness_pairs: 0 Brandes from sources
  network::LocalMoving local_moving_ = network::LocalMoving::sequential;
  network::MetricOptions options(Month month, std::uint64_t seed, std::uint32_t replicate, bool expensive) const;
  void record_betweenness(const network::MetricSet& metrics, ReplicateResults& out, std::size_t row) const;
};

}  // namespace clusternet
