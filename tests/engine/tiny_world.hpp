#pragma once
// A small hand-built world for process tests: known regions, countries and organisations, so that
// expected outcomes can be worked out by hand. Independent of world generation on purpose.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "core/random.hpp"
#include "core/units.hpp"
#include "world/regions.hpp"
#include "world/world.hpp"

namespace clusternet::testing {

struct TinyRegion {
  std::string code, country;
  double lon, lat;
  CohesionCategory category;
};

// `per_region[kind]` organisations of each kind in every region; cluster members are the
// organisations of the cluster's region (every member in one cluster of its region, round robin).
inline World make_tiny_world(const std::vector<TinyRegion>& regions, std::array<int, org_kind_count> per_region,
                             std::uint64_t seed = 5) {
  World w;
  std::vector<std::string> countries;
  for (const auto& r : regions)
    if (std::find(countries.begin(), countries.end(), r.country) == countries.end()) countries.push_back(r.country);
  for (std::size_t i = 0; i < regions.size(); ++i) {
    Region reg;
    reg.code = regions[i].code;
    reg.name = regions[i].code;
    reg.country_code = regions[i].country;
    reg.country = static_cast<CountryIndex>(std::find(countries.begin(), countries.end(), regions[i].country) - countries.begin());
    reg.lon = regions[i].lon;
    reg.lat = regions[i].lat;
    reg.population = 1e6;
    reg.gdp_index = regions[i].category == CohesionCategory::less_developed ? 60 : 110;
    reg.category = regions[i].category;
    reg.rd_intensity = 2.0;
    reg.s3_priorities = {static_cast<AreaIndex>(i % 21), static_cast<AreaIndex>((i + 1) % 21), static_cast<AreaIndex>((i + 5) % 21)};
    w.regions.regions.push_back(reg);
  }
  w.regions.countries = countries;
  const std::size_t n_regions = regions.size();
  w.regions.distance_km.resize(n_regions * n_regions);
  for (std::size_t a = 0; a < n_regions; ++a)
    for (std::size_t b = 0; b < n_regions; ++b) {
      const auto& ra = w.regions.regions[a];
      const auto& rb = w.regions.regions[b];
      w.regions.distance_km[a * n_regions + b] = great_circle_km(ra.lon, ra.lat, rb.lon, rb.lat);
    }
  w.capabilities_per_area = 10;
  w.region_kind_offsets.push_back(0);
  for (std::size_t r = 0; r < n_regions; ++r) {
    for (int k = 0; k < org_kind_count; ++k) {
      for (int i = 0; i < per_region[k]; ++i) {
        const auto org = static_cast<OrgIndex>(w.orgs.kind.size());
        RandomStream s({seed, 0, 0, org, Purpose::org_profile});
        w.orgs.kind.push_back(static_cast<OrgKind>(k));
        w.orgs.region.push_back(static_cast<RegionIndex>(r));
        const auto area = static_cast<AreaIndex>(uniform_index(s, 6));  // a few shared areas
        w.orgs.primary_area.push_back(area);
        w.orgs.secondary_areas.push_back(1u << ((area + 1) % 21));
        w.orgs.employees.push_back(k <= 2 ? 5u * (k + 1) : 300u);
        for (int slot = 0; slot < knowledge_slots; ++slot) {
          const auto slot_area = slot < 3 ? area : static_cast<AreaIndex>((area + 1) % 21);
          w.orgs.capability.push_back(static_cast<CapabilityIndex>(slot_area * 10 + uniform_index(s, 10)));
          w.orgs.expertise.push_back(static_cast<float>(1 + uniform_index(s, 9)));
        }
        w.orgs.absorptive_capacity.push_back(0.5f);
        w.orgs.reputation.push_back(k == 4 ? 2.0f : 0.5f);
        if (static_cast<OrgKind>(k) == OrgKind::cluster) {
          w.cluster_orgs.push_back(org);
          w.clusters.label.push_back(static_cast<ExcellenceLabel>(w.cluster_orgs.size() % 4));
          w.clusters.capacity.push_back(2);
        }
      }
      w.region_kind_offsets.push_back(static_cast<OrgIndex>(w.orgs.kind.size()));
    }
  }
  // Memberships: each non-cluster organisation joins one cluster of its region (round robin).
  const std::size_t n = w.orgs.kind.size();
  std::vector<std::vector<OrgIndex>> members(w.cluster_orgs.size());
  std::vector<std::vector<ClusterOrdinal>> clusters_of(n);
  for (std::size_t r = 0; r < n_regions; ++r) {
    std::vector<ClusterOrdinal> local;
    for (ClusterOrdinal c = 0; c < w.cluster_orgs.size(); ++c)
      if (w.orgs.region[w.cluster_orgs[c]] == r) local.push_back(c);
    if (local.empty()) continue;
    std::size_t next = 0;
    for (OrgIndex o = w.region_kind_offsets[r * org_kind_count]; o < w.region_kind_offsets[(r + 1) * org_kind_count]; ++o) {
      if (w.orgs.kind[o] == OrgKind::cluster) continue;
      const ClusterOrdinal c = local[next++ % local.size()];
      members[c].push_back(o);
      clusters_of[o].push_back(c);
    }
  }
  w.memberships.member_offsets.push_back(0);
  for (auto& m : members) {
    w.memberships.members.insert(w.memberships.members.end(), m.begin(), m.end());
    w.memberships.member_offsets.push_back(w.memberships.members.size());
  }
  w.memberships.cluster_offsets.push_back(0);
  for (auto& c : clusters_of) {
    w.memberships.clusters.insert(w.memberships.clusters.end(), c.begin(), c.end());
    w.memberships.cluster_offsets.push_back(static_cast<std::uint32_t>(w.memberships.clusters.size()));
  }
  return w;
}

// Six regions in three countries, two of them less developed.
inline std::vector<TinyRegion> six_regions() {
  return {{"AA01", "AA", 10.0, 50.0, CohesionCategory::more_developed},
          {"AA02", "AA", 11.0, 50.5, CohesionCategory::transition},
          {"BB01", "BB", 14.0, 48.0, CohesionCategory::more_developed},
          {"BB02", "BB", 15.0, 47.0, CohesionCategory::less_developed},
          {"CC01", "CC", 20.0, 45.0, CohesionCategory::less_developed},
          {"CC02", "CC", 21.0, 44.0, CohesionCategory::transition}};
}

}  // namespace clusternet::testing
