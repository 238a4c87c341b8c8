#include "network/csr_graph.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <numeric>
#include <string>
#include <tuple>
#include <utility>

#include "core/error.hpp"
#include "core/parallel.hpp"

namespace clusternet::network {

namespace {
// Edges are processed in blocks of this many; large enough that scheduling overhead vanishes.
constexpr std::size_t edge_grain = 1 << 14;
constexpr std::size_t vertex_grain = 1 << 11;

bool valid_weight(double w) { return std::isfinite(w) && w >= 0.0; }

// The input checks of from_edges: a parallel pass that only raises a flag, then, if raised, a
// serial search for the first offending edge, so the message does not depend on the schedule.
void check_edges(std::uint32_t vertex_count, std::span<const Vertex> sources, std::span<const Vertex> targets,
                 const EdgeWeights& weights, std::span<const std::uint32_t> renewals) {
  const std::size_t m = sources.size();
  if (targets.size() != m) throw Error("CsrGraph::from_edges: sources and targets differ in length");
  if (!weights.empty() && weights.size() != m)
    throw Error("CsrGraph::from_edges: weights must be empty or have one entry per edge");
  if (!renewals.empty() && renewals.size() != m)
    throw Error("CsrGraph::from_edges: renewals must be empty or have one entry per edge");
  const bool weighted = !weights.empty();
  std::atomic<bool> bad{false};
  for_each_block(0, m, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      if (sources[i] >= vertex_count || targets[i] >= vertex_count || (weighted && !valid_weight(weights[i])))
        bad.store(true, std::memory_order_relaxed);
    }
  }, Execution::parallel, edge_grain);
  if (!bad.load()) return;
  for (std::size_t i = 0; i < m; ++i) {
    if (sources[i] >= vertex_count || targets[i] >= vertex_count)
      throw Error("CsrGraph::from_edges: edge " + std::to_string(i) + " has an endpoint >= vertex count " +
                  std::to_string(vertex_count));
    if (weighted && !valid_weight(weights[i]))
      throw Error("CsrGraph::from_edges: edge " + std::to_string(i) + " has a negative or non-finite weight");
  }
}

// The rows of from_edges before merging: every non-loop edge in both of its rows, in an order
// that depends on the schedule (merge_rows sorts it away).
struct RawRows {
  std::vector<std::uint64_t> offsets;  // vertex_count + 1
  UninitVector<Vertex> neighbours;
  UninitVector<double> weights;        // empty or aligned with neighbours
  std::vector<std::uint32_t> renewals; // empty or aligned with neighbours
};

// Counting sort of the half-edges into rows: degrees by integer atomics (order-free), a serial
// prefix sum (one pass over the vertices costs far less than the edges), then the scatter.
RawRows scatter_edges(std::uint32_t vertex_count, std::span<const Vertex> sources, std::span<const Vertex> targets,
                      const EdgeWeights& weights, std::span<const std::uint32_t> renewals) {
  const std::size_t m = sources.size();
  const bool weighted = !weights.empty(), renewed = !renewals.empty();
  std::vector<std::uint64_t> counts(std::size_t(vertex_count) + 1, 0);
  for_each_block(0, m, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      if (sources[i] == targets[i]) continue;
      std::atomic_ref<std::uint64_t>(counts[sources[i]]).fetch_add(1, std::memory_order_relaxed);
      std::atomic_ref<std::uint64_t>(counts[targets[i]]).fetch_add(1, std::memory_order_relaxed);
    }
  }, Execution::parallel, edge_grain);
  RawRows raw;
  raw.offsets.assign(std::size_t(vertex_count) + 1, 0);
  for (std::uint32_t v = 0; v < vertex_count; ++v) raw.offsets[v + 1] = raw.offsets[v] + counts[v];
  const std::uint64_t slots = raw.offsets[vertex_count];
  raw.neighbours.resize(slots);
  raw.weights.resize(weighted ? slots : 0);
  raw.renewals.resize(renewed ? slots : 0);
  std::copy(raw.offsets.begin(), raw.offsets.end() - 1, counts.begin());  // counts become cursors
  for_each_block(0, m, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) {
      const Vertex s = sources[i], t = targets[i];
      if (s == t) continue;
      const auto ps = std::atomic_ref<std::uint64_t>(counts[s]).fetch_add(1, std::memory_order_relaxed);
      const auto pt = std::atomic_ref<std::uint64_t>(counts[t]).fetch_add(1, std::memory_order_relaxed);
      raw.neighbours[ps] = t;
      raw.neighbours[pt] = s;
      if (weighted) raw.weights[ps] = raw.weights[pt] = weights[i];
      if (renewed) raw.renewals[ps] = raw.renewals[pt] = renewals[i];
    }
  }, Execution::parallel, edge_grain);
  return raw;
}

