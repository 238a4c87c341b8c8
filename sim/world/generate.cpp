#include "world/generate.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "world/regions.hpp"

namespace clusternet {

namespace {

// Placement draws are grouped in fixed blocks; each block's region histogram is summed, so the
// (region, kind) counts are a multinomial sample independent of the thread count.
constexpr std::uint64_t placement_block = 1u << 16;
// Organisations per block of the membership counting sort: a histogram of every cluster per block
// is kept, so larger blocks mean less memory (blocks x clusters x 8 bytes) but less parallelism.
constexpr std::size_t membership_block = std::size_t{1} << 20;
// Organisations per block of membership drawing (each block fills its own buffer).
constexpr std::size_t membership_draw_block = std::size_t{1} << 15;
// Grain of the per-organisation loops: big enough that a task's overhead is noise.
constexpr std::size_t org_grain = 8192;
// An organisation joins at most this many cluster organisations (Poisson draws above it are
// capped): keeps the per-organisation scratch on the stack. P(Poisson(2) > 16) is about 1e-10.
constexpr int max_memberships = 16;

// Symmetric triangular on [mean - half_width, mean + half_width]: the sum of two uniforms. Bounded
// and without log/cos, where a normal would cost a third of the profile time at scale 250.
double triangular(RandomStream& stream, double mean, double half_width) {
  const double u = uniform01(stream) + uniform01(stream);
  return mean + half_width * (u - 1.0);
}

[[noreturn]] void invalid(const std::string& key, double found, const std::string& valid) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%g", found);
  throw Error(ErrorInfo{"invalid world setting", {}, "world." + key, buffer, valid});
}

void require_range(const std::string& key, double value, double low, double high, const std::string& valid) {
  if (!std::isfinite(value) || value < low || value > high) invalid(key, value, valid);
}

// Per-kind tables. Index by OrgKind. Values are modelling assumptions (docs/world.md).
struct KindProfile {
  std::uint32_t employees_min, employees_max;  // truncated Zipf (Pareto alpha 1) between these
  int knowledge_filled;                        // capabilities held, of knowledge_slots
  double expertise_mean;                       // triangular(mean - 3, mean + 3), clamped to 1..10
  double absorptive_mean;                      // triangular(mean - 0.2, mean + 0.2), clamped to 0..1
  double reputation_mean;                      // exponential
  int secondary_min, secondary_max;            // number of secondary areas
};
constexpr std::array<KindProfile, org_kind_count> kind_profiles = {{
    {1, 9, 2, 3.0, 0.25, 0.05, 0, 1},          // sme_micro: Eurostat micro class 1-9
    {10, 49, 3, 4.0, 0.40, 0.10, 0, 1},        // sme_small: 10-49
    {50, 249, 3, 5.0, 0.50, 0.20, 0, 2},       // sme_medium: 50-249
    {250, 300000, 4, 6.0, 0.65, 0.50, 1, 3},   // large_firm: 250+, capped near the largest EU employers
    {10, 20000, 4, 7.0, 0.80, 1.00, 1, 3},     // research: a lab to a large university
    {2, 50, 3, 4.0, 0.50, 0.30, 1, 3},         // cluster: a cluster management team
}};

// Inverse CDF of a Pareto(alpha = 1) truncated to [low, high + 1): firm sizes follow Zipf's law
// (Axtell 2001), so within a size class small firms are the most common.
std::uint32_t draw_employees(RandomStream& stream, const KindProfile& profile) {
  const double low = profile.employees_min, high = double(profile.employees_max) + 1.0;
  const double u = uniform01(stream);
  const double x = 1.0 / (1.0 / low - u * (1.0 / low - 1.0 / high));
  return std::clamp(static_cast<std::uint32_t>(x), profile.employees_min, profile.employees_max);
}

double placement_weight(const Region& region, const WorldConfig& config, double rd_exponent) {
  // The R&D floor keeps a region with a (near) zero GERD placeable when the exponent is positive.
  const double rd = std::max(region.rd_intensity, 0.05);
  return std::pow(region.population, config.placement_population_exponent) *
         std::pow(region.gdp_index / 100.0, config.placement_gdp_exponent) * std::pow(rd, rd_exponent);
}

double rd_exponent_of(OrgKind kind, const WorldConfig& config) {
  if (kind == OrgKind::research) return config.placement_rd_exponent_research;
  if (kind == OrgKind::cluster) return config.placement_rd_exponent_clusters;
  return config.placement_rd_exponent_firms;
}

double membership_mean(OrgKind kind, const WorldConfig& config) {
  if (is_sme(kind)) return config.memberships_per_sme;
  if (kind == OrgKind::large_firm) return config.memberships_per_large_firm;
  if (kind == OrgKind::research) return config.memberships_per_research_org;
  return 0.0;  // cluster organisations are not members of one another
}

// Clusters drawable for a membership: the cluster ordinals with one primary area (or all of them),
// ascending, hence grouped by region; a prefix sum of their attractiveness; where each region's
// group starts. A draw inside or outside a region is one binary search (see draw below).
struct ClusterPool {
  std::vector<ClusterOrdinal> ordinals;
  std::vector<double> prefix;             // size ordinals + 1, prefix[0] = 0
  std::vector<std::uint32_t> region_start;  // size regions + 1

