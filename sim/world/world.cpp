#include "world/world.hpp"

#include <algorithm>

namespace clusternet {

const std::array<std::string_view, thematic_area_count> thematic_area_names = {
    "Advanced manufacturing",
    "3D Printing",
    "Non-food biomass",
    "Sport",
    "Nano-Enabled Products",
    "Hydrogen Valleys",
    "Digitalisation & Safety for Tourism",
    "Personalised medicine",
    "Social Economy",
    "Mining Industry",
    "European Cyber Valleys",
    "Artificial intelligence & Human machine",
    "Chemicals",
    "Advanced materials on batteries",
    "SMEs to Industry 4.0",
    "Textile Innovation",
    "Water Smart Technologies",
    "Medical Technology",
    "Efficient & Sustainable Manufacturing",
    "Photonics",
    "Safe & sustainable mobility"};

ClusterOrdinal World::cluster_ordinal(OrgIndex org) const {
  auto it = std::lower_bound(cluster_orgs.begin(), cluster_orgs.end(), org);
  if (it == cluster_orgs.end() || *it != org) return none<ClusterOrdinal>;
  return static_cast<ClusterOrdinal>(it - cluster_orgs.begin());
}

std::size_t World::memory_bytes() const {
  auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  std::size_t total = bytes(orgs.kind) + bytes(orgs.region) + bytes(orgs.primary_area) + bytes(orgs.secondary_areas) +
                      bytes(orgs.employees) + bytes(orgs.capability) + bytes(orgs.expertise) +
                      bytes(orgs.absorptive_capacity) + bytes(orgs.reputation) + bytes(cluster_orgs) +
                      bytes(clusters.label) + bytes(clusters.capacity) + bytes(memberships.member_offsets) +
                      bytes(memberships.members) + bytes(memberships.cluster_offsets) + bytes(memberships.clusters) +
                      bytes(region_kind_offsets) + bytes(regions.distance_km);
  for (const auto& r : regions.regions) total += sizeof(Region) + bytes(r.s3_priorities);
  return total;
}

}  // namespace clusternet
