#include <algorithm>
#include <atomic>
#include <bit>

#include <tbb/enumerable_thread_specific.h>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "network/kernels.hpp"
#include "network/slot_sources.hpp"

namespace clusternet::network {

namespace {
// Each tie kept in the row of its lower-ranked end, rank = (degree, index): the "forward"
// orientation, under which no out-row is longer than sqrt(2m). Out-rows stay sorted by index.
// Offset is 4 bytes whenever the ties fit, which halves the fresh memory of the offsets (fresh
// pages cost ~0.35 ms per MB on the development machine, as much as the work on them).
template <typename Offset>
struct Oriented {
  std::vector<Offset> offsets;
  std::vector<Vertex> targets;
};

template <typename Offset>
Oriented<Offset> orient(const CsrGraph& g) {
  const std::uint32_t n = g.vertex_count();
  const auto& offsets = g.offsets();
  const Vertex* neighbours = g.neighbour_array().data();
  Oriented<Offset> out;
  out.offsets.resize(std::size_t(n) + 1);
  out.targets.resize(g.edge_count() + 1);  // + 1: the write-ahead slot of the last unkept tie
  // Flat over the slots of each block (see slot_sources.hpp): the kept test is a coin flip, so it
  // is turned into arithmetic rather than a branch. before[i] = ties kept ahead of slot i.
  constexpr Vertex block = 4096;
  std::vector<Vertex> sources;
  std::vector<Offset> before;
  Offset kept = 0;
  for (Vertex b = 0, e = 0; b < n; b = e) {
    e = n - b < block ? n : b + block;
    const auto source = slot_sources(g, b, e, sources);
    const std::uint64_t first = offsets[b];
    const Vertex* target = neighbours + first;
    before.resize(source.size() + 1);
    for (std::size_t i = 0; i < source.size(); ++i) {
      const Vertex u = source[i], w = target[i];
      const std::uint64_t du = offsets[u + 1] - offsets[u], dw = offsets[w + 1] - offsets[w];
      const bool below = (du < dw) | ((du == dw) & (u < w));
      before[i] = kept;
      out.targets[kept] = w;  // written always, kept only if `below` moves the cursor past it
      kept += below;
    }
    before[source.size()] = kept;
    for (Vertex v = b; v < e; ++v) out.offsets[v] = before[offsets[v] - first];
  }
  out.offsets[n] = kept;
  return out;
}

// Triangles found from each u in [b, e): stamp u's out-row in `mark`, then look every out-row of
// an out-neighbour v up in it; a hit w closes the triangle u < v < w (in rank), found only from u.
// One load per candidate instead of a merge step (about 2x faster on the dense Horizon 2020 graph).
// A bitmap instead of the stamps was as fast on the simulated network and 20% slower on H2020.
template <typename Offset, typename Credit>
void count_from(const Oriented<Offset>& oriented, Vertex b, Vertex e, Vertex* mark, Credit credit) {
  const Offset* out_offsets = oriented.offsets.data();
  const Vertex* out = oriented.targets.data();
  for (Vertex u = b; u < e; ++u) {
    const Vertex* ub = out + out_offsets[u];
    const Vertex* ue = out + out_offsets[u + 1];
    if (ue - ub < 2) continue;
    for (const Vertex* p = ub; p != ue; ++p) mark[*p] = u;
    std::uint64_t at_u = 0;
    for (const Vertex* pv = ub; pv != ue; ++pv) {
      const Vertex v = *pv;
      std::uint64_t at_v = 0;
      for (Offset k = out_offsets[v]; k < out_offsets[v + 1]; ++k) {
        const Vertex w = out[k];
        if (mark[w] == u) {
          credit(w, 1);
          ++at_v;
        }
      }
      if (at_v) credit(v, at_v);
      at_u += at_v;
    }
    if (at_u) credit(u, at_u);
  }
}

template <typename Offset>
std::vector<std::uint64_t> count_triangles(const CsrGraph& g) {
  const std::uint32_t n = g.vertex_count();
  const Oriented<Offset> oriented = orient<Offset>(g);
  std::vector<std::uint64_t> triangles(n, 0);
  // On the simulated network a parallel count (per-thread stamps, atomic credits) was ~10% slower
  // at 2 threads than this serial one.
  if (g.neighbour_array().size() < parallel_kernel_slots) {
    std::vector<Vertex> mark(n, none<Vertex>);
    count_from(oriented, 0, n, mark.data(), [&](Vertex v, std::uint64_t k) { triangles[v] += k; });
    return triangles;
  }
  // Large graphs: blocks of vertices in parallel, corners credited with integer atomics (order-free).
  // A stamp array per worker thread: enumerable_thread_specific is the tool for scratch that holds
  // no results, so the schedule cannot reach them (the one place this module spells tbb::).
  tbb::enumerable_thread_specific<std::vector<Vertex>> marks([n] { return std::vector<Vertex>(n, none<Vertex>); });
  // Small grain: per-vertex work is very uneven (it grows with out-degree squared).
  for_each_block(0, n, [&](std::size_t b, std::size_t e) {
    count_from(oriented, Vertex(b), Vertex(e), marks.local().data(), [&](Vertex v, std::uint64_t k) {
      std::atomic_ref<std::uint64_t>(triangles[v]).fetch_add(k, std::memory_order_relaxed);
    });
  }, Execution::parallel, 256);
  return triangles;
}
}  // namespace

std::vector<std::uint64_t> triangles_per_vertex(const CsrGraph& g) {
  // Out-offsets go up to the tie count (+ 1 write-ahead slot).
  if (g.edge_count() < none<std::uint32_t>) return count_triangles<std::uint32_t>(g);
  return count_triangles<std::uint64_t>(g);
}

namespace {
// The changed ties of one kind in an open-addressing hash table, (low, high) key -> position in
// the list, and a mark per vertex that has one (the cheap test before a probe). A lookup is about
// one cache miss, where a binary search over the sorted keys took a dozen dependent ones.
struct ChangeIndex {
  static constexpr std::uint64_t empty_key = ~std::uint64_t(0);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> slots;
  std::vector<std::uint8_t> touched;
  std::uint64_t mask = 0;
  int shift = 64;

