#pragma once
// Exchange schemes (ClusterXchange): while an exchange instrument runs (from its opening month for
// duration_months) and its budget lasts, a Poisson number of visits a month (mean
// visits_per_month), each a member of one cluster organisation visiting a member of a cluster
// organisation of another region, paid a lump sum, and each leaving a short-lived exchange tie.
#include <vector>

#include "behaviour/state.hpp"
#include "behaviour/tie_store.hpp"
#include "core/random.hpp"
#include "policy/instrument.hpp"
#include "world/world.hpp"

namespace clusternet {

// This month's visits of one exchange instrument (index `index`): commits and pays the lump sums on
// its ledger and appends a tie request per visit to `ties`, in visit order.
void run_exchange(const World& world, const InstrumentSpec& instrument, InstrumentIndex index, AgentState& state,
                  const RunKey& key, std::vector<TieRequest>& ties);

}  // namespace clusternet
