#pragma once
// Graph kernels on CsrGraph, written for the sizes the simulator meets (10^5..10^7 vertices) and
// deterministic whatever the thread count: parallel parts either produce integers (order-free) or
// reduce floating-point values in a fixed order. Each says what it costs.
#include <cstdint>
#include <span>
#include <vector>

#include "core/cancel.hpp"
#include "core/random.hpp"
#include "network/csr_graph.hpp"

namespace clusternet::network {

// Graphs with fewer slots (2 per tie) than this are measured on one thread per kernel: at the
// simulated network's ~250k slots, task start-up, atomics and per-thread scratch cost more than a
// second core saves inside a kernel (compute_metrics runs whole groups side by side instead).
inline constexpr std::uint64_t parallel_kernel_slots = std::uint64_t(1) << 20;

// Connected components by a serial union-find (Rem's algorithm) that only ever points a vertex at a
// smaller one, so every component's root is its smallest vertex: the labelling is unique whatever
// the order of the unions. Sparse graphs: one union per tie, read flat over the slots (~2 ms on the
// simulated network, 120k vertices and 124k ties). Dense graphs (mean degree >= 8): each vertex is
// joined to its first neighbour, then only rows outside the largest component so formed are read
// (neighbour sampling; 2% of the slots of Horizon 2020, ~0.25 ms). Memory: the result and one
// n-entry count array.
struct Components {
  std::vector<Vertex> root;     // per vertex: smallest vertex of its component
  std::uint32_t count = 0;      // components with at least one tie (isolated vertices not counted)
  Vertex giant_root = none<Vertex>;  // largest component (ties broken by smallest root)
  std::uint32_t giant_size = 0;      // vertices in it (0 when the graph has no tie)
};
Components connected_components(const CsrGraph& g);

// The active vertices (degree >= 1) in breadth-first order, component after component, each
// started at its smallest vertex, neighbours taken in row order. Serial, O(n + m). With
// CsrGraph::induced_subgraph it gives the layout the traversal kernels (paths, betweenness,
// Louvain) run on: vertices near in the graph become near in memory, and isolated ones vanish.
std::vector<Vertex> bfs_order(const CsrGraph& g);

// Leaves: vertices of degree 1 whose one neighbour has degree > 1. None is ever inside a shortest
// path, and a leaf's distances are its neighbour's plus one, so the traversal kernels below need
// not visit them. move_leaves_last reorders `vertices` (stably) so that the leaves among them come
// after all the others and returns how many others there are. When every leaf's neighbour is among
// `vertices` (bfs_order's output, or all vertices), the graph induced by the result
// (CsrGraph::induced_subgraph) is "leaves last": its vertices from the returned index on are leaves
// of vertices before it, so, rows being sorted, each row lists its non-leaf neighbours first.
// On the simulated network 39% of the active vertices are leaves. O(vertices).
std::uint32_t move_leaves_last(const CsrGraph& g, std::vector<Vertex>& vertices);

// Triangles through each vertex, by the degree-ordered "forward" algorithm: each tie is oriented
// from lower to higher (degree, index) rank, so each triangle is found exactly once, from its
// lowest corner, by looking the out-lists of its out-neighbours up in a stamp array. O(m^1.5) worst
// case, far less on skewed degree distributions. Serial below 2^20 slots (the simulated network);
// above, blocks of vertices in parallel with the corners credited by integer atomics. Extra memory:
// one oriented copy of the rows (4 bytes per tie, offsets of 4 bytes per vertex while the ties fit)
// and an n-entry stamp array per thread.
std::vector<std::uint64_t> triangles_per_vertex(const CsrGraph& g);

// Per-vertex triangle counts carried from one snapshot to the next: `triangles` holds the counts
// of `before`; `after` is `before` without the ties in `removed` and with those in `added`
// (CsrGraph::with_changes of the same lists). Triangles lost are those of `before` with at least one
// removed tie, found from each removed tie by intersecting its two rows in `before`; triangles
// gained are those of `after` with an added tie, found likewise in `after`. A triangle with two or
// three changed ties is credited only from the first of them in list order, so each counts once.
// Cost: O(sum over changed ties of the smaller row x log of the larger) instead of a full count;
// the counts are integers updated by atomics, so the result is the same on any thread count and
// equals triangles_per_vertex(after). Extra memory: the changes sorted, and n bytes of marks.
void update_triangles(const CsrGraph& before, const CsrGraph& after,
                      std::span<const std::pair<Vertex, Vertex>> added,
                      std::span<const std::pair<Vertex, Vertex>> removed, std::vector<std::uint64_t>& triangles);

// Sampled clustering, for networks where exact triangle counts cost too much (issue 18): the hubs
// of the simulated network grow with its population, and so does the work per tie of any exact
// count. Two estimators from one sample size k, both by stratified sampling over a fixed order:
//  - transitivity: the wedges (paths u - v - w, counted once per centre v and unordered pair) are
//    numbered by centre in vertex order and laid on [0, 1) in k strata of equal width; one wedge
//    uniform in each stratum is checked for closure (u ~ w). The estimate, closed / k, is
//    unbiased with a standard error of at most sqrt(T (1 - T) / k) <= 0.5 / sqrt(k)
//    (stratification never adds variance). With k >= the number of wedges every wedge is checked: the exact transitivity.
//  - mean local clustering (over vertices with a tie, vertices of degree 1 counting 0): the active
//    vertices in index order are laid on [0, 1) in k strata (several draws per vertex when k is
//    the larger); one vertex uniform in each, one of its wedges uniform, checked. Unbiased (a
//    draw at v is closed with probability C_v), with the same bound on the standard error.
// The draws come from streams of `key` (entity 2g: the g-th four transitivity samples, one word
// each; 2g + 1: the g-th two local samples, two words each), so the result is the same on any
// thread count. Cost: two passes over the offsets and 2k row searches (O(log d) each, batched so
// that their cache misses overlap); no per-vertex memory.
struct ClusteringEstimate {
  double transitivity = 0.0, mean_local_clustering = 0.0;  // NaN without wedges / active vertices
  std::uint64_t wedges = 0;                                // wedges of the graph
  std::uint64_t wedges_sampled = 0, wedges_closed = 0;     // min(k, wedges) and the closed ones
  std::uint64_t vertices_sampled = 0, vertices_closed = 0; // k (0 without active vertices), closed draws
};
ClusteringEstimate sampled_clustering(const CsrGraph& g, std::uint64_t samples, const StreamKey& key);

// Core number of each vertex, by peeling level by level (every vertex of smallest remaining degree
// k, and those that drop to k meanwhile, have core number k). Serial: a sequential process. O(n + m)
// plus one pass over the survivors per distinct level; about half the time of the bucket algorithm
// (Batagelj-Zaversnik) on the simulated, synthetic and Horizon 2020 graphs. Extra memory: two
// n-entry arrays.
std::vector<std::uint32_t> core_numbers(const CsrGraph& g);

// The largest core number of g (its degeneracy), equal to the maximum of core_numbers(g) but
// without peeling the whole graph: the top cores of the subgraph induced by the vertices of high
// degree are g's (see clustering.cpp). `hint` is a guess of the value (0: none); any hint gives
// the same, exact result, a close one in one pass. Parallel over rows; no n-entry array.
std::uint32_t max_core_number(const CsrGraph& g, std::uint32_t hint = 0);

// Hop-distance histogram of BFS runs from `sources`: histogram[d] = number of (source, target)
// pairs at distance d >= 1 (unreachable pairs not counted). Multi-source bit-parallel BFS (Then et
// al., VLDB 2015): up to 64 sources share one traversal, each vertex holding a 64-bit mask of the
// sources that have reached it, so a row is read once per level for the whole batch instead of
// once per source. Batches run in parallel, at least `min_batches` of them (down to 16 sources a
// batch) so a small sample can still use several cores; a caller that keeps the other cores busy
// passes 1. The histograms are integers, so their sum does not depend on the batching or the
// schedule. Memory: three 8-byte words per vertex per batch in flight.
//
// With `leaves_from` < vertex count, `g` must be leaves last from that index (see
// move_leaves_last; checked, Error otherwise): the traversal then runs on the vertices before it
// only, a leaf's pairs counted from its neighbour's distance, and a leaf source starts at its
// neighbour one step late. Same histogram, less to visit. The overload without it treats every
// vertex alike.
std::vector<std::uint64_t> bfs_distance_histogram(const CsrGraph& g, std::span<const Vertex> sources,
                                                  std::uint32_t leaves_from, std::size_t min_batches);
std::vector<std::uint64_t> bfs_distance_histogram(const CsrGraph& g, std::span<const Vertex> sources);

// Brandes' dependency accumulation from the given sources (unweighted shortest paths): per vertex,
// the sum over the sources s of delta_s(v) = sum_t sigma_st(v) / sigma_st. Summed over fixed chunks
// of sources joined left to right (deterministic_reduce), so the doubles are bit-identical on any
// thread count. Leaves are handled in closed form and the traversals run on the other vertices
// (see paths.cpp): on a graph that is leaves last from `leaves_from` (checked) directly, otherwise
// (the overload without it) on a leaves-last copy of the graph. Memory: one n-vector of doubles per
// chunk of 4 sources (plus the copy). Scaling to a betweenness estimate is done by the caller
// (metrics.cpp).
std::vector<double> brandes_dependencies(const CsrGraph& g, std::span<const Vertex> sources,
                                         std::uint32_t leaves_from);
std::vector<double> brandes_dependencies(const CsrGraph& g, std::span<const Vertex> sources);

// Betweenness from sampled shortest paths (Riondato and Kornaropoulos 2016), each found by a
// balanced bidirectional breadth-first search (as in Borassi and Natale's KADABRA): sample i draws
// an ordered pair (s, t) of distinct vertices uniformly from `candidates` (stream key (seed,
// replicate, month, entity i, betweenness_pair_sampling)), finds every shortest s-t path at once
// (the two searches grow level by level from s and from t, each time the side whose frontier has
// fewer ties, until an expansion touches the other side; the ties so found carry all shortest
// paths) and draws one of them uniformly (a meeting tie with probability proportional to its
// path counts, then back to each end, a predecessor with probability proportional to its own).
// Returns, per vertex of g, how many sampled paths pass through it (ends excluded); pairs in
// different components count nothing. With n candidates and r samples, count(v) / r * n / (n - 2)
// is an unbiased estimate of v's normalised betweenness b(v) among the candidates, with standard
// error about sqrt(b / r) when b is small, whatever the size of the graph. A sample costs the rows
// of the two balls (on a small-world graph a small part of it, where each Brandes source costs the
// whole graph twice). Counts are integers and each sample has its own stream, so the result does
// not depend on the thread count or the schedule. Memory: per thread, a 4-byte mark and an 8-byte
// path count per vertex, plus the result.
std::vector<std::uint32_t> sampled_path_interiors(const CsrGraph& g, std::span<const Vertex> candidates,
                                                  std::uint32_t samples, const RunKey& key);

// Louvain modularity maximisation (Blondel et al. 2008) with edge weights (1 when unweighted) on
// the active vertices: queue-based local moving (each vertex once in a seeded random order, then
// only vertices whose neighbourhood changed), then aggregation (in parallel: the same level a
// serial pass builds), until no level improves. The local moving is sequential by default: each
// vertex decides after every move before it. `parallel` lets fixed batches of 1,024 vertices
// decide at once, each against the state the batches before left, and applies their moves in the
// batch's order (louvain_parallel.cpp): another partition of similar modularity, the same on any
// number of threads, with every pass over the ties in parallel (issue 18). Deterministic for a
// stream key; a move needs a strictly better gain (by 1e-12 of the vertex's strength), candidates
// taken in row order. Works on the weights times a power of two that brings the largest into
// [1, 2): the same decisions at any scale, from 1e-300 to 1e308. Returns a community per vertex,
// numbered 0..k-1 in order of each community's smallest vertex; isolated vertices get
// none<uint32_t>, and so does every vertex when all weights are 0 (modularity is undefined then).
// A vertex whose ties all weigh 0 stays a community of its own.
enum class LocalMoving : std::uint8_t { sequential, parallel };
std::vector<std::uint32_t> louvain(const CsrGraph& g, const StreamKey& key,
                                   LocalMoving moving = LocalMoving::sequential);

// Newman-Girvan modularity (resolution 1) of a partition, weighted (1 when unweighted); NaN when
// every weight is 0. Compensated sums in vertex order: deterministic, and within a few roundings
// of the exact value whatever the order of the vertices. Throws clusternet::Error when a vertex
// with ties is labelled none<uint32_t> (only isolated vertices may be).
double modularity(const CsrGraph& g, std::span<const std::uint32_t> community);

// Exact betweenness of a small dense weighted undirected graph (the region-to-region graph) given
// as a symmetric n x n weight matrix (0 = no link); path length of a link is 1 / weight, so strong
// links are short. Brandes with Dijkstra, one source per task; results normalised by
// (n-1)(n-2)/2. O(n^3) memory-light; meant for n up to a few hundred.
std::vector<double> weighted_betweenness_dense(std::span<const double> weight_matrix, std::uint32_t n);

}  // namespace clusternet::network
