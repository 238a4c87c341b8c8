#include "network/metrics.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/random.hpp"
#include "network/kernels.hpp"
#include "network/slot_sources.hpp"
#include "world/organisation_kind.hpp"

namespace clusternet::network {

namespace {
constexpr double nan = std::numeric_limits<double>::quiet_NaN();
__extension__ using u128 = unsigned __int128;  // exact sums of degree products (no overflow at 10^7 nodes)

constexpr std::size_t at(std::string_view name) {
  const std::size_t i = scalar_index(name);
  if (i == scalar_count) throw "unknown scalar metric";  // compile-time error in constant evaluation
  return i;
}

class Stopwatch {
 public:
  double elapsed_ms() const {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start_).count();
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

std::uint8_t kind_group(std::uint8_t kind) {
  if (kind == unknown_attribute || kind >= org_kind_count) return unknown_attribute;
  const auto k = static_cast<OrgKind>(kind);
  if (is_sme(k)) return 0;
  if (k == OrgKind::large_firm) return 1;
  if (k == OrgKind::research) return 2;
  return 3;
}

// Index of the kind pair (a <= b) among the 10 tie_share_* metrics, in scalar_metrics order.
constexpr std::size_t kind_pair_slot(std::uint8_t a, std::uint8_t b) {
  if (a > b) std::swap(a, b);
  // Rows of the upper triangle of a 4x4 matrix: 4 + 3 + 2 + 1.
  constexpr std::array<std::size_t, 4> row_start = {0, 4, 7, 9};
  return row_start[a] + (b - a);
}

void basic_metrics(const CsrGraph& g, MetricSet& out) {
  const std::uint32_t n = g.vertex_count();
  std::uint32_t max_degree = 0;
  for (Vertex v = 0; v < n; ++v) max_degree = std::max(max_degree, g.degree(v));
  std::vector<std::uint64_t> by_degree(std::size_t(max_degree) + 1, 0);
  for (Vertex v = 0; v < n; ++v) ++by_degree[g.degree(v)];
  const std::uint64_t active = n - by_degree[0];
  const std::uint64_t ties = g.edge_count();
  auto& s = out.scalars;
  s[at("organisations_active")] = double(active);
  s[at("ties")] = double(ties);
  s[at("mean_degree")] = active ? 2.0 * double(ties) / double(active) : nan;
  s[at("max_degree")] = double(max_degree);

  // Gini from the sorted degrees, G = 2 sum_i i x_(i) / (n sum x) - (n + 1) / n, with the sums
  // taken exactly over the degree counts (ranks r+1..r+c share degree d).
  if (active > 0) {
    u128 rank_weighted = 0, total = 0;
    std::uint64_t rank = 0;
    for (std::uint32_t d = 1; d <= max_degree; ++d) {
      const std::uint64_t c = by_degree[d];
      if (!c) continue;
      const u128 rank_sum = u128(c) * rank + u128(c) * (c + 1) / 2;
      rank_weighted += rank_sum * d;
      total += u128(c) * d;
      rank += c;
    }
    const double nd = double(active);
    s[at("degree_gini")] = 2.0 * double(rank_weighted) / (nd * double(total)) - (nd + 1.0) / nd;
  }
  // Log-binned histogram: [1,2), [2,4), [4,8), ...
  out.degree_histogram_edges.clear();
  out.degree_histogram_counts.clear();
  if (max_degree > 0) {
    for (std::uint64_t lo = 1; lo <= max_degree; lo *= 2) {
      std::uint64_t c = 0;
      for (std::uint64_t d = lo; d < 2 * lo && d <= max_degree; ++d) c += by_degree[d];
      out.degree_histogram_edges.push_back(lo);
      out.degree_histogram_counts.push_back(c);
    }
    out.degree_histogram_edges.push_back(out.degree_histogram_edges.back() * 2);
  }
}

void clustering_metrics(const CsrGraph& g, MetricSet& out) {
  const std::uint32_t n = g.vertex_count();
  const auto& offsets = g.offsets();
  const auto triangles = triangles_per_vertex(g);
  // Serial and flat: integer sums first (any order), then the local coefficients. Their sum must
  // stay bit-identical to what it has always been: chunks of 8192 vertices, each summed in vertex
  // order from 0.0, the chunk sums added left to right. A vertex in no triangle adds +0.0, which
  // leaves a sum of non-negative terms unchanged, so only vertices with triangles are visited.
  std::uint64_t corners = 0, triples = 0, active = 0;
  for (Vertex v = 0; v < n; ++v) {
    const std::uint64_t d = offsets[v + 1] - offsets[v];
    active += d > 0;
    corners += triangles[v];
    triples += d * (d - (d > 0)) / 2;  // d (d - 1) / 2, and 0 for d = 0 without wrapping
  }
  constexpr Vertex chunk = 1 << 13;
  double local = 0.0;
  for (Vertex b = 0, e = 0; b < n; b = e) {
    e = n - b < chunk ? n : b + chunk;
    double chunk_sum = 0.0;
    for (Vertex v = b; v < e; ++v) {
      if (triangles[v] == 0) continue;  // 87% of the simulated network's vertices
      const std::uint64_t d = offsets[v + 1] - offsets[v];
      chunk_sum += double(triangles[v]) / double(d * (d - 1) / 2);
    }
    local += chunk_sum;
  }
  // Each triangle is credited to its three corners, so corners = 3 * triangles.
  out.scalars[at("transitivity")] = triples ? double(corners) / double(triples) : nan;
  out.scalars[at("mean_local_clustering")] = active ? local / double(active) : nan;
}

// Above this many regions the dense region matrix (4 bytes per region pair) is not built.
constexpr std::uint32_t max_dense_regions = 2048;

// What the assortativity, attributed and regions groups need from the ties, gathered in one pass
// so that each tie's far end is looked up once rather than once per group (those random reads are
// much of what the three groups cost). Integer sums only: any order gives the same.
struct TieSums {
  u128 degree_products = 0;                      // sum over ties {u, w} of degree(u) * degree(w)
  std::array<std::uint64_t, 2> region{}, country{}, area{}, renewed{};  // [known, differing or renewed]
  std::array<std::uint64_t, 11> kind_pair{};     // tie_share slots; [10]: a kind unknown
  std::vector<std::uint32_t> region_ties;        // r x r, symmetric: interregional ties per region pair
};

struct TiePassWants {
  bool degrees = false;     // assortativity
  bool attributes = false;  // attributed (node attributes and renewals)
  bool regions = false;     // region matrix
};

// The per-tie work of the tie pass for the attributed and regions groups, over the ties of one run
// of blocks. Counters are members of a local object, so they stay in registers. Every test is
// arithmetic: the known/differ flags add 0 or 1, and a tie that does not count in the region
// matrix goes to one of 8 spare cells past it (an index select, not a branch). Consecutive ties
// often share a kind pair or a spare cell; spreading them over 4 copies and 8 cells keeps each
// increment from waiting on the one before. With Atomic (parallel blocks) only counted ties touch
// the shared matrix, by atomic increments. The attribute arrays are read directly: packing them
// into one word per vertex first was no faster, and cost a fresh n-sized array per call.
template <bool Atomic>
class AttributeTally {
 public:
  // Every attribute array holds one entry per vertex (sum_over_ties stands in for absent ones).
  AttributeTally(const NodeAttributes& a, bool by_region, const std::uint8_t* kind_slot, std::uint32_t* region_cell)
      : region_(a.region.data()), country_(a.country.data()), area_(a.area.data()), kind_(a.kind.data()),
        kind_slot_(kind_slot), region_cell_(region_cell), regions_(by_region ? a.region_count : 0),
        cells_(std::size_t(regions_) * regions_), by_region_(by_region) {}

