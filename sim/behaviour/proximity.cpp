#include "behaviour/proximity.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>

namespace clusternet {

double geographic_proximity(const World& world, const BehaviourParams& p, RegionIndex a, RegionIndex b) {
  const double decay = std::exp(-world.regions.distance(a, b) / p.distance_decay_km);
  const bool same_country = world.regions.regions[a].country == world.regions.regions[b].country;
  return decay * (same_country ? 1.0 + p.same_country_bonus : 1.0) / (1.0 + p.same_country_bonus);
}

double cognitive_distance(const World& world, OrgIndex a, OrgIndex b) {
  const auto* ca = world.orgs.capability.data() + std::size_t(a) * knowledge_slots;
  const auto* cb = world.orgs.capability.data() + std::size_t(b) * knowledge_slots;
  const int per_area = world.capabilities_per_area > 0 ? world.capabilities_per_area : 1;
  int size_a = 0, size_b = 0, shared = 0;
  std::uint32_t areas_a = 0, areas_b = 0;
  for (int i = 0; i < knowledge_slots; ++i) {
    if (ca[i] != none<CapabilityIndex>) {
      ++size_a;
      areas_a |= 1u << (ca[i] / per_area);
    }
    if (cb[i] != none<CapabilityIndex>) {
      ++size_b;
      areas_b |= 1u << (cb[i] / per_area);
    }
  }
  for (int i = 0; i < knowledge_slots; ++i) {
    if (ca[i] == none<CapabilityIndex>) continue;
    for (int j = 0; j < knowledge_slots; ++j)
      if (ca[i] == cb[j]) ++shared;
  }
  const int union_caps = size_a + size_b - shared;
  const double cap_similarity = union_caps > 0 ? double(shared) / union_caps : 0.0;
  const int union_areas = std::popcount(areas_a | areas_b);
  const double area_similarity = union_areas > 0 ? double(std::popcount(areas_a & areas_b)) / union_areas : 0.0;
  return 1.0 - 0.5 * (cap_similarity + area_similarity);
}

double cognitive_proximity(const BehaviourParams& p, double distance) {
  const double z = (distance - p.optimal_cognitive_distance) / p.cognitive_tolerance;
  return std::exp(-0.5 * z * z);
}

double social_proximity(const AdjacencyView& adjacency, OrgIndex a, OrgIndex b) {
  const auto na = adjacency.of(a);
  const auto nb = adjacency.of(b);
  std::size_t i = 0, j = 0, shared = 0;
  while (i < na.size() && j < nb.size()) {
    if (na[i] < nb[j]) ++i;
    else if (nb[j] < na[i]) ++j;
    else {
      ++shared;
      ++i;
      ++j;
    }
  }
  return std::min(1.0, double(shared) / 3.0);
}

double institutional_proximity(const World& world, OrgIndex a, OrgIndex b) {
  const OrgKind ka = world.orgs.kind[a], kb = world.orgs.kind[b];
  return (is_sme(ka) && is_sme(kb)) || ka == kb ? 1.0 : 0.0;
}

double organisational_proximity(const World& world, OrgIndex a, OrgIndex b) {
  const auto ca = world.memberships.clusters_of(a);
  const auto cb = world.memberships.clusters_of(b);
  std::size_t i = 0, j = 0;
  while (i < ca.size() && j < cb.size()) {
    if (ca[i] < cb[j]) ++i;
    else if (cb[j] < ca[i]) ++j;
    else return 1.0;
  }
  // One of them may be a cluster organisation the other belongs to (the ordinal lookup is a binary
  // search, so it is done only for cluster organisations).
  if (world.orgs.kind[a] == OrgKind::cluster && std::binary_search(cb.begin(), cb.end(), world.cluster_ordinal(a)))
    return 1.0;
  if (world.orgs.kind[b] == OrgKind::cluster && std::binary_search(ca.begin(), ca.end(), world.cluster_ordinal(b)))
    return 1.0;
  return 0.0;
}

}  // namespace clusternet
