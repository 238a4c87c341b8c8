#include "behaviour/state.hpp"

namespace clusternet {

AgentState AgentState::from_world(const World& world) {
  AgentState s;
  s.expertise = world.orgs.expertise;
  s.reputation = world.orgs.reputation;
  s.label = world.clusters.label;
  s.capacity = world.clusters.capacity;
  s.engaged.assign(world.cluster_orgs.size(), 0);
  s.ever_in_partnership.assign(world.cluster_orgs.size(), 0);
  s.org_engaged.assign(world.orgs.size(), 0);
  s.sme_supported.assign(world.orgs.size(), 0);
  s.sme_represented.assign(world.orgs.size(), 0);
  s.funding_by_region.assign(world.regions.size(), 0);
  return s;
}

}  // namespace clusternet
