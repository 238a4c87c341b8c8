#include "network/tie_metrics.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <utility>

#include "core/parallel.hpp"
#include "network/kernels.hpp"
#include "network/slot_sources.hpp"
#include "world/organisation_kind.hpp"

namespace clusternet::network::detail {

namespace {
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

// Everything the pass reads at a tie's far end, packed into one 64-bit word per vertex, so that a
// far end costs one cache miss instead of five (the row offsets for the degree and four attribute
// arrays): from scale 10 on those arrays no longer fit the caches and each read missed (perf at
// scale 50: most of the pass's samples fell on those loads).
// Bits 48-63 region, 40-47 country, 32-39 area (none / unknown kept as their own values), 29-31
// kind (clamped to last_kind: unknown), 0-28 the degree when every degree fits (fewer than 2^29
// vertices), else 0 and the degree comes from the offsets. Exact: no value is cut.
struct VertexRecord {
  static constexpr unsigned degree_bits = 29;
  static constexpr std::uint64_t degree_mask = (std::uint64_t(1) << degree_bits) - 1;
  static constexpr std::uint32_t last_kind = org_kind_count;  // kinds past it are clamped to it: unknown
  static_assert(last_kind < 8, "the kind has 3 bits of the record");
  static_assert(sizeof(RegionIndex) == 2 && sizeof(CountryIndex) == 1 && sizeof(AreaIndex) == 1,
                "the record's fields are sized for these types");
  static bool degrees_fit(std::uint32_t n) { return n <= degree_mask + 1; }  // degrees are below n
  static std::uint32_t region(std::uint64_t x) { return std::uint32_t(x >> 48); }
  static std::uint32_t country(std::uint64_t x) { return std::uint32_t(x >> 40) & 0xFF; }
  static std::uint32_t area(std::uint64_t x) { return std::uint32_t(x >> 32) & 0xFF; }
  static std::uint32_t kind(std::uint64_t x) { return std::uint32_t(x >> degree_bits) & 7; }
  static std::uint64_t degree(std::uint64_t x) { return x & degree_mask; }
};

// The records of all vertices (absent attribute arrays read as none / unknown), in parallel blocks.
std::vector<std::uint64_t> vertex_records(const CsrGraph& g, const NodeAttributes& a, bool with_degrees) {
  const std::uint32_t n = g.vertex_count();
  const std::uint64_t* offsets = g.offsets().data();
  std::vector<std::uint64_t> records(n);
  constexpr std::size_t block = 1 << 14;
  for_each_index(0, (std::size_t(n) + block - 1) / block, [&](std::size_t b) {
    for (std::size_t v = b * block; v < std::min<std::size_t>(n, (b + 1) * block); ++v) {
      const std::uint64_t region = a.region.empty() ? none<RegionIndex> : a.region[v];
      const std::uint64_t country = a.country.empty() ? none<CountryIndex> : a.country[v];
      const std::uint64_t area = a.area.empty() ? unknown_attribute : a.area[v];
      const std::uint64_t kind = std::min<std::uint32_t>(a.kind.empty() ? unknown_attribute : a.kind[v], VertexRecord::last_kind);
      const std::uint64_t degree = with_degrees ? offsets[v + 1] - offsets[v] : 0;
      records[v] = region << 48 | country << 40 | area << 32 | kind << VertexRecord::degree_bits | degree;
    }
  }, n >= parallel_kernel_slots ? Execution::parallel : Execution::serial, 1);
  return records;
}

// The per-tie work of the tie pass for the attributed and regions groups, over the ties of one run
// of blocks, from the two ends' records. Counters are members of a local object, so they stay in
// registers. Every test is arithmetic: the known/differ flags add 0 or 1, and a tie that does not
// count in the region matrix goes to one of 8 spare cells past it (an index select, not a branch).
// Consecutive ties often share a kind pair or a spare cell; spreading them over 4 copies and 8
// cells keeps each increment from waiting on the one before. With Atomic (parallel blocks) only
// counted ties touch the shared matrix, by atomic increments.
template <bool Atomic>
class AttributeTally {
 public:
  AttributeTally(std::uint32_t region_count, bool by_region, const std::uint8_t* kind_slot, std::uint32_t* region_cell)
      : kind_slot_(kind_slot), region_cell_(region_cell), regions_(by_region ? region_count : 0),
        cells_(std::size_t(regions_) * regions_), by_region_(by_region) {}

