#include "network/layout.hpp"

#include <string>

#include "core/error.hpp"
#include "network/kernels.hpp"

namespace clusternet::network {

Layout::Layout(const CsrGraph& g) : old_of_new(bfs_order(g)), new_of_old(g.vertex_count(), none<Vertex>) {
  leaves_from = move_leaves_last(g, old_of_new);
  for (std::size_t i = 0; i < old_of_new.size(); ++i) new_of_old[old_of_new[i]] = Vertex(i);
  graph = g.induced_subgraph(old_of_new, /*with_renewals=*/false);
}

std::vector<Vertex> Layout::to_new(std::span<const Vertex> vertices) const {
  std::vector<Vertex> out(vertices.size());
  for (std::size_t i = 0; i < vertices.size(); ++i) out[i] = new_of_old[vertices[i]];
  return out;
}

void Layout::check_matches(std::uint32_t vertices, std::uint64_t ties) const {
  if (new_of_old.size() != vertices || graph.vertex_count() != old_of_new.size() || graph.edge_count() != ties)
    throw Error("layout of " + std::to_string(new_of_old.size()) + " vertices and " +
                std::to_string(graph.edge_count()) + " ties given for a graph of " + std::to_string(vertices) +
                " vertices and " + std::to_string(ties) + " ties");
}

}  // namespace clusternet::network
