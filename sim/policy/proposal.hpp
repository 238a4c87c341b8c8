#pragma once
// Proposals and their evaluation: eligibility under the call's rules, a score on the call's
// criteria with evaluator noise, ranking, and award in rank order until the call's budget is used.
#include <cstdint>
#include <span>
#include <vector>

#include "core/random.hpp"
#include "core/types.hpp"
#include "core/units.hpp"
#include "policy/instrument.hpp"
#include "policy/ledger.hpp"
#include "world/world.hpp"

namespace clusternet {

enum class Ineligibility : std::uint8_t {
  none = 0,
  too_few_partners,
  too_many_partners,
  too_few_countries,
  ineligible_kind,
  below_threshold,
};

struct Proposal {
  InstrumentIndex instrument = 0;
  int call = 0;
  OrgIndex lead = 0;
  std::vector<OrgIndex> partners;    // organisations of eligible kinds, lead first
  std::vector<OrgIndex> associates;  // member organisations brought in by the partners
  AreaIndex focus_area = 0;
  // Filled by evaluation.
  double score = 0.0;
  Ineligibility ineligible = Ineligibility::none;
  Cents grant = 0;
  bool funded = false;
};

// Criteria in [0,1] before weighting. Exposed so tests can check them one by one.
struct ProposalCriteria {
  double excellence = 0, thematic_fit = 0, s3_alignment = 0, interregional = 0, cross_sectoral = 0, cohesion = 0;
};

// `labels` are the current excellence labels by cluster ordinal (capacity building changes them).
ProposalCriteria proposal_criteria(const Proposal& proposal, const InstrumentSpec& instrument, const World& world,
                                   std::span<const ExcellenceLabel> labels);
Ineligibility check_rules(const Proposal& proposal, const InstrumentSpec& instrument, const World& world);
// Weighted mean of the criteria (weights from the instrument), in [0,1], before noise.
double weighted_score(const ProposalCriteria& criteria, const EvaluationWeights& weights);
// Grant of a proposal: grant_min for the minimum consortium, rising linearly to grant_max for the
// maximum one (a larger consortium reaches more SMEs); a fixed grant when min == max.
Cents proposal_grant(const InstrumentSpec& instrument, std::size_t partners);

// Evaluation of a call's proposals at its deadline: each proposal's criteria, weighted score plus
// evaluator noise (normal, sd evaluation.evaluator_noise, from the stream of (instrument, lead) in
// `key`'s month, so a proposal's noise does not depend on the others), its eligibility under the
// call's rules, and the threshold. Fills score and ineligible.
void evaluate_proposals(std::span<Proposal> proposals, const InstrumentSpec& instrument, const World& world,
                        std::span<const ExcellenceLabel> labels, const RunKey& key);

struct AwardOutcome {
  std::uint32_t submitted = 0;
  std::uint32_t eligible = 0;
  std::uint32_t funded = 0;
  std::uint32_t rejected = 0;  // eligible but not funded
  Cents committed = 0;
  Cents unspent = 0;           // call budget left uncommitted
};

// Ranks eligible proposals by score (ties broken by a hash of the lead and then the lead index) and
// funds them in rank order while the grant fits in min(call_budget, ledger's available budget);
// stops at the first that does not fit (the rank order is never jumped). Sets `funded` and
// commits grants on the ledger.
AwardOutcome award_in_rank_order(std::span<Proposal> proposals, Cents call_budget, Ledger& ledger,
                                 std::uint64_t tie_break_seed);
// The tie-break seed of one call's ranking: a hash of (seed, replicate, instrument, call), the same
// whatever month the call's deadline falls in.
std::uint64_t award_tie_break_seed(const RunKey& key, InstrumentIndex instrument, int call);

}  // namespace clusternet
