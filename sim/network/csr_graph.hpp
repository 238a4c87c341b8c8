#pragma once
// Immutable undirected simple graph in compressed sparse row form: the snapshot every network
// metric reads. Each undirected tie {u, v} is stored twice (v in u's row, u in v's row), rows
// sorted by neighbour index, so set intersections (triangles) are linear merges and a row is one
// contiguous read.
//
// Memory: offsets 8 bytes per vertex (+8); neighbours 4 bytes per directed slot; weights 8 bytes
// per slot only when the input carried weights; renewals 4 bytes per slot only when the input
// carried them. So at most 12 bytes per directed edge for a weighted graph (16 with renewals).
// Weights are doubles so that any finite weight a caller holds (1e-300 or 1e308 included) keeps
// its value: single precision turned weights below ~1e-45 into 0 and refused those above ~3e38.
// A graph may instead hold its weights coded (with_slot_codes): a 2-byte code per slot into a
// table of at most 65,535 weights, and the few slots whose weight is not in the table listed with
// their weights: the same doubles in 6 bytes less per slot. The engine's layout does, since its
// ties' weights take few distinct values (86,387 among 27.7 million ties at scale 50, the 65,535
// most frequent of them the weights of all but 0.08% of the ties).
//
// Simplification rule (applies to every metric; documented in docs/metrics.md):
//  - self-loops (u == u) are dropped: a collaboration of an organisation with itself is no tie;
//  - multi-edges are merged into one tie whose weight is the sum of the parallel weights and whose
//    renewal count is the sum of the parallel renewal counts. The sum is taken in double precision
//    in a canonical order (sorted by weight), so the merged weight is bit-identical whatever the
//    input order and the thread count.
#include <algorithm>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include "core/types.hpp"
#include "core/uninit_vector.hpp"

namespace clusternet::network {

using Vertex = std::uint32_t;

// Edge weights as the caller holds them, single or double precision (the graph stores doubles; a
// float converts exactly). Empty: no weights. A view: the array must outlive the call.
class EdgeWeights {
 public:
  EdgeWeights() = default;
  // Implicit on purpose: callers pass their arrays as they pass the other spans.
  EdgeWeights(std::span<const float> w) : single_(w) {}
  EdgeWeights(std::span<const double> w) : double_(w) {}
  EdgeWeights(const std::vector<float>& w) : single_(w) {}
  EdgeWeights(const std::vector<double>& w) : double_(w) {}
  std::size_t size() const { return single_.size() + double_.size(); }
  bool empty() const { return size() == 0; }
  double operator[](std::size_t i) const { return double_.empty() ? double(single_[i]) : double_[i]; }

 private:
  std::span<const float> single_;
  std::span<const double> double_;
};

// Coded weights for CsrGraph::with_slot_codes (network/weight_codes.hpp makes them).
struct SlotCodes {
  // The code of a slot whose weight is not in the table: it is in escaped_weights.
  static constexpr std::uint16_t escaped = 0xFFFF;
  static constexpr std::size_t table_limit = 0xFFFF;  // codes 0 .. 65,534
  UninitVector<std::uint16_t> codes;         // one per slot
  std::vector<double> table;                 // at most table_limit weights, in any order
  std::vector<std::uint64_t> escaped_slots;  // ascending: the slots whose code is `escaped`
  std::vector<double> escaped_weights;       // aligned with escaped_slots
};

class CsrGraph {
 public:
  CsrGraph() : offsets_(1, 0) {}

  // Builds the simplified graph on `vertex_count` vertices from parallel arrays of edge endpoints.
  // `weights` and `renewals` are optional (empty span: absent); when given they must have one
  // entry per edge. Built in parallel by a counting sort (degree count, prefix sum, scatter, per-row
  // sort and merge). Throws clusternet::Error if an endpoint is >= vertex_count, if the optional
  // arrays have the wrong length, if a weight is negative or not finite, or if the weights of a
  // repeated pair add up past the largest finite double.
  static CsrGraph from_edges(std::uint32_t vertex_count, std::span<const Vertex> sources,
                             std::span<const Vertex> targets, EdgeWeights weights = {},
                             std::span<const std::uint32_t> renewals = {});

  // Fast path for callers that already hold a simple graph: no self-loops and no pair twice.
  // Parallel bucket sort without atomics, rows ordered by neighbour (insertion sort for short
  // rows, an index sort for long ones). The result equals from_edges on the same input. Throws clusternet::Error if a precondition is violated or a
  // weight is negative or not finite.
  static CsrGraph from_unique_edges(std::uint32_t vertex_count, std::span<const Vertex> sources,
                                    std::span<const Vertex> targets, EdgeWeights weights,
                                    std::span<const std::uint32_t> renewals);