  void add(std::uint64_t x, std::uint64_t z, std::size_t t) {
    using R = VertexRecord;
    const std::uint32_t xr = R::region(x), zr = R::region(z);
    const bool regions_known = (xr != none<RegionIndex>) & (zr != none<RegionIndex>);
    const bool interregional = regions_known & (xr != zr);
    region_known += regions_known;
    region_differ += interregional;
    const std::uint32_t xc = R::country(x), zc = R::country(z);
    const bool countries_known = (xc != none<CountryIndex>) & (zc != none<CountryIndex>);
    country_known += countries_known;
    country_differ += countries_known & (xc != zc);
    const std::uint32_t xa = R::area(x), za = R::area(z);
    const bool areas_known = (xa != unknown_attribute) & (za != unknown_attribute);
    area_known += areas_known;
    area_differ += areas_known & (xa != za);
    ++kind_pair[(t & 3) * 11 + kind_slot_[R::kind(x) * (R::last_kind + 1) + R::kind(z)]];
    const bool counted = by_region_ & interregional;
    if constexpr (Atomic) {
      if (counted)
        std::atomic_ref<std::uint32_t>(region_cell_[std::size_t(xr) * regions_ + zr]).fetch_add(1, std::memory_order_relaxed);
    } else {
      const std::size_t mask = std::size_t(0) - std::size_t(counted);
      ++region_cell_[((std::size_t(xr) * regions_ + zr) & mask) | ((cells_ + (t & 7)) & ~mask)];
    }
  }

  std::uint64_t region_known = 0, region_differ = 0, country_known = 0, country_differ = 0, area_known = 0,
                area_differ = 0;
  std::array<std::uint64_t, 4 * 11> kind_pair{};  // 4 interleaved copies of the 11 counters

 private:
  const std::uint8_t* kind_slot_;
  std::uint32_t* region_cell_;
  std::uint32_t regions_;
  std::size_t cells_;
  bool by_region_;
};

// What every block of one tie pass reads, set up once by sum_over_ties.
struct TiePass {
  const CsrGraph& g;
  std::uint32_t n;
  Vertex block;                      // vertices per block
  const std::uint32_t* renewals;     // null: renewals not counted
  bool degrees;                      // sum the degree products
  const std::uint64_t* records;      // null: no AttributeTally (then degrees come from the offsets)
  bool record_degrees;               // the records hold the degrees