// Sorts each row canonically by (neighbour, weight, renewals) and merges repeated neighbours in
// place (weights and renewals summed in that order, so the result does not depend on the scatter's
// order); returns each row's merged length. Throws when merged weights overflow to infinity.
std::vector<std::uint64_t> merge_rows(RawRows& raw) {
  const auto vertex_count = static_cast<std::uint32_t>(raw.offsets.size() - 1);
  const bool weighted = !raw.weights.empty(), renewed = !raw.renewals.empty();
  std::vector<std::uint64_t> merged(std::size_t(vertex_count) + 1, 0);
  std::atomic<bool> overflow{false};
  for_each_block(0, vertex_count, [&](std::size_t b, std::size_t e) {
    std::vector<std::tuple<Vertex, double, std::uint32_t>> row;  // per block scratch
    for (std::size_t v = b; v < e; ++v) {
      const std::uint64_t lo = raw.offsets[v], hi = raw.offsets[v + 1];
      if (hi == lo) continue;
      std::uint64_t out = lo;
      if (!weighted && !renewed) {
        std::sort(raw.neighbours.begin() + lo, raw.neighbours.begin() + hi);
        for (std::uint64_t k = lo; k < hi; ++k)
          if (k == lo || raw.neighbours[k] != raw.neighbours[out - 1]) raw.neighbours[out++] = raw.neighbours[k];
        merged[v] = out - lo;
        continue;
      }
      row.clear();
      for (std::uint64_t k = lo; k < hi; ++k)
        row.emplace_back(raw.neighbours[k], weighted ? raw.weights[k] : 1.0, renewed ? raw.renewals[k] : 0u);
      std::sort(row.begin(), row.end());
      for (const auto& [nb, w, r] : row) {
        if (out > lo && raw.neighbours[out - 1] == nb) {
          if (weighted) raw.weights[out - 1] += w;
          if (renewed) raw.renewals[out - 1] += r;
        } else {
          raw.neighbours[out] = nb;
          if (weighted) raw.weights[out] = w;
          if (renewed) raw.renewals[out] = r;
          ++out;
        }
      }
      if (weighted)
        for (std::uint64_t k = lo; k < out; ++k)
          if (!std::isfinite(raw.weights[k])) overflow.store(true, std::memory_order_relaxed);
      merged[v] = out - lo;
    }
  }, Execution::parallel, vertex_grain);
  if (overflow.load())
    for (std::uint32_t v = 0; v < vertex_count; ++v)
      for (std::uint64_t k = raw.offsets[v]; k < raw.offsets[v] + merged[v]; ++k)
        if (!std::isfinite(raw.weights[k]))
          throw Error("CsrGraph::from_edges: the weights of the repeated tie {" + std::to_string(v) + ", " +
                      std::to_string(raw.neighbours[k]) + "} add up past the largest finite number");
  return merged;
}
}  // namespace

