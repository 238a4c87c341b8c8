#pragma once
// Memberships of organisations in cluster organisations, drawn during world generation
// (generate.cpp): internal to sim/world. Rules in docs/world.md.
#include <vector>

#include "core/random.hpp"
#include "world/world.hpp"
#include "world/world_config.hpp"

namespace clusternet {

// Mean number of cluster memberships of an organisation of `kind` (Poisson mean; 0 for cluster
// organisations, which are not members of one another).
double membership_mean(OrgKind kind, const WorldConfig& config);

// Draws every organisation's memberships (attractiveness: by cluster ordinal; the organisations,
// their areas and the cluster organisations must be in place) and fills world.memberships both
// ways. Each organisation's memberships are a pure function of (key.seed, organisation).
void draw_memberships(World& world, const WorldConfig& config, const std::vector<double>& attractiveness,
                      const RunKey& key);

}  // namespace clusternet