  std::uint64_t degree(Vertex v) const {
    const std::uint64_t* offsets = g.offsets().data();
    return record_degrees ? VertexRecord::degree(records[v]) : offsets[v + 1] - offsets[v];
  }
};

// Blocks of ~16k slots (at most 4096 vertices): small enough to balance parallel blocks on dense
// graphs, large enough that a block's scratch is reused over many rows.
Vertex block_size(const CsrGraph& g) {
  return Vertex(std::clamp<std::uint64_t>((std::uint64_t(1) << 14) * std::max<std::uint64_t>(g.vertex_count(), 1) /
                                              std::max<std::uint64_t>(g.neighbour_array().size(), 1),
                                          64, 4096));
}

// The ties of blocks [first_block, last_block). A block whose mean degree is 8 or more is read row
// by row, each row from the binary search for its owner on (its larger neighbours); any other
// block flat over its slots (slot_sources.hpp), compacted to the ties u < w without a branch. Both
// take each tie once, from its smaller end, whichever way the block of its other end is read. (The
// row-by-row path once summed the degree products of whole rows, counting a tie twice when both
// ends were read that way but once or three times when they were not, which biased
// degree_assortativity on graphs that mix hubs with many low-degree vertices: issue 19.)
template <typename Tally>
TieSums sum_blocks(const TiePass& pass, std::size_t first_block, std::size_t last_block, Tally tie_tally) {
  const std::uint64_t* offsets = pass.g.offsets().data();
  const Vertex* neighbours = pass.g.neighbour_array().data();
  const std::uint32_t* renewals = pass.renewals;
  const std::uint64_t* records = pass.records;
  const bool tally = records != nullptr, degrees = pass.degrees;
  u128 degree_products = 0;
  std::uint64_t ties = 0, renewed = 0;
  // Degrees are below 2^32, so one product fits 64 bits.
  auto add = [&](Vertex u, Vertex w, std::uint64_t slot, bool with_degrees) {
    if (with_degrees) degree_products += pass.degree(u) * pass.degree(w);
    if (renewals) renewed += renewals[slot] > 0;
    if (tally) tie_tally.add(records[u], records[w], ties);
    ++ties;
  };
  std::vector<Vertex> sources;
  std::vector<std::uint32_t> tie_slots;
  for (std::size_t blk = first_block; blk < last_block; ++blk) {
    const Vertex b = Vertex(blk * pass.block), e = Vertex(std::min<std::size_t>(pass.n, (blk + 1) * pass.block));
    const std::uint64_t first = offsets[b];
    const std::size_t slots = offsets[e] - first;
    if (slots >= 8 * std::size_t(e - b)) {
      for (Vertex u = b; u < e; ++u) {
        const Vertex* row_end = neighbours + offsets[u + 1];
        const Vertex* upper = std::upper_bound(neighbours + offsets[u], row_end, u);
        if (degrees) {  // far degrees are below 2^32 and at most 2^32 of them: 64 bits hold the sum
          std::uint64_t far_degrees = 0;
          for (const Vertex* p = upper; p != row_end; ++p) far_degrees += pass.degree(*p);
          degree_products += u128(far_degrees) * pass.degree(u);
        }
        if (!renewals && !tally) continue;
        for (const Vertex* p = upper; p != row_end; ++p) add(u, *p, std::uint64_t(p - neighbours), false);
      }
      continue;
    }
    const Vertex* source = slot_sources(pass.g, b, e, sources).data();
    const Vertex* target = neighbours + first;
    tie_slots.resize(slots);
    std::uint32_t* tie_slot = tie_slots.data();
    std::size_t kept = 0;
    for (std::size_t i = 0; i < slots; ++i) {
      tie_slot[kept] = std::uint32_t(i);
      kept += target[i] > source[i];
    }
    for (std::size_t t = 0; t < kept; ++t) add(source[tie_slot[t]], target[tie_slot[t]], first + tie_slot[t], degrees);
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
}

TieSums join(TieSums x, const TieSums& y) {
  x.degree_products += y.degree_products;
  for (int i = 0; i < 2; ++i) {
    x.region[i] += y.region[i];
    x.country[i] += y.country[i];
    x.area[i] += y.area[i];
    x.renewed[i] += y.renewed[i];
  }
  for (std::size_t i = 0; i < x.kind_pair.size(); ++i) x.kind_pair[i] += y.kind_pair[i];
  return x;
}

// The kind pair -> tie_share slot table of the AttributeTally (10 = not counted: a kind unknown), a
// table because the tests of kind_group would be mispredicted for mixed kinds.
std::array<std::uint8_t, (VertexRecord::last_kind + 1) * (VertexRecord::last_kind + 1)> kind_slots() {
  constexpr std::size_t kinds = VertexRecord::last_kind + 1;
  std::array<std::uint8_t, kinds * kinds> slot{};
  for (std::size_t x = 0; x < kinds; ++x)
    for (std::size_t z = 0; z < kinds; ++z) {
      const std::uint8_t gx = kind_group(std::uint8_t(x)), gz = kind_group(std::uint8_t(z));
      slot[x * kinds + z] = gx == unknown_attribute || gz == unknown_attribute ? 10 : std::uint8_t(kind_pair_slot(gx, gz));
    }
  return slot;
}

// The pass counts a tie u < w at [region u][region w] only; both halves of a pair into both cells.
void make_symmetric(std::vector<std::uint32_t>& matrix, std::uint32_t r) {
  for (std::uint32_t x = 0; x < r; ++x)
    for (std::uint32_t z = x + 1; z < r; ++z) {
      const std::uint32_t both = matrix[std::size_t(x) * r + z] + matrix[std::size_t(z) * r + x];
      matrix[std::size_t(x) * r + z] = matrix[std::size_t(z) * r + x] = both;
    }
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

}  // namespace

// The far end's degree and attributes are random reads, and they (with the instruction count) are
// what this pass costs. Blocks run in parallel only on large graphs (integer partial sums joined in
// block order, the region matrix by atomic increments: both order-free).
TieSums sum_over_ties(const CsrGraph& g, const NodeAttributes* attributes, TiePassWants wants) {
  const NodeAttributes none_given;
  const NodeAttributes& given = attributes ? *attributes : none_given;
  const bool by_region = wants.regions;
  const bool tally = by_region || (wants.attributes && (!given.region.empty() || !given.country.empty() ||
                                                        !given.area.empty() || !given.kind.empty()));
  const std::uint32_t r = by_region ? given.region_count : 0;
  const std::size_t cells = std::size_t(r) * r;
  // With a tally the records serve it and the degrees (8 bytes per vertex for the pass's length);
  // without one the degrees come from the offsets, one read per far end as the records would be.
  const bool record_degrees = tally && wants.record_degrees && VertexRecord::degrees_fit(g.vertex_count());
  const std::vector<std::uint64_t> records = tally ? vertex_records(g, given, record_degrees) : std::vector<std::uint64_t>{};
  const TiePass pass{g, g.vertex_count(), block_size(g),
                     wants.attributes && g.has_renewals() ? g.renewal_array().data() : nullptr, wants.degrees,
                     tally ? records.data() : nullptr, record_degrees};
  const auto kind_slot = kind_slots();
  // A tie u < w counts at [region u][region w] only (one increment, into the row of the smaller
  // end's region, which stays in cache while the rows of one region are read); the matrix is made
  // symmetric at the end. 8 spare cells past it take the ties that do not count.
  std::vector<std::uint32_t> region_ties(tally ? cells + 8 : 0, 0);
  auto tie_tally = [&]<bool Atomic>() {
    return AttributeTally<Atomic>(given.region_count, by_region, kind_slot.data(), region_ties.data());
  };
  const std::size_t blocks = (std::size_t(pass.n) + pass.block - 1) / pass.block;
  TieSums sums = g.neighbour_array().size() >= parallel_kernel_slots
                     ? deterministic_reduce(0, blocks, TieSums{}, [&](std::size_t x, std::size_t y) {
                         return sum_blocks(pass, x, y, tie_tally.template operator()<true>());
                       }, join, Execution::parallel, 1)
                     : sum_blocks(pass, 0, blocks, tie_tally.template operator()<false>());
  if (by_region) {
    region_ties.resize(cells);
    make_symmetric(region_ties, r);
    sums.region_ties = std::move(region_ties);
  }
  return sums;
}

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

}  // namespace clusternet::network::detail
