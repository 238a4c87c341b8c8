#pragma once
// The source vertex of each slot of a block of rows, so that a kernel can read the block's ties as
// one flat loop over slots instead of a loop over rows.
//
// Why: in the simulated network most rows hold 1-3 slots, and the exit of a row loop is
// mispredicted almost every time. Measured on the scale-1 snapshot (120k vertices, 247k slots,
// one thread): a per-row loop that only reads the neighbours took ~1.2 ms, whatever its body;
// filling the sources this way and running the same work flat over the slots took ~0.5 ms.
//
// How, without a branch per row: mark the first slot of each vertex of the block (several vertices
// with empty rows share one), then a running sum of the marks along the slots is the row number.
// Cost: one pass over the block's vertices and one over its slots; memory: one 4-byte entry per
// slot of the block, in a buffer the caller keeps across blocks.
#include <span>
#include <vector>

#include "network/csr_graph.hpp"

namespace clusternet::network {

// Sources of the slots of vertices [begin, end): entry i is the row holding slot
// g.offsets()[begin] + i. `buffer` is scratch owned by the caller (resized here); the span points into it.
inline std::span<const Vertex> slot_sources(const CsrGraph& g, Vertex begin, Vertex end, std::vector<Vertex>& buffer) {
  const auto& offsets = g.offsets();
  const std::uint64_t first = offsets[begin];
  const std::size_t slots = offsets[end] - first;
  buffer.assign(slots + 1, 0);  // the extra entry takes the marks of trailing empty rows
  for (Vertex v = begin; v < end; ++v) ++buffer[offsets[v] - first];
  Vertex row = begin - 1;  // wraps for begin == 0; the first mark brings it back to begin
  for (std::size_t i = 0; i < slots; ++i) {
    row += buffer[i];
    buffer[i] = row;
  }
  return {buffer.data(), slots};
}

}  // namespace clusternet::network
