#include "engine/ensemble.hpp"

#include <algorithm>
#include <atomic>
#include <limits>
#include <mutex>
#include <optional>

#include "core/huge_pages.hpp"
#include "core/parallel.hpp"
#include "engine/network_recording.hpp"
#include "engine/policy_metrics.hpp"
#include "engine/simulation.hpp"

namespace clusternet {

bool is_recorded_month(const MeasurementConfig& m, Month month, Month horizon) {
  const Month every = std::max<Month>(1, m.every_months);
  return (month + 1) % every == 0 || month == horizon - 1;
}

bool is_expensive_month(const MeasurementConfig& m, Month month, Month horizon) {
  const Month every = std::max<Month>(1, m.expensive_every_months);
  return (month + 1) % every == 0 || month == horizon - 1;
}

EtaEstimator::Estimate EtaEstimator::update(const RunProgress& p, double elapsed) {
  // The time since the last report went to the months reported since, burn-in or measured as
  // they were (with replicates side by side these are shares of the throughput, which is what
  // the remaining months will be run at too).
  const double dt = std::max(0.0, elapsed - last_elapsed_);
  const std::uint64_t new_measured = p.measured_months_done - std::min(p.measured_months_done, last_measured_);
  const std::uint64_t new_done = p.months_done - std::min(p.months_done, last_done_);
  if (new_done > 0) {
    const double measured_part = double(std::min(new_measured, new_done)) / double(new_done);
    measured_seconds_ += dt * measured_part;
    burn_in_seconds_ += dt * (1.0 - measured_part);
  }
  last_elapsed_ = elapsed;
  last_measured_ = p.measured_months_done;
  last_done_ = p.months_done;
  // The measured months' pace over whole cycles only: within a cycle the months without the
  // expensive metrics would make it look cheaper than it is until the next expensive month.
  if (settle_months_ > 0 && p.measured_months_done / settle_months_ > cycle_months_ / settle_months_) {
    if (cycle_months_ == 0) {
      first_cycle_months_ = p.measured_months_done;
      first_cycle_seconds_ = measured_seconds_;
    }
    cycle_months_ = p.measured_months_done;
    cycle_seconds_ = measured_seconds_;
  }

  Estimate e;
  if (elapsed <= 0 || p.months_done == 0) return e;
  e.months_per_second = double(p.months_done) / elapsed;
  const std::uint64_t measured_done = std::min(p.measured_months_done, p.months_done);
  const std::uint64_t burn_in_done = p.months_done - measured_done;
  const std::uint64_t measured_total = std::min(p.measured_months_total, p.months_total);
  const std::uint64_t burn_in_total = p.months_total - measured_total;
  const std::uint64_t measured_left = measured_total - std::min(measured_total, measured_done);
  const double average = elapsed / double(p.months_done);
  const double burn_in_cost = burn_in_done > 0 ? burn_in_seconds_ / double(burn_in_done) : average;
  // Until a second whole cycle is seen: the first cycle's pace (before it, the measured months
  // so far), or the prior if more. Then the pace of the whole cycles after the first. The first
  // carries no expensive measurement: an expensive month closes its cycle, and its paths,
  // communities and betweenness run beside the next cycle's months (at scales 1 to 250 the first
  // cycle took 0.64-0.74 of the later ones' time per month, and the later ones, but the last,
  // stayed within about 10% of their mean).
  double measured_cost = 0.0;
  if (even_cycles_ && cycle_months_ > 0) {
    measured_cost = cycle_seconds_ / double(cycle_months_);
  } else if (cycle_months_ > first_cycle_months_) {
    measured_cost = (cycle_seconds_ - first_cycle_seconds_) / double(cycle_months_ - first_cycle_months_);
  } else {
    measured_cost = cycle_months_ > 0 ? cycle_seconds_ / double(cycle_months_)
                    : measured_done > 0 ? measured_seconds_ / double(measured_done) : 0.0;
    measured_cost = std::max(measured_cost, prior_ * burn_in_cost);
  }
  e.seconds_left = double(burn_in_total - std::min(burn_in_total, burn_in_done)) * burn_in_cost +
                   double(measured_left) * measured_cost;
  return e;
}

EtaEstimator eta_estimator_for(const Scenario& scenario, std::size_t concurrent) {
  const MeasurementConfig& m = scenario.measurement;
  const std::uint64_t settle =
      std::uint64_t(std::max<Month>(1, m.expensive_every_months)) * std::max<std::size_t>(1, concurrent);
  if (!m.network) return EtaEstimator(settle, 1.5, true);
  return EtaEstimator(settle, EtaEstimator::default_prior, !(m.communities || m.paths || m.betweenness));
}

namespace {

const char* status_name(PartnershipStatus s) {
  switch (s) {
    case PartnershipStatus::awarded: return "awarded";
    case PartnershipStatus::active: return "active";
    case PartnershipStatus::completed: return "completed";
    case PartnershipStatus::continued: return "continued";
  }
  return "unknown";
}

}  // namespace

bool records_collaborations(const Scenario& scenario) {
  switch (scenario.output.collaborations) {
    case OutputConfig::Switch::on: return true;
    case OutputConfig::Switch::off: return false;
    default: return scenario.world.scale <= 10.0;
  }
}

void record_collaborations(const CollaborationLog& log, CollaborationTable& out) {
  const std::size_t n = log.size();
  out.origin.resize(n);
  out.instrument.resize(n);
  out.start.resize(n);
  out.end.resize(n);
  out.offsets.assign(1, 0);
  out.members.clear();
  out.roles.clear();
  out.members.reserve(log.member_count());
  out.roles.reserve(log.member_count());
  for (std::size_t c = 0; c < n; ++c) {
    out.origin[c] = static_cast<std::int16_t>(log.origin(c));
    out.instrument[c] = log.instrument(c);
    out.start[c] = log.start(c);
    out.end[c] = log.end(c);
    for (OrgIndex m : log.members(c)) out.members.push_back(m);
    for (MemberRole r : log.roles(c)) out.roles.push_back(static_cast<std::int16_t>(r));
    out.offsets.push_back(out.members.size());
  }
}

namespace {

void record_final(const Simulation& sim, const Scenario& scenario, ReplicateResults& out) {
  const AgentState& s = sim.state();
  if (records_collaborations(scenario)) {
    out.collaborations_recorded = true;
    record_collaborations(s.collaborations, out.collaborations);
  }
  if (scenario.output.partnerships) {
    for (const Partnership& p : s.partnerships) {
      PartnershipRecord r;
      r.id = p.id;
      r.instrument = scenario.instruments[p.instrument].name;
      r.lead = p.lead;
      r.members = p.partners;
      r.start = p.start;
      r.end = p.end;
      r.grant_eur = eur_from_cents(p.grant);
      r.smes_supported = p.smes_supported;
      r.status = status_name(p.status);
      r.associates = p.associates;
      r.smes_approached = p.smes_approached;
      r.returned_eur = eur_from_cents(p.returned);
      out.partnerships.push_back(std::move(r));
    }
  }
  if (scenario.output.final_network) {
    const TieStore& ties = sim.ties();
    const World& world = sim.world();
    const auto& orgs = world.orgs;
    // Both tables in parallel, each row in the place and with the value a serial pass over the
    // slots (and the organisations) gives: at scale 250 those passes over 138 million ties and 30
    // million organisations were seconds on one core at the end of the run, and Ctrl-C waited.
    constexpr std::size_t grain = std::size_t(1) << 16;
    const std::size_t slots = ties.slots();
    const std::vector<std::size_t> offsets = chunk_offsets(slots, grain, [&](std::size_t begin, std::size_t end) {
      std::size_t alive = 0;
      for (std::size_t t = begin; t < end; ++t) alive += ties.is_alive(t);
      return alive;
    });
    // Sized once: growing by doubling held up to three times the table (32 bytes per tie) at the
    // end of a run, the peak of the whole process at scale 4 (2.3 million ties). Grown in steps of
    // 16 million rows (512 MB of zeros each), so that a stop asked for is seen between them.
    const std::size_t edges = offsets.back();
    out.final_edges.reserve(edges);
    for (std::size_t size = 0; size < edges;) {
      throw_if_cancelled();
      size = std::min(edges, size + (std::size_t(1) << 24));
      out.final_edges.resize(size);
    }
    std::vector<std::uint32_t> degree(orgs.size(), 0);
    for_each_index(0, offsets.size() - 1, [&](std::size_t c) {
      std::size_t row = offsets[c];
      for (std::size_t t = c * grain, end = std::min(slots, (c + 1) * grain); t < end; ++t) {
        if (!ties.is_alive(t)) continue;
        // Every formation after the first renewed the tie: one collaboration each.
        out.final_edges[row++] = {ties.a(t), ties.b(t), ties.weight(t), ties.formed(t),
                                  static_cast<std::uint8_t>(ties.origin(t)), ties.instrument(t),
                                  std::uint32_t(ties.renewals(t)) + 1};
        std::atomic_ref<std::uint32_t>(degree[ties.a(t)]).fetch_add(1, std::memory_order_relaxed);
        std::atomic_ref<std::uint32_t>(degree[ties.b(t)]).fetch_add(1, std::memory_order_relaxed);
      }
    }, Execution::parallel, 1);
    // Every organisation, isolated ones too: partnership members without a tie still have a region
    // that grants are placed in, and `export --all-organisations` writes them.
    out.final_nodes.resize(orgs.size());
    for_each_index(0, orgs.size(), [&](std::size_t o) {
      const auto clusters = world.memberships.clusters_of(static_cast<OrgIndex>(o));
      std::int32_t cluster = -1;
      if (orgs.kind[o] == OrgKind::cluster) cluster = static_cast<std::int32_t>(o);
      else if (!clusters.empty()) cluster = static_cast<std::int32_t>(world.cluster_orgs[clusters.front()]);
      out.final_nodes[o] = {static_cast<OrgIndex>(o), static_cast<std::uint8_t>(orgs.kind[o]), orgs.region[o],
                            orgs.primary_area[o], degree[o], cluster,
                            static_cast<std::uint16_t>(std::min<std::size_t>(clusters.size(), 65535))};
    }, Execution::parallel, grain);
  }
}

// What a run is, before any replicate: the scenario, the world's regions, the recorded months,
// the series and how each is estimated. Returns the index of the first policy series.
std::size_t describe_run(const Scenario& scenario, const World& world, const RunOptions& options,
                         const NetworkRecorder& recorder, RunResults& results) {
  results.scenario_name = scenario.name;
  results.seed = scenario.seed;
  results.threads = static_cast<std::uint32_t>(options.threads);
  results.start_year = scenario.start_year;
  results.start_month = scenario.start_month;
  results.resolved_yaml = scenario.resolved_yaml;
  results.source_files = scenario.source_files;
  results.notes = world.regions.imputation_notes;
  for (const Region& r : world.regions.regions)
    results.regions.push_back({r.code, r.name, r.country_code, std::string(cohesion_category_names[std::size_t(r.category)]),
                               r.lon, r.lat, r.population, r.gdp_index});
  for (Month m = 0; m < scenario.months; ++m)
    if (is_recorded_month(scenario.measurement, m, scenario.months)) results.months.push_back(m);
  results.series = recorder.series();
  const std::size_t policy_first = results.series.size();
  if (scenario.measurement.policy)
    for (const SeriesInfo& info : policy_metric_infos()) results.series.push_back(info);
  if (scenario.output.region_series) results.region_series = recorder.region_series();
  results.estimators = recorder.estimators();
  return policy_first;
}

// The network metrics of one replicate's months. A month's metrics run in the background on that
// month's snapshot while the next month is simulated (their serial parts fill the cores the step
// leaves idle). One month's metrics run at a time, in month order; but an expensive month hands
// the groups that read only its layout (path lengths, Louvain, betweenness: Louvain is serial and
// the longest) to a second task, which runs on beside the next months' steps and metrics, holding
// the layout and the components but not the month's graph. Each writes only its own rows and
// values of `out`. Results do not depend on the overlap.
class BackgroundMeasurement {
 public:
  BackgroundMeasurement(const NetworkRecorder& recorder, ReplicateResults& out) : recorder_(recorder), out_(out) {}

