#include <algorithm>
#include <bit>
#include <limits>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "network/kernels.hpp"

namespace clusternet::network {

namespace {
constexpr std::uint32_t unvisited = none<std::uint32_t>;  // Brandes' distance marker


// The leaves-last structure of a graph (see move_leaves_last): vertices [0, core) are the others;
// per such vertex, where its non-leaf neighbours end in its row and how many leaves hang on it.
struct LeafSplit {
  std::uint32_t core = 0;
  std::vector<std::uint64_t> row_end;
  std::vector<std::uint32_t> leaves;
};

void check_sources(const CsrGraph& g, std::span<const Vertex> sources, const char* caller) {
  for (const Vertex v : sources)
    if (v >= g.vertex_count())
      throw Error(std::string(caller) + ": source " + std::to_string(v) + " is out of range");
}

// Also checks the sources, which every caller of it traverses from.
LeafSplit leaf_split(const CsrGraph& g, std::uint32_t leaves_from, std::span<const Vertex> sources,
                     const char* caller) {
  check_sources(g, sources, caller);
  const std::uint32_t n = g.vertex_count();
  if (leaves_from > n)
    throw Error(std::string(caller) + ": leaves_from " + std::to_string(leaves_from) + " exceeds the vertex count " +
                std::to_string(n));
  LeafSplit split;
  split.core = leaves_from;
  split.leaves.assign(leaves_from, 0);
  for (Vertex v = leaves_from; v < n; ++v) {
    const Vertex p = g.degree(v) == 1 ? g.neighbours(v)[0] : none<Vertex>;
    if (p >= leaves_from || g.degree(p) < 2)
      throw Error(std::string(caller) + ": vertex " + std::to_string(v) + " is at or after leaves_from " +
                  std::to_string(leaves_from) + " but is not a leaf hanging on a vertex before it");
    ++split.leaves[p];
  }
  // Rows are sorted and every vertex from `core` on is a leaf, so a row's leaves are its last entries.
  split.row_end.resize(leaves_from);
  for (Vertex v = 0; v < leaves_from; ++v) split.row_end[v] = g.offsets()[v + 1] - split.leaves[v];
  return split;
}

// Multi-source BFS of one batch of at most 64 sources (bit i of a mask stands for sources[i]) over
// the non-leaf vertices. seen[v]: sources that reached v; frontier[v]: sources that reached v at
// the current level; next[v]: sources offered to v by its frontier neighbours during this level.
// Each level runs top down over the vertices whose frontier is not empty (kept in a list, so a
// level costs the rows of its frontier, not a scan of all vertices); the vertices offered something
// are collected as they are first touched, then settled in one pass. The count of new bits at a
// level is the number of (source, vertex) pairs at that distance. Leaves are never visited: a
// source that is a leaf runs from its neighbour p as a "late" bit (its distances are p's plus one);
// the leaves hanging on a vertex reached at distance d are at d + 1 (d + 2 for late bits).
struct MsBfsScratch {
  std::vector<std::uint64_t> seen, frontier, next;
  std::vector<Vertex> active, touched;
  explicit MsBfsScratch(std::uint32_t n) : seen(n, 0), frontier(n, 0), next(n, 0) {}
};

void ms_bfs_histogram(const CsrGraph& g, const LeafSplit& split, std::span<const Vertex> sources, MsBfsScratch& s,
                      std::vector<std::uint64_t>& histogram) {
  const Vertex* neighbours = g.neighbour_array().data();
  const auto& offsets = g.offsets();
  auto add = [&](std::size_t d, std::uint64_t count) {
    if (count == 0) return;
    if (histogram.size() <= d) histogram.resize(d + 1, 0);
    histogram[d] += count;
  };
  // Pairs found when `fresh` first reaches vertex w at level d (not for d == 0: see below).
  std::uint64_t late = 0;  // bits of leaf sources
  auto count_reached = [&](Vertex w, std::uint64_t fresh, std::size_t d) {
    const std::uint64_t on_time = std::uint64_t(std::popcount(fresh & ~late));
    const std::uint64_t delayed = std::uint64_t(std::popcount(fresh & late));
    add(d, on_time);
    add(d + 1, delayed + on_time * split.leaves[w]);
    add(d + 2, delayed * split.leaves[w]);
  };
  s.active.clear();
  for (std::size_t i = 0; i < sources.size(); ++i) {
    Vertex v = sources[i];
    const std::uint64_t bit = std::uint64_t(1) << i;
    if (v >= split.core) {
      v = neighbours[offsets[v]];
      late |= bit;
    }
    if (s.frontier[v] == 0) s.active.push_back(v);
    s.seen[v] |= bit;
    s.frontier[v] |= bit;
  }
  // Level 0: an on-time source is at distance 0 from itself (not counted) and 1 from its leaves; a
  // late one is at 1 from its neighbour and 2 from that neighbour's other leaves (not from itself).
  for (const Vertex v : s.active) {
    const std::uint64_t f = s.frontier[v];
    const std::uint64_t on_time = std::uint64_t(std::popcount(f & ~late));
    const std::uint64_t delayed = std::uint64_t(std::popcount(f & late));
    add(1, delayed + on_time * split.leaves[v]);
    add(2, delayed * (split.leaves[v] - 1));  // a late bit's vertex has its leaf, so leaves >= 1
  }
  for (std::size_t level = 1; !s.active.empty(); ++level) {
    throw_if_cancelled();
    s.touched.clear();
    for (const Vertex u : s.active) {
      const std::uint64_t f = s.frontier[u];
      for (auto e = offsets[u], end = split.row_end[u]; e < end; ++e) {
        const Vertex w = neighbours[e];
        if (s.next[w] == 0) s.touched.push_back(w);
        s.next[w] |= f;
      }
    }
    for (const Vertex u : s.active) s.frontier[u] = 0;
    s.active.clear();
    for (const Vertex w : s.touched) {
      const std::uint64_t fresh = s.next[w] & ~s.seen[w];
      s.next[w] = 0;
      if (fresh == 0) continue;
      s.seen[w] |= fresh;
      s.frontier[w] = fresh;
      s.active.push_back(w);
      count_reached(w, fresh, level);
    }
  }
}
}  // namespace

std::uint32_t move_leaves_last(const CsrGraph& g, std::vector<Vertex>& vertices) {
  auto is_leaf = [&](Vertex v) { return g.degree(v) == 1 && g.degree(g.neighbours(v)[0]) > 1; };
  const auto leaves = std::stable_partition(vertices.begin(), vertices.end(), [&](Vertex v) { return !is_leaf(v); });
  return static_cast<std::uint32_t>(leaves - vertices.begin());
}

std::vector<std::uint64_t> bfs_distance_histogram(const CsrGraph& g, std::span<const Vertex> sources,
                                                  std::uint32_t leaves_from, std::size_t min_batches) {
  using Histogram = std::vector<std::uint64_t>;
  const LeafSplit split = leaf_split(g, leaves_from, sources, "bfs_distance_histogram");
  if (sources.empty()) return {};
  // Batches of at most 64 sources, but at least min_batches (down to 16 sources a batch). The
  // split changes only the cost.
  const std::size_t count = sources.size();
  std::size_t batches = (count + 63) / 64;
  batches = std::max(batches, std::min<std::size_t>(std::max<std::size_t>(min_batches, 1), (count + 15) / 16));
  const std::size_t per_batch = (count + batches - 1) / batches;
  batches = (count + per_batch - 1) / per_batch;
  return deterministic_reduce(
      0, batches, Histogram{},
      [&](std::size_t b, std::size_t e) {
        Histogram h;
        for (std::size_t i = b; i < e; ++i) {
          MsBfsScratch scratch(split.core);  // zeroed: one scratch per batch
          const std::size_t first = i * per_batch, last = std::min(count, first + per_batch);
          ms_bfs_histogram(g, split, sources.subspan(first, last - first), scratch, h);
        }
        return h;
      },
      [](Histogram a, Histogram b) {
        if (a.size() < b.size()) std::swap(a, b);
        for (std::size_t d = 0; d < b.size(); ++d) a[d] += b[d];
        return a;
      },
      Execution::parallel, 1);
}

std::vector<std::uint64_t> bfs_distance_histogram(const CsrGraph& g, std::span<const Vertex> sources) {
  return bfs_distance_histogram(g, sources, g.vertex_count(), active_threads());
}

std::vector<double> brandes_dependencies(const CsrGraph& g, std::span<const Vertex> sources,
                                         std::uint32_t leaves_from) {
  const std::uint32_t n = g.vertex_count();
  const LeafSplit split = leaf_split(g, leaves_from, sources, "brandes_dependencies");
  // Leaves are never inside a shortest path, and each adds exactly 1 to the dependency of the
  // vertex it hangs on (sigma(leaf) = sigma(parent)). So the traversals run on the other vertices
  // (the "core", [0, core)), a vertex starting its dependency at its number of leaves. A leaf
  // source s on parent p shares p's shortest paths: delta_s(v) = delta_p(v) for v outside {s, p},
  // and p lies on all of s's paths, delta_s(p) = reached - 2.
  const std::uint32_t core_n = split.core;
  const auto& offsets = g.offsets();
  const Vertex* neighbours = g.neighbour_array().data();
  std::vector<double> leaves(split.leaves.begin(), split.leaves.end());

  using Scores = std::vector<double>;
  Scores in_core = deterministic_reduce(
      0, sources.size(), Scores{},
      [&](std::size_t b, std::size_t e) {
        Scores total(core_n, 0.0);
        std::vector<std::uint32_t> dist(core_n, unvisited);
        std::vector<double> sigma(core_n, 0.0), delta(core_n, 0.0);
        std::vector<Vertex> order;  // core vertices in BFS order (non-decreasing distance)
        order.reserve(core_n);
        for (std::size_t i = b; i < e; ++i) {
          const bool leaf_source = sources[i] >= core_n;
          const Vertex s = leaf_source ? neighbours[offsets[sources[i]]] : sources[i];
          order.clear();
          order.push_back(s);
          dist[s] = 0;
          sigma[s] = 1.0;
          delta[s] = leaves[s];
          for (std::size_t head = 0; head < order.size(); ++head) {
            if ((head & 0xFFFF) == 0) throw_if_cancelled();
            const Vertex u = order[head];
            for (auto k = offsets[u], end = split.row_end[u]; k < end; ++k) {
              const Vertex v = neighbours[k];
              if (dist[v] == unvisited) {
                dist[v] = dist[u] + 1;
                delta[v] = leaves[v];
                order.push_back(v);
              }
              if (dist[v] == dist[u] + 1) sigma[v] += sigma[u];
            }
          }
          double reached = 1.0 + leaves[s];
          for (std::size_t k = order.size(); k-- > 1;) {
            const Vertex w = order[k];
            reached += 1.0 + leaves[w];
            const double coefficient = (1.0 + delta[w]) / sigma[w];
            for (auto j = offsets[w], end = split.row_end[w]; j < end; ++j) {
              const Vertex v = neighbours[j];
              if (dist[v] + 1 == dist[w]) delta[v] += sigma[v] * coefficient;
            }
            total[w] += delta[w];
          }
          if (leaf_source) total[s] += reached - 2.0;
          for (Vertex v : order) {  // reset only what this source touched
            dist[v] = unvisited;
            sigma[v] = 0.0;
            delta[v] = 0.0;
          }
        }
        return total;
      },
      [](Scores a, Scores b) {
        if (a.empty()) return b;
        for (std::size_t v = 0; v < b.size(); ++v) a[v] += b[v];
        return a;
      },
      Execution::parallel, 4);
  in_core.resize(n, 0.0);  // leaves: 0 (no source given: all 0)
  return in_core;
}

std::vector<double> brandes_dependencies(const CsrGraph& g, std::span<const Vertex> sources) {
  const std::uint32_t n = g.vertex_count();
  check_sources(g, sources, "brandes_dependencies");
  std::vector<Vertex> order(n);
  for (Vertex v = 0; v < n; ++v) order[v] = v;
  const std::uint32_t leaves_from = move_leaves_last(g, order);
  std::vector<Vertex> new_of_old(n);
  for (Vertex i = 0; i < n; ++i) new_of_old[order[i]] = i;
  std::vector<Vertex> relabelled(sources.size());
  for (std::size_t i = 0; i < sources.size(); ++i) relabelled[i] = new_of_old[sources[i]];
  const auto in_copy = brandes_dependencies(g.induced_subgraph(order), relabelled, leaves_from);
  std::vector<double> result(n);
  for (Vertex i = 0; i < n; ++i) result[order[i]] = in_copy[i];
  return result;
}

std::vector<double> weighted_betweenness_dense(std::span<const double> weight_matrix, std::uint32_t n) {
  std::vector<double> result(n, 0.0);
  if (n < 3) return result;
  constexpr double infinity = std::numeric_limits<double>::infinity();
  // Link lengths computed once: a division in the inner loops cost 2 n^3 divisions (about 30M at
  // 242 regions, most of the kernel's time). Each entry is the same double 1.0 / w as before, so
  // every sum and comparison below sees the same values and the result is bit-identical.
  // No link: +infinity, which no finite path length equals.
  std::vector<double> length(std::size_t(n) * n);
  for (std::size_t k = 0; k < length.size(); ++k)
    length[k] = weight_matrix[k] > 0.0 ? 1.0 / weight_matrix[k] : infinity;
  // One row of dependencies per source, summed afterwards in source order: bit-identical on any
  // thread count. n^2 doubles: 1 MB at 350 regions.
  std::vector<double> per_source(std::size_t(n) * n, 0.0);
  for_each_index(0, n, [&](std::size_t s) {
    // dist: +infinity until reached. pending: the unsettled vertices in index order, so one pass
    // over it both relaxes the links of the vertex just settled and finds the next one to settle
    // (smallest distance, first index on ties, as the separate scans did): n^2 / 2 reads per
    // source instead of 2 n^2. The settled vertex leaves the list by one memmove, cheaper than
    // compacting inside the hot loop.
    std::vector<double> dist(n, infinity), sigma(n, 0.0), delta(n, 0.0);
    std::vector<Vertex> order, pending(n);
    order.reserve(n);
    for (Vertex v = 0; v < n; ++v) pending[v] = v;
    // Shortest-path predecessors of each vertex, recorded as the forward pass finds them (a strict
    // improvement restarts the list), so the backward pass reads a few entries per vertex instead
    // of scanning a whole matrix row: n^3 -> about n^2 per sweep. Row w holds at most n entries;
    // no initialisation needed (only the first pred_count[w] are read).
    const auto preds = std::make_unique_for_overwrite<Vertex[]>(std::size_t(n) * n);
    std::vector<std::uint32_t> pred_count(n, 0);
    dist[s] = 0.0;
    sigma[s] = 1.0;
    // Dense Dijkstra, O(n^2): the region graph is near-complete, where a heap does not pay.
    std::size_t position = s;  // of the vertex to settle in `pending`
    while (position != pending.size()) {
      const Vertex u = pending[position];
      pending.erase(pending.begin() + std::ptrdiff_t(position));
      order.push_back(u);
      const double du = dist[u], sigma_u = sigma[u];
      const double* row = length.data() + std::size_t(u) * n;
      double best = infinity;
      position = pending.size();
      for (std::size_t i = 0; i < pending.size(); ++i) {
        const Vertex v = pending[i];
        // A missing link gives +infinity: never below dist[v], and equal only to an unreached
        // dist[v], which the second test excludes.
        const double candidate = du + row[v];
        if (candidate < dist[v]) {
          dist[v] = candidate;
          sigma[v] = sigma_u;
          preds[std::size_t(v) * n] = u;
          pred_count[v] = 1;
        } else if (candidate == dist[v] && candidate != infinity) {
          sigma[v] += sigma_u;
          preds[std::size_t(v) * n + pred_count[v]++] = u;
        }
        if (dist[v] < best) {
          best = dist[v];
          position = i;
        }
      }
    }
    for (std::size_t k = order.size(); k-- > 1;) {
      const Vertex w = order[k];
      const double coefficient_w = 1.0 + delta[w], sigma_w = sigma[w];
      // The predecessors are exactly the v with dist[v] + length(v, w) == dist[w] (exact float
      // equality) that the former full-row scan found: the matrix is symmetric, and links are at
      // most 1 / (smallest positive weight) long while paths stay below n, far from the 2^53
      // ratio at which adding a link could leave a distance unchanged. Each delta[v] still
      // receives its terms in reverse settling order of w, so the sums are bit-identical.
      const Vertex* pw = preds.get() + std::size_t(w) * n;
      for (std::uint32_t i = 0; i < pred_count[w]; ++i) {
        const Vertex v = pw[i];
        delta[v] += sigma[v] / sigma_w * coefficient_w;
      }
      per_source[s * n + w] = delta[w];
    }
  }, Execution::parallel, 1);
  // Each unordered pair is counted from both ends: halve, then normalise by the pair count.
  const double normaliser = 0.5 * 2.0 / (double(n - 1) * double(n - 2));
  for (std::uint32_t s = 0; s < n; ++s)
    for (Vertex v = 0; v < n; ++v) result[v] += per_source[std::size_t(s) * n + v];
  for (auto& r : result) r *= normaliser;
  return result;
}

}  // namespace clusternet::network