  std::uint32_t locate(double target, std::size_t low, std::size_t high) const {
    // First i in [low, high) with prefix[i + 1] > target; clamped because rounding may put the target
    // on the upper edge.
    auto it = std::upper_bound(prefix.begin() + std::ptrdiff_t(low) + 1, prefix.begin() + std::ptrdiff_t(high) + 1,
                               target);
    std::size_t i = std::size_t(it - prefix.begin()) - 1;
    return std::uint32_t(std::min(i, high - 1));
  }

  // A cluster of region `region` (inside) or of any other region (outside), with probability
  // proportional to attractiveness; none<ClusterOrdinal> when there is no such cluster.
  ClusterOrdinal draw(RandomStream& stream, RegionIndex region, bool inside) const {
    const double u = uniform01(stream);  // drawn first and always, so the stream stays aligned
    const std::size_t low = region_start[region], high = region_start[std::size_t(region) + 1];
    const std::size_t n = ordinals.size();
    const double own = prefix[high] - prefix[low];
    if (inside) {
      if (high == low || !(own > 0)) return none<ClusterOrdinal>;
      return ordinals[locate(prefix[low] + u * own, low, high)];
    }
    const double rest = prefix[n] - own;
    if (n - (high - low) == 0 || !(rest > 0)) return none<ClusterOrdinal>;
    double target = u * rest;
    // Skip over the region's own block: the outside draw is exact, not by rejection.
    if (target >= prefix[low]) target += own;
    std::uint32_t i = locate(target, 0, n);
    if (i >= low && i < high) i = std::uint32_t(high < n ? high : low - 1);  // rounding at a block edge
    return ordinals[i];
  }
};

}  // namespace

