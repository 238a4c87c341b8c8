#include "engine/simulation.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <utility>

#include "behaviour/consortium.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "policy/calls.hpp"

namespace clusternet {

namespace {
class Stopwatch {
 public:
  explicit Stopwatch(double& total) : total_(total), start_(std::chrono::steady_clock::now()) {}
  ~Stopwatch() { total_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }
  Stopwatch(const Stopwatch&) = delete;
  Stopwatch& operator=(const Stopwatch&) = delete;

 private:
  double& total_;
  std::chrono::steady_clock::time_point start_;
};
}  // namespace

Simulation::Simulation(const Scenario& scenario, const World& world, std::uint32_t replicate)
    : scenario_(scenario),
      world_(world),
      replicate_(replicate),
      month_(-scenario.burn_in_months),
      state_(AgentState::from_world(world)),
      search_(world, scenario.behaviour, scenario.seed, replicate, -scenario.burn_in_months) {
  for (const InstrumentSpec& instrument : scenario.instruments) {
    const Cents reserve = instrument.continuation.enabled
                              ? cents_from_eur(eur_from_cents(instrument.budget) * instrument.continuation.reserved_share)
                              : 0;
    state_.ledgers.emplace_back(instrument.budget, instrument.sme_cascade_share, std::min(reserve, instrument.budget));
  }
  state_.totals.resize(scenario.instruments.size());
  graph_ = std::make_shared<network::CsrGraph>(network::CsrGraph::empty(static_cast<std::uint32_t>(world.orgs.size())));
}

void Simulation::update_adjacency() {
  const TieStore::Changes changes = ties_.take_changes();
  network::CsrGraph storage;
  if (spare_ && spare_.use_count() == 1) storage = std::move(*spare_);
  auto next = std::make_shared<network::CsrGraph>(graph_->with_changes(changes.formed, changes.dissolved, std::move(storage)));
  spare_ = std::exchange(graph_, std::move(next));
}

std::shared_ptr<const network::CsrGraph> Simulation::weighted_snapshot() const {
  // The tie store holds each pair once and never a self-tie, so the fast builder applies; its rows
  // come out sorted, so the topology equals graph(). Alive ties are gathered in slot order, in
  // parallel: each fixed chunk of slots counts its alive ties, a prefix sum gives it its output
  // range (chunk_offsets), and it copies into that range alone.
  constexpr std::size_t chunk = 1 << 14;
  const std::size_t slots = ties_.slots();
  const std::vector<std::size_t> first = chunk_offsets(slots, chunk, [&](std::size_t begin, std::size_t end) {
    std::size_t alive = 0;
    for (std::size_t t = begin; t < end; ++t) alive += ties_.is_alive(t);
    return alive;
  });
  const std::size_t chunks = first.size() - 1;
  std::vector<network::Vertex> sources(first[chunks]), targets(first[chunks]);
  std::vector<float> weights(first[chunks]);
  std::vector<std::uint32_t> renewals(first[chunks]);
  for_each_index(0, chunks, [&](std::size_t c) {
    std::size_t out = first[c];
    for (std::size_t t = c * chunk; t < std::min(slots, (c + 1) * chunk); ++t) {
      if (!ties_.is_alive(t)) continue;
      sources[out] = ties_.a(t);
      targets[out] = ties_.b(t);
      weights[out] = static_cast<float>(ties_.weight(t));
      renewals[out] = ties_.renewals(t);
      ++out;
    }
  }, Execution::parallel, 1);
  return std::make_shared<const network::CsrGraph>(network::CsrGraph::from_unique_edges(
      static_cast<std::uint32_t>(world_.orgs.size()), sources, targets, weights, renewals));
}

std::size_t Simulation::form_ties(const std::vector<TieRequest>& requests) {
  const auto& p = scenario_.behaviour;
  std::size_t formed = 0;
  for (const TieRequest& r : requests) {
    const double weight = r.origin == TieOrigin::exchange ? p.exchange_tie_initial_weight : p.tie_initial_weight;
    if (!ties_.form(r.a, r.b, weight, p.tie_renewal_increment, month_, r.origin, r.instrument)) continue;
    ++formed;
    if (world_.orgs.region[r.a] != world_.orgs.region[r.b]) ++state_.funded_interregional_ties;
  }
  return formed;
}

void Simulation::run_consortium_calls(StepReport& report) {
  for (std::size_t i = 0; i < scenario_.instruments.size(); ++i) {
    const InstrumentSpec& instrument = scenario_.instruments[i];
    if (instrument.kind != InstrumentKind::consortium) continue;
    const auto call = call_with_deadline(instrument.calendar, month_);
    if (!call) continue;
    const auto index = static_cast<InstrumentIndex>(i);
    Ledger& ledger = state_.ledgers[i];
    const int calls_left = instrument.calendar.calls - *call;
    const Cents call_budget = ledger.available_for_awards() / std::max(1, calls_left);
    const FormationKey key{scenario_.seed, replicate_, month_, index, *call};
    std::vector<Proposal> proposals = form_consortia(world_, instrument, state_, call_budget, key);
    // Evaluation: criteria, weighted score and evaluator noise from the proposal's own stream.
    for (Proposal& p : proposals) {
      const ProposalCriteria criteria = proposal_criteria(p, instrument, world_, state_.label);
      RandomStream noise({scenario_.seed, replicate_, month_, instrument_entity(index, p.lead), Purpose::evaluation_noise});
      p.score = weighted_score(criteria, instrument.evaluation) + normal(noise, 0.0, instrument.evaluation.evaluator_noise);
      p.ineligible = check_rules(p, instrument, world_);
      if (p.ineligible == Ineligibility::none && p.score < instrument.evaluation.threshold)
        p.ineligible = Ineligibility::below_threshold;
    }
    const AwardOutcome outcome =
        award_in_rank_order(proposals, call_budget, ledger, hash_mix(scenario_.seed, replicate_, index, *call));
    InstrumentTotals& totals = state_.totals[i];
    totals.proposals_submitted += outcome.submitted;
    totals.proposals_eligible += outcome.eligible;
    totals.partnerships_funded += outcome.funded;
    totals.unspent_at_calls += outcome.unspent;
    report.proposals += outcome.submitted;
    report.partnerships_funded += outcome.funded;
    for (Proposal& proposal : proposals) {
      if (!proposal.funded) continue;
      Partnership p;
      p.id = static_cast<std::uint32_t>(state_.partnerships.size());
      p.instrument = index;
      p.lead = proposal.lead;
      p.partners = std::move(proposal.partners);
      p.associates = std::move(proposal.associates);
      p.partner_participating.assign(p.partners.size(), 0);
      p.focus_area = proposal.focus_area;
      p.start = call_start_month(instrument.calendar, *call);
      p.end = p.start + std::max<Month>(1, instrument.duration_months);
      p.grant = proposal.grant;
      const Cents share = p.grant / static_cast<Cents>(p.partners.size());
      for (OrgIndex partner : p.partners) {
        const ClusterOrdinal c = world_.cluster_ordinal(partner);
        if (c != none<ClusterOrdinal>) {
          ++state_.engaged[c];
          if (!state_.ever_in_partnership[c]) {
            state_.ever_in_partnership[c] = 1;
            // The published "SMEs represented" by funded cluster organisations: their member SMEs.
            for (OrgIndex member : world_.memberships.members_of(c))
              if (is_sme(world_.orgs.kind[member]) && !state_.sme_represented[member]) {
                state_.sme_represented[member] = 1;
                ++state_.smes_represented;
              }
          }
        }
        state_.funding_by_region[world_.orgs.region[partner]] += share;
      }
      state_.partnerships.push_back(std::move(p));
    }
  }
}

StepReport Simulation::step() {
  if (finished()) throw std::logic_error("Simulation::step: the horizon is reached");
  StepReport report;
  const StepKey key{scenario_.seed, replicate_, month_};

  // 1-2. Calls follow their calendars (evaluated at deadlines below); autonomous collaboration.
  {
    Stopwatch watch(times_.autonomous);
    const auto accepted = search_.run(adjacency(), state_.reputation, month_);
    const auto& p = scenario_.behaviour;
    report.autonomous_ties_formed =
        ties_.form_all(accepted, p.tie_initial_weight, p.tie_renewal_increment, month_, TieOrigin::autonomous, -1);
    report.autonomous_ties_renewed = accepted.size() - report.autonomous_ties_formed;
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
    execute_partnerships(world_, scenario_.instruments, scenario_.behaviour, state_, key, funded_ties);
  }
  // 7. Exchange schemes and capacity building.
  {
    Stopwatch watch(times_.exchange);
    for (std::size_t i = 0; i < scenario_.instruments.size(); ++i) {
      const InstrumentSpec& instrument = scenario_.instruments[i];
      const auto index = static_cast<InstrumentIndex>(i);
      if (instrument.kind == InstrumentKind::exchange)
        run_exchange(world_, instrument, index, state_, key, funded_ties);
      else if (instrument.kind == InstrumentKind::capacity_building)
        run_capacity_building(world_, instrument, index, state_, key);
    }
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
  for (const Ledger& ledger : state_.ledgers) ledger.check_invariants();
  std::vector<Cents> committed(scenario_.instruments.size(), 0);
  for (const Partnership& p : state_.partnerships) {
    if (p.spent > p.grant) throw std::logic_error("partnership spent more than its grant");
    if (p.spent_on_smes > p.spent) throw std::logic_error("partnership SME spending exceeds its spending");
    committed[p.instrument] += p.grant;
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
