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

ProximityOrigin proximity_origin(const World& world, OrgIndex org, const AdjacencyView* adjacency) {
  ProximityOrigin o;
  o.org = org;
  o.kind = world.orgs.kind[org];
  o.region = world.orgs.region[org];
  o.clusters = world.memberships.clusters_of(org);
  if (o.kind == OrgKind::cluster) o.cluster = world.cluster_ordinal(org);
  const int per_area = world.capabilities_per_area > 0 ? world.capabilities_per_area : 1;
  const auto* caps = world.orgs.capability.data() + std::size_t(org) * knowledge_slots;
  for (int i = 0; i < knowledge_slots; ++i) {
    if (caps[i] == none<CapabilityIndex>) continue;
    o.capabilities[std::size_t(o.capability_count++)] = caps[i];
    o.areas |= 1u << (caps[i] / per_area);
  }
  if (adjacency) o.neighbours = adjacency->of(org);
  return o;
}

double cognitive_distance(const World& world, const ProximityOrigin& a, OrgIndex b) {
  const auto* cb = world.orgs.capability.data() + std::size_t(b) * knowledge_slots;
  const int per_area = world.capabilities_per_area > 0 ? world.capabilities_per_area : 1;
  int size_b = 0, shared = 0;
  std::uint32_t areas_b = 0;
  for (int i = 0; i < knowledge_slots; ++i)
    if (cb[i] != none<CapabilityIndex>) {
      ++size_b;
      areas_b |= 1u << (cb[i] / per_area);
    }
  for (int i = 0; i < a.capability_count; ++i)
    for (int j = 0; j < knowledge_slots; ++j)
      if (a.capabilities[std::size_t(i)] == cb[j]) ++shared;
  const int union_caps = a.capability_count + size_b - shared;
  const double cap_similarity = union_caps > 0 ? double(shared) / union_caps : 0.0;
  const int union_areas = std::popcount(a.areas | areas_b);
  const double area_similarity = union_areas > 0 ? double(std::popcount(a.areas & areas_b)) / union_areas : 0.0;
  return 1.0 - 0.5 * (cap_similarity + area_similarity);
}

double cognitive_distance(const World& world, OrgIndex a, OrgIndex b) {
  return cognitive_distance(world, proximity_origin(world, a), b);
}

double cognitive_proximity(const BehaviourParams& p, double distance) {
  const double z = (distance - p.optimal_cognitive_distance) / p.cognitive_tolerance;
  return std::exp(-0.5 * z * z);
}

double social_proximity(const AdjacencyView& adjacency, const ProximityOrigin& a, OrgIndex b) {
  // Shared partners count up to three (the proximity saturates there), so the count stops at
  // three: on the simulated network, where partners of hubs meet hubs, the rows run to thousands
  // of entries. When one row is much the shorter, its entries are looked up in the longer one by
  // binary search instead of walking both. Either way the count is the same, so is the result.
  constexpr std::size_t saturated = 3;
  auto shorter = a.neighbours;
  auto longer = adjacency.of(b);
  if (shorter.size() > longer.size()) std::swap(shorter, longer);
  std::size_t shared = 0;
  if (shorter.size() * 16 < longer.size()) {
    auto from = longer.begin();
    for (const OrgIndex w : shorter) {
      from = std::lower_bound(from, longer.end(), w);
      if (from == longer.end()) break;
      if (*from == w && ++shared == saturated) break;
    }
  } else {
    std::size_t i = 0, j = 0;
    while (i < shorter.size() && j < longer.size()) {
      if (shorter[i] < longer[j]) {
        ++i;
      } else if (longer[j] < shorter[i]) {
        ++j;
      } else {
        if (++shared == saturated) break;
        ++i;
        ++j;
      }
    }
  }
  return std::min(1.0, double(shared) / double(saturated));
}

double social_proximity(const AdjacencyView& adjacency, OrgIndex a, OrgIndex b) {
  ProximityOrigin origin;
  origin.neighbours = adjacency.of(a);
  return social_proximity(adjacency, origin, b);
}

double institutional_proximity(const World& world, OrgIndex a, OrgIndex b) {
  const OrgKind ka = world.orgs.kind[a], kb = world.orgs.kind[b];
  return (is_sme(ka) && is_sme(kb)) || ka == kb ? 1.0 : 0.0;
}

double organisational_proximity(const World& world, const ProximityOrigin& a, OrgIndex b) {
  const auto ca = a.clusters;
  const auto cb = world.memberships.clusters_of(b);
  std::size_t i = 0, j = 0;
  while (i < ca.size() && j < cb.size()) {
    if (ca[i] < cb[j]) ++i;
    else if (cb[j] < ca[i]) ++j;
    else return 1.0;
  }
  // One of them may be a cluster organisation the other belongs to (the ordinal lookup is a binary
  // search, so it is done only for cluster organisations).
  if (a.kind == OrgKind::cluster && std::binary_search(cb.begin(), cb.end(), a.cluster)) return 1.0;
  if (world.orgs.kind[b] == OrgKind::cluster && std::binary_search(ca.begin(), ca.end(), world.cluster_ordinal(b)))
    return 1.0;
  return 0.0;
}

double organisational_proximity(const World& world, OrgIndex a, OrgIndex b) {
  return organisational_proximity(world, proximity_origin(world, a), b);
}

}  // namespace clusternet