void validate_world_config(const WorldConfig& c) {
  require_range("scale", c.scale, 1e-9, 1e6, "a positive number (250 is the whole EU SME population)");
  require_range("smes", c.smes, 0, 1e9, "a count >= 0");
  require_range("large_firms", c.large_firms, 0, 1e9, "a count >= 0");
  require_range("research_orgs", c.research_orgs, 0, 1e9, "a count >= 0");
  require_range("cluster_orgs", c.cluster_orgs, 0, 1e9, "a count >= 0");
  require_range("sme_micro_share", c.sme_micro_share, 0, 1, "a share 0..1");
  require_range("sme_small_share", c.sme_small_share, 0, 1, "a share 0..1");
  require_range("sme_medium_share", c.sme_medium_share, 0, 1, "a share 0..1");
  const double shares = c.sme_micro_share + c.sme_small_share + c.sme_medium_share;
  if (std::abs(shares - 1.0) > 1e-6) invalid("sme_*_share (sum)", shares, "micro + small + medium shares summing to 1");
  require_range("placement_population_exponent", c.placement_population_exponent, -10, 10, "an exponent -10..10");
  require_range("placement_gdp_exponent", c.placement_gdp_exponent, -10, 10, "an exponent -10..10");
  require_range("placement_rd_exponent_firms", c.placement_rd_exponent_firms, -10, 10, "an exponent -10..10");
  require_range("placement_rd_exponent_research", c.placement_rd_exponent_research, -10, 10, "an exponent -10..10");
  require_range("placement_rd_exponent_clusters", c.placement_rd_exponent_clusters, -10, 10, "an exponent -10..10");
  if (c.s3_min_priorities < 1 || c.s3_min_priorities > thematic_area_count)
    invalid("s3_min_priorities", c.s3_min_priorities, "1..21");
  if (c.s3_max_priorities < c.s3_min_priorities || c.s3_max_priorities > thematic_area_count)
    invalid("s3_max_priorities", c.s3_max_priorities, "s3_min_priorities..21");
  require_range("cluster_s3_alignment", c.cluster_s3_alignment, 0, 1, "a probability 0..1");
  require_range("org_s3_alignment", c.org_s3_alignment, 0, 1, "a probability 0..1");
  if (c.capabilities_per_area < 1 || c.capabilities_per_area * thematic_area_count >= none<CapabilityIndex>)
    invalid("capabilities_per_area", c.capabilities_per_area, "1..3120 (21 areas x capabilities fit 16 bits)");
  require_range("memberships_per_sme", c.memberships_per_sme, 0, 10, "a mean 0..10");
  require_range("memberships_per_large_firm", c.memberships_per_large_firm, 0, 10, "a mean 0..10");
  require_range("memberships_per_research_org", c.memberships_per_research_org, 0, 10, "a mean 0..10");
  require_range("membership_own_region_share", c.membership_own_region_share, 0, 1, "a share 0..1");
  require_range("membership_same_area_share", c.membership_same_area_share, 0, 1, "a share 0..1");
  require_range("cluster_size_pareto_alpha", c.cluster_size_pareto_alpha, 0.1, 100, "a tail exponent 0.1..100");
  require_range("label_bronze_share", c.label_bronze_share, 0, 1, "a share 0..1");
  require_range("label_silver_share", c.label_silver_share, 0, 1, "a share 0..1");
  require_range("label_gold_share", c.label_gold_share, 0, 1, "a share 0..1");
  const double labels = c.label_bronze_share + c.label_silver_share + c.label_gold_share;
  if (labels > 1.0 + 1e-9) invalid("label_*_share (sum)", labels, "bronze + silver + gold shares at most 1");
  if (c.cluster_partnership_capacity < 0 || c.cluster_partnership_capacity > 254)
    invalid("cluster_partnership_capacity", c.cluster_partnership_capacity, "0..254 (gold adds 1)");
  std::uint64_t total = 0;
  const double counts[] = {c.smes, c.large_firms, c.research_orgs, c.cluster_orgs};
  for (double count : counts) total += static_cast<std::uint64_t>(std::llround(count * c.scale));
  if (total >= none<OrgIndex>)
    invalid("scale", c.scale, "a scale giving fewer than 2^32 - 1 organisations in all");
}

std::array<std::uint64_t, org_kind_count> organisation_counts(const WorldConfig& config) {
  validate_world_config(config);
  auto scaled = [&](double count) { return static_cast<std::uint64_t>(std::llround(count * config.scale)); };
  std::array<std::uint64_t, org_kind_count> counts{};
  const std::uint64_t smes = scaled(config.smes);
  const auto micro = static_cast<std::uint64_t>(std::llround(double(smes) * config.sme_micro_share));
  const auto small = std::min(smes - std::min(micro, smes),
                              static_cast<std::uint64_t>(std::llround(double(smes) * config.sme_small_share)));
  counts[std::size_t(OrgKind::sme_micro)] = std::min(micro, smes);
  counts[std::size_t(OrgKind::sme_small)] = small;
  counts[std::size_t(OrgKind::sme_medium)] = smes - std::min(micro, smes) - small;
  counts[std::size_t(OrgKind::large_firm)] = scaled(config.large_firms);
  counts[std::size_t(OrgKind::research)] = scaled(config.research_orgs);
  counts[std::size_t(OrgKind::cluster)] = scaled(config.cluster_orgs);
  return counts;
}

