#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <span>
#include <string>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "network/kernels.hpp"
#include "network/louvain_level.hpp"

namespace clusternet::network {

using louvain_detail::LevelGraph;

// The first pass's order of the vertices 0..n-1: a seeded random order of blocks of consecutive
// vertices (Fisher-Yates over the blocks with the project's portable uniform_index), each block
// in index order. The graph comes in BFS layout, so a block is a patch of neighbours whose rows
// and communities share cache lines: a fully random order made every visit a cache miss (level 0
// on the simulated network at scale 1: 14 -> 10 ms) while the seed still decides the order.
// Modularity of the ci-small golden run was unchanged on average (0.7714 -> 0.7720).
std::vector<std::uint32_t> louvain_detail::block_order_queue(std::uint32_t n, RandomStream& random) {
  constexpr std::uint32_t block = 16;
  const std::uint32_t blocks = (n + block - 1) / block;
  std::vector<std::uint32_t> block_order(blocks);
  std::iota(block_order.begin(), block_order.end(), 0u);
  for (std::uint32_t i = blocks; i > 1; --i) std::swap(block_order[i - 1], block_order[uniform_index(random, i)]);
  std::vector<std::uint32_t> queue;
  queue.reserve(n);
  for (std::uint32_t b : block_order)
    for (std::uint32_t v = b * block; v < std::min(n, (b + 1) * block); ++v) queue.push_back(v);
  return queue;
}


namespace {
// Multiplication by a power of two that brings the largest weight into [1, 2) (by 1 when
// unweighted or every weight is 0). Modularity and every Louvain decision are invariant under a
// common factor of the weights, and a power of two rescales each weight exactly, so the scaled
// weights change nothing but the range: sums of weights near 1e308 no longer overflow, and
// weights near 1e-300 are not lost beside absolute constants. Two factors, because the power
// needed for a subnormal largest weight (up to 2^1074) is itself beyond the double range; each
// product stays exact.
struct WeightScale {
  double first = 1.0, second = 1.0;
  explicit WeightScale(const CsrGraph& g) {
    const double largest = g.largest_weight();
    if (!(largest > 0.0)) return;
    const int exponent = -std::ilogb(largest);
    first = std::ldexp(1.0, exponent / 2);
    second = std::ldexp(1.0, exponent - exponent / 2);
  }
  double operator()(double w) const { return w * first * second; }
};

// The first level: the active vertices only (isolated ones can never join a community and would
// otherwise stay vertices of every aggregated level), renumbered 0..a-1 in index order; weights
// multiplied by `scale`; no self-loops (an empty self_loop). Read in place when every vertex is
// active and the graph is weighted; active_id is then left empty (the identity), as the engine's
// layout always has it: at scale 250 each array of the first level is one entry for each of tens of
// millions of vertices, held beside the layout.
void level_from_csr(const CsrGraph& g, const WeightScale& scale, std::vector<std::uint32_t>& active_id,
                    LevelGraph& level) {
  const std::uint32_t n = g.vertex_count();
  active_id.clear();
  level.self_loop.clear();
  std::uint32_t a = 0;
  for (Vertex v = 0; v < n; ++v) a += g.degree(v) > 0;
  if (a == n && g.has_weights()) {  // ids are the identity: the graph is the level
    level.offsets = g.offsets();
    level.targets = g.neighbour_array();
    level.raw_weights = g.weight_array();  // empty when coded
    level.codes = {g.weight_code_array().data(), g.weight_code_array().size()};
    level.table = g.weight_table();
    level.escaped_slots = g.escaped_slots();
    level.escaped_weights = g.escaped_weights();
    level.first = scale.first;
    level.second = scale.second;
    return;
  }
  active_id.assign(n, none<std::uint32_t>);
  for (Vertex v = 0, next = 0; v < n; ++v)
    if (g.degree(v) > 0) active_id[v] = next++;
  level.own_offsets.reserve(std::size_t(a) + 1);
  level.own_offsets.push_back(0);
  level.own_targets.reserve(g.neighbour_array().size());
  level.own_weights.reserve(g.neighbour_array().size());
  for (Vertex v = 0; v < n; ++v) {
    if (active_id[v] == none<std::uint32_t>) continue;
    for (auto e = g.offsets()[v]; e < g.offsets()[v + 1]; ++e) {
      level.own_targets.push_back(active_id[g.neighbour_array()[e]]);  // order kept: ids are monotone
      level.own_weights.push_back(scale(g.slot_weight(e)));
    }
    level.own_offsets.push_back(level.own_targets.size());
  }
  level.bind_own();
}

// Per community: the weight from the current vertex into it, and for which visit it holds (the
// visit's number + 1): a zero link weight cannot stand for "untouched", since ties may weigh 0.
// Side by side, since every tie reads both (one cache line, not two).
struct alignas(16) Link {
  std::uint64_t stamp = 0;
  double weight = 0.0;
};

// A pipeline over the ring `queue` behind its next vertex, queue[head] (prefetches change no
// value, only when lines arrive): three places behind it the row bounds, two behind the row, its
// weights and the strength, one behind the communities of the first eight neighbours. At scale
// 50 (1.1M active vertices) Louvain took about 10% less time with these and those of
// link_weights. Needs more than three vertices queued.
void prefetch_queued(const LevelGraph& level, const std::vector<std::uint32_t>& queue, std::size_t head,
                     const std::vector<std::uint32_t>& community, const std::vector<double>& strength) {
  const std::size_t n = queue.size();
  auto ahead = [&](std::size_t k) { return queue[head + k >= n ? head + k - n : head + k]; };
  __builtin_prefetch(&level.offsets[ahead(3)]);
  const std::uint32_t second_next = ahead(2);
  const auto second_row = level.offsets[second_next];
  __builtin_prefetch(level.targets.data() + second_row);  // may be one past the end: not read
  __builtin_prefetch(level.weight_address(second_row));
  __builtin_prefetch(&strength[second_next]);
  const std::uint32_t next = ahead(1);
  const auto next_row = level.offsets[next];
  const auto next_end = std::min(level.offsets[next + 1], next_row + 8);
  for (auto e = next_row; e < next_end; ++e) __builtin_prefetch(&community[level.targets[e]]);
}

// Sums v's tie weights into link[] per neighbouring community for the visit `stamp`, and lists in
// `touched` the communities in order of first appearance along v's sorted row.
void link_weights(const LevelGraph& level, std::uint32_t v, std::uint64_t stamp,
                  const std::vector<std::uint32_t>& community, const std::vector<double>& community_total,
                  std::vector<Link>& link, std::vector<std::uint32_t>& touched) {
  touched.clear();
  const auto row_end = level.offsets[v + 1];
  for (auto e = level.offsets[v]; e < row_end; ++e) {
    // Along a long row (the hubs hold most of the slots) the neighbours' communities are fetched
    // 16 slots ahead and their link entries 8 ahead.
    if (e + 16 < row_end) __builtin_prefetch(&community[level.targets[e + 16]]);
    if (e + 8 < row_end) __builtin_prefetch(&link[community[level.targets[e + 8]]], 1);
    const std::uint32_t c = community[level.targets[e]];
    Link& l = link[c];
    if (l.stamp != stamp) {
      l.stamp = stamp;
      l.weight = 0.0;
      touched.push_back(c);
      __builtin_prefetch(&community_total[c]);  // read when the gains are compared
    }
    l.weight += level.weight(e);
  }
}

// One local-moving phase, queue-based (the "fast local move" of Traag et al. 2019, Leiden): every
// vertex is visited once in a seeded random order; after that, only vertices whose neighbourhood
// changed are revisited. A vertex that moves puts its neighbours outside its new community at the
// back of the queue (each vertex is at most once in the queue), so the queue empties exactly when no
// vertex can improve, and the work after the first pass follows the moves instead of repeating
// full sweeps (on the simulated network the later sweeps moved 15% then 1% of the vertices).
// Returns whether any vertex moved. `community` is updated in place. Degree k_v counts a self-loop
// twice (as in the modularity definition with A_vv = 2 * loop).
bool local_moving(const LevelGraph& level, std::vector<std::uint32_t>& community, RandomStream& random,
                  double total_weight_2m) {
  const std::uint32_t n = level.size();
  std::vector<double> strength(n, 0.0), community_total(n, 0.0);
  for (std::uint32_t v = 0; v < n; ++v) {
    double k = 2.0 * level.loop(v);
    for (auto e = level.offsets[v]; e < level.offsets[v + 1]; ++e) k += level.weight(e);
    strength[v] = k;
    community_total[community[v]] += k;
  }
  std::vector<std::uint32_t> queue = louvain_detail::block_order_queue(n, random);
  std::vector<std::uint8_t> queued(n, 1);
  std::size_t head = 0, queued_count = n;

  std::vector<Link> link(n);
  std::vector<std::uint32_t> touched;
  bool any_move = false;
  // A move needs a gain above the current one by 1e-12 of the vertex's strength (or of the gain,
  // if larger), so float noise cannot make vertices cycle. The gains are differences of terms of
  // at most the strength, so this scale is what their rounding error is relative to, and it
  // holds at any scale of the weights (a threshold of at least 1e-12 in absolute terms, as before,
  // froze every vertex whose ties weighed less than about 1e-12). The visit cap (the cost of 1000
  // full sweeps) is a guard that real graphs do not reach.
  const std::uint64_t max_visits = std::uint64_t(n) * 1000;
  for (std::uint64_t visit = 0; queued_count > 0 && visit < max_visits; ++visit) {
    if ((visit & 0xFFFF) == 0) throw_if_cancelled();
    const std::uint32_t v = queue[head];
    head = head + 1 == n ? 0 : head + 1;
    --queued_count;
    queued[v] = 0;
    if (queued_count > 3) prefetch_queued(level, queue, head, community, strength);
    if (strength[v] == 0.0) continue;
    const std::uint32_t own = community[v];
    const std::uint64_t stamp = visit + 1;
    link_weights(level, v, stamp, community, community_total, link, touched);
    if (link[own].stamp != stamp) link[own].weight = 0.0;  // no tie into its own community
    // Gain of moving v (removed from `own`) into c, up to a common positive factor:
    // link(v, c) - k_v * total(c) / 2m.
    community_total[own] -= strength[v];
    const double k_over_2m = strength[v] / total_weight_2m;
    std::uint32_t best = own;
    double best_gain = link[own].weight - k_over_2m * community_total[own];
    // Candidates in order of first appearance along v's sorted row: deterministic.
    for (std::uint32_t c : touched) {
      const double gain = link[c].weight - k_over_2m * community_total[c];
      if (gain > best_gain + 1e-12 * std::max(strength[v], std::abs(best_gain))) {
        best_gain = gain;
        best = c;
      }
    }
    community_total[best] += strength[v];
    if (best == own) continue;
    community[v] = best;
    any_move = true;
    for (auto e = level.offsets[v]; e < level.offsets[v + 1]; ++e) {
      const std::uint32_t w = level.targets[e];
      if (queued[w] || community[w] == best) continue;
      queued[w] = 1;
      std::size_t tail = head + queued_count;
      if (tail >= n) tail -= n;
      queue[tail] = w;
      ++queued_count;
    }
  }
  return any_move;
}

// Renumbers communities 0..k-1 by first appearance in vertex order; returns k.
std::uint32_t renumber(std::vector<std::uint32_t>& community) {
  std::vector<std::uint32_t> map(community.size(), none<std::uint32_t>);
  std::uint32_t next = 0;
  for (auto& c : community) {
    if (map[c] == none<std::uint32_t>) map[c] = next++;
    c = map[c];
  }
  return next;
}

}  // namespace

std::vector<std::uint32_t> louvain(const CsrGraph& g, const StreamKey& key, LocalMoving moving) {
  const std::uint32_t n = g.vertex_count();
  const WeightScale scale(g);
  double two_m = 0.0;
  if (moving == LocalMoving::parallel)  // fixed chunks joined in order: the same sum on any thread count
    two_m = deterministic_reduce(
        0, g.neighbour_array().size(), 0.0,
        [&](std::size_t b, std::size_t e) {
          double sum = 0.0;
          for (std::size_t k = b; k < e; ++k) sum += scale(g.slot_weight(k));
          return sum;
        },
        [](double a, double b) { return a + b; }, Execution::parallel, std::size_t(1) << 16);
  else
    for (std::size_t k = 0; k < g.neighbour_array().size(); ++k) two_m += scale(g.slot_weight(k));
  if (two_m <= 0.0) return std::vector<std::uint32_t>(n, none<std::uint32_t>);  // no weight: modularity undefined, no vertex placed

  RandomStream random(key);
  std::vector<std::uint32_t> active_id;
  LevelGraph level;
  level_from_csr(g, scale, active_id, level);
  // Active vertex -> current level vertex; empty while that is the identity (before any move).
  std::vector<std::uint32_t> vertex_community;
  for (int depth = 0; depth < 64; ++depth) {
    std::vector<std::uint32_t> community(level.size());
    std::iota(community.begin(), community.end(), 0u);
    const bool moved = moving == LocalMoving::parallel
                           ? louvain_detail::local_moving_parallel(level, community, random, two_m)
                           : local_moving(level, community, random, two_m);
    if (!moved) break;
    const std::uint32_t k = renumber(community);
    if (vertex_community.empty()) {
      vertex_community = community;
    } else {
      for (auto& c : vertex_community) c = community[c];
    }
    if (k == level.size()) break;
    level = louvain_detail::aggregate(level, community, k);
    level.bind_own();
  }
  // Final numbering by each community's smallest vertex; isolated vertices have no community.
  std::vector<std::uint32_t> result(n, none<std::uint32_t>);
  std::vector<std::uint32_t> map(level.size(), none<std::uint32_t>);
  std::uint32_t next = 0;
  for (Vertex v = 0; v < n; ++v) {
    const std::uint32_t id = active_id.empty() ? v : active_id[v];
    if (id == none<std::uint32_t>) continue;
    auto& m = map[vertex_community.empty() ? id : vertex_community[id]];
    if (m == none<std::uint32_t>) m = next++;
    result[v] = m;
  }
  return result;
}

namespace {
// A running sum with Neumaier's compensation: its error stays within a few roundings whatever the
// number and order of the terms. A plain running sum of the millions of tie weights of a large
// network drifts by up to about 1e-12 of the total, so the order of the sum (the original
// numbering or the layout's) showed in the reported modularity.
struct CompensatedSum {
  double sum = 0.0, compensation = 0.0;
  void add(double x) {
    const double t = sum + x;
    compensation += std::abs(sum) >= std::abs(x) ? (sum - t) + x : (x - t) + sum;
    sum = t;
  }
  double value() const { return sum + compensation; }
};
}  // namespace

double modularity(const CsrGraph& g, std::span<const std::uint32_t> community) {
  const std::uint32_t n = g.vertex_count();
  std::uint32_t k = 0;
  for (Vertex v = 0; v < n; ++v)
    if (community[v] != none<std::uint32_t>) k = std::max(k, community[v] + 1);
  std::vector<CompensatedSum> internal(k), total(k);
  const WeightScale scale(g);  // Q is scale-free; scaled sums cannot overflow
  CompensatedSum all;
  for (Vertex v = 0; v < n; ++v) {
    const auto lo = g.offsets()[v], hi = g.offsets()[v + 1];
    if (lo == hi) continue;
    const std::uint32_t c = community[v];
    if (c == none<std::uint32_t>)
      throw Error("modularity: vertex " + std::to_string(v) + " has ties but no community");
    for (auto e = lo; e < hi; ++e) {
      const double w = scale(g.slot_weight(e));
      all.add(w);
      total[c].add(w);
      if (community[g.neighbour_array()[e]] == c) internal[c].add(w);
    }
  }
  const double two_m = all.value();
  if (two_m <= 0.0) return std::numeric_limits<double>::quiet_NaN();
  CompensatedSum q;
  for (std::uint32_t c = 0; c < k; ++c) {
    const double share = total[c].value() / two_m;
    q.add(internal[c].value() / two_m - share * share);
  }
  return q.value();
}

}  // namespace clusternet::network
