#pragma once
// Runs every replicate of a scenario (in parallel; each replicate is itself parallel inside its
// steps) and records what the scenario's measurement settings ask for into RunResults.
#include <atomic>
#include <cstdint>
#include <functional>

#include "behaviour/collaborations.hpp"
#include "core/cancel.hpp"
#include "engine/results.hpp"
#include "engine/scenario.hpp"
#include "world/world.hpp"

namespace clusternet {

struct RunProgress {
  std::uint64_t months_done = 0;      // summed over replicates, burn-in months included
  std::uint64_t months_total = 0;
  std::uint32_t replicates_done = 0;
  std::uint32_t replicates_total = 0;
  // Of those, the months after the burn-in (measured: they cost more than burn-in months).
  std::uint64_t measured_months_done = 0;
  std::uint64_t measured_months_total = 0;
};

// The time left of a run from its progress reports: burn-in months and measured months (which
// also carry the monthly metrics and, every expensive_every_months, paths, communities and
// betweenness) are timed apart, each at its own observed cost, so the estimate does not promise
// the measured months at the burn-in's pace. Measured months are timed over whole cycles of
// `settle_months` (an expensive month and the cheap ones before it). Until two cycles are
// complete, a measured month is assumed to cost at least `measured_cost_prior` burn-in months;
// then the mean pace of the cycles after the first (whose expensive measurement runs beside the
// second's months). The prior, 4.5: a measured month of jci-150m under the default measurement,
// 2 threads, cost 4.4-5.3 burn-in months at scale 4, 5.0 at scale 10 and 4.3 at scale 50 (the
// cycles after the first against the burn-in's mean; 2.6 at scale 1, whose run takes seconds),
// measured with bench/run/eta_trace.py (docs/performance.md). With Louvain's parallel local
// moving (above 1,000,000 organisations) scale 250 gave 3.6: the prior errs on the long side
// there, by about 15% in the burn-in, which a user waiting for a run minds less than the reverse.
// `even_cycles`: the measured months carry no expensive metrics, so every cycle costs about the
// same and the first one is as good a guide as the later ones: its pace replaces the prior as soon
// as it is complete (eta_estimator_for sets it, and the prior, from the scenario).
class EtaEstimator {
 public:
  static constexpr double default_prior = 4.5;  // the default measurement (above)
  explicit EtaEstimator(std::uint64_t settle_months = 12, double measured_cost_prior = default_prior,
                        bool even_cycles = false)
      : settle_months_(settle_months), prior_(measured_cost_prior), even_cycles_(even_cycles) {}
  struct Estimate {
    double months_per_second = 0;  // over the whole run so far
    double seconds_left = 0;
  };
  // `elapsed`: seconds since the run started; calls come in time order.
  Estimate update(const RunProgress& p, double elapsed);

 private:
  std::uint64_t settle_months_;
  double prior_;
  bool even_cycles_;
  double last_elapsed_ = 0;
  std::uint64_t last_measured_ = 0, last_done_ = 0;
  double burn_in_seconds_ = 0, measured_seconds_ = 0;
  std::uint64_t cycle_months_ = 0;  // measured months at the last whole cycle
  double cycle_seconds_ = 0;        // and their time
  std::uint64_t first_cycle_months_ = 0;  // measured months at the end of the first whole cycle
  double first_cycle_seconds_ = 0;        // and their time
};

// The ETA's settings for a run of `scenario` with `concurrent` replicates side by side: cycles of
// expensive_every_months months per replicate. Without network metrics a measured month does what
// a burn-in month does plus the policy and region metrics, on a larger network: prior 1.5 and
// even cycles (jci-150m, 2 threads: 0.94, 1.41-1.44 and 1.68 burn-in months at scales 1, 4 and
// 10; with the default 4.5 the ETA at scale 4 was 2.7 times the time left through the burn-in
// and the first two cycles). With network metrics but no expensive group (communities, paths,
// betweenness all off) the default prior and even cycles.
EtaEstimator eta_estimator_for(const Scenario& scenario, std::size_t concurrent);

struct RunOptions {
  std::size_t threads = 0;  // recorded in the results; the caller sets the TBB limit
  // Called from worker threads, possibly concurrently; must be cheap and thread-safe.
  std::function<void(const RunProgress&)> progress;
  // When set to true (e.g. by a SIGINT handler) the run stops and run_scenario throws Interrupted:
  // the flag is checked between months and, through a CancelScope (core/cancel.hpp), inside every
  // parallel loop and the long serial loops of the step and the metrics, so a month of a large
  // world is cut short too.
  const std::atomic<bool>* stop = nullptr;
  bool check_invariants = false;  // check ledger and SME invariants after every month (tests)
  // Index of the first replicate run: results.replicates[i] is replicate first_replicate + i, with
  // that replicate's streams (a sweep task runs one replicate k alone; engine/sweep.hpp).
  std::uint32_t first_replicate = 0;
  // At most this many replicates in memory at once (0: no limit beyond the threads); the others
  // wait for a whole wave to finish. Results do not depend on it.
  std::size_t max_concurrent_replicates = 0;
};


// Whether month m (0-based) is recorded, and whether the expensive metrics are computed then.
bool is_recorded_month(const MeasurementConfig& m, Month month, Month horizon);
bool is_expensive_month(const MeasurementConfig& m, Month month, Month horizon);

RunResults run_scenario(const Scenario& scenario, const World& world, const RunOptions& options);

// Whether a run of `scenario` records /collaborations (output.collaborations; auto: scale <= 10).
bool records_collaborations(const Scenario& scenario);
// Copies a run's collaboration log into the table that is written (and that the calibration facts
// are computed from).
void record_collaborations(const CollaborationLog& log, CollaborationTable& out);

}  // namespace clusternet
