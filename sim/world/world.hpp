#pragma once
// The world: regions, organisations (struct of arrays), memberships (CSR both ways).
//
// Layout decisions (they are relied on by behaviour and engine):
//  - Organisations are sorted by (region, kind), so the organisations of one region and kind are a
//    contiguous index range: `orgs_of(region, kind)`. A proximity-weighted draw picks a region, then
//    a kind, then a uniform index in the range: cost independent of the population.
//  - Knowledge profiles are fixed-capacity: `knowledge_slots` capabilities per organisation stored
//    flat ([org * knowledge_slots + slot]); an empty slot holds `none<CapabilityIndex>`.
//  - Cluster-organisation attributes live in arrays indexed by cluster ordinal (position in
//    `cluster_orgs`), not per organisation.
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "world/organisation_kind.hpp"

namespace clusternet {

using CapabilityIndex = std::uint16_t;  // area * capabilities_per_area + k
using ClusterOrdinal = std::uint32_t;   // position of a cluster organisation in World::cluster_orgs

inline constexpr int knowledge_slots = 4;

extern const std::array<std::string_view, thematic_area_count> thematic_area_names;

struct Region {
  std::string code;          // NUTS-2 code
  std::string name;
  std::string country_code;  // ISO 3166 alpha-2 as used by Eurostat (EL for Greece)
  CountryIndex country = 0;
  double lon = 0, lat = 0;   // degrees
  double population = 0;
  double gdp_index = 0;      // GDP per head in PPS, % of EU27 (2015-17 mean)
  bool gdp_imputed = false;
  CohesionCategory category = CohesionCategory::transition;
  double rd_intensity = 0;   // GERD, % of GDP
  bool rd_imputed = false;
  std::vector<AreaIndex> s3_priorities;  // 3..6 areas, ascending
};

struct RegionTable {
  std::vector<Region> regions;
  std::vector<std::string> countries;        // country code by CountryIndex
  std::vector<double> distance_km;           // great-circle, [a * size + b]
  std::vector<std::string> imputation_notes; // one line per imputed value, for logs and results

  std::size_t size() const { return regions.size(); }
  double distance(RegionIndex a, RegionIndex b) const { return distance_km[std::size_t(a) * size() + b]; }
};

struct Organisations {
  std::vector<OrgKind> kind;
  std::vector<RegionIndex> region;
  std::vector<AreaIndex> primary_area;
  std::vector<std::uint32_t> secondary_areas;  // bit set over the 21 areas (primary not included)
  std::vector<std::uint32_t> employees;
  std::vector<CapabilityIndex> capability;     // [org * knowledge_slots + slot]
  std::vector<float> expertise;                // [org * knowledge_slots + slot], 1..10
  std::vector<float> absorptive_capacity;      // 0..1
  std::vector<float> reputation;               // >= 0, grows with funded work

  std::size_t size() const { return kind.size(); }
};

struct ClusterAttributes {
  std::vector<ExcellenceLabel> label;          // by cluster ordinal
  std::vector<std::uint8_t> capacity;          // partnerships at once, by cluster ordinal
};

// CSR: members of cluster c are members[member_offsets[c] .. member_offsets[c+1]), ascending;
// clusters of organisation o are clusters[cluster_offsets[o] .. cluster_offsets[o+1]), ascending.
struct Memberships {
  std::vector<std::uint64_t> member_offsets;   // size clusters + 1
  std::vector<OrgIndex> members;
  // 32-bit: 4 bytes per organisation, 120 MB at scale 250 (draw_memberships refuses a world whose
  // memberships would not fit, which validated scenarios are far from: 16 at most per organisation).
  std::vector<std::uint32_t> cluster_offsets;  // size organisations + 1
  std::vector<ClusterOrdinal> clusters;

  std::span<const OrgIndex> members_of(ClusterOrdinal c) const {
    return {members.data() + member_offsets[c], members.data() + member_offsets[c + 1]};
  }
  std::span<const ClusterOrdinal> clusters_of(OrgIndex o) const {
    return {clusters.data() + cluster_offsets[o], clusters.data() + cluster_offsets[o + 1]};
  }
};

struct World {
  RegionTable regions;
  Organisations orgs;
  std::vector<OrgIndex> cluster_orgs;          // organisation index of each cluster org, ascending
  ClusterAttributes clusters;
  Memberships memberships;
  // [region * org_kind_count + kind] .. [.. + 1]: the organisations of a region and kind.
  std::vector<OrgIndex> region_kind_offsets;   // size regions * org_kind_count + 1
  int capabilities_per_area = 10;

  std::span<const OrgIndex> cluster_list() const { return cluster_orgs; }
  std::pair<OrgIndex, OrgIndex> orgs_of(RegionIndex region, OrgKind kind) const {
    const std::size_t slot = std::size_t(region) * org_kind_count + std::size_t(kind);
    return {region_kind_offsets[slot], region_kind_offsets[slot + 1]};
  }
  // Ordinal of a cluster organisation, or none<ClusterOrdinal> if `org` is not one.
  ClusterOrdinal cluster_ordinal(OrgIndex org) const;
  // Bytes held by the world's arrays (capacity, not size).
  std::size_t memory_bytes() const;
};

}  // namespace clusternet