  // Before the next step changes what an expensive month's layout is made of: at most one layout
  // is held, so the previous expensive month's layout groups finish first.
  void make_room_for_layout() { measuring_layout_.wait(); }

  // Before the next step changes the monthly topology in place: the month being measured lets go
  // of its graph when its task ends.
  void wait_for_month() { measuring_.wait(); }

  // Records `measured` into row `row` in the background.
  void start(NetworkRecorder::MeasuredMonth measured, std::size_t row) {
    measuring_.wait();
    start_layout_part();
    // Held through a pointer: the task is called as const, and lets go of the graph itself.
    auto held = std::make_shared<NetworkRecorder::MeasuredMonth>(std::move(measured));
    // Set only by a task that recorded its month: a task that threw, or that a cancelled run
    // skipped (its wait then returns without an exception), leaves no layout part to start.
    measuring_.start([this, held, row] {
      NetworkRecorder::LayoutPart later;
      if (recorder_.record(*held, out_, 0, row, &later)) layout_part_ = std::move(later);
      // Let the month's graph go now, not when the task is destroyed (the layout, if any, is
      // held by the layout part).
      *held = {};
    });
  }

  // Every month recorded, the last one's layout groups included.
  void finish() {
    measuring_.wait();
    start_layout_part();
    measuring_layout_.wait();
  }

