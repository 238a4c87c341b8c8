// Betweenness from sampled shortest paths: see sampled_path_interiors in kernels.hpp.
#include <algorithm>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "network/kernels.hpp"

namespace clusternet::network {

namespace {

// A vertex's mark in the current sample: 0 when neither search has reached it, else the side of
// the search that did (this bit set for the search from t) and its level plus one. A vertex one
// level further from the same end has its predecessor's mark plus one.
constexpr std::uint32_t from_t = std::uint32_t(1) << 31;

struct PairScratch {
  std::vector<std::uint32_t> mark;
  std::vector<double> sigma;  // shortest paths from the end whose search reached the vertex
  std::vector<Vertex> touched, next;
  std::vector<Vertex> frontier[2];
  std::vector<std::pair<Vertex, Vertex>> meets;  // (reached by the expanding side, by the other)
  explicit PairScratch(std::uint32_t n) : mark(n, 0), sigma(n, 0.0) {}
};

// Scratch is a pair of n-arrays: made once per thread that asks, not once per block of samples.
// Which scratch serves which sample does not matter (each is cleared after every sample).
class ScratchPool {
 public:
  explicit ScratchPool(std::uint32_t n) : n_(n) {}
  std::unique_ptr<PairScratch> take() {
    {
      const std::lock_guard lock(mutex_);
      if (!free_.empty()) {
        auto s = std::move(free_.back());
        free_.pop_back();
        return s;
      }
    }
    return std::make_unique<PairScratch>(n_);
  }
  void give(std::unique_ptr<PairScratch> s) {
    const std::lock_guard lock(mutex_);
    free_.push_back(std::move(s));
  }

 private:
  std::uint32_t n_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<PairScratch>> free_;
};

// From v back to the end its search started at, one predecessor at a time drawn with probability
// proportional to its path count: appends the vertices passed, v included, the end excluded.
void walk_back(const CsrGraph& g, const PairScratch& s, Vertex v, RandomStream& random, std::vector<Vertex>& out) {
  while ((s.mark[v] & ~from_t) > 1) {
    out.push_back(v);
    const std::uint32_t predecessor = s.mark[v] - 1;
    double r = uniform01(random) * s.sigma[v];
    Vertex chosen = none<Vertex>;
    for (const Vertex p : g.neighbours(v)) {
      if (s.mark[p] != predecessor) continue;
      chosen = p;  // the last one when rounding leaves r >= 0 after all of them
      r -= s.sigma[p];
      if (r < 0) break;
    }
    v = chosen;
  }
}

// One sampled pair: appends the inside of one uniformly drawn shortest a-b path to `out`.
void sample_pair(const CsrGraph& g, PairScratch& s, Vertex a, Vertex b, RandomStream& random,
                 std::vector<Vertex>& out) {
  s.touched.assign({a, b});
  s.mark[a] = 1;
  s.mark[b] = from_t | 1;
  s.sigma[a] = s.sigma[b] = 1.0;
  s.frontier[0].assign({a});
  s.frontier[1].assign({b});
  std::uint64_t cost[2] = {g.degree(a), g.degree(b)};
  s.meets.clear();
  while (!s.frontier[0].empty() && !s.frontier[1].empty()) {
    // The cheaper side grows: the balls stay small where each level multiplies them.
    const int side = cost[1] < cost[0] ? 1 : 0;
    const std::uint32_t own = side == 1 ? from_t : 0;
    s.next.clear();
    std::uint64_t next_cost = 0;
    for (const Vertex u : s.frontier[side]) {
      const std::uint32_t child = s.mark[u] + 1;
      const double su = s.sigma[u];
      for (const Vertex w : g.neighbours(u)) {
        const std::uint32_t m = s.mark[w];
        if (m == 0) {
          s.mark[w] = child;
          s.sigma[w] = su;
          s.next.push_back(w);
          s.touched.push_back(w);
          next_cost += g.degree(w);
        } else if (m == child) {
          s.sigma[w] += su;
        } else if ((m & from_t) != own) {
          // The other side has reached w, at its last level (were w inside the other ball, its
          // expansion would have reached u first): u-w continues u's shortest paths into w's.
          s.meets.emplace_back(u, w);
        }
      }
    }
    if (!s.meets.empty()) break;
    s.frontier[side].swap(s.next);
    cost[side] = next_cost;
  }
  if (!s.meets.empty()) {
    // Every shortest path crosses exactly one meeting tie, sigma(u) * sigma(w) of them each.
    double total = 0.0;
    for (const auto& [u, w] : s.meets) total += s.sigma[u] * s.sigma[w];
    double r = uniform01(random) * total;
    std::pair<Vertex, Vertex> chosen = s.meets.back();
    for (const auto& meet : s.meets) {
      r -= s.sigma[meet.first] * s.sigma[meet.second];
      if (r < 0) {
        chosen = meet;
        break;
      }
    }
    walk_back(g, s, chosen.first, random, out);
    walk_back(g, s, chosen.second, random, out);
  }
  for (const Vertex v : s.touched) {
    s.mark[v] = 0;
    s.sigma[v] = 0.0;
  }
}

}  // namespace

std::vector<std::uint32_t> sampled_path_interiors(const CsrGraph& g, std::span<const Vertex> candidates,
                                                  std::uint32_t samples, const RunKey& key) {
  const std::uint32_t n = g.vertex_count();
  for (const Vertex v : candidates)
    if (v >= n)
      throw Error("sampled_path_interiors: candidate " + std::to_string(v) + " is out of range (" +
                  std::to_string(n) + " vertices)");
  std::vector<std::uint32_t> count(n, 0);
  const std::size_t k = candidates.size();
  if (samples == 0 || k < 2) return count;
  // Blocks of samples, each keeping the vertices its paths passed; counted afterwards (integers:
  // the same counts whatever ran where).
  constexpr std::size_t block = 64;
  const std::size_t blocks = (std::size_t(samples) + block - 1) / block;
  std::vector<std::vector<Vertex>> inside(blocks);
  ScratchPool pool(n);
  const bool parallel = 2 * g.edge_count() >= parallel_kernel_slots;
  for_each_index(
      0, blocks,
      [&](std::size_t c) {
        auto scratch = pool.take();
        const std::size_t end = std::min<std::size_t>(samples, (c + 1) * block);
        for (std::size_t i = c * block; i < end; ++i) {
          throw_if_cancelled();
          RandomStream random(key.stream(i, Purpose::betweenness_pair_sampling));
          const std::size_t first = uniform_index(random, k);
          std::size_t second = uniform_index(random, k - 1);
          if (second >= first) ++second;
          sample_pair(g, *scratch, candidates[first], candidates[second], random, inside[c]);
        }
        pool.give(std::move(scratch));
      },
      parallel ? Execution::parallel : Execution::serial, 1);
  for (const auto& vertices : inside)
    for (const Vertex v : vertices) ++count[v];
  return count;
}

}  // namespace clusternet::network