CsrGraph CsrGraph::from_edges(std::uint32_t vertex_count, std::span<const Vertex> sources,
                              std::span<const Vertex> targets, EdgeWeights weights,
                              std::span<const std::uint32_t> renewals) {
  check_edges(vertex_count, sources, targets, weights, renewals);
  RawRows raw = scatter_edges(vertex_count, sources, targets, weights, renewals);
  const std::vector<std::uint64_t> merged = merge_rows(raw);

  // Compact into the final arrays (in place when nothing was merged).
  const bool weighted = !raw.weights.empty(), renewed = !raw.renewals.empty();
  CsrGraph g;
  g.offsets_.assign(std::size_t(vertex_count) + 1, 0);
  for (std::uint32_t v = 0; v < vertex_count; ++v) g.offsets_[v + 1] = g.offsets_[v] + merged[v];
  const std::uint64_t final_slots = g.offsets_[vertex_count];
  if (final_slots == raw.neighbours.size()) {
    g.neighbours_ = std::move(raw.neighbours);
    g.weights_ = std::move(raw.weights);
    g.renewals_ = std::move(raw.renewals);
    return g;
  }
  g.neighbours_.resize(final_slots);
  if (weighted) g.weights_.resize(final_slots);
  if (renewed) g.renewals_.resize(final_slots);
  for_each_block(0, vertex_count, [&](std::size_t b, std::size_t e) {
    for (std::size_t v = b; v < e; ++v) {
      const auto from = raw.offsets[v], to = g.offsets_[v], len = merged[v];
      std::copy_n(raw.neighbours.begin() + from, len, g.neighbours_.begin() + to);
      if (weighted) std::copy_n(raw.weights.begin() + from, len, g.weights_.begin() + to);
      if (renewed) std::copy_n(raw.renewals.begin() + from, len, g.renewals_.begin() + to);
    }
  }, Execution::parallel, vertex_grain);
  return g;
}

std::uint64_t CsrGraph::memory_bytes() const {
  return offsets_.size() * sizeof(std::uint64_t) + neighbours_.size() * sizeof(Vertex) +
         weights_.size() * sizeof(double) + renewals_.size() * sizeof(std::uint32_t) +
         weight_codes_.size() * sizeof(std::uint16_t) + weight_table_.size() * sizeof(double) +
         escaped_slots_.size() * (sizeof(std::uint64_t) + sizeof(double));
}

namespace {
// Half-edges of from_unique_edges grouped by bucket of owner vertices (a contiguous range of 2^12
// vertices, small enough for its counters to stay in cache): bucket b's half-edges are
// staged[bucket_begin[b], bucket_begin[b + 1]).
constexpr std::uint32_t bucket_shift = 12;
struct HalfEdge {
  Vertex owner, neighbour;
  std::uint32_t renewals;
  double weight;
};
struct Staged {
  std::vector<HalfEdge> half_edges;
  std::vector<std::uint64_t> bucket_begin;
};

// Phase 1 of from_unique_edges: each fixed chunk of edges counts its half-edges per bucket; a
// prefix sum over (bucket, chunk) gives every chunk its own slots, so the scatter writes nothing
// shared and goes to a few hundred sequential streams instead of random rows. Chunks are fixed,
// so the staging order does not depend on the thread count.
Staged stage_by_bucket(std::uint32_t vertex_count, std::span<const Vertex> sources, std::span<const Vertex> targets,
                       const EdgeWeights& weights, std::span<const std::uint32_t> renewals) {
  const std::size_t m = sources.size();
  const std::uint32_t buckets = (vertex_count >> bucket_shift) + 1;
  constexpr std::size_t chunk = 1 << 15;
  const std::size_t chunks = (m + chunk - 1) / chunk;
  std::vector<std::uint64_t> chunk_counts(std::size_t(buckets) * std::max<std::size_t>(chunks, 1), 0);
  for_each_index(0, chunks, [&](std::size_t c) {
    std::uint64_t* counts = chunk_counts.data() + c * buckets;
    const std::size_t end = std::min(m, (c + 1) * chunk);
    for (std::size_t i = c * chunk; i < end; ++i) {
      ++counts[sources[i] >> bucket_shift];
      ++counts[targets[i] >> bucket_shift];
    }
  }, Execution::parallel, 1);
  // Slot of (bucket, chunk): buckets in order, chunks in order within a bucket.
  Staged staged;
  staged.bucket_begin.assign(std::size_t(buckets) + 1, 0);
  std::vector<std::uint64_t> cursor(chunk_counts.size(), 0);
  std::uint64_t running = 0;
  for (std::uint32_t b = 0; b < buckets; ++b) {
    staged.bucket_begin[b] = running;
    for (std::size_t c = 0; c < chunks; ++c) {
      cursor[c * buckets + b] = running;
      running += chunk_counts[c * buckets + b];
    }
  }
  staged.bucket_begin[buckets] = running;
  staged.half_edges.resize(running);
  for_each_index(0, chunks, [&](std::size_t c) {
    std::uint64_t* next = cursor.data() + c * buckets;
    const std::size_t end = std::min(m, (c + 1) * chunk);
    for (std::size_t i = c * chunk; i < end; ++i) {
      const Vertex s = sources[i], t = targets[i];
      const double w = weights[i];
      staged.half_edges[next[s >> bucket_shift]++] = {s, t, renewals[i], w};
      staged.half_edges[next[t >> bucket_shift]++] = {t, s, renewals[i], w};
    }
  }, Execution::parallel, 1);
  return staged;
}
}  // namespace

