#include "engine/simulation.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <limits>
#include <mutex>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "behaviour/capacity_building.hpp"
#include "behaviour/consortium.hpp"
#include "behaviour/exchange.hpp"
#include "behaviour/partnership.hpp"
#include "core/parallel.hpp"
#include "core/stopwatch.hpp"
#include "network/kernels.hpp"
#include "network/weight_codes.hpp"
#include "policy/calls.hpp"

namespace clusternet {

Simulation::Simulation(const Scenario& scenario, const World& world, std::uint32_t replicate)
    : Simulation(scenario, world, replicate,
                 std::make_shared<const ActorProfile>(make_actor_profile(world, scenario.behaviour, scenario.seed))) {}

Simulation::Simulation(const Scenario& scenario, const World& world, std::uint32_t replicate,
                       std::shared_ptr<const ActorProfile> actors)
    : scenario_(scenario),
      world_(world),
      replicate_(replicate),
      month_(-scenario.burn_in_months),
      state_(AgentState::from_world(world)),
      actors_(std::move(actors)),
      projects_(world, scenario.behaviour, *actors_, scenario.seed, replicate, -scenario.burn_in_months) {
  // Reputation starts warm, at what an organisation's expected activity would have built up under
  // the reputation half-life (its expected participations per month x reputation_per_project x
  // the mean life of a unit of reputation, half-life / ln 2), on top of the world's initial record:
  // otherwise the preference for reputation would need several half-lives of burn-in to settle.
  {
    const auto& b = scenario.behaviour;
    const double per_month = expected_project_size(b) * b.reputation_per_project * b.reputation_half_life_months / std::log(2.0);
    for (std::size_t o = 0; o < state_.reputation.size(); ++o)
      state_.reputation[o] += static_cast<float>(per_month * actors_->activity[o]);
  }
  for (const InstrumentSpec& instrument : scenario.instruments) state_.ledgers.push_back(open_ledger(instrument));
  state_.totals.resize(scenario.instruments.size());
  graph_ = std::make_shared<network::CsrGraph>(network::CsrGraph::empty(static_cast<std::uint32_t>(world.orgs.size())));
  // A run without burn-in starts measuring at once: the graph starts without ties, so without
  // triangles. Otherwise the counts start at the first measured month (update_adjacency).
  carry_triangles_ = scenario.measurement.network && !clustering_is_sampled(scenario.measurement, world.orgs.size());
  if (carry_triangles_ && month_ >= 0)
    triangles_ = std::make_shared<std::vector<std::uint64_t>>(world.orgs.size(), 0);
}

void Simulation::update_adjacency() {
  const TieStore::Changes changes = ties_.take_changes();
  if (!carry_triangles_) {
    // Nothing needs last month's topology once its measurement has read it: the graph changes in
    // place, one topology instead of two (4 bytes per tie and 8 per organisation; 1.4 GB at scale
    // 250). The caller's hook waits for a measurement still reading it; should anyone else hold
    // it, the change goes into a new graph and theirs stays as it was.
    if (before_topology_change_) before_topology_change_();
    spare_.reset();
    if (graph_.use_count() == 1) graph_->apply_changes(changes.formed, changes.dissolved);
    else graph_ = std::make_shared<network::CsrGraph>(graph_->with_changes(changes.formed, changes.dissolved));
    return;
  }
  network::CsrGraph storage;
  if (spare_ && spare_.use_count() == 1) storage = std::move(*spare_);
  auto next = std::make_shared<network::CsrGraph>(graph_->with_changes(changes.formed, changes.dissolved, std::move(storage)));
  if (carry_triangles_) {
    Stopwatch watch(times_.triangles);
    if (month_ < 0) {
      // Burn-in months are never measured: no counts are carried through them (72 monthly
      // updates under the defaults), and the first measured month counts afresh.
      triangles_.reset();
    } else if (!triangles_) {
      triangles_ = std::make_shared<std::vector<std::uint64_t>>(network::triangles_per_vertex(*next));
    } else {
      // A measurement may still read last month's counts: those are copied, never changed.
      if (triangles_.use_count() > 1) triangles_ = std::make_shared<std::vector<std::uint64_t>>(*triangles_);
      network::update_triangles(*graph_, *next, changes.formed, changes.dissolved, *triangles_);
    }
  }
  spare_ = std::exchange(graph_, std::move(next));
}

namespace {

// Looks up the weight of the tie in every slot of `g` (a graph of organisations numbered
// `organisation_of`, the identity when null) in `ties`, each row in parallel, in batches of
// consecutive slots (TieStore::weights_of overlaps their cache misses: one by one, they were a
// tenth of a run's time at scale 10), and hands each batch to put(first slot, weights), which
// writes those slots only.
template <class Put>
void tie_weights(const network::CsrGraph& g, const network::Vertex* organisation_of, const TieStore& ties,
                 const char* caller, Put&& put) {
  const auto& offsets = g.offsets();
  const auto& neighbours = g.neighbour_array();
  std::atomic<bool> missing{false};
  auto organisation = [organisation_of](network::Vertex v) { return organisation_of ? organisation_of[v] : v; };
  for_each_block(0, g.vertex_count(), [&](std::size_t begin, std::size_t end) {
    constexpr std::size_t batch = 256;
    std::array<std::pair<OrgIndex, OrgIndex>, batch> pairs{};
    std::array<double, batch> found{};
    std::size_t filled = 0;
    std::uint64_t start = offsets[begin];  // the slot of pairs[0]
    auto flush = [&] {
      if (ties.weights_of({pairs.data(), filled}, {found.data(), filled}) != 0)
        missing.store(true, std::memory_order_relaxed);
      else
        put(start, std::span<const double>(found.data(), filled));
      start += filled;
      filled = 0;
    };
    for (std::size_t v = begin; v < end; ++v) {
      const OrgIndex a = organisation(static_cast<network::Vertex>(v));
      for (std::uint64_t k = offsets[v]; k < offsets[v + 1]; ++k) {
        pairs[filled++] = {a, organisation(neighbours[k])};
        if (filled == batch) flush();
      }
    }
    flush();
  }, Execution::parallel, 1024);
  if (missing.load()) throw std::logic_error(std::string(caller) + ": a tie of the monthly graph is not in the tie store");
}

UninitVector<double> tie_weights(const network::CsrGraph& g, const network::Vertex* organisation_of, const TieStore& ties,
                                 const char* caller) {
  UninitVector<double> weights(g.neighbour_array().size());  // every slot written by tie_weights
  tie_weights(g, organisation_of, ties, caller, [&](std::uint64_t start, std::span<const double> found) {
    std::copy(found.begin(), found.end(), weights.begin() + std::ptrdiff_t(start));
  });
  return weights;
}

}  // namespace

std::shared_ptr<const network::CsrGraph> Simulation::weighted_snapshot() const {
  const network::CsrGraph& g = *graph_;
  if (g.edge_count() != ties_.alive())
    throw std::logic_error("weighted_snapshot: the monthly graph and the tie store disagree on the tie count");
  return std::make_shared<const network::CsrGraph>(g.with_slot_values(tie_weights(g, nullptr, ties_, "weighted_snapshot")));
}

std::shared_ptr<const network::Layout> Simulation::weighted_layout() const {
  // The layout is made from the monthly graph's topology and each of its slots gets its tie's
  // weight from the store, in the layout's own order: a weighted copy of the monthly graph, which
  // the layout used to be made from, held 16 bytes per tie besides the layout's own weights for
  // as long as the month's expensive metrics ran.
  const network::CsrGraph& g = *graph_;
  if (g.edge_count() != ties_.alive())
    throw std::logic_error("weighted_layout: the monthly graph and the tie store disagree on the tie count");
  //
  // The slots hold their weights coded (network/weight_codes.hpp): a 2-byte index into the table
  // of the alive ties' 65,535 most frequent weights instead of the 8-byte double, the slots of
  // the other weights listed with them, the same values to the bit. Should the ties take more
  // distinct weights than an eighth of the slots, or the listed slots be more than a sixteenth
  // (never seen: 86,387 distinct among 27.7 million ties at scale 50, 0.08% of them listed), the
  // codes would save too little and doubles are kept.
  network::Layout layout(g);
  const std::size_t slots = layout.graph.neighbour_array().size();
  network::WeightCodes codes = network::WeightCodes::of(
      ties_.slots(), [this](std::size_t t) { return ties_.is_alive(t); }, [this](std::size_t t) { return ties_.weight(t); },
      slots / 8);
  if (codes.size() == 0 || codes.escaped_count() * 16 > ties_.alive()) {
    UninitVector<double> weights = tie_weights(layout.graph, layout.old_of_new.data(), ties_, "weighted_layout");
    layout.graph = std::move(layout.graph).with_slot_values(std::move(weights));
  } else {
    network::SlotCodes coded;
    coded.codes.resize(slots);  // every slot written below
    std::mutex escapes_mutex;
    std::vector<std::pair<std::uint64_t, double>> escapes;  // gathered in any order, sorted after
    tie_weights(layout.graph, layout.old_of_new.data(), ties_, "weighted_layout",
                [&](std::uint64_t start, std::span<const double> found) {
                  std::vector<std::pair<std::uint64_t, double>> here;
                  for (std::size_t i = 0; i < found.size(); ++i) {
                    const std::uint16_t code = codes.code(found[i]);
                    coded.codes[start + i] = code;
                    if (code == network::SlotCodes::escaped) here.emplace_back(start + i, found[i]);
                  }
                  if (here.empty()) return;
                  const std::lock_guard<std::mutex> lock(escapes_mutex);
                  escapes.insert(escapes.end(), here.begin(), here.end());
                });
    std::sort(escapes.begin(), escapes.end());
    coded.escaped_slots.reserve(escapes.size());
    coded.escaped_weights.reserve(escapes.size());
    for (const auto& [slot, weight] : escapes) {
      coded.escaped_slots.push_back(slot);
      coded.escaped_weights.push_back(weight);
    }
    coded.table = std::move(codes).take_table();
    layout.graph = std::move(layout.graph).with_slot_codes(std::move(coded));
  }
  return std::make_shared<const network::Layout>(std::move(layout));
}

void Simulation::release_graphs() {
  if (!finished()) throw std::logic_error("release_graphs: the run has not finished");
  graph_ = std::make_shared<network::CsrGraph>();
  spare_.reset();
  triangles_.reset();
  ties_.release_index();
}

std::size_t Simulation::form_ties(const std::vector<TieRequest>& requests) {
  const auto& p = scenario_.behaviour;
  std::size_t formed = 0;
  for (const TieRequest& r : requests) {
    const double weight = r.origin == TieOrigin::exchange ? p.exchange_tie_initial_weight : p.tie_initial_weight;
    if (!ties_.form(r.a, r.b, weight, p.tie_renewal_increment, month_, r.origin, r.instrument, r.hold_until)) continue;
    ++formed;
    if (world_.orgs.region[r.a] != world_.orgs.region[r.b]) ++state_.funded_interregional_ties;
  }
  return formed;
}

void Simulation::run_consortium_calls(StepReport& report) {
  for (std::size_t i = 0; i < scenario_.instruments.size(); ++i) {
    if (scenario_.instruments[i].kind != InstrumentKind::consortium) continue;
    if (const auto call = call_with_deadline(scenario_.instruments[i].calendar, month_))
      run_call(static_cast<InstrumentIndex>(i), *call, report);
  }
}

void Simulation::run_call(InstrumentIndex index, int call, StepReport& report) {
  const InstrumentSpec& instrument = scenario_.instruments[index];
  Ledger& ledger = state_.ledgers[index];
  const RunKey key = run_key();
  // 3. Consortium formation, for this call's share of the instrument's budget.
  const Cents budget = call_budget(ledger, instrument.calendar, call);
  std::vector<Proposal> proposals =
      form_consortia(world_, instrument, index, call, state_, scenario_.behaviour, budget, key);
  // 4. Evaluation and award in rank order.
  evaluate_proposals(proposals, instrument, world_, state_.label, key);
  const AwardOutcome outcome = award_in_rank_order(proposals, budget, ledger, award_tie_break_seed(key, index, call));
  state_.totals[index].record(outcome);
  report.proposals += outcome.submitted;
  report.partnerships_funded += outcome.funded;
  // The funded proposals become partnerships, which start at the call's start month (step 5).
  create_partnerships(world_, instrument, call, proposals, state_);
}

void Simulation::run_exchange_and_capacity_building(std::vector<TieRequest>& funded_ties) {
  for (std::size_t i = 0; i < scenario_.instruments.size(); ++i) {
    const InstrumentSpec& instrument = scenario_.instruments[i];
    const auto index = static_cast<InstrumentIndex>(i);
    if (instrument.kind == InstrumentKind::exchange)
      run_exchange(world_, instrument, index, state_, run_key(), funded_ties);
    else if (instrument.kind == InstrumentKind::capacity_building)
      run_capacity_building(world_, instrument, index, state_, run_key());
  }
}

StepReport Simulation::step() {
  if (finished()) throw std::logic_error("Simulation::step: the horizon is reached");
  StepReport report;

  // 1-2. Calls follow their calendars (evaluated at deadlines below); autonomous collaboration.
  {
    Stopwatch watch(times_.autonomous);
    const ProjectMonth projects = projects_.run(adjacency(), state_.reputation, month_, state_.collaborations);
    const auto& p = scenario_.behaviour;
    report.projects_started = projects.started;
    report.projects_finished = projects.finished;
    report.autonomous_ties_formed = ties_.form_batch(projects.pairs, p.tie_initial_weight, p.tie_renewal_increment,
                                                     month_, TieOrigin::autonomous, -1);
    report.autonomous_ties_renewed = projects.pairs.size() - report.autonomous_ties_formed;
  }
  // Reputation fades: a recent track record is what makes an organisation sought after.
  {
    const auto keep = static_cast<float>(std::exp2(-1.0 / scenario_.behaviour.reputation_half_life_months));
    for_each_index(0, state_.reputation.size(), [&](std::size_t o) { state_.reputation[o] *= keep; });
  }
  // 3-4. Consortium formation, evaluation and award for calls whose deadline is this month.
  {
    Stopwatch watch(times_.consortia);
    run_consortium_calls(report);
  }
  // 5-6. Execution of funded partnerships, milestones and continuation.
  std::vector<TieRequest> funded_ties;
  {
    Stopwatch watch(times_.execution);
    execute_partnerships(world_, scenario_.instruments, scenario_.behaviour, state_, run_key(), funded_ties);
  }
  // 7. Exchange schemes and capacity building.
  {
    Stopwatch watch(times_.exchange);
    run_exchange_and_capacity_building(funded_ties);
  }
  report.funded_ties_formed = form_ties(funded_ties);
  // 8. Tie decay and dissolution.
  {
    Stopwatch watch(times_.decay);
    const auto& p = scenario_.behaviour;
    report.ties_dissolved = ties_.decay(p.tie_decay_rate, p.tie_dissolution_threshold, month_);
  }
  {
    Stopwatch watch(times_.adjacency);
    update_adjacency();
  }
  ++month_;
  return report;
}

void Simulation::check_invariants() const {
  if (triangles_ && *triangles_ != network::triangles_per_vertex(*graph_))
    throw std::logic_error("carried triangle counts differ from a full count of the graph");
  for (const Ledger& ledger : state_.ledgers) ledger.check_invariants();
  std::vector<Cents> committed(scenario_.instruments.size(), 0);
  for (const Partnership& p : state_.partnerships) {
    if (p.spent > p.grant) throw std::logic_error("partnership spent more than its grant");
    if (p.spent_on_smes > p.spent) throw std::logic_error("partnership SME spending exceeds its spending");
    if (p.cascade_pot > 0 && p.spent_on_smes > p.cascade_pot) throw std::logic_error("partnership paid SMEs beyond its cascade pot");
    if (p.returned < 0 || p.returned > p.grant - p.spent) throw std::logic_error("partnership returned more than it left unspent");
    // What a partnership did not spend and gave back is no longer committed.
    committed[p.instrument] += p.grant - p.returned;
  }
  for (std::size_t i = 0; i < committed.size(); ++i) {
    if (scenario_.instruments[i].kind == InstrumentKind::exchange) continue;
    if (committed[i] != state_.ledgers[i].committed())
      throw std::logic_error("grants of partnerships do not add up to the ledger's commitments");
  }
  std::uint64_t flagged = 0;
  for (std::size_t o = 0; o < state_.sme_supported.size(); ++o) {
    if (!state_.sme_supported[o]) continue;
    if (!is_sme(world_.orgs.kind[o])) throw std::logic_error("a supported organisation is not an SME");
    ++flagged;
  }
  if (flagged != state_.smes_supported) throw std::logic_error("supported SME count does not match the flags");
}

}  // namespace clusternet