  void add(Vertex u, Vertex w, std::size_t t) {
    const std::uint32_t xr = region_[u], zr = region_[w];
    const bool regions_known = (xr != none<RegionIndex>) & (zr != none<RegionIndex>);
    const bool interregional = regions_known & (xr != zr);
    region_known += regions_known;
    region_differ += interregional;
    const std::uint32_t xc = country_[u], zc = country_[w];
    const bool countries_known = (xc != none<CountryIndex>) & (zc != none<CountryIndex>);
    country_known += countries_known;
    country_differ += countries_known & (xc != zc);
    const std::uint32_t xa = area_[u], za = area_[w];
    const bool areas_known = (xa != unknown_attribute) & (za != unknown_attribute);
    area_known += areas_known;
    area_differ += areas_known & (xa != za);
    const std::uint32_t xk = std::min<std::uint32_t>(kind_[u], last_kind), zk = std::min<std::uint32_t>(kind_[w], last_kind);
    ++kind_pair[(t & 3) * 11 + kind_slot_[xk * (last_kind + 1) + zk]];
    const bool counted = by_region_ & interregional;
    if constexpr (Atomic) {
      if (counted)
        std::atomic_ref<std::uint32_t>(region_cell_[std::size_t(xr) * regions_ + zr]).fetch_add(1, std::memory_order_relaxed);
    } else {
      const std::size_t mask = std::size_t(0) - std::size_t(counted);
      ++region_cell_[((std::size_t(xr) * regions_ + zr) & mask) | ((cells_ + (t & 7)) & ~mask)];
    }
  }