CsrGraph CsrGraph::from_unique_edges(std::uint32_t vertex_count, std::span<const Vertex> sources,
                                     std::span<const Vertex> targets, EdgeWeights weights,
                                     std::span<const std::uint32_t> renewals) {
  const std::size_t m = sources.size();
  if (targets.size() != m || weights.size() != m || renewals.size() != m)
    throw Error("CsrGraph::from_unique_edges: sources, targets, weights and renewals differ in length");
  for (std::size_t i = 0; i < m; ++i) {
    if (sources[i] >= vertex_count || targets[i] >= vertex_count || sources[i] == targets[i])
      throw Error("CsrGraph::from_unique_edges: edge " + std::to_string(i) + " is a self-loop or out of range");
    if (!valid_weight(weights[i]))
      throw Error("CsrGraph::from_unique_edges: edge " + std::to_string(i) + " has a negative or non-finite weight");
  }
  // Two-phase bucket sort, parallel and independent of the thread count: the half-edges grouped
  // by bucket (stage_by_bucket), then each bucket counting-sorted by vertex into its final CSR
  // rows, which are then ordered by neighbour. Neighbours are unique in a row, so the result does
  // not depend on fill order.
  const Staged staged = stage_by_bucket(vertex_count, sources, targets, weights, renewals);
  const std::size_t buckets = staged.bucket_begin.size() - 1;
  const std::uint64_t slots = staged.bucket_begin[buckets];
  CsrGraph g;
  g.offsets_.assign(std::size_t(vertex_count) + 1, 0);
  g.neighbours_.resize(slots);
  g.weights_.resize(slots);
  g.renewals_.resize(slots);
  // Degrees per vertex (each bucket owns its vertex range), then the global prefix sum.
  for_each_index(0, buckets, [&](std::size_t b) {
    for (std::uint64_t k = staged.bucket_begin[b]; k < staged.bucket_begin[b + 1]; ++k)
      ++g.offsets_[staged.half_edges[k].owner + 1];
  }, Execution::parallel, 1);
  for (std::uint32_t v = 0; v < vertex_count; ++v) g.offsets_[v + 1] += g.offsets_[v];
  std::atomic<bool> repeated{false};
  for_each_index(0, buckets, [&](std::size_t b) {
    const Vertex first = static_cast<Vertex>(b << bucket_shift);
    const Vertex last = static_cast<Vertex>(std::min<std::uint64_t>(vertex_count, (std::uint64_t(b) + 1) << bucket_shift));
    if (first >= last) return;
    std::vector<std::uint64_t> fill(g.offsets_.begin() + first, g.offsets_.begin() + last);
    for (std::uint64_t k = staged.bucket_begin[b]; k < staged.bucket_begin[b + 1]; ++k) {
      const HalfEdge& h = staged.half_edges[k];
      const std::uint64_t slot = fill[h.owner - first]++;
      g.neighbours_[slot] = h.neighbour;
      g.weights_[slot] = h.weight;
      g.renewals_[slot] = h.renewals;
    }
    // Rows are ordered by neighbour: insertion sort for short rows (most of them), an index sort for
    // long ones, whose quadratic insertion sort made the weighted snapshot grow with the square of
    // the hubs' degree (a third of the whole run's time at scale 4).
    std::vector<std::pair<Vertex, std::uint32_t>> order;
    std::vector<double> weight_scratch;
    std::vector<std::uint32_t> renewal_scratch;
    for (Vertex v = first; v < last; ++v) {
      const std::uint64_t lo = g.offsets_[v], hi = g.offsets_[v + 1];
      if (hi - lo > 32) {
        const std::size_t d = hi - lo;
        order.resize(d);
        for (std::size_t i = 0; i < d; ++i) order[i] = {g.neighbours_[lo + i], static_cast<std::uint32_t>(i)};
        // Neighbours are unique in a row unless the input repeats a pair (reported below): the index
        // breaks such ties, so the order is total either way.
        std::sort(order.begin(), order.end());
        weight_scratch.assign(g.weights_.begin() + std::ptrdiff_t(lo), g.weights_.begin() + std::ptrdiff_t(hi));
        renewal_scratch.assign(g.renewals_.begin() + std::ptrdiff_t(lo), g.renewals_.begin() + std::ptrdiff_t(hi));
        for (std::size_t i = 0; i < d; ++i) {
          g.neighbours_[lo + i] = order[i].first;
          g.weights_[lo + i] = weight_scratch[order[i].second];
          g.renewals_[lo + i] = renewal_scratch[order[i].second];
        }
      } else {
        for (std::uint64_t k = lo + 1; k < hi; ++k) {
          const Vertex nb = g.neighbours_[k];
          const double w = g.weights_[k];
          const std::uint32_t r = g.renewals_[k];
          std::uint64_t j = k;
          for (; j > lo && g.neighbours_[j - 1] > nb; --j) {
            g.neighbours_[j] = g.neighbours_[j - 1];
            g.weights_[j] = g.weights_[j - 1];
            g.renewals_[j] = g.renewals_[j - 1];
          }
          g.neighbours_[j] = nb;
          g.weights_[j] = w;
          g.renewals_[j] = r;
        }
      }
      // A repeated pair shows as equal neighbours side by side in the sorted row.
      for (std::uint64_t k = lo + 1; k < hi; ++k)
        if (g.neighbours_[k] == g.neighbours_[k - 1]) repeated.store(true, std::memory_order_relaxed);
    }
  }, Execution::parallel, 1);
  if (repeated.load())
    for (std::uint32_t v = 0; v < vertex_count; ++v)
      for (std::uint64_t k = g.offsets_[v] + 1; k < g.offsets_[v + 1]; ++k)
        if (g.neighbours_[k] == g.neighbours_[k - 1])
          throw Error("CsrGraph::from_unique_edges: the pair {" + std::to_string(v) + ", " +
                      std::to_string(g.neighbours_[k]) + "} appears twice");
  return g;
}

