#include <atomic>

#include "core/parallel.hpp"
#include "network/kernels.hpp"

namespace clusternet::network {

namespace {
Vertex find_root(std::vector<Vertex>& parent, Vertex v) {
  // Path halving with relaxed atomics: concurrent finds may read stale parents, which only makes
  // them take a longer (still correct) path; every write points a vertex at a smaller ancestor.
  while (true) {
    std::atomic_ref<Vertex> pv(parent[v]);
    const Vertex p = pv.load(std::memory_order_relaxed);
    if (p == v) return v;
    const Vertex gp = std::atomic_ref<Vertex>(parent[p]).load(std::memory_order_relaxed);
    if (gp != p) {
      Vertex expected = p;
      pv.compare_exchange_weak(expected, gp, std::memory_order_relaxed);
    }
    v = gp;
  }
}
}  // namespace

Components connected_components(const CsrGraph& g) {
  const std::uint32_t n = g.vertex_count();
  std::vector<Vertex> parent(n);
  for_each_index(0, n, [&](std::size_t v) { parent[v] = Vertex(v); }, Execution::parallel, 1 << 14);

  // Union of each tie (u < w) once. A link is attempted only from a root to a smaller root by CAS;
  // on failure (someone else linked it meanwhile) both roots are found again.
  for_each_block(0, n, [&](std::size_t b, std::size_t e) {
    for (std::size_t u = b; u < e; ++u) {
      for (Vertex w : g.neighbours(Vertex(u))) {
        if (w <= u) continue;
        Vertex a = find_root(parent, Vertex(u)), c = find_root(parent, w);
        while (a != c) {
          if (a < c) std::swap(a, c);  // a is the larger root: hang it under c
          Vertex expected = a;
          if (std::atomic_ref<Vertex>(parent[a]).compare_exchange_strong(expected, c, std::memory_order_relaxed))
            break;
          a = find_root(parent, a);
          c = find_root(parent, c);
        }
      }
    }
  }, Execution::parallel, 1 << 11);

  // Full compression. Roots are the minima of their components because links always go to a
  // smaller root; after the union phase every parent chain descends to that root.
  Components result;
  result.root.resize(n);
  for_each_index(0, n, [&](std::size_t v) {
    Vertex r = Vertex(v);
    while (parent[r] != r) r = parent[r];
    result.root[v] = r;
  }, Execution::parallel, 1 << 14);

  // Sizes: serial, O(n), counting only vertices with a tie.
  std::vector<std::uint32_t> size(n, 0);
  for (Vertex v = 0; v < n; ++v)
    if (g.degree(v) > 0) ++size[result.root[v]];
  for (Vertex v = 0; v < n; ++v) {
    if (size[v] == 0) continue;
    ++result.count;
    if (size[v] > result.giant_size) {  // strict: the first (smallest root) wins ties
      result.giant_size = size[v];
      result.giant_root = v;
    }
  }
  return result;
}

std::vector<Vertex> bfs_order(const CsrGraph& g) {
  const std::uint32_t n = g.vertex_count();
  std::vector<Vertex> order;
  order.reserve(n);
  std::vector<std::uint8_t> seen(n, 0);
  for (Vertex start = 0; start < n; ++start) {
    if (seen[start] || g.degree(start) == 0) continue;
    seen[start] = 1;
    std::size_t head = order.size();
    order.push_back(start);
    for (; head < order.size(); ++head) {
      const Vertex u = order[head];
      for (Vertex w : g.neighbours(u))
        if (!seen[w]) {
          seen[w] = 1;
          order.push_back(w);
        }
    }
  }
  return order;
}

}  // namespace clusternet::network
