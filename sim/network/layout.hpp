#pragma once
// The layout: a graph's active vertices (degree >= 1) renumbered in breadth-first order, leaves
// last, as a graph of their own. The traversal kernels (path lengths, betweenness) and Louvain run
// on it because neighbours there are mostly near in memory (on the simulated network at scale 1 it
// took 32-source Brandes from 117 to 88 ms and 64-source paths from 34 to 26 ms). compute_metrics
// makes one from its graph unless the caller hands one over: the engine makes it itself, with each
// tie's weight looked up in the tie store straight into the layout's slots, so that no weighted
// copy of the monthly graph in its own numbering is needed besides it (16 bytes per tie).
#include <cstdint>
#include <span>
#include <vector>

#include "core/types.hpp"
#include "network/csr_graph.hpp"

namespace clusternet::network {

struct Layout {
  std::vector<Vertex> old_of_new;  // layout vertex -> vertex of the original graph
  std::vector<Vertex> new_of_old;  // original vertex -> layout vertex; none<Vertex> when isolated
  std::uint32_t leaves_from = 0;   // layout vertices from here on are leaves (see move_leaves_last)
  // Rows sorted by layout vertex. Made from a graph: that graph's weights (when it has them), no
  // renewal counts (no kernel on the layout reads them).
  CsrGraph graph;

  Layout() = default;
  // bfs_order, move_leaves_last, then CsrGraph::induced_subgraph: a serial BFS and a parallel copy.
  explicit Layout(const CsrGraph& g);

  std::vector<Vertex> to_new(std::span<const Vertex> vertices) const;
  // Checks that this is a layout of a graph with `vertices` vertices and `ties` ties (every tie of
  // such a graph is in its layout); throws clusternet::Error otherwise.
  void check_matches(std::uint32_t vertices, std::uint64_t ties) const;
};

}  // namespace clusternet::network
