#pragma once
// Boschma's proximities between two organisations, each in [0, 1]. Shared by autonomous partner
// search and consortium recruitment so that both weigh partners the same way.
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
// Shared partners, saturating: min(shared / 3, 1). Linear in the two degrees (sorted lists).
double social_proximity(const AdjacencyView& adjacency, OrgIndex a, OrgIndex b);
// 1 when both are SMEs, or both are the same non-SME kind.
double institutional_proximity(const World& world, OrgIndex a, OrgIndex b);
// 1 when they share a cluster organisation (or one is a cluster the other belongs to).
double organisational_proximity(const World& world, OrgIndex a, OrgIndex b);

}  // namespace clusternet
