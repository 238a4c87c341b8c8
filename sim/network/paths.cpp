#include <algorithm>

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
  // One row of dependencies per source, summed afterwards in source order: bit-identical on any
  // thread count. n^2 doubles: 1 MB at 350 regions.
  std::vector<double> per_source(std::size_t(n) * n, 0.0);
  for_each_index(0, n, [&](std::size_t s) {
    std::vector<double> dist(n, -1.0), sigma(n, 0.0), delta(n, 0.0);
    std::vector<bool> done(n, false);
    std::vector<Vertex> order;
    order.reserve(n);
    dist[s] = 0.0;
    sigma[s] = 1.0;
    // Dense Dijkstra, O(n^2): the region graph is near-complete, where a heap does not pay.
    for (std::uint32_t step = 0; step < n; ++step) {
      Vertex u = none<Vertex>;
      for (Vertex v = 0; v < n; ++v)
        if (!done[v] && dist[v] >= 0.0 && (u == none<Vertex> || dist[v] < dist[u])) u = v;
      if (u == none<Vertex>) break;
      done[u] = true;
      order.push_back(u);
      const double* row = weight_matrix.data() + std::size_t(u) * n;
      for (Vertex v = 0; v < n; ++v) {
        if (row[v] <= 0.0 || done[v]) continue;
        const double candidate = dist[u] + 1.0 / row[v];
        if (dist[v] < 0.0 || candidate < dist[v]) {
          dist[v] = candidate;
          sigma[v] = sigma[u];
        } else if (candidate == dist[v]) {
          sigma[v] += sigma[u];
        }
      }
    }
    for (std::size_t k = order.size(); k-- > 1;) {
      const Vertex w = order[k];
      const double* row = weight_matrix.data() + std::size_t(w) * n;
      for (Vertex v = 0; v < n; ++v) {
        // v is a predecessor of w on a shortest path: exact float equality, as in the forward pass.
        if (row[v] > 0.0 && done[v] && dist[v] >= 0.0 && dist[v] + 1.0 / row[v] == dist[w])
          delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
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
