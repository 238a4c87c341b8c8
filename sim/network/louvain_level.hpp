#pragma once
// Internal to sim/network: a level of Louvain, shared by the sequential phases in louvain.cpp and
// the parallel ones in louvain_parallel.cpp.
#include <cstdint>
#include <span>
#include <vector>

#include "core/random.hpp"
#include "network/csr_graph.hpp"

namespace clusternet::network::louvain_detail {

// A weighted graph with self-loops: a level of Louvain. From the second level on, communities
// become vertices and their internal weight a self-loop; such a level is built serially from the
// previous one and owns its arrays. The first level reads the input graph's arrays in place when
// every vertex has a tie (the BFS layout of the metrics always does), its weights scaled as they
// are read: a copy of targets and weights cost 12 bytes per slot, the largest transient of a
// measured month after the snapshot itself. The product raw * first * second is the one a copy
// stored, so the levels see the same doubles either way.
struct LevelGraph {
  std::span<const std::uint64_t> offsets;
  std::span<const std::uint32_t> targets;
  std::span<const double> raw_weights;
  // Or, for a first level read from a graph with coded weights, a code per slot, the table and the
  // escaped slots with their weights (SlotCodes).
  std::span<const std::uint16_t> codes;
  std::span<const double> table;
  std::span<const std::uint64_t> escaped_slots;
  std::span<const double> escaped_weights;
  double first = 1.0, second = 1.0;  // the scale applied on reading (1 for an owned level)
  // Weight of the loop at each vertex (counted once); empty when there are none (the first level:
  // the graph is simple), read through loop().
  std::vector<double> self_loop;
  // Storage of an owned level.
  std::vector<std::uint64_t> own_offsets;
  std::vector<std::uint32_t> own_targets;
  std::vector<double> own_weights;

  double weight(std::uint64_t e) const { return stored_weight(e) * first * second; }
  double loop(std::uint32_t v) const { return self_loop.empty() ? 0.0 : self_loop[v]; }
  double stored_weight(std::uint64_t e) const {
    if (codes.empty()) return raw_weights[e];
    const std::uint16_t code = codes[e];
    return code != SlotCodes::escaped ? table[code] : CsrGraph::escaped_weight(escaped_slots, escaped_weights, e);
  }
  // For prefetching: where slot e's weight (or its code) is stored.
  const void* weight_address(std::uint64_t e) const {
    return codes.empty() ? static_cast<const void*>(raw_weights.data() + e) : static_cast<const void*>(codes.data() + e);
  }
  std::uint32_t size() const { return static_cast<std::uint32_t>(offsets.size() - 1); }
  // Points the views at the owned storage (after building or moving an owned level).
  void bind_own() {
    offsets = own_offsets;
    targets = own_targets;
    raw_weights = own_weights;
    codes = {};
    table = {};
    escaped_slots = {};
    escaped_weights = {};
    first = second = 1.0;
  }
};

// The first pass's order of the vertices 0..n-1 (louvain.cpp).
std::vector<std::uint32_t> block_order_queue(std::uint32_t n, RandomStream& random);

// One local-moving phase whose visits are decided in parallel: the same result on any number of
// threads (louvain_parallel.cpp). Returns whether any vertex moved.
bool local_moving_parallel(const LevelGraph& level, std::vector<std::uint32_t>& community, RandomStream& random,
                           double total_weight_2m);

// The next level from a level and its communities renumbered 0..k-1: each community a vertex, its
// internal weight a self-loop (louvain_parallel.cpp). Rows are built in parallel, each summed in
// the order a serial pass would sum it, so the result does not depend on the thread count.
// Owned: bind_own() again after moving it.
LevelGraph aggregate(const LevelGraph& level, const std::vector<std::uint32_t>& community, std::uint32_t k);

}  // namespace clusternet::network::louvain_detail
