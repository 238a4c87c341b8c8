#include "world/generate.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "world/memberships.hpp"
#include "world/regions.hpp"

namespace clusternet {

namespace {

// Placement draws are grouped in fixed blocks; each block's region histogram is summed, so the
// (region, kind) counts are a multinomial sample independent of the thread count.
constexpr std::uint64_t placement_block = 1u << 16;
// Grain of the per-organisation loops: big enough that a task's overhead is noise.
constexpr std::size_t org_grain = 8192;

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

// Refuses a value outside `range`; the message says what the value is and gives the range.
void require_range(const std::string& key, double value, const SettingRange& range, const char* what) {
  if (std::isfinite(value) && range.contains(value)) return;
  char valid[96];
  std::snprintf(valid, sizeof valid, "%s in %s%g, %g]", what, range.min_open ? "(" : "[", range.min, range.max);
  invalid(key, value, valid);
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



// ---- 1. placement: multinomial counts per (region, kind) ------------------------------------------
// The offsets of each (region, kind) slot's organisations (World::region_kind_offsets).
std::vector<OrgIndex> place_organisations(const WorldConfig& config, const std::vector<Region>& regions,
                                          const std::array<std::uint64_t, org_kind_count>& kind_counts,
                                          const RunKey& key) {
  const std::size_t region_count = regions.size();
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
          RandomStream stream(key.stream((std::uint64_t(k) << 40) | b, Purpose::org_placement));
          const std::uint64_t first = b * placement_block, last = std::min(n, first + placement_block);
          std::uint32_t* h = histogram.data() + b * region_count;
          for (std::uint64_t i = first; i < last; ++i) ++h[cumulative.draw(stream)];
        },
        Execution::parallel, 1);
    for (std::size_t b = 0; b < blocks; ++b)
      for (std::size_t r = 0; r < region_count; ++r)
        slot_count[r * org_kind_count + std::size_t(k)] += histogram[b * region_count + r];
  }
  std::vector<OrgIndex> offsets(slot_count.size() + 1, 0);
  for (std::size_t s = 0; s < slot_count.size(); ++s) offsets[s + 1] = OrgIndex(offsets[s] + slot_count[s]);
  return offsets;
}

// ---- 2. profiles ---------------------------------------------------------------------------------
// Thematic profile, size, absorptive capacity and reputation of organisation o (of `profile`'s
// kind, in `region`).
void draw_profile(Organisations& orgs, std::size_t o, const Region& region, const KindProfile& profile,
                  const WorldConfig& config, const RunKey& key) {
  const OrgKind kind = orgs.kind[o];
  // Entity = organisation index: an organisation's draws do not depend on which thread generates it.
  RandomStream stream(key.stream(o, Purpose::org_profile));
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
}

// Knowledge profile of organisation o, after its thematic profile.
void draw_knowledge(Organisations& orgs, std::size_t o, const KindProfile& profile, const WorldConfig& config,
                    const RunKey& key) {
  // Knowledge profile: half or more of the capabilities in the primary area, the rest in a
  // secondary area (or any area when there is none); sorted by capability id, empty slots last.
  RandomStream knowledge(key.stream(o, Purpose::org_knowledge));
  const AreaIndex primary = orgs.primary_area[o];
  const std::uint32_t secondary = orgs.secondary_areas[o];
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

// Every organisation's kind, region and profiles, in parallel over blocks of organisations (each
// organisation's draws come from its own streams, so the blocks do not matter).
void draw_organisations(World& world, const WorldConfig& config, const RunKey& key) {
  const std::size_t org_count = world.region_kind_offsets.back();
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
  const auto& regions = world.regions.regions;
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
          const KindProfile& profile = kind_profiles[std::size_t(kind)];
          orgs.kind[o] = kind;
          orgs.region[o] = region_index;
          draw_profile(orgs, o, regions[region_index], profile, config, key);
          draw_knowledge(orgs, o, profile, config, key);
        }
      },
      Execution::parallel, org_grain);
}

