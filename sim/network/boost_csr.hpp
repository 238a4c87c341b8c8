#pragma once
// Bridge to Boost.Graph: a copy of a CsrGraph as boost::compressed_sparse_row_graph, so that BGL
// algorithms (BFS with visitors, Dijkstra, max-flow, ...) can run on a snapshot when a study needs
// one. The metric kernels do not use it: measured on this machine, BGL's generic clustering was
// about 200x slower than a hand-written CSR triangle count, so the hot paths stay on CsrGraph.
// The copy is directed with both directions stored, which is how BGL's CSR represents an
// undirected graph; it costs one more neighbour array and offsets array (no weights).
#include <boost/graph/compressed_sparse_row_graph.hpp>

#include <utility>
#include <vector>

#include "network/csr_graph.hpp"

namespace clusternet::network {

using BoostCsr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                    boost::no_property, Vertex, std::uint64_t>;

inline BoostCsr to_boost_csr(const CsrGraph& g) {
  // Rows are already sorted by source then target, which is what edges_are_sorted requires.
  std::vector<std::pair<Vertex, Vertex>> edges;
  edges.reserve(g.neighbour_array().size());
  for (Vertex v = 0; v < g.vertex_count(); ++v)
    for (Vertex w : g.neighbours(v)) edges.emplace_back(v, w);
  return BoostCsr(boost::edges_are_sorted, edges.begin(), edges.end(), g.vertex_count());
}

}  // namespace clusternet::network