  static std::uint64_t key(Vertex a, Vertex b) {
    return a < b ? (std::uint64_t(a) << 32) | b : (std::uint64_t(b) << 32) | a;
  }
  std::uint64_t home(std::uint64_t k) const { return (k * 0x9E3779B97F4A7C15ull) >> shift; }
  ChangeIndex(std::span<const std::pair<Vertex, Vertex>> ties, std::uint32_t n) : touched(n, 0) {
    std::uint64_t capacity = 16;
    while (capacity < 2 * ties.size()) capacity *= 2;
    shift = 64 - std::countr_zero(capacity);
    mask = capacity - 1;
    slots.assign(capacity, {empty_key, 0});
    for (std::size_t i = 0; i < ties.size(); ++i) {
      touched[ties[i].first] = touched[ties[i].second] = 1;
      const std::uint64_t k = key(ties[i].first, ties[i].second);
      std::uint64_t at = home(k);
      while (slots[at].first != empty_key) at = (at + 1) & mask;
      slots[at] = {k, static_cast<std::uint32_t>(i)};
    }
  }
  // Position of tie {a, b} in the list, or none when it is not a change.
  std::uint32_t position(Vertex a, Vertex b) const {
    if (!touched[a] || !touched[b]) return none<std::uint32_t>;
    const std::uint64_t k = key(a, b);
    for (std::uint64_t at = home(k);; at = (at + 1) & mask) {
      if (slots[at].first == k) return slots[at].second;
      if (slots[at].first == empty_key) return none<std::uint32_t>;
    }
  }
};

// Adds (or subtracts) the triangles of g through each listed tie, each triangle from its first
// listed tie. Ties are grouped by their endpoint of larger degree (the owner): an owner's row is
// stamped once in a per-thread mark array, then the other end's (shorter) row of each of its ties
// is scanned for stamps. A hub with many changed ties is read once, not once per tie.
void credit_triangles(const CsrGraph& g, std::span<const std::pair<Vertex, Vertex>> ties, bool subtract,
                      std::vector<std::uint64_t>& triangles) {
  if (ties.empty()) return;
  const std::uint32_t n = g.vertex_count();
  const ChangeIndex index(ties, n);
  // (owner, other, position in the list), sorted by owner.
  struct Owned {
    Vertex owner, other;
    std::uint32_t position;
    bool operator<(const Owned& o) const {
      return owner != o.owner ? owner < o.owner : (other != o.other ? other < o.other : position < o.position);
    }
  };
  std::vector<Owned> owned(ties.size());
  for_each_index(0, ties.size(), [&](std::size_t i) {
    const auto [a, b] = ties[i];
    const auto da = g.degree(a), db = g.degree(b);
    const bool a_owns = da > db || (da == db && a < b);
    owned[i] = {a_owns ? a : b, a_owns ? b : a, static_cast<std::uint32_t>(i)};
  }, Execution::parallel, 4096);
  sort_total(owned.begin(), owned.end(), std::less<>{});
  // Unsigned arithmetic wraps modulo 2^64, so additions and subtractions may meet in any order.
  const std::uint64_t one = subtract ? ~std::uint64_t(0) : 1;
  auto add = [&](Vertex v, std::uint64_t k) {
    std::atomic_ref<std::uint64_t>(triangles[v]).fetch_add(one * k, std::memory_order_relaxed);
  };
  // Per worker thread: mark[w] = (owner u << 32) | position of w in u's row, for w a neighbour of
  // the owner being handled, and a counter per position of that row. A triangle {u, v, w} adds 1
  // to w's counter; the counters go to the shared counts once per owner. A clique of new ties
  // credits its members many times over from one owner, and an atomic add to a random vertex is
  // a cache miss each: this made them one per member (they were half of the update's time).
  struct Scratch {
    std::vector<std::uint64_t> mark;
    std::vector<std::uint32_t> count;
  };
  tbb::enumerable_thread_specific<Scratch> scratch([n] { return Scratch{std::vector<std::uint64_t>(n, ~std::uint64_t(0)), {}}; });
  // Blocks of the sorted list; a block starting inside an owner's run skips to the next owner, and
  // a block finishes the run it started, so every owner's ties are handled by one block.
  for_each_block(0, owned.size(), [&](std::size_t b, std::size_t e) {
    std::size_t i = b;
    if (i > 0) {
      while (i < owned.size() && owned[i].owner == owned[i - 1].owner) ++i;
    }
    Scratch& local = scratch.local();
    std::vector<std::uint64_t>& mark = local.mark;
    while (i < e && i < owned.size()) {
      const Vertex u = owned[i].owner;
      const auto row = g.neighbours(u);
      const std::uint64_t tag = std::uint64_t(u) << 32;
      for (std::size_t k = 0; k < row.size(); ++k) mark[row[k]] = tag | k;
      local.count.assign(row.size(), 0);
      std::uint64_t at_u = 0;
      for (; i < owned.size() && owned[i].owner == u; ++i) {
        const Vertex v = owned[i].other;
        const std::uint32_t position = owned[i].position;
        std::uint64_t here = 0;
        for (const Vertex w : g.neighbours(v)) {
          if ((mark[w] >> 32) != u) continue;
          if (index.position(u, w) < position || index.position(v, w) < position) continue;  // credited earlier
          ++local.count[mark[w] & 0xFFFFFFFFu];
          ++here;
        }
        if (here) add(v, here);
        at_u += here;
      }
      if (at_u) add(u, at_u);
      for (std::size_t k = 0; k < row.size(); ++k)
        if (local.count[k]) add(row[k], local.count[k]);
      // Stamps of u stay: the next owner's stamps differ (owners are distinct vertices).
    }
  }, Execution::parallel, 256);
}
}  // namespace

void update_triangles(const CsrGraph& before, const CsrGraph& after, std::span<const std::pair<Vertex, Vertex>> added,
                      std::span<const std::pair<Vertex, Vertex>> removed, std::vector<std::uint64_t>& triangles) {
  if (triangles.size() != before.vertex_count() || before.vertex_count() != after.vertex_count())
    throw Error("update_triangles: the counts and both graphs must have one entry per vertex");
  credit_triangles(before, removed, true, triangles);
  credit_triangles(after, added, false, triangles);
}

namespace {
// Peeling by levels over a CSR of n vertices (offsets of n + 1 entries, of any unsigned type):
// at level k every vertex whose remaining degree is k (none is lower) is removed, and so is every
// vertex that drops to k meanwhile (a queue); those have core number k. The next level is the
// smallest remaining degree. Unlike the bucket algorithm (Batagelj-Zaversnik) this keeps no
// per-vertex bucket positions: a removal is a queue push and a decrement per neighbour. Against
// it, at 1 thread: 3.0 -> 1.9 ms on the simulated network, 9.0 -> 4.5 ms on Horizon 2020, 17.6 ->
// 9.3 ms on the synthetic 120k-vertex, 1M-tie graph. The price is one flat pass over the
// survivors per level, small while the levels are few or the survivors shrink fast (as they do in
// collaboration networks).
//
// One array holds both: a vertex's remaining degree while it survives, its core number once
// removed. A queued vertex has exactly k, which is its core number already, and after level k
// every survivor has more than k; so "> k" tells survivors apart, and neither a queued nor a
// removed vertex is ever decremented or queued again.
template <typename Offset>
std::vector<std::uint32_t> peel_levels(std::uint32_t n, const Offset* offsets, const Vertex* neighbours) {
  std::vector<std::uint32_t> value(n);
  std::vector<Vertex> alive(n), queue(std::size_t(n) + 1);  // + 1: the write-ahead slot when all are queued
  std::size_t active = 0;
  for (Vertex v = 0; v < n; ++v) {
    value[v] = static_cast<std::uint32_t>(offsets[v + 1] - offsets[v]);
    alive[active] = v;
    active += value[v] > 0;  // isolated vertices keep core 0
  }
  alive.resize(active);
  std::uint32_t k = 0;
  while (!alive.empty()) {
    std::size_t kept = 0;
    std::uint32_t lowest = none<std::uint32_t>;
    for (const Vertex v : alive) {  // drop the removed, branch-free
      const bool survives = value[v] > k;
      alive[kept] = v;
      kept += survives;
      lowest = std::min(lowest, survives ? value[v] : lowest);
    }
    alive.resize(kept);
    if (kept == 0) break;
    k = lowest;
    std::size_t tail = 0;
    for (const Vertex v : alive) {
      queue[tail] = v;
      tail += value[v] == k;
    }
    for (std::size_t head = 0; head < tail; ++head) {
      if ((head & 0xFFFF) == 0) throw_if_cancelled();
      const Vertex v = queue[head];
      // The queue jumps around the graph, so its rows are cache misses: fetch the offsets 8
      // vertices ahead and the row 4 ahead (on the synthetic graph this took the peeling from 13
      // to 9 ms).
      if (head + 8 < tail) __builtin_prefetch(&offsets[queue[head + 8]]);
      if (head + 4 < tail) __builtin_prefetch(&neighbours[offsets[queue[head + 4]]]);
      if (head + 2 < tail) {  // and the remaining degrees that row 2 ahead will decrement
        const Vertex ahead = queue[head + 2];
        const auto end = std::min<Offset>(offsets[ahead + 1], offsets[ahead] + 64);
        for (auto s = offsets[ahead]; s < end; ++s) __builtin_prefetch(&value[neighbours[s]], 1);
      }
      for (auto s = offsets[v]; s < offsets[v + 1]; ++s) {
        const Vertex w = neighbours[s];
        const bool drop = value[w] > k;
        value[w] -= drop;
        queue[tail] = w;  // written always, kept only if the cursor moves past it
        tail += drop & (value[w] == k);
      }
    }
  }
  return value;
}

// The subgraph induced by the vertices of degree >= floor, renumbered in their order; its
// vertices are found by a bitmap (n bits) and a rank table (4 bytes per 64 vertices), both small
// enough to stay in the caches while the rows of the chosen vertices are read. Rows in parallel;
// each writes only its own part of the output.
struct Induced {
  std::vector<std::uint64_t> offsets;
  std::vector<Vertex> neighbours;
};

Induced induced_by_degree(const CsrGraph& g, std::uint32_t floor) {
  const std::uint32_t n = g.vertex_count();
  const auto& offsets = g.offsets();
  const Vertex* neighbours = g.neighbour_array().data();
  const std::size_t words = (std::size_t(n) + 63) / 64;
  std::vector<std::uint64_t> chosen(words, 0);
  std::vector<std::uint32_t> rank(words + 1, 0);
  std::vector<Vertex> members;
  for (std::size_t w = 0; w < words; ++w) {
    std::uint64_t bits = 0;
    const Vertex first = static_cast<Vertex>(w * 64);
    const Vertex last = static_cast<Vertex>(std::min<std::size_t>(n, w * 64 + 64));
    for (Vertex v = first; v < last; ++v) {
      if (offsets[v + 1] - offsets[v] >= floor) {
        bits |= std::uint64_t{1} << (v - first);
        members.push_back(v);
      }
    }
    chosen[w] = bits;
    rank[w + 1] = rank[w] + static_cast<std::uint32_t>(std::popcount(bits));
  }
  auto is_chosen = [&](Vertex v) { return (chosen[v >> 6] >> (v & 63)) & 1; };
  auto rank_of = [&](Vertex v) {
    const std::uint64_t below = chosen[v >> 6] & ((std::uint64_t{1} << (v & 63)) - 1);
    return rank[v >> 6] + static_cast<std::uint32_t>(std::popcount(below));
  };
  Induced out;
  out.offsets.assign(members.size() + 1, 0);
  for_each_block(0, members.size(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      std::uint64_t inside = 0;
      for (auto s = offsets[members[i]]; s < offsets[members[i] + 1]; ++s) inside += is_chosen(neighbours[s]);
      out.offsets[i + 1] = inside;
    }
  }, Execution::parallel, 64);
  for (std::size_t i = 0; i < members.size(); ++i) out.offsets[i + 1] += out.offsets[i];
  out.neighbours.resize(out.offsets.back());
  for_each_block(0, members.size(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      std::uint64_t at = out.offsets[i];
      for (auto s = offsets[members[i]]; s < offsets[members[i] + 1]; ++s) {
        const Vertex w = neighbours[s];
        if (is_chosen(w)) out.neighbours[at++] = rank_of(w);
      }
    }
  }, Execution::parallel, 64);
  return out;
}
}  // namespace