  // The subgraph induced by `order` (distinct vertices of this graph), relabelled so that order[i]
  // becomes vertex i; ties to vertices outside `order` are dropped, weights carried, and renewals
  // too unless `with_renewals` is false (the traversal layout needs none: 8 bytes per tie less).
  // Used to lay out a traversal's working set in BFS order (cache locality), and to drop isolated
  // vertices. Parallel over rows; the result does not depend on the thread count. Throws
  // clusternet::Error if a vertex is out of range or listed twice.
  CsrGraph induced_subgraph(std::span<const Vertex> order, bool with_renewals = true) const;

  // This graph with the ties `removed` taken out and the ties `added` put in (each pair given once,
  // in either order). The result has no weights and no renewals (the engine's monthly topology);
  // those of this graph, if any, are not carried.
  // Every removed pair must be present, every added pair absent (after the removals) and not a
  // self-loop; otherwise clusternet::Error. Rows stay sorted, so the result equals a rebuild from
  // the new edge set. Only the rows of changed vertices are merged; the rows in between move as
  // blocks (serial, O(n + m) streaming plus O(k log k) for k changes): 0.5 ms at 120k vertices
  // and 2k changes, where a rebuild took 4-7 ms.
  // `storage` lends its arrays' capacity to the result (pass a graph that is no longer needed, so
  // that a monthly update writes into memory already mapped instead of fresh pages).
  CsrGraph with_changes(std::span<const std::pair<Vertex, Vertex>> added,
                        std::span<const std::pair<Vertex, Vertex>> removed, CsrGraph&& storage = CsrGraph()) const;

  // The same change made to this graph in place, for a graph without weights or renewals
  // (std::logic_error otherwise): the engine's monthly topology, whose previous month nobody needs
  // any more, changes without a second array beside it (4 bytes per tie and 8 per vertex). The
  // result equals with_changes's; checked the same way, before anything changes (clusternet::Error,
  // the graph unchanged). Rows move in two passes, removals then insertions, each a parallel pass
  // over fixed blocks of vertices and one memmove per block; the array grows with a sixteenth of
  // room when it must.
  void apply_changes(std::span<const std::pair<Vertex, Vertex>> added, std::span<const std::pair<Vertex, Vertex>> removed);

  // This graph's topology with a weight and a renewal count per slot (aligned with
  // neighbour_array(); the two slots of a tie must agree, which the caller guarantees). `renewals`
  // may be empty: the result then has none. Costs a copy of the topology and nothing else: the
  // engine's weighted snapshot is its monthly graph plus the tie store's values, without sorting
  // the ties again. Throws clusternet::Error if an array has the wrong length or a weight is
  // negative or not finite (this graph is then left as it was).
  CsrGraph with_slot_values(UninitVector<double> weights, std::vector<std::uint32_t> renewals = {}) const&;
  // The same, moving this graph's topology into the result instead of copying it (8 bytes per tie
  // and per vertex less at the engine's expensive months). Validates before it moves anything.
  CsrGraph with_slot_values(UninitVector<double> weights, std::vector<std::uint32_t> renewals = {}) &&;
  // The same from a std::vector (tools and tests), copied into the graph's own array type.
  CsrGraph with_slot_values(const std::vector<double>& weights, std::vector<std::uint32_t> renewals = {}) const& {
    return with_slot_values(UninitVector<double>(weights.begin(), weights.end()), std::move(renewals));
  }
  CsrGraph with_slot_values(const std::vector<double>& weights, std::vector<std::uint32_t> renewals = {}) && {
    return std::move(*this).with_slot_values(UninitVector<double>(weights.begin(), weights.end()), std::move(renewals));
  }

  // This graph's topology with coded weights: slot k weighs table[codes[k]], or, where its code
  // is SlotCodes::escaped, the weight listed for it; no renewals. The weights must be finite and
  // non-negative, every code below the table's size or `escaped`, and the escaped slots exactly
  // those listed (the two slots of a tie must agree, which the caller guarantees;
  // network/weight_codes.hpp makes the codes). The kernels read the same doubles as from
  // with_slot_values (slot_weight, Louvain's levels), 6 bytes per slot less. Throws
  // clusternet::Error when the codes are invalid (this graph is then left as it was).
  CsrGraph with_slot_codes(SlotCodes codes) &&;

  // An edgeless graph on `vertex_count` vertices.
  static CsrGraph empty(std::uint32_t vertex_count);

