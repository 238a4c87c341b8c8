#pragma once
// Boschma's proximities between two organisations, each in [0, 1]. Shared by autonomous partner
// search and consortium recruitment so that both weigh partners the same way.
#include <array>
#include <span>

#include "behaviour/behaviour_params.hpp"
#include "behaviour/state.hpp"
#include "world/world.hpp"

namespace clusternet {

// exp(-distance / decay), raised by the same-country bonus and renormalised to [0, 1].
double geographic_proximity(const World& world, const BehaviourParams& p, RegionIndex a, RegionIndex b);
// Cognitive distance in [0, 1] from the knowledge profiles: 1 - mean of the Jaccard similarity of
// capability sets and of the areas those capabilities belong to.
double cognitive_distance(const World& world, OrgIndex a, OrgIndex b);
// Inverted U: 1 at the optimal distance, falling as a Gaussian of the given tolerance.
double cognitive_proximity(const BehaviourParams& p, double distance);
// Shared partners, saturating: min(shared / 3, 1). At most linear in the two degrees (sorted lists);
// the count stops at three, and a much shorter row is searched in the longer.
double social_proximity(const AdjacencyView& adjacency, OrgIndex a, OrgIndex b);
// 1 when both are SMEs, or both are the same non-SME kind.
double institutional_proximity(const World& world, OrgIndex a, OrgIndex b);
// 1 when they share a cluster organisation (or one is a cluster the other belongs to).
double organisational_proximity(const World& world, OrgIndex a, OrgIndex b);

// What the proximities read about one organisation, gathered once when it is compared with several
// candidates (the searching organisation of a partner search): the overloads below take it in
// place of `a` and compute the same doubles as the pairwise functions.
struct ProximityOrigin {
  OrgIndex org = none<OrgIndex>;
  OrgKind kind{};
  RegionIndex region = none<RegionIndex>;
  std::span<const ClusterOrdinal> clusters;        // cluster organisations it belongs to (sorted)
  ClusterOrdinal cluster = none<ClusterOrdinal>;   // its own ordinal when it is a cluster organisation
  std::array<CapabilityIndex, knowledge_slots> capabilities{};  // the filled slots first
  int capability_count = 0;
  std::uint32_t areas = 0;                         // bit per area of its capabilities
  std::span<const OrgIndex> neighbours;            // empty when made without an adjacency
};
ProximityOrigin proximity_origin(const World& world, OrgIndex org, const AdjacencyView* adjacency = nullptr);
double cognitive_distance(const World& world, const ProximityOrigin& a, OrgIndex b);
double social_proximity(const AdjacencyView& adjacency, const ProximityOrigin& a, OrgIndex b);
double organisational_proximity(const World& world, const ProximityOrigin& a, OrgIndex b);

}  // namespace clusternet
