#pragma once
// Execution of funded partnerships, each month: partnerships cascade their SME share as vouchers to
// SMEs (drawn from the partners' member SMEs and, by cross-regional outreach, from SMEs of partner
// regions); each supported SME forms a value-chain tie with an organisation of another partner
// region and a tie with a research organisation; knowledge moves along those ties (learning) and
// combining distant capabilities can yield an innovation, which adds jobs. The rest of the grant
// pays cluster management, never faster than the cascade share allows. Milestones decide
// continuation funding. (Exchange schemes: exchange.hpp; capacity building: capacity_building.hpp.)
//
// Determinism: every partnership plans its month in parallel from its own streams into its own
// buffer; the plans are applied (state, ledger, ties) in one serial pass in partnership order.
#include <cstdint>
#include <vector>

#include "behaviour/behaviour_params.hpp"
#include "behaviour/state.hpp"
#include "behaviour/tie_store.hpp"
#include "core/random.hpp"
#include "policy/instrument.hpp"
#include "world/world.hpp"

namespace clusternet {

// Share of vouchers that go to SMEs of partner regions outside the partners' membership.
inline constexpr double cross_regional_outreach_share = 0.3;
// A partnership behind its voucher plan approaches up to this many times its usual number of SMEs
// a month (execution.cpp, plan_month): intermediaries advertise their cascade calls harder, but
// their reach is finite. An assumption; it bounds the work of a month too.
inline constexpr double outreach_catch_up_limit = 5.0;

// Starts consortium partnerships whose start month has come, pays this month's vouchers and
// management, decides continuations at milestones and completes partnerships at their end. Ties to
// form are appended to `ties` in a deterministic order.
void execute_partnerships(const World& world, const std::vector<InstrumentSpec>& instruments,
                          const BehaviourParams& params, AgentState& state, const RunKey& key,
                          std::vector<TieRequest>& ties);

}  // namespace clusternet
