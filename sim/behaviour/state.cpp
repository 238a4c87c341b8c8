#include "behaviour/state.hpp"

#include <algorithm>

namespace clusternet {

AgentState AgentState::from_world(const World& world) {
  AgentState s;
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

namespace {

std::array<float, knowledge_slots> world_expertise(const World& world, OrgIndex org) {
  std::array<float, knowledge_slots> levels{};
  const float* own = world.orgs.expertise.data() + std::size_t(org) * knowledge_slots;
  std::copy(own, own + knowledge_slots, levels.begin());
  return levels;
}

}  // namespace

std::array<float, knowledge_slots> AgentState::expertise_of(const World& world, OrgIndex org) const {
  if (const auto it = learned_expertise.find(org); it != learned_expertise.end()) return it->second;
  return world_expertise(world, org);
}

std::array<float, knowledge_slots>& AgentState::learned_expertise_of(const World& world, OrgIndex org) {
  const auto [it, inserted] = learned_expertise.try_emplace(org);
  if (inserted) it->second = world_expertise(world, org);
  return it->second;
}

}  // namespace clusternet
