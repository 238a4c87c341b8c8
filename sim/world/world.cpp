#include "world/world.hpp"

#include <algorithm>

namespace clusternet {

// The 21 thematic areas of the S3 platform for industrial modernisation, in the order of
// eu_cluster_programme_facts.yaml (source S2 there): the area id is the position, so never reorder.
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
    "Safe & sustainable mobility",
};

ClusterOrdinal World::cluster_ordinal(OrgIndex org) const {
  // cluster_orgs is ascending, so a binary search; O(log clusters) with no per-organisation array.
  auto it = std::lower_bound(cluster_orgs.begin(), cluster_orgs.end(), org);
  if (it == cluster_orgs.end() || *it != org) return none<ClusterOrdinal>;
  return ClusterOrdinal(it - cluster_orgs.begin());
}

namespace {
template <typename T>
std::size_t bytes_of(const std::vector<T>& v) {
  return v.capacity() * sizeof(T);
}
std::size_t bytes_of(const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; }
}  // namespace

std::size_t World::memory_bytes() const {
  std::size_t bytes = sizeof(World);
  bytes += bytes_of(regions.regions) + bytes_of(regions.countries) + bytes_of(regions.distance_km) +
           bytes_of(regions.imputation_notes);
  for (const auto& r : regions.regions)
    bytes += bytes_of(r.code) + bytes_of(r.name) + bytes_of(r.country_code) + bytes_of(r.s3_priorities);
  for (const auto& c : regions.countries) bytes += bytes_of(c);
  for (const auto& n : regions.imputation_notes) bytes += bytes_of(n);
  bytes += bytes_of(orgs.kind) + bytes_of(orgs.region) + bytes_of(orgs.primary_area) + bytes_of(orgs.secondary_areas) +
           bytes_of(orgs.employees) + bytes_of(orgs.capability) + bytes_of(orgs.expertise) +
           bytes_of(orgs.absorptive_capacity) + bytes_of(orgs.reputation);
  bytes += bytes_of(cluster_orgs) + bytes_of(clusters.label) + bytes_of(clusters.capacity);
  bytes += bytes_of(memberships.member_offsets) + bytes_of(memberships.members) +
           bytes_of(memberships.cluster_offsets) + bytes_of(memberships.clusters);
  bytes += bytes_of(region_kind_offsets);
  return bytes;
}

}  // namespace clusternet