// ---- 3. cluster organisations --------------------------------------------------------------------
// Lists the cluster organisations and draws their labels and capacities; returns their
// attractiveness to members (by cluster ordinal).
std::vector<double> draw_clusters(World& world, const WorldConfig& config, const RunKey& key) {
  for (std::size_t r = 0; r < world.regions.size(); ++r) {
    const auto [first, last] = world.orgs_of(RegionIndex(r), OrgKind::cluster);
    for (OrgIndex o = first; o < last; ++o) world.cluster_orgs.push_back(o);
  }
  const std::size_t cluster_count = world.cluster_orgs.size();
  world.clusters.label.resize(cluster_count);
  world.clusters.capacity.resize(cluster_count);
  std::vector<double> attractiveness(cluster_count);
  for_each_index(0, cluster_count, [&](std::size_t c) {
    RandomStream stream(key.stream(world.cluster_orgs[c], Purpose::cluster_profile));
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
  return attractiveness;
}

// The real-valued world settings, their ranges (world_limits) and what each is, for messages.
struct RealSetting {
  const char* key;
  double WorldConfig::*field;
  SettingRange range;
  const char* what;
};
constexpr RealSetting real_settings[] = {
    {"scale", &WorldConfig::scale, world_limits::scale, "a positive scale (250 is the whole EU SME population)"},
    {"smes", &WorldConfig::smes, world_limits::organisation_count, "a count"},
    {"large_firms", &WorldConfig::large_firms, world_limits::organisation_count, "a count"},
    {"research_orgs", &WorldConfig::research_orgs, world_limits::organisation_count, "a count"},
    {"cluster_orgs", &WorldConfig::cluster_orgs, world_limits::organisation_count, "a count"},
    {"sme_micro_share", &WorldConfig::sme_micro_share, world_limits::share, "a share"},
    {"sme_small_share", &WorldConfig::sme_small_share, world_limits::share, "a share"},
    {"sme_medium_share", &WorldConfig::sme_medium_share, world_limits::share, "a share"},
    {"placement_population_exponent", &WorldConfig::placement_population_exponent, world_limits::placement_exponent,
     "an exponent"},
    {"placement_gdp_exponent", &WorldConfig::placement_gdp_exponent, world_limits::placement_exponent, "an exponent"},
    {"placement_rd_exponent_firms", &WorldConfig::placement_rd_exponent_firms, world_limits::placement_exponent,
     "an exponent"},
    {"placement_rd_exponent_research", &WorldConfig::placement_rd_exponent_research, world_limits::placement_exponent,
     "an exponent"},
    {"placement_rd_exponent_clusters", &WorldConfig::placement_rd_exponent_clusters, world_limits::placement_exponent,
     "an exponent"},
    {"cluster_s3_alignment", &WorldConfig::cluster_s3_alignment, world_limits::share, "a probability"},
    {"org_s3_alignment", &WorldConfig::org_s3_alignment, world_limits::share, "a probability"},
    {"memberships_per_sme", &WorldConfig::memberships_per_sme, world_limits::memberships_mean, "a mean"},
    {"memberships_per_large_firm", &WorldConfig::memberships_per_large_firm, world_limits::memberships_mean, "a mean"},
    {"memberships_per_research_org", &WorldConfig::memberships_per_research_org, world_limits::memberships_mean,
     "a mean"},
    {"membership_own_region_share", &WorldConfig::membership_own_region_share, world_limits::share, "a share"},
    {"membership_same_area_share", &WorldConfig::membership_same_area_share, world_limits::share, "a share"},
    {"cluster_size_pareto_alpha", &WorldConfig::cluster_size_pareto_alpha, world_limits::pareto_alpha,
     "a tail exponent"},
    {"label_bronze_share", &WorldConfig::label_bronze_share, world_limits::share, "a share"},
    {"label_silver_share", &WorldConfig::label_silver_share, world_limits::share, "a share"},
    {"label_gold_share", &WorldConfig::label_gold_share, world_limits::share, "a share"},
};

// An integer setting in [low, high].
void require_whole(const char* key, int value, int low, int high, const std::string& note = "") {
  if (value < low || value > high) invalid(key, value, std::to_string(low) + ".." + std::to_string(high) + note);
}

}  // namespace

void validate_world_config(const WorldConfig& c) {
  namespace limits = world_limits;
  for (const RealSetting& setting : real_settings) require_range(setting.key, c.*setting.field, setting.range, setting.what);
  const double shares = c.sme_micro_share + c.sme_small_share + c.sme_medium_share;
  if (std::abs(shares - 1.0) > limits::sme_share_sum_tolerance)
    invalid("sme_*_share (sum)", shares, "micro + small + medium shares summing to 1");
  const double labels = c.label_bronze_share + c.label_silver_share + c.label_gold_share;
  if (labels > 1.0 + limits::label_share_sum_tolerance)
    invalid("label_*_share (sum)", labels, "bronze + silver + gold shares at most 1");
  require_whole("s3_min_priorities", c.s3_min_priorities, 1, thematic_area_count);
  require_whole("s3_max_priorities", c.s3_max_priorities, c.s3_min_priorities, thematic_area_count,
                " (from s3_min_priorities)");
  static_assert(limits::max_capabilities_per_area * thematic_area_count < none<CapabilityIndex>);
  require_whole("capabilities_per_area", c.capabilities_per_area, limits::min_capabilities_per_area,
                limits::max_capabilities_per_area);
  require_whole("cluster_partnership_capacity", c.cluster_partnership_capacity, limits::min_partnership_capacity,
                limits::max_partnership_capacity, " (gold adds 1)");
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

World build_world(const WorldConfig& config, const RegionTable& table, std::uint64_t seed) {
  const auto kind_counts = organisation_counts(config);  // validates the config
  if (table.size() == 0) throw Error("cannot build a world over an empty region table");
  const RunKey key{seed, 0, 0};  // the world is shared by every replicate and drawn before month 0
  World world;
  world.regions = table;
  assign_s3_priorities(world.regions, config, seed);
  world.capabilities_per_area = config.capabilities_per_area;
  world.region_kind_offsets = place_organisations(config, world.regions.regions, kind_counts, key);
  draw_organisations(world, config, key);
  const std::vector<double> attractiveness = draw_clusters(world, config, key);
  draw_memberships(world, config, attractiveness, key);
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
                              2 * sizeof(float) + sizeof(std::uint32_t);  // + cluster_offsets
  const std::size_t per_membership = sizeof(OrgIndex) + sizeof(ClusterOrdinal);
  const std::size_t per_cluster = sizeof(OrgIndex) + sizeof(ExcellenceLabel) + sizeof(std::uint8_t) + sizeof(std::uint64_t);
  // Regions: distances, the structs, and roughly 150 bytes of strings and notes each.
  const std::size_t per_region = regions * sizeof(double) + sizeof(Region) + 150 + org_kind_count * sizeof(OrgIndex);
  return sizeof(World) + std::size_t(orgs) * per_org + std::size_t(expected_memberships) * per_membership +
         std::size_t(clusters) * per_cluster + regions * per_region + 2 * sizeof(std::uint64_t);
}

}  // namespace clusternet