World build_world(const WorldConfig& config, std::uint64_t seed) {
  return build_world(config, load_region_table(config), seed);
}

World build_world(const WorldConfig& config, const RegionTable& table, std::uint64_t seed) {
  const auto kind_counts = organisation_counts(config);  // validates the config
  if (table.size() == 0) throw Error("cannot build a world over an empty region table");
  World world;
  world.regions = table;
  assign_s3_priorities(world.regions, config, seed);
  world.capabilities_per_area = config.capabilities_per_area;
  const std::size_t region_count = world.regions.size();
  const auto& regions = world.regions.regions;

  // ---- 1. placement: multinomial counts per (region, kind) ----------------------------------------
  std::vector<std::uint64_t> slot_count(region_count * org_kind_count, 0);
  for (int k = 0; k < org_kind_count; ++k) {
    const auto kind = OrgKind(k);
    const std::uint64_t n = kind_counts[std::size_t(k)];
    if (n == 0) continue;
    std::vector<double> weights(region_count);
    for (std::size_t r = 0; r < region_count; ++r)
      weights[r] = placement_weight(regions[r], config, rd_exponent_of(kind, config));
    const CumulativeWeights cumulative(weights);
    if (!(cumulative.total() > 0)) throw Error("placement weights of every region are zero: check the exponents");
    const std::size_t blocks = std::size_t((n + placement_block - 1) / placement_block);
    std::vector<std::uint32_t> histogram(blocks * region_count, 0);
    for_each_index(
        0, blocks,
        [&](std::size_t b) {
          // Entity: kind in the high bits, block below; one stream per block of draws.
          RandomStream stream(StreamKey{seed, 0, 0, (std::uint64_t(k) << 40) | b, Purpose::org_placement});
          const std::uint64_t first = b * placement_block, last = std::min(n, first + placement_block);
          std::uint32_t* h = histogram.data() + b * region_count;
          for (std::uint64_t i = first; i < last; ++i) ++h[cumulative.draw(stream)];
        },
        Execution::parallel, 1);
    for (std::size_t b = 0; b < blocks; ++b)
      for (std::size_t r = 0; r < region_count; ++r)
        slot_count[r * org_kind_count + std::size_t(k)] += histogram[b * region_count + r];
  }
  world.region_kind_offsets.assign(slot_count.size() + 1, 0);
  for (std::size_t s = 0; s < slot_count.size(); ++s)
    world.region_kind_offsets[s + 1] = OrgIndex(world.region_kind_offsets[s] + slot_count[s]);
  const std::size_t org_count = world.region_kind_offsets.back();

  // ---- 2. organisation arrays ---------------------------------------------------------------------
  auto& orgs = world.orgs;
  orgs.kind.resize(org_count);
  orgs.region.resize(org_count);
  orgs.primary_area.resize(org_count);
  orgs.secondary_areas.resize(org_count);
  orgs.employees.resize(org_count);
  orgs.capability.resize(org_count * knowledge_slots);
  orgs.expertise.resize(org_count * knowledge_slots);
  orgs.absorptive_capacity.resize(org_count);
  orgs.reputation.resize(org_count);
  const auto& offsets = world.region_kind_offsets;

  for_each_block(
      0, org_count,
      [&](std::size_t begin, std::size_t end) {
        // The slot of `begin`, then walk forward: slots are contiguous ranges of organisations.
        std::size_t slot =
            std::size_t(std::upper_bound(offsets.begin(), offsets.end(), OrgIndex(begin)) - offsets.begin()) - 1;
        for (std::size_t o = begin; o < end; ++o) {
          while (offsets[slot + 1] <= o) ++slot;
          const auto kind = OrgKind(slot % org_kind_count);
          const auto region_index = RegionIndex(slot / org_kind_count);
          const Region& region = regions[region_index];
          const KindProfile& profile = kind_profiles[std::size_t(kind)];
          orgs.kind[o] = kind;
          orgs.region[o] = region_index;

          // Thematic profile. Entity = organisation index: an organisation's draws do not depend on
          // which thread generates it.
          RandomStream stream(StreamKey{seed, 0, 0, o, Purpose::org_profile});
          const auto& s3 = region.s3_priorities;
          const double alignment = kind == OrgKind::cluster ? config.cluster_s3_alignment : config.org_s3_alignment;
          auto s3_or_any_area = [&](double p_s3) {
            const bool from_s3 = bernoulli(stream, p_s3);
            const std::uint64_t pick = uniform_index(stream, from_s3 && !s3.empty() ? s3.size() : thematic_area_count);
            return from_s3 && !s3.empty() ? s3[pick] : AreaIndex(pick);
          };
          const AreaIndex primary = s3_or_any_area(alignment);
          orgs.primary_area[o] = primary;
          std::uint32_t secondary = 0;
          const auto wanted = uniform_int(stream, profile.secondary_min, profile.secondary_max);
          // Secondary areas lean to the region's S3 priorities as much as the primary one does; a
          // fixed number of attempts (a draw equal to the primary or a repeat is lost).
          for (int attempt = 0; attempt < 4 * profile.secondary_max && std::popcount(secondary) < wanted; ++attempt) {
            const AreaIndex area = s3_or_any_area(alignment);
            if (area != primary) secondary |= 1u << area;
          }
          orgs.secondary_areas[o] = secondary;
          const std::uint32_t employees = draw_employees(stream, profile);
          orgs.employees[o] = employees;
          orgs.absorptive_capacity[o] = float(std::clamp(triangular(stream, profile.absorptive_mean, 0.2), 0.0, 1.0));
          orgs.reputation[o] = float(exponential(stream, 1.0 / profile.reputation_mean));

          // Knowledge profile: half or more of the capabilities in the primary area, the rest in a
          // secondary area (or any area when there is none); sorted by capability id, empty slots last.
          RandomStream knowledge(StreamKey{seed, 0, 0, o, Purpose::org_knowledge});
          std::array<CapabilityIndex, knowledge_slots> caps;
          std::array<float, knowledge_slots> levels{};
          caps.fill(none<CapabilityIndex>);
          int filled = 0;
          std::array<AreaIndex, thematic_area_count> secondary_list{};
          int secondary_count = 0;
          for (int a = 0; a < thematic_area_count; ++a)
            if (secondary & (1u << a)) secondary_list[std::size_t(secondary_count++)] = AreaIndex(a);
          const int target = std::min(profile.knowledge_filled, knowledge_slots);
          for (int attempt = 0; attempt < 4 * knowledge_slots && filled < target; ++attempt) {
            AreaIndex area = primary;
            if (filled >= (target + 1) / 2) {
              area = secondary_count > 0 ? secondary_list[uniform_index(knowledge, std::uint64_t(secondary_count))]
                                         : AreaIndex(uniform_index(knowledge, thematic_area_count));
            }
            const auto capability = CapabilityIndex(
                area * config.capabilities_per_area +
                int(uniform_index(knowledge, std::uint64_t(config.capabilities_per_area))));
            const double level = std::clamp(triangular(knowledge, profile.expertise_mean, 3.0), 1.0, 10.0);
            if (std::find(caps.begin(), caps.begin() + filled, capability) != caps.begin() + filled) continue;
            caps[std::size_t(filled)] = capability;
            levels[std::size_t(filled)] = float(level);
            ++filled;
          }
          // Insertion sort of at most knowledge_slots entries (std::sort here trips GCC 12's
          // -Warray-bounds on its unrolled insertion step, a false positive).
          for (int i = 1; i < filled; ++i)
            for (int j = i; j > 0 && caps[std::size_t(j - 1)] > caps[std::size_t(j)]; --j) {
              std::swap(caps[std::size_t(j - 1)], caps[std::size_t(j)]);
              std::swap(levels[std::size_t(j - 1)], levels[std::size_t(j)]);
            }
          for (int i = 0; i < knowledge_slots; ++i) {
            const std::size_t at = o * knowledge_slots + std::size_t(i);
            orgs.capability[at] = caps[std::size_t(i)];  // none<CapabilityIndex> past `filled`
            orgs.expertise[at] = levels[std::size_t(i)];  // 0 past `filled`
          }
        }
      },
      Execution::parallel, org_grain);

  // ---- 3. cluster organisations -------------------------------------------------------------------
  for (std::size_t r = 0; r < region_count; ++r) {
    const auto [first, last] = world.orgs_of(RegionIndex(r), OrgKind::cluster);
    for (OrgIndex o = first; o < last; ++o) world.cluster_orgs.push_back(o);
  }
  const std::size_t cluster_count = world.cluster_orgs.size();
  world.clusters.label.resize(cluster_count);
  world.clusters.capacity.resize(cluster_count);
  std::vector<double> attractiveness(cluster_count);
  for_each_index(0, cluster_count, [&](std::size_t c) {
    RandomStream stream(StreamKey{seed, 0, 0, world.cluster_orgs[c], Purpose::cluster_profile});
    const double u = uniform01(stream);
    ExcellenceLabel label = ExcellenceLabel::none;
    if (u < config.label_gold_share)
      label = ExcellenceLabel::gold;
    else if (u < config.label_gold_share + config.label_silver_share)
      label = ExcellenceLabel::silver;
    else if (u < config.label_gold_share + config.label_silver_share + config.label_bronze_share)
      label = ExcellenceLabel::bronze;
    world.clusters.label[c] = label;
    world.clusters.capacity[c] =
        std::uint8_t(config.cluster_partnership_capacity + (label == ExcellenceLabel::gold ? 1 : 0));
    // Pareto(alpha) with scale 1 by inversion; 1 - u lies in (0, 1].
    attractiveness[c] = std::pow(1.0 - uniform01(stream), -1.0 / config.cluster_size_pareto_alpha);
  });

  // ---- 4. memberships -----------------------------------------------------------------------------
  // Pools: one per primary area (0..20) and one of all clusters (index 21).
  std::vector<ClusterPool> pools(thematic_area_count + 1);
  for (std::size_t c = 0; c < cluster_count; ++c) {
    const OrgIndex org = world.cluster_orgs[c];
    pools[orgs.primary_area[org]].ordinals.push_back(ClusterOrdinal(c));
    pools[thematic_area_count].ordinals.push_back(ClusterOrdinal(c));
  }
  for (auto& pool : pools) {
    pool.prefix.assign(pool.ordinals.size() + 1, 0.0);
    pool.region_start.assign(region_count + 1, 0);
    for (std::size_t i = 0; i < pool.ordinals.size(); ++i) {
      pool.prefix[i + 1] = pool.prefix[i] + attractiveness[pool.ordinals[i]];
      pool.region_start[orgs.region[world.cluster_orgs[pool.ordinals[i]]] + 1u] += 1;
    }
    for (std::size_t r = 0; r < region_count; ++r) pool.region_start[r + 1] += pool.region_start[r];
  }
  const ClusterPool& any_area = pools[thematic_area_count];

  // The memberships of one organisation, ascending and distinct; a pure function of (seed, o).
  auto memberships_of = [&](std::size_t o, std::array<ClusterOrdinal, max_memberships>& out) -> int {
    const OrgKind kind = orgs.kind[o];
    const double mean = membership_mean(kind, config);
    if (mean <= 0 || cluster_count == 0) return 0;
    RandomStream stream(StreamKey{seed, 0, 0, o, Purpose::membership});
    const int wanted = int(std::min<std::uint64_t>({poisson(stream, mean), std::uint64_t(max_memberships),
                                                    std::uint64_t(cluster_count)}));
    const RegionIndex region = orgs.region[o];
    int count = 0;
    // Each membership decides its side (own region or elsewhere) and whether it wants the same
    // area once, then retries only the cluster draw on a repeat, so repeats in regions with few
    // clusters do not push memberships out of the region. Fallbacks, in order: any area on the
    // chosen side (no cluster of the area there), then the other side (no cluster there at all, or
    // every draw a repeat).
    for (int slot = 0; slot < wanted; ++slot) {
      const bool own_region = bernoulli(stream, config.membership_own_region_share);
      const bool same_area = bernoulli(stream, config.membership_same_area_share);
      const ClusterPool& preferred = same_area ? pools[orgs.primary_area[o]] : any_area;
      auto is_new = [&](ClusterOrdinal c) {
        return c != none<ClusterOrdinal> && std::find(out.begin(), out.begin() + count, c) == out.begin() + count;
      };
      ClusterOrdinal chosen = none<ClusterOrdinal>;
      for (int side = 0; side < 2 && chosen == none<ClusterOrdinal>; ++side) {
        const bool inside = side == 0 ? own_region : !own_region;
        // Attractiveness-weighted draws, of the preferred area where that side has one.
        for (int attempt = 0; attempt < 4 && chosen == none<ClusterOrdinal>; ++attempt) {
          ClusterOrdinal c = preferred.draw(stream, region, inside);
          if (c == none<ClusterOrdinal>) c = any_area.draw(stream, region, inside);
          if (c == none<ClusterOrdinal>) break;  // no cluster at all on this side
          if (is_new(c)) chosen = c;
        }
        if (chosen != none<ClusterOrdinal>) break;
        // Four repeats (a dominant cluster in a small region): a uniform pick among the side's
        // clusters not yet joined, so that the side, not the attractiveness, decides. Only a side
        // with nothing left to join sends the membership to the other side.
        const std::size_t low = any_area.region_start[region], high = any_area.region_start[region + 1u];
        const std::size_t first = inside ? low : 0, last = inside ? high : any_area.ordinals.size();
        auto eligible = [&](std::size_t i) { return (inside || i < low || i >= high) && is_new(any_area.ordinals[i]); };
        std::size_t fresh = 0;
        for (std::size_t i = first; i < last; ++i) fresh += eligible(i);
        if (fresh == 0) continue;
        std::uint64_t pick = uniform_index(stream, fresh);
        for (std::size_t i = first; i < last; ++i)
          if (eligible(i) && pick-- == 0) {
            chosen = any_area.ordinals[i];
            break;
          }
      }
      if (chosen != none<ClusterOrdinal>) out[std::size_t(count++)] = chosen;  // else dropped
    }
    std::sort(out.begin(), out.begin() + count);
    return count;
  };

  // One pass draws every organisation's memberships into per-block buffers (fixed blocks of
  // organisations, so their content does not depend on the thread count) and records the counts;
  // a prefix sum places the blocks. Costs one transient copy of the membership list (4 bytes per
  // membership) instead of drawing everything twice.
  auto& ms = world.memberships;
  ms.cluster_offsets.assign(org_count + 1, 0);
  const std::size_t draw_blocks = (org_count + membership_draw_block - 1) / membership_draw_block;
  std::vector<std::vector<ClusterOrdinal>> drawn(draw_blocks);
  for_each_index(
      0, draw_blocks,
      [&](std::size_t b) {
        std::array<ClusterOrdinal, max_memberships> scratch{};
        const std::size_t first = b * membership_draw_block, last = std::min(org_count, first + membership_draw_block);
        for (std::size_t o = first; o < last; ++o) {
          const int count = memberships_of(o, scratch);
          ms.cluster_offsets[o + 1] = std::uint64_t(count);
          drawn[b].insert(drawn[b].end(), scratch.begin(), scratch.begin() + count);
        }
      },
      Execution::parallel, 1);
  for (std::size_t o = 0; o < org_count; ++o) ms.cluster_offsets[o + 1] += ms.cluster_offsets[o];
  ms.clusters.resize(ms.cluster_offsets[org_count]);
  for_each_index(
      0, draw_blocks,
      [&](std::size_t b) {
        std::copy(drawn[b].begin(), drawn[b].end(),
                  ms.clusters.begin() + std::ptrdiff_t(ms.cluster_offsets[b * membership_draw_block]));
        std::vector<ClusterOrdinal>().swap(drawn[b]);
      },
      Execution::parallel, 1);

  // Transpose by counting sort over fixed blocks of organisations: histogram per block, cursors by
  // prefix over (cluster, block), scatter. Within a cluster, members come out in organisation order
  // (blocks in order, organisations in order within a block): ascending with no sort.
  const std::size_t blocks = (org_count + membership_block - 1) / membership_block;
  std::vector<std::uint64_t> cursor(blocks * cluster_count, 0);
  for_each_index(
      0, blocks,
      [&](std::size_t b) {
        std::uint64_t* h = cursor.data() + b * cluster_count;
        const std::size_t first = b * membership_block, last = std::min(org_count, first + membership_block);
        for (std::uint64_t i = ms.cluster_offsets[first]; i < ms.cluster_offsets[last]; ++i) ++h[ms.clusters[i]];
      },
      Execution::parallel, 1);
  ms.member_offsets.assign(cluster_count + 1, 0);
  for (std::size_t c = 0; c < cluster_count; ++c) {
    std::uint64_t running = ms.member_offsets[c];
    for (std::size_t b = 0; b < blocks; ++b) {
      const std::uint64_t n = cursor[b * cluster_count + c];
      cursor[b * cluster_count + c] = running;
      running += n;
    }
    ms.member_offsets[c + 1] = running;
  }
  ms.members.resize(ms.member_offsets[cluster_count]);
  for_each_index(
      0, blocks,
      [&](std::size_t b) {
        std::uint64_t* next = cursor.data() + b * cluster_count;
        const std::size_t first = b * membership_block, last = std::min(org_count, first + membership_block);
        for (std::size_t o = first; o < last; ++o)
          for (std::uint64_t i = ms.cluster_offsets[o]; i < ms.cluster_offsets[o + 1]; ++i)
            ms.members[next[ms.clusters[i]]++] = OrgIndex(o);
      },
      Execution::parallel, 1);
  return world;
}