std::vector<std::uint32_t> core_numbers(const CsrGraph& g) {
  return peel_levels(g.vertex_count(), g.offsets().data(), g.neighbour_array().data());
}

std::uint32_t max_core_number(const CsrGraph& g, std::uint32_t hint) {
  // For any floor L, the k-cores of g with k >= L are those of the subgraph H induced by the
  // vertices of degree >= L (a vertex of lower degree is in no L-core), so when H's largest core
  // number reaches L it is g's. When it does not, g has no L-core, and H's largest core number,
  // a subgraph's, is still a lower bound for g's. The floor starts at the hint (a caller's guess,
  // e.g. last month's value) or at the largest L with L + 1 vertices of degree >= L (no L-core
  // can exist above it) and falls to that lower bound (or to L / 2 when the bound is far below)
  // until it holds. In collaboration
  // networks the hubs hold the top cores: at scale 10 of jci-150m (1.2 million organisations, 5.65
  // million ties, largest core 338) the 4,265 vertices of degree >= 338 hold 18% of the ties
  // among themselves, so this reads 43% of the rows once, mostly in parallel, and peels a small
  // graph that stays in the caches, instead of peeling the whole graph with a cache miss per
  // decrement. Exact whatever the hint: the hint moves only the cost.
  const std::uint32_t n = g.vertex_count();
  if (n == 0 || g.edge_count() == 0) return 0;
  const auto& offsets = g.offsets();
  // count[d] = vertices of degree d, degrees capped at `cap` (the starting floor then stays at
  // most the cap; any starting floor gives the exact value).
  const std::uint32_t cap = std::min<std::uint32_t>(n, 1u << 16);
  std::vector<std::uint32_t> count(std::size_t(cap) + 1, 0);
  for (Vertex v = 0; v < n; ++v) ++count[std::min<std::uint64_t>(offsets[v + 1] - offsets[v], cap)];
  std::uint32_t ceiling = 0;  // largest L <= cap with at least L + 1 vertices of degree >= L
  std::uint64_t at_least = 0;
  for (std::uint32_t d = cap; d >= 1; --d) {
    at_least += count[d];
    if (at_least >= std::uint64_t{d} + 1) {
      ceiling = d;
      break;
    }
  }
  auto largest = [](const std::vector<std::uint32_t>& core) {
    return core.empty() ? 0u : *std::max_element(core.begin(), core.end());
  };
  // Floors of 2 or less skip nothing worth a pass (every tie is in the 1-core): the whole graph
  // is peeled instead, also when the ceiling is that low.
  std::uint32_t floor = hint >= 1 && hint <= ceiling ? hint : ceiling;
  while (floor > 2) {
    const Induced h = induced_by_degree(g, floor);
    const std::uint32_t found =
        largest(peel_levels(static_cast<std::uint32_t>(h.offsets.size() - 1), h.offsets.data(), h.neighbours.data()));
    if (found >= floor) return found;
    // g has a found-core (H's is one), so found is a floor that holds: one more pass. It is
    // taken unless it is far below (its subgraph would be most of g), when the floor halves.
    // On the scale-50 network (largest core 506) the 2,445 vertices of the first floor, 2,444,
    // already have a 497-core.
    floor = found >= floor / 8 ? found : floor / 2;
  }
  return largest(core_numbers(g));
}

}  // namespace clusternet::network
