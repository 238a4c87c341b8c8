#pragma once
// Consortium formation for a call at its deadline, in four steps:
//   leads       organisations of the call's eligible kinds with free capacity and a thematic fit
//               (cluster organisations when the call admits them, which is how the EU's cluster
//               calls work) decide to lead, the more likely the larger, more excellent and better
//               known (reputation) they are, scaled so that the call draws about
//               expected_oversubscription times the proposals its budget can fund; each draws its
//               consortium's size from the size distribution fitted to Horizon 2020's "Innovation
//               in SMEs" consortia, truncated to the call's [min_partners, max_partners];
//   ranking     each lead ranks candidate partners of eligible kinds in other regions: its former
//               partners in funded partnerships (repeat consortia), a sample of cluster
//               organisations and, when the call admits other kinds, their members of those kinds;
//               scored by PartnerPreference plus consortium_repeat_bonus per past partnership
//               together (up to 3);
//   recruitment proposal/acceptance rounds: in each round every lead still short of partners
//               proposes to its next preferred candidates, and every candidate accepts the best
//               proposals up to its free capacity, ranked by (lead excellence, hashed priority,
//               lead index);
//   proposals   each consortium, with associated members drawn from each partner's membership.
// The order of work between threads never enters: preference lists are computed per lead into its
// own slot and every round is resolved after a sort on a total key.
#include <cstdint>
#include <vector>

#include "behaviour/behaviour_params.hpp"
#include "behaviour/state.hpp"
#include "core/random.hpp"
#include "policy/instrument.hpp"
#include "policy/proposal.hpp"
#include "world/world.hpp"

namespace clusternet {

// Applicants respond to the size of a call: the expected number of proposals is this multiple of the
// number of grants the call budget can pay (EU cluster calls see success rates of roughly 20-40%).
inline constexpr double expected_oversubscription = 3.0;
// However attractive the call, a cluster organisation decides to lead with at most this probability.
inline constexpr double max_lead_probability = 0.95;
// Candidate partners a lead considers, as a multiple of the maximum consortium size.
inline constexpr int candidates_per_partner_slot = 8;
// Members of eligible non-cluster kinds a lead considers per sampled cluster organisation.
inline constexpr int members_per_sampled_cluster = 2;
// Partnerships an organisation that is not a cluster organisation can be a partner in at once.
inline constexpr int non_cluster_partnership_capacity = 2;
inline constexpr int max_recruitment_rounds = 12;

// How a lead scores a candidate partner (the platform's partner search as a score). Judgements,
// not fitted values; their relative sizes say what matters most: a thematic match first, then size
// (size_factor, 0.5 at the mean membership), excellence and another country, and a little noise so
// that equally placed candidates are not always taken in the same order.
struct PartnerPreference {
  double same_focus = 1.0;      // the candidate's primary area is the lead's focus area
  double call_theme = 0.5;      // ... or another of the call's thematic targets
  double off_theme = 0.1;       // ... or neither
  double excellence = 0.5;      // times label / 3 (none 0, bronze 1/3, silver 2/3, gold 1)
  double other_country = 0.5;   // the candidate is in another country than the lead
  double less_developed = 0.3;  // times the call's cohesion weight, for a less developed region
  double reputation = 0.3;      // times log(1 + reputation): a track record of finished projects
  double noise = 0.3;           // times a uniform draw from the lead's recruitment stream
};
inline constexpr PartnerPreference partner_preference{};

// The proposals submitted to call `call` of `instrument` (index `index`), whose budget is
// `call_budget`; draws come from streams of `key`'s month.
std::vector<Proposal> form_consortia(const World& world, const InstrumentSpec& instrument, InstrumentIndex index,
                                     int call, const AgentState& state, const BehaviourParams& params,
                                     Cents call_budget, const RunKey& key);

// A consortium size (partners, lead included) from the funded-consortium size distribution
// (consortium_* behaviour parameters), redrawn until it lies in [min_size, max_size] (clamped after
// 32 draws, for a range the distribution hardly reaches).
int draw_consortium_size(RandomStream& stream, const BehaviourParams& params, int min_size, int max_size);

}  // namespace clusternet
