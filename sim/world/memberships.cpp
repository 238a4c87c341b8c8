#include "world/memberships.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace clusternet {

namespace {

// Organisations per block of the membership counting sort: a histogram of every cluster per block
// is kept, so larger blocks mean less memory (blocks x clusters x 8 bytes) but less parallelism.
constexpr std::size_t membership_block = std::size_t{1} << 20;
// Organisations per block of membership drawing (each block fills its own buffer).
constexpr std::size_t membership_draw_block = std::size_t{1} << 15;
// An organisation joins at most this many cluster organisations (Poisson draws above it are
// capped): keeps the per-organisation scratch on the stack. P(Poisson(2) > 16) is about 1e-10.
constexpr int max_memberships = 16;

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

// Pools: one per primary area (0..20) and one of all clusters (index 21).
std::vector<ClusterPool> cluster_pools(const World& world, const std::vector<double>& attractiveness) {
  const auto& orgs = world.orgs;
  const std::size_t region_count = world.regions.size();
  std::vector<ClusterPool> pools(thematic_area_count + 1);
  for (std::size_t c = 0; c < world.cluster_orgs.size(); ++c) {
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
  return pools;
}

// What drawing one organisation's memberships reads.
struct MembershipDraws {
  const World& world;
  const WorldConfig& config;
  const RunKey& key;
  std::vector<ClusterPool> pools;

  // The memberships of one organisation into `out`, ascending and distinct; returns how many. A
  // pure function of (key.seed, o).
  int memberships_of(std::size_t o, std::array<ClusterOrdinal, max_memberships>& out) const {
    const auto& orgs = world.orgs;
    const std::size_t cluster_count = world.cluster_orgs.size();
    const ClusterPool& any_area = pools[thematic_area_count];
    const OrgKind kind = orgs.kind[o];
    const double mean = membership_mean(kind, config);
    if (mean <= 0 || cluster_count == 0) return 0;
    RandomStream stream(key.stream(o, Purpose::membership));
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
  }
};

// Transpose of the organisation -> clusters lists by counting sort over fixed blocks of
// organisations: histogram per block, cursors by prefix over (cluster, block), scatter. Within a
// cluster, members come out in organisation order (blocks in order, organisations in order within a
// block): ascending with no sort.
void fill_members(Memberships& ms, std::size_t org_count, std::size_t cluster_count) {
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
}

}  // namespace

double membership_mean(OrgKind kind, const WorldConfig& config) {
  if (is_sme(kind)) return config.memberships_per_sme;
  if (kind == OrgKind::large_firm) return config.memberships_per_large_firm;
  if (kind == OrgKind::research) return config.memberships_per_research_org;
  return 0.0;  // cluster organisations are not members of one another
}

void draw_memberships(World& world, const WorldConfig& config, const std::vector<double>& attractiveness,
                      const RunKey& key) {
  const std::size_t org_count = world.orgs.size();
  const MembershipDraws draws{world, config, key, cluster_pools(world, attractiveness)};
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
          const int count = draws.memberships_of(o, scratch);
          ms.cluster_offsets[o + 1] = std::uint32_t(count);
          drawn[b].insert(drawn[b].end(), scratch.begin(), scratch.begin() + count);
        }
      },
      Execution::parallel, 1);
  std::uint64_t running = 0;
  for (std::size_t o = 0; o < org_count; ++o) {
    running += ms.cluster_offsets[o + 1];
    if (running > std::numeric_limits<std::uint32_t>::max())
      throw Error("world: more than 4,294,967,295 cluster memberships; use a smaller world.scale");
    ms.cluster_offsets[o + 1] = static_cast<std::uint32_t>(running);
  }
  ms.clusters.resize(ms.cluster_offsets[org_count]);
  for_each_index(
      0, draw_blocks,
      [&](std::size_t b) {
        std::copy(drawn[b].begin(), drawn[b].end(),
                  ms.clusters.begin() + std::ptrdiff_t(ms.cluster_offsets[b * membership_draw_block]));
        std::vector<ClusterOrdinal>().swap(drawn[b]);
      },
      Execution::parallel, 1);
  fill_members(ms, org_count, world.cluster_orgs.size());
}

}  // namespace clusternet
