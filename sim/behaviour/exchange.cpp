#include "behaviour/exchange.hpp"

#include <algorithm>

namespace clusternet {

namespace {

// Tries to pair a visitor and a host, members of cluster organisations of different regions, in a
// few attempts; false (nothing drawn that counts) when none is found, e.g. in a world of one region.
bool arrange_visit(const World& world, RandomStream& stream, OrgIndex& visitor, OrgIndex& host) {
  const std::size_t clusters = world.cluster_orgs.size();
  visitor = host = none<OrgIndex>;
  for (int attempt = 0; attempt < 8 && (visitor == none<OrgIndex> || host == none<OrgIndex>); ++attempt) {
    const auto c1 = static_cast<ClusterOrdinal>(uniform_index(stream, clusters));
    const auto c2 = static_cast<ClusterOrdinal>(uniform_index(stream, clusters));
    const auto m1 = world.memberships.members_of(c1);
    const auto m2 = world.memberships.members_of(c2);
    if (m1.empty() || m2.empty()) continue;
    if (world.orgs.region[world.cluster_orgs[c1]] == world.orgs.region[world.cluster_orgs[c2]]) continue;
    visitor = m1[uniform_index(stream, m1.size())];
    host = m2[uniform_index(stream, m2.size())];
    if (visitor == host) visitor = host = none<OrgIndex>;
  }
  return visitor != none<OrgIndex>;
}

}  // namespace

void run_exchange(const World& world, const InstrumentSpec& instrument, InstrumentIndex index, AgentState& state,
                  const RunKey& key, std::vector<TieRequest>& ties) {
  const CallCalendar& cal = instrument.calendar;
  const Month first = cal.open_month;
  const Month last = cal.open_month + std::max<Month>(instrument.duration_months, 1);
  if (key.month < first || key.month >= last || instrument.lump_sum_per_visit <= 0) return;
  if (world.cluster_orgs.size() < 2) return;
  Ledger& ledger = state.ledgers[index];
  RandomStream stream(key.stream(instrument_entity(index, 0), Purpose::exchange_visits));
  const auto visits = static_cast<std::uint64_t>(poisson(stream, instrument.visits_per_month));
  for (std::uint64_t v = 0; v < visits; ++v) {
    if (ledger.available_for_awards() < instrument.lump_sum_per_visit) break;
    OrgIndex visitor = none<OrgIndex>, host = none<OrgIndex>;
    if (!arrange_visit(world, stream, visitor, host)) continue;  // no visit arranged: nothing committed, nothing paid
    // Lump sums are direct support to the visiting member and count towards the SME cascade only
    // when the visitor is an SME; an instrument with a cascade share therefore funds SME visitors only.
    const bool visitor_is_sme = is_sme(world.orgs.kind[visitor]);
    if (!visitor_is_sme && instrument.sme_cascade_share > 0) continue;
    if (!ledger.commit_award(instrument.lump_sum_per_visit)) break;
    ledger.pay(instrument.lump_sum_per_visit, visitor_is_sme);
    ++state.totals[index].exchange_visits;
    if (visitor_is_sme && !state.sme_supported[visitor]) {
      state.sme_supported[visitor] = 1;
      ++state.smes_supported;
    }
    state.funding_by_region[world.orgs.region[visitor]] += instrument.lump_sum_per_visit;
    ties.push_back({visitor, host, TieOrigin::exchange, static_cast<std::int32_t>(index)});
    // A visit is a one-month collaboration: the visitor leads, the host is the partner.
    const OrgIndex members[] = {visitor, host};
    const MemberRole roles[] = {MemberRole::lead, MemberRole::partner};
    state.collaborations.add(TieOrigin::exchange, static_cast<std::int32_t>(index), key.month, key.month + 1, members, roles);
  }
}

}  // namespace clusternet