CsrGraph CsrGraph::induced_subgraph(std::span<const Vertex> order, bool with_renewals) const {
  const std::uint32_t n = vertex_count();
  const auto k = static_cast<std::uint32_t>(order.size());
  std::vector<Vertex> new_of_old(n, none<Vertex>);
  for (std::uint32_t i = 0; i < k; ++i) {
    if (order[i] >= n || new_of_old[order[i]] != none<Vertex>)
      throw Error("CsrGraph::induced_subgraph: vertex " + std::to_string(order[i]) +
                  " is out of range or listed twice");
    new_of_old[order[i]] = i;
  }
  CsrGraph sub;
  sub.offsets_.assign(std::size_t(k) + 1, 0);
  for_each_index(0, k, [&](std::size_t i) {
    std::uint64_t kept = 0;
    for (Vertex w : neighbours(order[i])) kept += new_of_old[w] != none<Vertex>;
    sub.offsets_[i + 1] = kept;
  }, Execution::parallel, vertex_grain);
  for (std::uint32_t i = 0; i < k; ++i) sub.offsets_[i + 1] += sub.offsets_[i];
  const std::uint64_t slots = sub.offsets_[k];
  sub.neighbours_.resize(slots);
  const bool doubles = !weights_.empty(), coded = !weight_codes_.empty();
  if (doubles) sub.weights_.resize(slots);
  if (coded) {
    sub.weight_codes_.resize(slots);
    sub.weight_table_ = weight_table_;  // kept whole: a code may go unused in the subgraph
  }
  // The subgraph's escaped slots with their weights, gathered from the blocks (in any order, then
  // sorted: escapes are rare).
  std::mutex escapes_mutex;
  std::vector<std::pair<std::uint64_t, double>> escapes;
  const bool renewals = with_renewals && has_renewals();
  if (renewals) sub.renewals_.resize(slots);
  // Rows in blocks: each block reuses one buffer of (new neighbour, old slot) pairs, sorted by
  // neighbour (unique in a row, so the order is total).
  for_each_block(0, k, [&](std::size_t b, std::size_t e) {
    std::vector<std::pair<Vertex, std::uint64_t>> row;
    std::vector<std::pair<std::uint64_t, double>> escaped_here;
    for (std::size_t i = b; i < e; ++i) {
      const Vertex v = order[i];
      row.clear();
      for (std::uint64_t slot = offsets_[v]; slot < offsets_[v + 1]; ++slot)
        if (const Vertex w = new_of_old[neighbours_[slot]]; w != none<Vertex>) row.emplace_back(w, slot);
      std::sort(row.begin(), row.end());
      std::uint64_t out = sub.offsets_[i];
      for (const auto& [w, slot] : row) {
        sub.neighbours_[out] = w;
        if (doubles) sub.weights_[out] = weights_[slot];
        if (coded) {
          sub.weight_codes_[out] = weight_codes_[slot];
          if (weight_codes_[slot] == SlotCodes::escaped) escaped_here.emplace_back(out, slot_weight(slot));
        }
        if (renewals) sub.renewals_[out] = renewals_[slot];
        ++out;
      }
    }
    if (!escaped_here.empty()) {
      const std::lock_guard<std::mutex> lock(escapes_mutex);
      escapes.insert(escapes.end(), escaped_here.begin(), escaped_here.end());
    }
  }, Execution::parallel, vertex_grain);
  if (coded) {
    std::sort(escapes.begin(), escapes.end());
    for (const auto& [slot, weight] : escapes) {
      sub.escaped_slots_.push_back(slot);
      sub.escaped_weights_.push_back(weight);
    }
    sub.coded_largest_ = coded_largest({sub.weight_codes_.data(), sub.weight_codes_.size()}, sub.weight_table_,
                                       sub.escaped_slots_, sub.escaped_weights_);
  }
  return sub;
}

