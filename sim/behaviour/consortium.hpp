#pragma once
// Consortium formation for a call at its deadline. Cluster organisations with free capacity and a
// thematic fit decide to lead; each lead ranks candidate partners (cluster organisations of other
// regions, preferring other countries, the call's themes, excellence and less developed regions),
// and partners are recruited in proposal/acceptance rounds: in each round every lead still short of
// partners proposes to its next preferred candidates, and every candidate accepts the best proposals
// up to its free capacity, ranked by (lead excellence, hashed priority, lead index). The order of
// work between threads never enters: preference lists are computed per lead into its own slot and
// every round is resolved after a sort on a total key.
#include <cstdint>
#include <vector>

#include "behaviour/state.hpp"
#include "policy/instrument.hpp"
#include "policy/proposal.hpp"
#include "world/world.hpp"

namespace clusternet {

// Applicants respond to the size of a call: the expected number of proposals is this multiple of the
// number of grants the call budget can pay (EU cluster calls see success rates of roughly 20-40%).
inline constexpr double expected_oversubscription = 3.0;
// Candidate partners a lead considers, as a multiple of the maximum consortium size.
inline constexpr int candidates_per_partner_slot = 8;
inline constexpr int max_recruitment_rounds = 12;

struct FormationKey {
  std::uint64_t seed = 0;
  std::uint32_t replicate = 0;
  Month month = 0;
  InstrumentIndex instrument = 0;
  int call = 0;
};

std::vector<Proposal> form_consortia(const World& world, const InstrumentSpec& instrument, const AgentState& state,
                                     Cents call_budget, const FormationKey& key);

// Entity id of an (instrument, organisation) pair in random-number keys.
inline std::uint64_t instrument_entity(InstrumentIndex instrument, std::uint64_t id) {
  return (std::uint64_t(instrument) << 40) | id;
}

}  // namespace clusternet
