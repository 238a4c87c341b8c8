#pragma once
// One run: a (scenario, seed, replicate) advanced month by month through the processes of the model
// in their fixed order (docs/model.md). The world is shared read-only; everything that changes
// lives in this object. A Simulation is a pure function of its inputs: the same scenario, world and
// replicate give bit-identical state after every month, on any number of threads.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "behaviour/execution.hpp"
#include "behaviour/actors.hpp"
#include "behaviour/projects.hpp"
#include "behaviour/state.hpp"
#include "behaviour/tie_store.hpp"
#include "core/random.hpp"
#include "engine/scenario.hpp"
#include "network/csr_graph.hpp"
#include "network/layout.hpp"
#include "world/world.hpp"

namespace clusternet {

// Counts of what happened in the last step (for tests and profiling).
struct StepReport {
  std::size_t projects_started = 0;
  std::size_t projects_finished = 0;
  std::size_t autonomous_ties_formed = 0;
  std::size_t autonomous_ties_renewed = 0;
  std::size_t funded_ties_formed = 0;
  std::size_t ties_dissolved = 0;
  std::size_t proposals = 0;
  std::size_t partnerships_funded = 0;
};

// Wall time spent in each process, accumulated over the run (seconds).
struct ProcessTimes {
  double adjacency = 0, autonomous = 0, consortia = 0, execution = 0, exchange = 0, decay = 0;
  double triangles = 0;  // carrying the triangle counts (network measurement only)
};

class Simulation {
 public:
  // Starts at month -burn_in_months: the burn-in months are simulated by step() like any other
  // (autonomous collaboration and decay only: no call has a deadline before month 0) and the
  // caller records nothing before month 0.
  Simulation(const Scenario& scenario, const World& world, std::uint32_t replicate);
  // The same with the actors' activity and capacity already derived (they depend on the world, the
  // behaviour parameters and the seed only, so replicates can share them).
  Simulation(const Scenario& scenario, const World& world, std::uint32_t replicate,
             std::shared_ptr<const ActorProfile> actors);

  // Runs the current month and advances to the next.
  StepReport step();
  // The next month to run (negative during the burn-in).
  Month month() const { return month_; }
  bool finished() const { return month_ >= scenario_.months; }

  const Scenario& scenario() const { return scenario_; }
  const World& world() const { return world_; }
  std::uint32_t replicate() const { return replicate_; }
  const TieStore& ties() const { return ties_; }
  const AgentState& state() const { return state_; }
  const ActorProfile& actors() const { return *actors_; }
  const ProjectFormation& projects() const { return projects_; }
  // Topology of the alive ties as of the end of the last step: partner search reads it in the
  // next month and the cheap network metrics read it now. It is updated from the tie store's
  // changes each month, not rebuilt, and carries no weights.
  const network::CsrGraph& graph() const { return *graph_; }
  // The same snapshot, shared: it stays valid after later steps replace it (the engine measures a
  // month's snapshot while it simulates the next month).
  std::shared_ptr<const network::CsrGraph> graph_snapshot() const { return graph_; }
  // The same ties with their weights, looked up in the tie store (no renewal counts: the engine
  // takes the repeated-tie share from the tie store): a weighted copy of the monthly graph, for
  // tools and tests. The engine measures weighted_layout() instead.
  std::shared_ptr<const network::CsrGraph> weighted_snapshot() const;
  // The layout of the monthly graph (network/layout.hpp) with the ties' weights, what Louvain and
  // modularity read: compute_metrics(*graph_snapshot(), ..., {.layout = this}) gives what it gives
  // on *weighted_snapshot(), without holding that copy (16 bytes per tie) besides the layout's
  // weights. Made now (a serial BFS, a parallel copy and the weight lookups), since the next step
  // changes the weights.
  std::shared_ptr<const network::Layout> weighted_layout() const;
  AdjacencyView adjacency() const { return {graph_->offsets(), graph_->neighbour_array()}; }
  // Triangles through each organisation in graph(), carried from month to month from the tie
  // changes (network::update_triangles) rather than counted afresh; null when the scenario measures
  // no network, when it samples its clustering (clustering_is_sampled) and during the burn-in
  // (counted afresh at the first measured month). Shared like graph_snapshot(): a later step never
  // changes a snapshot handed out.
  std::shared_ptr<const std::vector<std::uint64_t>> triangles_snapshot() const { return triangles_; }
  const ProcessTimes& process_times() const { return times_; }
  // After the last month: gives back the monthly graphs, the triangle counts and the tie store's
  // pair index (up to 32 + 21 bytes per tie and 16 per organisation), which the end-of-run records
  // (they read the tie store's columns and the agents' state) do not need, so that those records
  // are not the peak of a run's memory. Snapshots handed out stay valid; graph() is then a graph
  // without vertices and the tie store is read-only (TieStore::release_index). Throws
  // std::logic_error before the run has finished.
  void release_graphs();
  // Called by step() before it changes the monthly topology when it can change it in place (no
  // triangle counts carried, which need the month before beside it): the engine waits there for
  // the measurement still reading the previous month's graph_snapshot(). Snapshots still held by
  // anyone after the hook stay valid (the change then goes into a new graph).
  void set_before_topology_change(std::function<void()> hook) { before_topology_change_ = std::move(hook); }
  // Packs the tie store when more than one slot in `one_in` is a tombstone (TieStore::
  // compact_if_sparse); results do not depend on when the store is packed.
  bool compact_ties(std::size_t one_in) { return ties_.compact_if_sparse(one_in); }
  // Checks every ledger invariant and the partnership/SME invariants; throws std::logic_error.
  void check_invariants() const;

 private:
  void update_adjacency();
  RunKey run_key() const { return {scenario_.seed, replicate_, month_}; }
  // Steps 3-4 for every consortium instrument with a call deadline this month.
  void run_consortium_calls(StepReport& report);
  // Steps 3-4 for one call: formation, evaluation, award, and the funded partnerships.
  void run_call(InstrumentIndex index, int call, StepReport& report);
  // Step 7, instrument by instrument in scenario order.
  void run_exchange_and_capacity_building(std::vector<TieRequest>& funded_ties);
  std::size_t form_ties(const std::vector<TieRequest>& requests);

  const Scenario& scenario_;
  const World& world_;
  std::uint32_t replicate_;
  Month month_;
  TieStore ties_;
  AgentState state_;
  std::shared_ptr<const ActorProfile> actors_;
  ProjectFormation projects_;
  std::shared_ptr<network::CsrGraph> graph_;
  // The snapshot before graph_ while triangle counts are carried (their update reads both): its
  // arrays are reused by the next update once nobody else holds it (the background measurement
  // may still be reading it). Otherwise graph_ changes in place and there is no spare.
  std::shared_ptr<network::CsrGraph> spare_;
  std::function<void()> before_topology_change_;
  std::shared_ptr<std::vector<std::uint64_t>> triangles_;
  bool carry_triangles_ = false;  // exact clustering measured: triangles_ carried after the burn-in
  ProcessTimes times_;
};

}  // namespace clusternet
