#pragma once
// Capacity building for cluster management: at each call's deadline cluster organisations below
// gold apply (the lower their label, the likelier), are ranked by need and funded in that order
// while the call's budget lasts; a funded grant is spent as management over the funded period, at
// whose end the organisation's excellence label and partnership capacity rise.
#include "behaviour/state.hpp"
#include "core/random.hpp"
#include "policy/instrument.hpp"
#include "world/world.hpp"

namespace clusternet {

// Probability that a cluster organisation applies to a capacity-building call: application_base
// minus application_drop per label step (none 0.30, bronze 0.22, silver 0.14; gold never applies).
inline constexpr double capacity_application_base = 0.3;
inline constexpr double capacity_application_drop = 0.08;

// One month of a capacity-building instrument (index `index`): awards at a call deadline, then
// management spending and the effects of grants ending this month.
void run_capacity_building(const World& world, const InstrumentSpec& instrument, InstrumentIndex index,
                           AgentState& state, const RunKey& key);

}  // namespace clusternet