namespace {
void check_slot_values(std::size_t slots, const UninitVector<double>& weights, const std::vector<std::uint32_t>& renewals) {
  if (weights.size() != slots || (!renewals.empty() && renewals.size() != slots))
    throw Error("CsrGraph::with_slot_values: weights (and renewals, when given) need one entry per slot (" +
                std::to_string(slots) + ")");
  std::atomic<bool> invalid{false};
  for_each_block(0, weights.size(), [&](std::size_t b, std::size_t e) {
    for (std::size_t k = b; k < e; ++k)
      if (!valid_weight(weights[k])) invalid.store(true, std::memory_order_relaxed);
  }, Execution::parallel, 1 << 16);
  if (invalid.load()) throw Error("CsrGraph::with_slot_values: a weight is negative or not finite");
}
}  // namespace

CsrGraph CsrGraph::with_slot_values(UninitVector<double> weights, std::vector<std::uint32_t> renewals) const& {
  check_slot_values(neighbours_.size(), weights, renewals);
  CsrGraph g;
  g.offsets_ = offsets_;
  g.neighbours_ = neighbours_;
  g.weights_ = std::move(weights);
  g.renewals_ = std::move(renewals);
  return g;
}

CsrGraph CsrGraph::with_slot_values(UninitVector<double> weights, std::vector<std::uint32_t> renewals) && {
  check_slot_values(neighbours_.size(), weights, renewals);
  CsrGraph g;
  g.offsets_ = std::move(offsets_);
  g.neighbours_ = std::move(neighbours_);
  g.weights_ = std::move(weights);
  g.renewals_ = std::move(renewals);
  *this = CsrGraph();  // a valid empty graph, not a moved-from shell
  return g;
}

CsrGraph CsrGraph::empty(std::uint32_t vertex_count) {
  CsrGraph g;
  g.offsets_.assign(std::size_t(vertex_count) + 1, 0);
  return g;
}

}  // namespace clusternet::network