  // Waits for what runs; a layout part not yet started is dropped.
  void stop() {
    measuring_.wait();
    measuring_layout_.wait();
  }

 private:
  // Only once `measuring_` has finished the month that made it.
  void start_layout_part() {
    if (!layout_part_) return;
    measuring_layout_.start([this, part = std::move(*layout_part_)] { recorder_.record_layout_part(part, out_, 0); });
    layout_part_.reset();
  }

  const NetworkRecorder& recorder_;
  ReplicateResults& out_;
  // Declared before the tasks, which write to it: destroyed after them (their destructors wait).
  std::optional<NetworkRecorder::LayoutPart> layout_part_;  // made by the month in `measuring_`
  BackgroundTask measuring_layout_, measuring_;
};

// The replicates of one run_scenario call and what they share: the recorder and the progress.
class ReplicateRunner {
 public:
  ReplicateRunner(const Scenario& scenario, const World& world, const RunOptions& options, RunResults& results)
      : scenario_(scenario), world_(world), options_(options), results_(results),
        recorder_(world, scenario.measurement), policy_first_(describe_run(scenario, world, options, recorder_, results)),
        months_total_(std::uint64_t(scenario.months + scenario.burn_in_months) * scenario.replicates),
        measured_months_total_(std::uint64_t(scenario.months) * scenario.replicates) {
    results.replicates.resize(scenario.replicates);
  }

