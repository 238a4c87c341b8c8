#include <algorithm>
#include <limits>
#include <memory>

#include "core/parallel.hpp"
#include "network/kernels.hpp"

namespace clusternet::network {

namespace {
constexpr std::uint32_t unvisited = none<std::uint32_t>;  // Brandes' distance marker

// One bit per vertex: n / 8 bytes, so at 120k vertices the visited set (15 KB) stays in L1 where
// a 4-byte distance array (480 KB) spilled out of L2 and every slot read became a cache miss.
class Bitmap {
 public:
  explicit Bitmap(std::uint32_t n) : words_((std::size_t(n) + 63) / 64, 0) {}
  bool test(Vertex v) const { return (words_[v >> 6] >> (v & 63)) & 1u; }
  void set(Vertex v) { words_[v >> 6] |= std::uint64_t(1) << (v & 63); }
  void clear() { std::fill(words_.begin(), words_.end(), 0); }

 private:
  std::vector<std::uint64_t> words_;
};

// Scratch reused across the BFS runs of one chunk of sources (allocated once per chunk).
struct BfsScratch {
  Bitmap visited, frontier_bits;
  std::vector<Vertex> queue;      // every vertex reached, in BFS order: levels are contiguous runs
  std::vector<Vertex> unvisited;  // candidates of the bottom-up levels (may hold visited vertices)
  explicit BfsScratch(std::uint32_t n) : visited(n), frontier_bits(n) { queue.reserve(n); }
};

// Direction-optimising BFS (Beamer et al., SC'12): top-down while the frontier is small, bottom-up
// (every unvisited vertex looks for a parent in the frontier and stops at the first) while the
// frontier's rows outweigh the unexplored ones. Only the count of vertices reached at each level is
// kept (added to `histogram`), and it is the same whichever direction a level runs in, so the
// switch is purely a cost decision.
//
// Costs that shaped it: the earlier version kept a 4-byte distance per vertex and scanned all n
// vertices at each bottom-up level with Beamer's alpha = 14. On the sparse simulated network (mean
// degree ~2, ~37 levels) bottom-up levels fired on the middle levels and cost more than top-down
// (unvisited vertices rarely find a parent, so they read their whole row), and a BFS cost 15 ms
// at 120k vertices. A bottom-up level is chosen only when the frontier's rows outweigh the
// unexplored rows by bottom_up_alpha (below), and it scans only a
// list of still-unvisited vertices, compacted as it goes.
// Bottom-up when frontier_slots * alpha > unexplored_slots. Bottom-up pays when an unvisited
// vertex finds a frontier parent after a few slot reads, which needs a high mean degree, so alpha
// follows it: mean degree / 2 clamped to [1, 14] (14 is Beamer's value). Measured at 120k vertices
// (machine shared, +-15%): at 125k ties (mean degree 2) alpha 1/2/4/14 gave 4.8/6.9/7.0/9.3 ms per
// BFS; at 1M ties 6.2/7.3/5.6/5.8 ms; on H2020 (mean degree 50) alpha 1 took 1.5x alpha 14.
std::uint64_t bottom_up_alpha(const CsrGraph& g) {
  if (g.vertex_count() == 0) return 1;
  const std::uint64_t half_mean_degree = g.neighbour_array().size() / (2 * std::uint64_t(g.vertex_count()));
  return std::clamp<std::uint64_t>(half_mean_degree, 1, 14);
}

void bfs_histogram(const CsrGraph& g, Vertex source, BfsScratch& s, std::vector<std::uint64_t>& histogram) {
  const std::uint32_t n = g.vertex_count();
  const auto& offsets = g.offsets();
  const Vertex* neighbours = g.neighbour_array().data();
  auto& queue = s.queue;
  s.visited.clear();
  queue.clear();
  queue.push_back(source);
  s.visited.set(source);
  std::uint64_t unexplored_slots = g.neighbour_array().size() - g.degree(source);
  bool list_built = false;
  const std::uint64_t alpha = bottom_up_alpha(g);
  std::size_t level_begin = 0;
  // Slots of the frontier's rows, summed while the frontier is being found (a vertex's degree is
  // read when it is reached, not in separate passes over the queue: each is a cache miss).
  std::uint64_t frontier_slots = g.degree(source);
  for (std::uint32_t level = 0; level_begin < queue.size(); ++level) {
    const std::size_t level_end = queue.size();
    std::uint64_t next_slots = 0;
    if (frontier_slots * alpha > unexplored_slots) {
      if (!list_built) {
        s.unvisited.clear();
        for (Vertex v = 0; v < n; ++v)
          if (!s.visited.test(v) && g.degree(v) > 0) s.unvisited.push_back(v);
        list_built = true;
      }
      s.frontier_bits.clear();
      for (std::size_t k = level_begin; k < level_end; ++k) s.frontier_bits.set(queue[k]);
      std::size_t kept = 0;
      for (const Vertex v : s.unvisited) {
        if (s.visited.test(v)) continue;  // reached by a top-down level since the last compaction
        const auto row_begin = offsets[v], row_end = offsets[v + 1];
        bool found = false;
        for (auto e = row_begin; e < row_end; ++e)
          if (s.frontier_bits.test(neighbours[e])) {
            found = true;
            break;
          }
        if (found) {
          s.visited.set(v);
          queue.push_back(v);
          next_slots += row_end - row_begin;
        } else {
          s.unvisited[kept++] = v;
        }
      }
      s.unvisited.resize(kept);
    } else {
      for (std::size_t k = level_begin; k < level_end; ++k) {
        const Vertex u = queue[k];
        for (auto e = offsets[u]; e < offsets[u + 1]; ++e) {
          const Vertex v = neighbours[e];
          if (!s.visited.test(v)) {
            s.visited.set(v);
            queue.push_back(v);
            next_slots += g.degree(v);
          }
        }
      }
    }
    const std::size_t reached = queue.size() - level_end;
    unexplored_slots -= next_slots;
    frontier_slots = next_slots;
    if (reached > 0) {
      if (histogram.size() <= level + 1) histogram.resize(level + 2, 0);
      histogram[level + 1] += reached;
    }
    level_begin = level_end;
  }
}
}  // namespace

std::vector<std::uint64_t> bfs_distance_histogram(const CsrGraph& g, std::span<const Vertex> sources) {
  using Histogram = std::vector<std::uint64_t>;
  return deterministic_reduce(
      0, sources.size(), Histogram{},
      [&](std::size_t b, std::size_t e) {
        BfsScratch scratch(g.vertex_count());
        Histogram h;
        for (std::size_t i = b; i < e; ++i) bfs_histogram(g, sources[i], scratch, h);
        return h;
      },
      [](Histogram a, Histogram b) {
        if (a.size() < b.size()) std::swap(a, b);
        for (std::size_t d = 0; d < b.size(); ++d) a[d] += b[d];
        return a;
      },
      Execution::parallel, 4);
}

std::vector<double> brandes_dependencies(const CsrGraph& g, std::span<const Vertex> sources) {
  const std::uint32_t n = g.vertex_count();
  using Scores = std::vector<double>;
  return deterministic_reduce(
      0, sources.size(), Scores{},
      [&](std::size_t b, std::size_t e) {
        Scores total(n, 0.0);
        std::vector<std::uint32_t> dist(n, unvisited);
        std::vector<double> sigma(n, 0.0), delta(n, 0.0);
        std::vector<Vertex> order;  // vertices in BFS order (non-decreasing distance)
        order.reserve(n);
        for (std::size_t i = b; i < e; ++i) {
          const Vertex s = sources[i];
          order.clear();
          order.push_back(s);
          dist[s] = 0;
          sigma[s] = 1.0;
          for (std::size_t head = 0; head < order.size(); ++head) {
            const Vertex u = order[head];
            for (Vertex v : g.neighbours(u)) {
              if (dist[v] == unvisited) {
                dist[v] = dist[u] + 1;
                order.push_back(v);
              }
              if (dist[v] == dist[u] + 1) sigma[v] += sigma[u];
            }
          }
          for (std::size_t k = order.size(); k-- > 1;) {
            const Vertex w = order[k];
            const double coefficient = (1.0 + delta[w]) / sigma[w];
            for (Vertex v : g.neighbours(w))
              if (dist[v] + 1 == dist[w]) delta[v] += sigma[v] * coefficient;
            total[w] += delta[w];
          }
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