  std::uint32_t vertex_count() const { return static_cast<std::uint32_t>(offsets_.size() - 1); }
  // Number of undirected ties (each stored twice).
  std::uint64_t edge_count() const { return neighbours_.size() / 2; }
  std::uint32_t degree(Vertex v) const { return static_cast<std::uint32_t>(offsets_[v + 1] - offsets_[v]); }
  std::span<const Vertex> neighbours(Vertex v) const {
    return {neighbours_.data() + offsets_[v], neighbours_.data() + offsets_[v + 1]};
  }
  bool has_weights() const { return !weights_.empty() || !weight_codes_.empty(); }
  bool weights_coded() const { return !weight_codes_.empty(); }
  bool has_renewals() const { return !renewals_.empty(); }
  // Weights of v's row, aligned with neighbours(v); empty when the graph is unweighted. Not for a
  // graph with coded weights (std::logic_error): those are read by slot_weight.
  std::span<const double> weights(Vertex v) const {
    if (!weight_codes_.empty()) throw std::logic_error("CsrGraph::weights: the weights are coded (use slot_weight)");
    if (weights_.empty()) return {};
    return {weights_.data() + offsets_[v], weights_.data() + offsets_[v + 1]};
  }
  std::span<const std::uint32_t> renewals(Vertex v) const {
    if (renewals_.empty()) return {};
    return {renewals_.data() + offsets_[v], renewals_.data() + offsets_[v + 1]};
  }
  // Weight of slot `slot` (index into the flat neighbour array): 1 when unweighted.
  double slot_weight(std::uint64_t slot) const {
    if (!weights_.empty()) return weights_[slot];
    if (weight_codes_.empty()) return 1.0;
    const std::uint16_t code = weight_codes_[slot];
    return code != SlotCodes::escaped ? weight_table_[code] : escaped_weight(escaped_slots_, escaped_weights_, slot);
  }
  // The weight listed for an escaped slot (which must be among `slots`, ascending).
  static double escaped_weight(std::span<const std::uint64_t> slots, std::span<const double> weights,
                               std::uint64_t slot) {
    return weights[std::size_t(std::lower_bound(slots.begin(), slots.end(), slot) - slots.begin())];
  }
  // The largest slot weight (0 when there are no weighted slots).
  double largest_weight() const;

  const std::vector<std::uint64_t>& offsets() const { return offsets_; }
  const UninitVector<Vertex>& neighbour_array() const { return neighbours_; }
  // Empty when the graph is unweighted or its weights are coded.
  const UninitVector<double>& weight_array() const { return weights_; }
  // Coded weights: a code per slot, the table and the escaped slots with their weights (all empty
  // otherwise).
  const UninitVector<std::uint16_t>& weight_code_array() const { return weight_codes_; }
  const std::vector<double>& weight_table() const { return weight_table_; }
  const std::vector<std::uint64_t>& escaped_slots() const { return escaped_slots_; }
  const std::vector<double>& escaped_weights() const { return escaped_weights_; }
  const std::vector<std::uint32_t>& renewal_array() const { return renewals_; }

  // Bytes held by the arrays (for the memory budget test and the benchmark report).
  std::uint64_t memory_bytes() const;

 private:
  // apply_changes' two passes, given the sorted half-edges, their counts before each block of
  // vertices, and the offsets at each block's first vertex.
  void remove_in_place(std::span<const std::pair<Vertex, Vertex>> remove, std::span<const std::size_t> remove_before,
                       std::span<const std::uint64_t> start);
  void insert_in_place(std::span<const std::pair<Vertex, Vertex>> add, std::span<const std::size_t> add_before,
                       std::span<const std::uint64_t> start);

  // The largest weight of coded slots (SlotCodes); Error when a code is neither below the table's
  // size nor `escaped`, or the escaped codes are not exactly the listed slots.
  static double coded_largest(std::span<const std::uint16_t> codes, std::span<const double> table,
                              std::span<const std::uint64_t> escaped_slots, std::span<const double> escaped_weights);

  std::vector<std::uint64_t> offsets_;  // vertex_count + 1
  // The neighbours and weights are not zero-filled first (core/uninit_vector.hpp): every slot is
  // written by the parallel pass that builds a graph, and these two are the engine's large arrays.
  // Renewals (tools and tests only, never the engine's) stay a plain vector.
  UninitVector<Vertex> neighbours_;     // 2 * edge_count, sorted within each row
  UninitVector<double> weights_;        // empty or aligned with neighbours_
  // Coded weights instead of weights_ (never both): a code per slot, the table's index, or
  // SlotCodes::escaped for a slot listed in escaped_slots_ with its weight.
  UninitVector<std::uint16_t> weight_codes_;
  std::vector<double> weight_table_;  // at most SlotCodes::table_limit weights, in any order
  std::vector<std::uint64_t> escaped_slots_;
  std::vector<double> escaped_weights_;
  double coded_largest_ = 0.0;        // the largest coded slot weight (found by with_slot_codes)
  std::vector<std::uint32_t> renewals_; // empty or aligned with neighbours_
};

}  // namespace clusternet::network