  bool interrupted() const { return interrupted_.load(); }

  // Runs replicate `replicate` into its own ReplicateResults slot (nothing else is written).
  void run(std::size_t replicate) {
    ReplicateResults& out = results_.replicates[replicate];
    out.series.assign(results_.series.size(), {});
    out.region_series.assign(recorder_.region_series().size(), {});
    out.table_names = recorder_.table_names();
    out.tables.assign(out.table_names.size(), {});
    Simulation sim(scenario_, world_, static_cast<std::uint32_t>(options_.first_replicate + replicate));
    recorder_.prepare(out, 0, results_.months.size());
    BackgroundMeasurement measurement(recorder_, out);
    sim.set_before_topology_change([&measurement] { measurement.wait_for_month(); });
    std::size_t row = 0;
    std::optional<Month> last_month;  // stepped, not yet counted
    while (!sim.finished()) {
      if (options_.stop && options_.stop->load(std::memory_order_relaxed)) {
        measurement.stop();
        interrupted_ = true;
        return;
      }
      const Month month = sim.month();
      sim.step();
      if (options_.check_invariants) sim.check_invariants();
      if (month >= 0 && is_recorded_month(scenario_.measurement, month, scenario_.months)) {
        // The store packed before the layout is made beside it (a run's peak memory).
        if (makes_weighted_layout(month)) sim.compact_ties(32);
        measurement.start(measured_month(sim, month, measurement), row++);
        // Policy metrics read the live state and are taken at once.
        if (scenario_.measurement.policy) {
          const auto values = policy_metrics(sim);
          for (std::size_t k = 0; k < values.size(); ++k) out.series[policy_first_ + k].push_back(values[k]);
        }
      }
      // The last month counts once its measurement and the replicate's records are done: that
      // measurement is an expensive one with nothing to run beside it (at scale 250 over a
      // minute), and counted here the ETA would read 0 all through it.
      if (sim.finished()) {
        last_month = month;
        break;
      }
      count_month(month);
    }
    measurement.finish();
    sim.release_graphs();
    record_final(sim, scenario_, out);
    if (!scenario_.output.region_series) out.region_series.clear();
    ++replicates_done_;
    if (last_month) count_month(*last_month);
    else report({months_done_.load(), measured_months_done_.load()});
  }

