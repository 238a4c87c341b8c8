#include <algorithm>
#include <limits>
#include <memory>

#include "core/parallel.hpp"
#include "network/kernels.hpp"

namespace clusternet::network {

namespace {
constexpr std::uint32_t unvisited = none<std::uint32_t>;

// Scratch reused across the BFS runs of one chunk of sources: O(n) to allocate, so it is allocated
// once per chunk rather than once per source.
struct BfsScratch {
  std::vector<std::uint32_t> dist;
  std::vector<Vertex> frontier, next;
  explicit BfsScratch(std::uint32_t n) : dist(n, unvisited) { frontier.reserve(n); next.reserve(n); }
};

// Direction-optimising BFS (Beamer et al., SC'12): top-down while the frontier is small, bottom-up
// (every unvisited vertex looks for a parent in the frontier and stops at the first) while the
// frontier's rows make up a large share of the ties. On the dense co-participation graphs this
// skips most of the slot reads. Adds the count of vertices at each distance to `histogram`.
void bfs_histogram(const CsrGraph& g, Vertex source, BfsScratch& s, std::vector<std::uint64_t>& histogram) {
  const std::uint32_t n = g.vertex_count();
  const std::uint64_t slots = g.neighbour_array().size();
  std::fill(s.dist.begin(), s.dist.end(), unvisited);
  s.frontier.clear();
  s.frontier.push_back(source);
  s.dist[source] = 0;
  std::uint32_t level = 0;
  std::uint64_t unexplored_slots = slots - g.degree(source);
  while (!s.frontier.empty()) {
    std::uint64_t frontier_slots = 0;
    for (Vertex v : s.frontier) frontier_slots += g.degree(v);
    s.next.clear();
    // Beamer et al.'s switch (alpha = 14), stateless: bottom-up while the frontier's rows exceed a
    // fourteenth of the rows not yet explored. Near the end both are small and a bottom-up level
    // costs one O(n) scan, which bounds the damage.
    const bool bottom_up = frontier_slots * 14 > unexplored_slots;
    if (bottom_up) {
      for (Vertex v = 0; v < n; ++v) {
        if (s.dist[v] != unvisited) continue;
        for (Vertex u : g.neighbours(v)) {
          if (s.dist[u] == level) {
            s.dist[v] = level + 1;
            s.next.push_back(v);
            break;
          }
        }
      }
    } else {
      for (Vertex u : s.frontier)
        for (Vertex v : g.neighbours(u))
          if (s.dist[v] == unvisited) {
            s.dist[v] = level + 1;
            s.next.push_back(v);
          }
    }
    for (Vertex v : s.next) unexplored_slots -= g.degree(v);
    ++level;
    if (!s.next.empty()) {
      if (histogram.size() <= level) histogram.resize(level + 1, 0);
      histogram[level] += s.next.size();
    }
    std::swap(s.frontier, s.next);
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
