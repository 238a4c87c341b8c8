#pragma once
// Funded partnerships come into being here: a consortium call's funded proposals, and the single-
// organisation grants of capacity building. A partnership starts at its call's start month and
// runs duration_months (at least one); execution (execution.hpp) takes over from its start.
#include <span>

#include "behaviour/state.hpp"
#include "policy/instrument.hpp"
#include "policy/proposal.hpp"
#include "world/world.hpp"

namespace clusternet {

// A partnership awarded under call `call` of `instrument` (index `index` in the scenario) to
// `lead`, with `grant`: its id is its position in state.partnerships, which it does not join yet.
Partnership awarded_partnership(const AgentState& state, const InstrumentSpec& instrument, InstrumentIndex index,
                                int call, OrgIndex lead, Cents grant);

// Turns the funded proposals of a consortium call into partnerships, in proposal order (their
// partners and associates are moved out of the proposals). Each partner cluster organisation is
// engaged for the partnership's life; the member SMEs of a cluster organisation funded for the first
// time count as represented (the programme's published "SMEs represented"); each partner's region is
// credited an equal share of the grant.
void create_partnerships(const World& world, const InstrumentSpec& instrument, int call,
                         std::span<Proposal> proposals, AgentState& state);

}  // namespace clusternet