 private:
  struct Done {
    std::uint64_t months = 0, measured_months = 0;
  };
  // Measured counted first: a report never has more measured months than months.
  void count_month(Month month) {
    const auto measured = month >= 0 ? ++measured_months_done_ : measured_months_done_.load();
    report({++months_done_, measured});
  }
  void report(Done done) const {
    if (options_.progress)
      options_.progress({done.months, months_total_, replicates_done_.load(), scenario_.replicates,
                         done.measured_months, measured_months_total_});
  }

  // Whether recorded month `month` hands its measurement the layout with the ties' weights.
  bool makes_weighted_layout(Month month) const {
    return is_expensive_month(scenario_.measurement, month, scenario_.months) && scenario_.measurement.network &&
           scenario_.measurement.communities;
  }

  // What the month just simulated hands to its measurement.
  NetworkRecorder::MeasuredMonth measured_month(const Simulation& sim, Month month,
                                                BackgroundMeasurement& measurement) const {
    NetworkRecorder::MeasuredMonth measured;
    measured.expensive = is_expensive_month(scenario_.measurement, month, scenario_.months);
    measured.graph = sim.graph_snapshot();
    // Louvain weighs ties: expensive months hand over the layout with the ties' weights, made now
    // since the next step changes them (the layout of the other measured metrics is made in the
    // background from the topology).
    if (makes_weighted_layout(month)) {
      measurement.make_room_for_layout();
      release_free_heap();
      measured.layout = sim.weighted_layout();
    }
    measured.triangles = sim.triangles_snapshot();
    measured.seed = scenario_.seed;
    measured.replicate = sim.replicate();
    measured.month = month;
    const TieStore& ties = sim.ties();
    measured.repeated_tie_share = ties.alive() ? double(ties.alive_renewed()) / double(ties.alive())
                                               : std::numeric_limits<double>::quiet_NaN();
    return measured;
  }

  const Scenario& scenario_;
  const World& world_;
  const RunOptions& options_;
  RunResults& results_;
  const NetworkRecorder recorder_;
  const std::size_t policy_first_;
  const std::uint64_t months_total_, measured_months_total_;
  std::atomic<std::uint64_t> months_done_{0}, measured_months_done_{0};
  std::atomic<std::uint32_t> replicates_done_{0};
  std::atomic<bool> interrupted_{false};
};

}  // namespace

RunResults run_scenario(const Scenario& scenario, const World& world, const RunOptions& options) {
  RunResults results;
  ReplicateRunner runner(scenario, world, options, results);
  // Replicates run in waves of at most max_concurrent_replicates when memory allows no more at once.
  const std::size_t wave = options.max_concurrent_replicates > 0 ? options.max_concurrent_replicates
                                                                   : std::size_t(scenario.replicates);
  const CancelScope cancel(options.stop);
  // A loop that saw the flag throws Interrupted out of its replicate and, through the replicate
  // loop, out of here; the replicates' own check between months ends the others.
  for (std::size_t begin = 0; begin < scenario.replicates && !runner.interrupted(); begin += wave)
    for_each_index(begin, std::min<std::size_t>(scenario.replicates, begin + wave),
                   [&](std::size_t replicate) { runner.run(replicate); }, Execution::parallel, 1);
  if (runner.interrupted()) throw Interrupted();
  return results;
}

}  // namespace clusternet