std::size_t estimate_world_bytes(const WorldConfig& config, std::size_t regions) {
  const auto counts = organisation_counts(config);
  std::uint64_t orgs = 0, clusters = counts[std::size_t(OrgKind::cluster)];
  double expected_memberships = 0;
  for (int k = 0; k < org_kind_count; ++k) {
    orgs += counts[std::size_t(k)];
    // Poisson means; the cap at 16 and lost repeats remove well under 1% at the default means.
    if (clusters > 0) expected_memberships += double(counts[std::size_t(k)]) * membership_mean(OrgKind(k), config);
  }
  const std::size_t per_org = sizeof(OrgKind) + sizeof(RegionIndex) + sizeof(AreaIndex) + sizeof(std::uint32_t) +
                              sizeof(std::uint32_t) + knowledge_slots * (sizeof(CapabilityIndex) + sizeof(float)) +
                              2 * sizeof(float) + sizeof(std::uint64_t);  // + cluster_offsets
  const std::size_t per_membership = sizeof(OrgIndex) + sizeof(ClusterOrdinal);
  const std::size_t per_cluster = sizeof(OrgIndex) + sizeof(ExcellenceLabel) + sizeof(std::uint8_t) + sizeof(std::uint64_t);
  // Regions: distances, the structs, and roughly 150 bytes of strings and notes each.
  const std::size_t per_region = regions * sizeof(double) + sizeof(Region) + 150 + org_kind_count * sizeof(OrgIndex);
  return sizeof(World) + std::size_t(orgs) * per_org + std::size_t(expected_memberships) * per_membership +
         std::size_t(clusters) * per_cluster + regions * per_region + 2 * sizeof(std::uint64_t);
}

}  // namespace clusternet