  static constexpr std::uint32_t last_kind = org_kind_count;  // kinds past it are clamped to it: unknown
  std::uint64_t region_known = 0, region_differ = 0, country_known = 0, country_differ = 0, area_known = 0,
                area_differ = 0;
  std::array<std::uint64_t, 4 * 11> kind_pair{};  // 4 interleaved copies of the 11 counters

 private:
  const RegionIndex* region_;
  const CountryIndex* country_;
  const AreaIndex* area_;
  const std::uint8_t* kind_;
  const std::uint8_t* kind_slot_;
  std::uint32_t* region_cell_;
  std::uint32_t regions_;
  std::size_t cells_;
  bool by_region_;
};

// One pass over the ties, each taken once from its smaller end. Short rows (the simulated network)
// are read flat over the slots of each block of rows (slot_sources.hpp) and compacted to the ties
// without a branch; long rows (dense graphs) row by row, a binary search skipping the lower half of
// each sorted row. The far end's degree and attributes are random reads, and they (with the
// instruction count) are what this pass costs. Blocks run in parallel only on large graphs
// (integer partial sums joined in block order, the region matrix by atomic increments: both
// order-free).
TieSums sum_over_ties(const CsrGraph& g, const NodeAttributes* attributes, TiePassWants wants) {
  const std::uint32_t n = g.vertex_count();
  const std::uint64_t* offsets = g.offsets().data();
  const Vertex* neighbours = g.neighbour_array().data();
  const std::uint32_t* renewals = wants.attributes && g.has_renewals() ? g.renewal_array().data() : nullptr;
  const NodeAttributes none_given;
  const NodeAttributes& given = attributes ? *attributes : none_given;
  const bool by_region = wants.regions;
  const bool tally = by_region || (wants.attributes && (!given.region.empty() || !given.country.empty() ||
                                                        !given.area.empty() || !given.kind.empty()));
  const std::uint32_t r = by_region ? given.region_count : 0;
  const std::size_t cells = std::size_t(r) * r;
  const bool parallel = g.neighbour_array().size() >= parallel_kernel_slots;

  // Stand-ins for absent attributes (analyze with a node table lacking some columns), so that the
  // per-tie work tests no flag.
  NodeAttributes a;
  if (tally && (given.region.empty() || given.country.empty() || given.area.empty() || given.kind.empty())) {
    a = given;
    if (a.region.empty()) a.region.assign(n, none<RegionIndex>);
    if (a.country.empty()) a.country.assign(n, none<CountryIndex>);
    if (a.area.empty()) a.area.assign(n, unknown_attribute);
    if (a.kind.empty()) a.kind.assign(n, unknown_attribute);
  }
  const NodeAttributes& view = a.region.empty() ? given : a;
  // Kind pair -> tie_share slot (10 = not counted: a kind unknown), by table: the tests of
  // kind_group would be mispredicted for mixed kinds.
  constexpr std::uint32_t kinds = org_kind_count + 1;
  std::array<std::uint8_t, kinds * kinds> kind_slot{};
  for (std::uint32_t x = 0; x < kinds; ++x)
    for (std::uint32_t z = 0; z < kinds; ++z) {
      const std::uint8_t gx = kind_group(std::uint8_t(x)), gz = kind_group(std::uint8_t(z));
      kind_slot[x * kinds + z] =
          gx == unknown_attribute || gz == unknown_attribute ? 10 : std::uint8_t(kind_pair_slot(gx, gz));
    }
  // A tie u < w counts at [region u][region w] only (one increment, into the row of the smaller
  // end's region, which stays in cache while the rows of one region are read); the matrix is made
  // symmetric at the end. 8 spare cells past it take the ties that do not count.
  std::vector<std::uint32_t> region_ties(tally ? cells + 8 : 0, 0);

  // Blocks of ~16k slots (at most 4096 vertices): small enough to balance parallel blocks on
  // dense graphs, large enough that a block's scratch is reused over many rows.
  const auto block = Vertex(std::clamp<std::uint64_t>(
      (std::uint64_t(1) << 14) * std::max<std::uint64_t>(n, 1) / std::max<std::uint64_t>(g.neighbour_array().size(), 1),
      64, 4096));
  auto sum_blocks = [&](std::size_t first_block, std::size_t last_block, auto tie_tally) {
    u128 degree_products = 0;
    std::uint64_t ties = 0, renewed = 0;
    // Degrees are below 2^32, so one product fits 64 bits.
    auto add = [&](Vertex u, Vertex w, std::uint64_t slot, bool with_degrees) {
      if (with_degrees) degree_products += (offsets[u + 1] - offsets[u]) * (offsets[w + 1] - offsets[w]);
      if (renewals) renewed += renewals[slot] > 0;
      if (tally) tie_tally.add(u, w, ties);
      ++ties;
    };
    std::vector<Vertex> sources;
    std::vector<std::uint32_t> tie_slots;
    for (std::size_t blk = first_block; blk < last_block; ++blk) {
      const Vertex b = Vertex(blk * block), e = Vertex(std::min<std::size_t>(n, (blk + 1) * block));
      const std::uint64_t first = offsets[b];
      const std::size_t slots = offsets[e] - first;
      if (slots >= 8 * std::size_t(e - b)) {
        for (Vertex u = b; u < e; ++u) {
          const Vertex* row_end = neighbours + offsets[u + 1];
          // Like the flat path, the ties to larger neighbours only: each tie is summed once, from
          // its smaller end, whichever path each end's block takes. (Summing the whole row here
          // counted a tie twice when both ends took this path but once or three times when its
          // ends took different paths, which biased degree_assortativity on graphs that mix hubs
          // with many low-degree vertices.)
          const Vertex* upper = std::upper_bound(neighbours + offsets[u], row_end, u);
          if (wants.degrees) {  // far degrees are below 2^32 and at most 2^32 of them: 64 bits hold the sum
            std::uint64_t far_degrees = 0;
            for (const Vertex* p = upper; p != row_end; ++p) far_degrees += offsets[*p + 1] - offsets[*p];
            degree_products += u128(far_degrees) * (offsets[u + 1] - offsets[u]);
          }
          if (!renewals && !tally) continue;
          for (const Vertex* p = upper; p != row_end; ++p) add(u, *p, std::uint64_t(p - neighbours), false);
        }
        continue;
      }
      const Vertex* source = slot_sources(g, b, e, sources).data();
      const Vertex* target = neighbours + first;
      tie_slots.resize(slots);
      std::uint32_t* tie_slot = tie_slots.data();
      std::size_t kept = 0;
      for (std::size_t i = 0; i < slots; ++i) {
        tie_slot[kept] = std::uint32_t(i);
        kept += target[i] > source[i];
      }
      for (std::size_t t = 0; t < kept; ++t)
        add(source[tie_slot[t]], target[tie_slot[t]], first + tie_slot[t], wants.degrees);
    }
    TieSums sums;
    sums.degree_products = degree_products;
    sums.region = {tie_tally.region_known, tie_tally.region_differ};
    sums.country = {tie_tally.country_known, tie_tally.country_differ};
    sums.area = {tie_tally.area_known, tie_tally.area_differ};
    sums.renewed = {renewals ? ties : 0, renewed};
    for (std::size_t copy = 0; copy < 4; ++copy)
      for (std::size_t k = 0; k < 11; ++k) sums.kind_pair[k] += tie_tally.kind_pair[copy * 11 + k];
    return sums;
  };
  auto join = [](TieSums x, const TieSums& y) {
    x.degree_products += y.degree_products;
    for (int i = 0; i < 2; ++i) {
      x.region[i] += y.region[i];
      x.country[i] += y.country[i];
      x.area[i] += y.area[i];
      x.renewed[i] += y.renewed[i];
    }
    for (std::size_t i = 0; i < x.kind_pair.size(); ++i) x.kind_pair[i] += y.kind_pair[i];
    return x;
  };
  const std::size_t blocks = (std::size_t(n) + block - 1) / block;
  TieSums sums =
      parallel ? deterministic_reduce(0, blocks, TieSums{}, [&](std::size_t x, std::size_t y) {
                   return sum_blocks(x, y, AttributeTally<true>(view, by_region, kind_slot.data(), region_ties.data()));
                 }, join, Execution::parallel, 1)
               : sum_blocks(0, blocks, AttributeTally<false>(view, by_region, kind_slot.data(), region_ties.data()));
  if (by_region) {
    region_ties.resize(cells);
    for (std::uint32_t x = 0; x < r; ++x)
      for (std::uint32_t z = x + 1; z < r; ++z) {
        const std::uint32_t both = region_ties[std::size_t(x) * r + z] + region_ties[std::size_t(z) * r + x];
        region_ties[std::size_t(x) * r + z] = region_ties[std::size_t(z) * r + x] = both;
      }
    sums.region_ties = std::move(region_ties);
  }
  return sums;
}

// Unsigned 256-bit integer, just enough for the assortativity's exact numerator and denominator:
// differences of products of two 128-bit sums.
struct Wide {
  u128 high = 0, low = 0;
};

Wide multiply(u128 a, u128 b) {
  constexpr u128 mask = ~std::uint64_t(0);
  const u128 a0 = a & mask, a1 = a >> 64, b0 = b & mask, b1 = b >> 64;
  const u128 p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  const u128 middle = (p00 >> 64) + (p01 & mask) + (p10 & mask);  // < 3 * 2^64: no overflow
  return {p11 + (p01 >> 64) + (p10 >> 64) + (middle >> 64), (middle << 64) | (p00 & mask)};
}

bool operator<(const Wide& a, const Wide& b) { return a.high < b.high || (a.high == b.high && a.low < b.low); }

Wide operator-(const Wide& a, const Wide& b) {  // a >= b
  return {a.high - b.high - (a.low < b.low ? 1 : 0), a.low - b.low};
}

double to_double(const Wide& a) { return std::ldexp(double(a.high), 128) + double(a.low); }

void assortativity_metric(const CsrGraph& g, const TieSums& ties, MetricSet& out) {
  // Newman's r over the ties, each tie counted in both directions (the symmetric form). With S
  // slots, J = sum_v d^2, JJ = sum_v d^3 and K = sum over slots of d(u) d(w) (twice the tie pass's
  // sum), r = (S K - J^2) / (S JJ - J^2): integers throughout, so no summation order can change
  // it and no cancellation can eat its digits (the textbook form K/S - (J/S)^2 in doubles loses
  // about log10 of the mean degree squared over the variance); one rounding at the end.
  const std::uint32_t n = g.vertex_count();
  const auto& offsets = g.offsets();
  u128 j = 0, jj = 0;
  for (Vertex v = 0; v < n; ++v) {
    const std::uint64_t dv = offsets[v + 1] - offsets[v], square = dv * dv;  // dv < 2^32
    j += square;  // dv appears once per slot of its row
    jj += u128(square) * dv;  // one 64 x 64 -> 128-bit multiply, not a full 128-bit product
  }
  const u128 slots = g.neighbour_array().size();
  if (slots == 0) return;
  const Wide products = multiply(2 * slots, ties.degree_products), square_j = multiply(j, j);
  const Wide cubes = multiply(slots, jj);
  if (!(square_j < cubes)) return;  // every tie joins equal degrees: r undefined (NaN)
  const double denominator = to_double(cubes - square_j);
  out.scalars[at("degree_assortativity")] = products < square_j ? -to_double(square_j - products) / denominator
                                                                : to_double(products - square_j) / denominator;
}

// The active vertices in BFS order as a graph of their own (bfs_order + induced_subgraph): the
// traversal kernels run on it because neighbours there are mostly near in memory. On the simulated
// network at scale 1 (jci-150m after 120 months, 2 threads) it took 32-source Brandes from 117 to
// 88 ms and 64-source paths from 34 to 26 ms; building it costs about 8 ms. The leaves come last
// (move_leaves_last), so paths and betweenness need not visit them and need no copy without them.
struct Layout {
  std::vector<Vertex> old_of_new, new_of_old;
  std::uint32_t leaves_from = 0;
  CsrGraph graph;
  explicit Layout(const CsrGraph& g) : old_of_new(bfs_order(g)), new_of_old(g.vertex_count(), none<Vertex>) {
    leaves_from = move_leaves_last(g, old_of_new);
    for (std::size_t i = 0; i < old_of_new.size(); ++i) new_of_old[old_of_new[i]] = Vertex(i);
    graph = g.induced_subgraph(old_of_new);
  }
  std::vector<Vertex> to_new(std::span<const Vertex> vertices) const {
    std::vector<Vertex> out(vertices.size());
    for (std::size_t i = 0; i < vertices.size(); ++i) out[i] = new_of_old[vertices[i]];
    return out;
  }
};

// `batches`: at least this many BFS batches (see bfs_distance_histogram).
void path_metrics(const CsrGraph& g, const Layout& layout, const Components& components, const MetricOptions& options,
                  std::size_t batches, MetricSet& out) {
  if (components.giant_size < 2) return;
  std::vector<Vertex> giant;
  giant.reserve(components.giant_size);
  for (Vertex v = 0; v < g.vertex_count(); ++v)
    if (components.root[v] == components.giant_root) giant.push_back(v);
  const auto size = static_cast<std::uint32_t>(giant.size());
  std::vector<Vertex> sources;
  if (options.exact_paths || options.path_samples >= size) {
    sources = giant;
  } else {
    RandomStream random(StreamKey{options.seed, options.replicate, options.month, 0, Purpose::metric_sampling});
    for (std::uint32_t i : sample_without_replacement(random, options.path_samples, size)) sources.push_back(giant[i]);
  }
  const auto histogram = bfs_distance_histogram(layout.graph, layout.to_new(sources), layout.leaves_from, batches);
  std::uint64_t pairs = 0, distance_sum = 0;
  for (std::size_t d = 1; d < histogram.size(); ++d) {
    pairs += histogram[d];
    distance_sum += d * histogram[d];
  }
  out.scalars[at("path_sample_size")] = double(sources.size());
  if (pairs == 0) return;
  out.scalars[at("mean_path_length")] = double(distance_sum) / double(pairs);
  // Interpolated percentile (as in SNAP's effective diameter): the distance d where the cumulative
  // share of pairs within d reaches 0.9, linear between integer distances.
  const double target = 0.9 * double(pairs);
  std::uint64_t cumulative = 0;
  for (std::size_t d = 1; d < histogram.size(); ++d) {
    const std::uint64_t next = cumulative + histogram[d];
    if (double(next) >= target) {
      out.scalars[at("effective_diameter")] = double(d - 1) + (target - double(cumulative)) / double(histogram[d]);
      break;
    }
    cumulative = next;
  }
}

void community_metrics(const CsrGraph& g, const Layout& layout, const MetricOptions& options, MetricSet& out) {
  const auto in_layout =
      louvain(layout.graph, StreamKey{options.seed, options.replicate, options.month, 0, Purpose::community_detection});
  // Back to the original vertices, communities renumbered by their smallest original vertex.
  std::vector<std::uint32_t> partition(g.vertex_count(), none<std::uint32_t>);
  std::vector<std::uint32_t> renumbered(in_layout.size(), none<std::uint32_t>);
  std::uint32_t k = 0;
  for (Vertex v = 0; v < g.vertex_count(); ++v) {
    const Vertex i = layout.new_of_old[v];
    // Isolated vertices are not in the layout; when every tie weighs 0, Louvain places no vertex
    // (modularity is undefined without weight) and both scalars stay NaN.
    if (i == none<Vertex> || in_layout[i] == none<std::uint32_t>) continue;
    auto& c = renumbered[in_layout[i]];
    if (c == none<std::uint32_t>) c = k++;
    partition[v] = c;
  }
  if (k > 0) {
    out.scalars[at("modularity")] = modularity(g, partition);
    out.scalars[at("communities")] = double(k);
  }
  if (options.keep_partition) out.community = std::move(partition);
}

void betweenness_metric(const CsrGraph& g, const Layout& layout, const MetricOptions& options, MetricSet& out) {
  std::vector<Vertex> active;
  for (Vertex v = 0; v < g.vertex_count(); ++v)
    if (g.degree(v) > 0) active.push_back(v);
  const auto n_active = static_cast<std::uint32_t>(active.size());
  if (n_active < 3 || options.betweenness_top_k == 0 || options.betweenness_samples == 0) return;
  std::vector<Vertex> sources;
  if (options.betweenness_samples >= n_active) {
    sources = active;
  } else {
    // entity 1: independent of the path-length sources drawn with entity 0.
    RandomStream random(StreamKey{options.seed, options.replicate, options.month, 1, Purpose::metric_sampling});
    for (auto i : sample_without_replacement(random, options.betweenness_samples, n_active)) sources.push_back(active[i]);
  }
  const auto in_layout = brandes_dependencies(layout.graph, layout.to_new(sources), layout.leaves_from);
  std::vector<double> dependency(g.vertex_count(), 0.0);
  for (std::size_t i = 0; i < in_layout.size(); ++i) dependency[layout.old_of_new[i]] = in_layout[i];
  // Unbiased estimate of sum over unordered pairs: (n / k) * (1/2) * sum_s delta_s(v); normalised
  // by the (n - 1)(n - 2) / 2 pairs not involving v, as networkx's normalized=True.
  const double scale = double(n_active) / double(sources.size()) * 0.5 /
                       (double(n_active - 1) * double(n_active - 2) / 2.0);
  std::vector<Vertex> order = active;
  const std::size_t top = std::min<std::size_t>(options.betweenness_top_k, order.size());
  std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(top), order.end(), [&](Vertex a, Vertex b) {
    return dependency[a] > dependency[b] || (dependency[a] == dependency[b] && a < b);
  });
  out.betweenness_top_vertices.assign(order.begin(), order.begin() + std::ptrdiff_t(top));
  out.betweenness_top_scores.clear();
  for (Vertex v : out.betweenness_top_vertices) out.betweenness_top_scores.push_back(dependency[v] * scale);
  out.betweenness_sample_size = static_cast<std::uint32_t>(sources.size());
}

void attributed_metrics(const CsrGraph& g, const NodeAttributes& attributes, const TieSums& ties, MetricSet& out) {
  const bool has_region = !attributes.region.empty(), has_country = !attributes.country.empty(),
             has_area = !attributes.area.empty(), has_kind = !attributes.kind.empty();
  std::uint64_t kind_known = 0;
  for (std::size_t i = 0; i < 10; ++i) kind_known += ties.kind_pair[i];
  auto share = [](const std::array<std::uint64_t, 2>& c) { return c[0] ? double(c[1]) / double(c[0]) : nan; };
  auto& s = out.scalars;
  if (g.has_renewals()) s[at("repeated_tie_share")] = share(ties.renewed);
  if (has_region) s[at("interregional_tie_share")] = share(ties.region);
  if (has_country) s[at("cross_border_tie_share")] = share(ties.country);
  if (has_area) s[at("cross_sectoral_tie_share")] = share(ties.area);
  if (has_kind && kind_known > 0)
    for (std::size_t i = 0; i < 10; ++i) s[at("tie_share_sme_sme") + i] = double(ties.kind_pair[i]) / double(kind_known);
}

bool has_region_matrix(const NodeAttributes& attributes) {
  return !attributes.region.empty() && attributes.region_count > 0 && attributes.region_count <= max_dense_regions;
}

void region_metrics(const NodeAttributes& attributes, bool with_betweenness, const TieSums& tie_sums, MetricSet& out) {
  if (!has_region_matrix(attributes)) return;
  const std::uint32_t r = attributes.region_count;
  const std::vector<std::uint32_t>& ties = tie_sums.region_ties;
  out.region_degree.assign(r, 0);
  out.region_strength.assign(r, 0.0);
  for (std::uint32_t a = 0; a < r; ++a)
    for (std::uint32_t b = 0; b < r; ++b)
      if (ties[std::size_t(a) * r + b]) {
        ++out.region_degree[a];
        out.region_strength[a] += ties[std::size_t(a) * r + b];
      }
  if (with_betweenness) {
    const std::vector<double> weight(ties.begin(), ties.end());
    out.region_betweenness = weighted_betweenness_dense(weight, r);
  }

  if (attributes.region_category.size() != r) return;
  std::array<double, 3> degree_sum{}, strength_sum{}, betweenness_sum{};
  std::array<std::uint32_t, 3> count{};
  for (std::uint32_t a = 0; a < r; ++a) {
    const auto c = attributes.region_category[a];
    if (c > 2) continue;
    ++count[c];
    degree_sum[c] += out.region_degree[a];
    strength_sum[c] += out.region_strength[a];
    if (with_betweenness) betweenness_sum[c] += out.region_betweenness[a];
  }
  auto& s = out.scalars;
  for (std::size_t c = 0; c < 3; ++c) {
    if (!count[c]) continue;
    s[at("region_degree_mean_less_developed") + c] = degree_sum[c] / count[c];
    s[at("region_strength_mean_less_developed") + c] = strength_sum[c] / count[c];
    if (with_betweenness) s[at("region_betweenness_mean_less_developed") + c] = betweenness_sum[c] / count[c];
  }
  const auto less = std::size_t(CohesionCategory::less_developed), more = std::size_t(CohesionCategory::more_developed);
  const double all = (strength_sum[0] + strength_sum[1] + strength_sum[2]) / double(count[0] + count[1] + count[2]);
  if (count[less] && count[more] && all > 0)
    s[at("convergence_gap")] = (strength_sum[more] / count[more] - strength_sum[less] / count[less]) / all;
}

void validate(const CsrGraph& g, const NodeAttributes& a) {
  const std::size_t n = g.vertex_count();
  auto check = [&](std::size_t size, const char* what) {
    if (size != 0 && size != n)
      throw Error(ErrorInfo{std::string("node attribute array has ") + std::to_string(size) + " entries for " +
                                std::to_string(n) + " vertices",
                            {}, what, std::to_string(size), "0 or " + std::to_string(n)});
  };
  check(a.region.size(), "region");
  check(a.country.size(), "country");
  check(a.kind.size(), "kind");
  check(a.area.size(), "area");
  for (std::size_t v = 0; v < a.region.size(); ++v)
    if (a.region[v] != none<RegionIndex> && a.region[v] >= a.region_count)
      throw Error(ErrorInfo{"region index out of range at vertex " + std::to_string(v), {}, "region",
                            std::to_string(a.region[v]), "< region_count = " + std::to_string(a.region_count)});
}
}  // namespace

double MetricSet::scalar(std::string_view name) const {
  const std::size_t i = scalar_index(name);
  if (i == scalar_count) throw Error(ErrorInfo{"unknown scalar metric", {}, "metric", std::string(name), "a name of scalar_metrics"});
  return scalars[i];
}

MetricSet compute_metrics(const CsrGraph& g, const NodeAttributes* attributes, const MetricOptions& options) {
  if (attributes) validate(g, *attributes);
  MetricSet out;
  out.scalars.fill(nan);
  const auto& groups = options.groups;
  auto& t = out.timings;

  // The groups the engine computes every month depend on nothing but the graph. Below
  // parallel_kernel_slots every one of them is a serial kernel (1.5-3.5 ms each on the simulated
  // network), so they run as concurrent tasks: two side by side fill two cores without the
  // scratch copies and atomics that splitting one kernel would cost. Larger graphs have some
  // parallel kernels (triangles, the tie pass) but components and k-core stay serial, so the groups
  // still run side by side, the parallel loops sharing the cores with them: at scale 10 (1.2M
  // organisations, 2.5M slots) that took the monthly groups from 154-178 to 112-122 ms on 2
  // threads; Horizon 2020 (1.6M slots) is unchanged within the noise. Each task writes only its
  // own scalars, vectors and timings, and each group is deterministic on its own, so the schedule
  // cannot reach the results. A group's time is its own wall time: side by side, the group times
  // add up to more than the whole.
  Components components;
  auto basic_group = [&] {
    if (!groups.basic && !groups.paths) return;  // paths need the components
    Stopwatch w;
    if (groups.basic) basic_metrics(g, out);
    components = connected_components(g);
    if (groups.basic && components.giant_size > 0) {
      out.scalars[at("components")] = components.count;
      out.scalars[at("giant_component_share")] =
          double(components.giant_size) / out.scalars[at("organisations_active")];
    } else if (groups.basic) {
      out.scalars[at("components")] = 0;
    }
    t.basic = w.elapsed_ms();
  };
  auto clustering_group = [&] {
    if (!groups.clustering) return;
    Stopwatch w;
    clustering_metrics(g, out);
    t.clustering = w.elapsed_ms();
  };
  auto kcore_group = [&] {
    if (!groups.kcore) return;
    Stopwatch w;
    const auto core = core_numbers(g);
    out.scalars[at("max_kcore")] = core.empty() ? 0.0 : double(*std::max_element(core.begin(), core.end()));
    t.kcore = w.elapsed_ms();
  };
  // One pass over the ties serves assortativity, attributed and regions (see sum_over_ties); its
  // time is booked to the first of those groups that is on.
  auto tie_groups = [&] {
    const TiePassWants wants{groups.assortativity, groups.attributed && (attributes || g.has_renewals()),
                             groups.regions && attributes && has_region_matrix(*attributes)};
    Stopwatch pass;
    TieSums ties;
    if (wants.degrees || wants.attributes || wants.regions) ties = sum_over_ties(g, attributes, wants);
    double pass_ms = pass.elapsed_ms();
    if (groups.assortativity) {
      Stopwatch w;
      assortativity_metric(g, ties, out);
      t.assortativity = std::exchange(pass_ms, 0.0) + w.elapsed_ms();
    }
    if (groups.attributed) {
      Stopwatch w;
      if (wants.attributes) attributed_metrics(g, attributes ? *attributes : NodeAttributes{}, ties, out);
      t.attributed = std::exchange(pass_ms, 0.0) + w.elapsed_ms();
    }
    if (groups.regions && attributes) {
      Stopwatch w;
      if (wants.regions) region_metrics(*attributes, groups.region_betweenness, ties, out);
      t.regions = std::exchange(pass_ms, 0.0) + w.elapsed_ms();
    }
  };
  // The BFS layout of the expensive groups (below) depends only on the graph too: it is a fifth
  // task, started first since it is the longest (serial BFS then a parallel copy).
  std::optional<Layout> layout;
  const bool want_layout = groups.paths || groups.communities || groups.betweenness;
  auto layout_group = [&] {
    if (!want_layout) return;
    Stopwatch w;
    layout.emplace(g);
    t.layout = w.elapsed_ms();
  };
  // Longest first, in the pairs the parallel loop hands to two threads (measured on the simulated
  // network: clustering 3.2 + kcore 1.6 against ties 2.4 + basic 2.3 ms).
  for_each_index(0, 5, [&](std::size_t group) {
    switch (group) {
      case 0: layout_group(); break;
      case 1: clustering_group(); break;
      case 2: kcore_group(); break;
      case 3: tie_groups(); break;
      default: basic_group(); break;
    }
  }, Execution::parallel, 1);

  // The expensive groups: Louvain is serial and the longest, so it runs beside the path lengths
  // and betweenness, whose loops take the other cores. Same argument as above: each writes only
  // its own fields and is deterministic on its own.
  for_each_index(0, 3, [&](std::size_t group) {
    if (group == 0 && groups.communities) {
      Stopwatch w;
      community_metrics(g, *layout, options, out);
      t.communities = w.elapsed_ms();
    } else if (group == 1 && groups.betweenness) {
      Stopwatch w;
      betweenness_metric(g, *layout, options, out);
      t.betweenness = w.elapsed_ms();
    } else if (group == 2 && groups.paths) {
      Stopwatch w;
      // Beside serial Louvain, one core fewer is free: more batches than free cores would only
      // add work (each batch is a traversal of its own).
      const std::size_t free_cores = active_threads() - (groups.communities && active_threads() > 1 ? 1 : 0);
      path_metrics(g, *layout, components, options, free_cores, out);
      t.paths = w.elapsed_ms();
    }
  }, Execution::parallel, 1);
  return out;
}

}  // namespace clusternet::network
