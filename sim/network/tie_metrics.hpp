#pragma once
// Internal to the metric code (not for callers of compute_metrics): the metric groups that are
// sums over the ties (assortativity, the attributed tie shares, the region-level metrics), their
// one shared pass over the ties, and the helpers metrics.cpp and tie_metrics.cpp both use.
#include <array>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "network/csr_graph.hpp"
#include "network/metrics.hpp"

namespace clusternet::network::detail {

inline constexpr double nan = std::numeric_limits<double>::quiet_NaN();
__extension__ using u128 = unsigned __int128;  // exact sums of degree products (no overflow at 10^7 nodes)

// scalar_index for code that names a metric literally: an unknown name does not compile when used
// in a constant expression (the throw cannot be evaluated there).
constexpr std::size_t at(std::string_view name) {
  const std::size_t i = scalar_index(name);
  if (i == scalar_count) throw "unknown scalar metric";
  return i;
}

// Above this many regions the dense region matrix (4 bytes per region pair) is not built.
inline constexpr std::uint32_t max_dense_regions = 2048;

// Whether the region-level group can run: a region per vertex and at most max_dense_regions.
bool has_region_matrix(const NodeAttributes& attributes);

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
  bool regions = false;     // region matrix (needs has_region_matrix)
  // The degrees from the per-vertex records when they fit (fewer than 2^29 vertices); false reads
  // them from the offsets as larger graphs do (for tests: the sums are the same either way).
  bool record_degrees = true;
};

// One pass over the ties, each taken once from its smaller end (see tie_metrics.cpp for how).
// `attributes` may be null. Deterministic on any thread count (integer sums only).
TieSums sum_over_ties(const CsrGraph& g, const NodeAttributes* attributes, TiePassWants wants);

// The groups' scalars (and the region vectors) from the pass's sums, written into `out`.
void assortativity_metric(const CsrGraph& g, const TieSums& ties, MetricSet& out);
void attributed_metrics(const CsrGraph& g, const NodeAttributes& attributes, const TieSums& ties, MetricSet& out);
void region_metrics(const NodeAttributes& attributes, bool with_betweenness, const TieSums& tie_sums, MetricSet& out);

}  // namespace clusternet::network::detail
