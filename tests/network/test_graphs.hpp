#pragma once
// Graph builders shared by the network tests.
#include <cstdint>
#include <utility>
#include <vector>

#include "network/csr_graph.hpp"

namespace clusternet::network::testing {

// The simplified graph of an edge list (self-loops dropped, repeats merged: CsrGraph::from_edges).
inline CsrGraph graph(std::uint32_t n, const std::vector<std::pair<Vertex, Vertex>>& edges) {
  std::vector<Vertex> s, t;
  for (auto [a, b] : edges) {
    s.push_back(a);
    t.push_back(b);
  }
  return CsrGraph::from_edges(n, s, t);
}

// `ties` random pairs over n vertices (64-bit LCG from `seed`; self-loops and repeats included,
// CsrGraph simplifies them): sparse enough for leaves, long paths and several components.
inline std::vector<std::pair<Vertex, Vertex>> random_pairs(std::uint32_t n, int ties, std::uint64_t seed) {
  std::vector<std::pair<Vertex, Vertex>> edges;
  std::uint64_t x = seed;
  auto next = [&] { return x = x * 6364136223846793005ull + 1442695040888963407ull, x >> 24; };
  for (int i = 0; i < ties; ++i) edges.emplace_back(Vertex(next() % n), Vertex(next() % n));
  return edges;
}

}  // namespace clusternet::network::testing
