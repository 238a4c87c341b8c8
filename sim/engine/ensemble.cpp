#include "engine/ensemble.hpp"

#include <algorithm>
#include <limits>
#include <mutex>
#include <optional>

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
  const double average = elapsed / double(p.months_done);
  const double burn_in_cost = burn_in_done > 0 ? burn_in_seconds_ / double(burn_in_done) : average;
  double measured_cost = cycle_months_ > 0 ? cycle_seconds_ / double(cycle_months_)
                         : measured_done > 0 ? measured_seconds_ / double(measured_done) : 0.0;
  if (cycle_months_ == 0) measured_cost = std::max(measured_cost, prior_ * burn_in_cost);
  e.seconds_left = double(burn_in_total - std::min(burn_in_total, burn_in_done)) * burn_in_cost +
                   double(measured_total - std::min(measured_total, measured_done)) * measured_cost;
  return e;
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
    std::vector<std::uint32_t> degree(sim.world().orgs.size(), 0);
    // Sized once: growing by doubling held up to three times the table (32 bytes per tie) at the
    // end of a run, the peak of the whole process at scale 4 (2.3 million ties).
    out.final_edges.reserve(ties.alive());
    for (std::size_t t = 0; t < ties.slots(); ++t) {
      if (!ties.is_alive(t)) continue;
      // Every formation after the first renewed the tie: one collaboration each.
      out.final_edges.push_back({ties.a(t), ties.b(t), ties.weight(t), ties.formed(t),
                                 static_cast<std::uint8_t>(ties.origin(t)), ties.instrument(t),
                                 std::uint32_t(ties.renewals(t)) + 1});
      ++degree[ties.a(t)];
      ++degree[ties.b(t)];
    }
    // Every organisation, isolated ones too: partnership members without a tie still have a region
    // that grants are placed in, and `export --all-organisations` writes them.
    const World& world = sim.world();
    const auto& orgs = world.orgs;
    out.final_nodes.reserve(orgs.size());
    // (Every organisation of any recorded table is listed here, since all of them are.)
    for (std::size_t o = 0; o < orgs.size(); ++o) {
      const auto clusters = world.memberships.clusters_of(static_cast<OrgIndex>(o));
      std::int32_t cluster = -1;
      if (orgs.kind[o] == OrgKind::cluster) cluster = static_cast<std::int32_t>(o);
      else if (!clusters.empty()) cluster = static_cast<std::int32_t>(world.cluster_orgs[clusters.front()]);
      out.final_nodes.push_back({static_cast<OrgIndex>(o), static_cast<std::uint8_t>(orgs.kind[o]), orgs.region[o],
                                 orgs.primary_area[o], degree[o], cluster,
                                 static_cast<std::uint16_t>(std::min<std::size_t>(clusters.size(), 65535))});
    }
  }
}

}  // namespace

