#include "behaviour/partnership.hpp"

#include <algorithm>
#include <utility>

#include "policy/calls.hpp"

namespace clusternet {

Partnership awarded_partnership(const AgentState& state, const InstrumentSpec& instrument, InstrumentIndex index,
                                int call, OrgIndex lead, Cents grant) {
  Partnership p;
  p.id = static_cast<std::uint32_t>(state.partnerships.size());
  p.instrument = index;
  p.lead = lead;
  p.start = call_start_month(instrument.calendar, call);
  p.end = p.start + std::max<Month>(1, instrument.duration_months);
  p.grant = grant;
  return p;
}

namespace {

// A cluster organisation joins a funded partnership: it is engaged for the partnership's life, and
// the first time it is funded at all, its member SMEs become represented.
void engage(const World& world, ClusterOrdinal c, AgentState& state) {
  ++state.engaged[c];
  if (state.ever_in_partnership[c]) return;
  state.ever_in_partnership[c] = 1;
  for (OrgIndex member : world.memberships.members_of(c))
    if (is_sme(world.orgs.kind[member]) && !state.sme_represented[member]) {
      state.sme_represented[member] = 1;
      ++state.smes_represented;
    }
}

}  // namespace

void create_partnerships(const World& world, const InstrumentSpec& instrument, int call,
                         std::span<Proposal> proposals, AgentState& state) {
  for (Proposal& proposal : proposals) {
    if (!proposal.funded) continue;
    Partnership p = awarded_partnership(state, instrument, proposal.instrument, call, proposal.lead, proposal.grant);
    p.partners = std::move(proposal.partners);
    p.associates = std::move(proposal.associates);
    p.partner_participating.assign(p.partners.size(), 0);
    p.focus_area = proposal.focus_area;
    const Cents share = p.grant / static_cast<Cents>(p.partners.size());
    for (OrgIndex partner : p.partners) {
      const ClusterOrdinal c = world.cluster_ordinal(partner);
      if (c != none<ClusterOrdinal>) engage(world, c, state);
      else if (state.org_engaged[partner] < UINT8_MAX) ++state.org_engaged[partner];
      state.funding_by_region[world.orgs.region[partner]] += share;
    }
    // Every member with its role, for /collaborations and the participation facts.
    std::vector<OrgIndex> members = p.partners;
    std::vector<MemberRole> roles(p.partners.size(), MemberRole::partner);
    roles[0] = MemberRole::lead;
    members.insert(members.end(), p.associates.begin(), p.associates.end());
    roles.resize(members.size(), MemberRole::associated);
    p.collaboration = state.collaborations.add(TieOrigin::partnership, static_cast<std::int32_t>(p.instrument), p.start,
                                               p.end, members, roles);
    state.partnerships.push_back(std::move(p));
  }
}

}  // namespace clusternet