RunResults run_scenario(const Scenario& scenario, const World& world, const RunOptions& options) {
  RunResults results;
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
  const NetworkRecorder recorder(world, scenario.measurement);
  results.series = recorder.series();
  const std::size_t policy_first = results.series.size();
  if (scenario.measurement.policy)
    for (const SeriesInfo& info : policy_metric_infos()) results.series.push_back(info);
  const std::size_t series_count = results.series.size();
  if (scenario.output.region_series) results.region_series = recorder.region_series();
  results.estimators = recorder.estimators();

  results.replicates.resize(scenario.replicates);
  std::atomic<std::uint64_t> months_done{0}, measured_months_done{0};
  std::atomic<std::uint32_t> replicates_done{0};
  std::atomic<bool> interrupted{false};
  const std::uint64_t months_total = std::uint64_t(scenario.months + scenario.burn_in_months) * scenario.replicates;
  const std::uint64_t measured_months_total = std::uint64_t(scenario.months) * scenario.replicates;

  // Each replicate writes only its own ReplicateResults slot. Replicates run in waves of at most
  // max_concurrent_replicates when memory allows no more at once.
  const std::size_t wave = options.max_concurrent_replicates > 0 ? options.max_concurrent_replicates
                                                                   : std::size_t(scenario.replicates);
  const auto run_replicate = [&](std::size_t replicate) {
    ReplicateResults& out = results.replicates[replicate];
    out.series.assign(series_count, {});
    out.region_series.assign(recorder.region_series().size(), {});
    out.table_names = recorder.table_names();
    out.tables.assign(out.table_names.size(), {});
    Simulation sim(scenario, world, static_cast<std::uint32_t>(options.first_replicate + replicate));
    recorder.prepare(out, 0, results.months.size());
    // The network metrics of a month run in the background on that month's snapshot while the
    // next month is simulated (their serial parts fill the cores the step leaves idle). One
    // month's metrics run at a time, in month order; but an expensive month hands the groups that
    // read only its layout (path lengths, Louvain, betweenness: Louvain is serial and the longest)
    // to a second task, which runs on beside the next months' steps and metrics, holding the
    // layout and the components but not the month's graph. Each writes only its own rows and
    // values; policy metrics read the live state and are taken at once. Results do not depend on
    // the overlap.
    // Declared before the tasks, which write to it: destroyed after them (their destructors wait).
    std::optional<NetworkRecorder::LayoutPart> layout_part;  // made by the month in `measuring`
    BackgroundTask measuring_layout, measuring;
    std::size_t row = 0;
    const auto start_layout_part = [&] {
      // Only once `measuring` has finished the month that made it.
      if (!layout_part) return;
      measuring_layout.start(
          [&recorder, &out, part = std::move(*layout_part)] { recorder.record_layout_part(part, out, 0); });
      layout_part.reset();
    };
    while (!sim.finished()) {
      if (options.stop && options.stop->load(std::memory_order_relaxed)) {
        measuring.wait();
        measuring_layout.wait();
        interrupted = true;
        return;
      }
      const Month month = sim.month();
      sim.step();
      if (options.check_invariants) sim.check_invariants();
      if (month >= 0 && is_recorded_month(scenario.measurement, month, scenario.months)) {
        NetworkRecorder::MeasuredMonth measured;
        measured.expensive = is_expensive_month(scenario.measurement, month, scenario.months);
        measured.graph = sim.graph_snapshot();
        // Louvain weighs ties: expensive months hand over the layout with the ties' weights, made
        // now since the next step changes them (the layout of the other measured metrics is made
        // in the background from the topology). At most one layout is held: the previous
        // expensive month's groups finish first.
        if (measured.expensive && scenario.measurement.network && scenario.measurement.communities) {
          measuring_layout.wait();
          measured.layout = sim.weighted_layout();
        }
        measured.triangles = sim.triangles_snapshot();
        measured.seed = scenario.seed;
        measured.replicate = sim.replicate();
        measured.month = month;
        const TieStore& ties = sim.ties();
        measured.repeated_tie_share = ties.alive() ? double(ties.alive_renewed()) / double(ties.alive())
                                                   : std::numeric_limits<double>::quiet_NaN();
        measuring.wait();
        start_layout_part();
        layout_part.emplace();
        // Held through a pointer: the task is called as const, and lets go of the graph itself.
        auto held = std::make_shared<NetworkRecorder::MeasuredMonth>(std::move(measured));
        measuring.start([&recorder, &out, &layout_part, held, row] {
          NetworkRecorder::LayoutPart later;
          if (recorder.record(*held, out, 0, row, &later)) *layout_part = std::move(later);
          else layout_part.reset();
          // Let the month's graph go now, not when the task is destroyed (the layout, if any, is
          // held by the layout part).
          *held = {};
        });
        ++row;
        if (scenario.measurement.policy) {
          const auto values = policy_metrics(sim);
          for (std::size_t k = 0; k < values.size(); ++k) out.series[policy_first + k].push_back(values[k]);
        }
      }
      // Measured counted first: a report never has more measured months than months.
      const auto measured = month >= 0 ? ++measured_months_done : measured_months_done.load();
      const auto done = ++months_done;
      if (options.progress)
        options.progress({done, months_total, replicates_done.load(), scenario.replicates, measured,
                          measured_months_total});
    }
    measuring.wait();
    start_layout_part();
    measuring_layout.wait();
    sim.release_graphs();
    record_final(sim, scenario, out);
    if (!scenario.output.region_series) out.region_series.clear();
    ++replicates_done;
    if (options.progress)
      options.progress({months_done.load(), months_total, replicates_done.load(), scenario.replicates,
                        measured_months_done.load(), measured_months_total});
  };
  const CancelScope cancel(options.stop);
  // A loop that saw the flag throws Interrupted out of its replicate and, through the replicate
  // loop, out of here; the replicates' own check between months ends the others.
  for (std::size_t begin = 0; begin < scenario.replicates && !interrupted; begin += wave)
    for_each_index(begin, std::min<std::size_t>(scenario.replicates, begin + wave), run_replicate,
                   Execution::parallel, 1);
  if (interrupted) throw Interrupted();
  return results;
}

}  // namespace clusternet
