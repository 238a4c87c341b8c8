// A graph changed by lists of added and removed ties: into another graph's storage
// (CsrGraph::with_changes) or in place (CsrGraph::apply_changes). Both give the graph a rebuild
// from the new edge set would give: rows sorted, the same offsets and neighbours.
#include <algorithm>
#include <atomic>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "network/csr_graph.hpp"

namespace clusternet::network {

namespace {

using Half = std::pair<Vertex, Vertex>;  // (owner, neighbour): one slot of a tie

// Vertices per block of the parallel passes; blocks are fixed, so nothing depends on the thread count.
constexpr Vertex change_block = 1 << 15;

// The changes as half-edges, sorted (each vertex's changes are then one run), after checking them
// against the graph (read-only, parallel over the changes): every endpoint in range and no
// self-loop, no tie listed twice, every removed tie in the graph and every added one not (after
// the removals). Throws clusternet::Error naming `caller` otherwise.
struct ChangeHalves {
  std::vector<Half> add, remove;
  // Per block k of change_block vertices: the added and removed halves owned by earlier blocks
  // (so add_before[blocks] = add.size()).
  std::vector<std::size_t> add_before, remove_before;
};

// The halves of `pairs` (each pair in both orders) sorted, and per block of change_block owners
// the number of halves owned by earlier blocks (blocks + 1 entries). Sorted by bucketing: fixed
// chunks of pairs count their halves per owner block, scatter them in chunk order, then each block
// sorts its own halves (a few thousand, in cache) in parallel; a comparison sort of all of them was
// 2% of a scale-50 run. The result is the sorted sequence whatever the thread count (equal halves
// are identical).
std::vector<Half> sorted_halves(std::span<const Half> pairs, std::uint32_t n, std::vector<std::size_t>& before) {
  const std::size_t blocks = (std::size_t(n) + change_block - 1) / change_block;
  // Chunks of pairs, few enough that the per-chunk counts stay small (at most 2^22 counters).
  const std::size_t max_chunks = std::max<std::size_t>(1, (std::size_t(1) << 22) / std::max<std::size_t>(blocks, 1));
  const std::size_t grain = std::max<std::size_t>(std::size_t(1) << 16, (pairs.size() + max_chunks - 1) / max_chunks);
  const std::size_t chunks = (pairs.size() + grain - 1) / grain;
  std::vector<std::size_t> count(chunks * blocks, 0);  // count[c * blocks + b]
  for_each_index(0, chunks, [&](std::size_t c) {
    std::size_t* mine = count.data() + c * blocks;
    for (std::size_t i = c * grain; i < std::min(pairs.size(), (c + 1) * grain); ++i) {
      ++mine[pairs[i].first / change_block];
      ++mine[pairs[i].second / change_block];
    }
  }, Execution::parallel, 1);
  // Exclusive prefix over (block, chunk): where chunk c writes its halves of block b.
  before.assign(blocks + 1, 0);
  std::size_t at = 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    before[b] = at;
    for (std::size_t c = 0; c < chunks; ++c) at += std::exchange(count[c * blocks + b], at);
  }
  before[blocks] = at;
  std::vector<Half> h(at);
  for_each_index(0, chunks, [&](std::size_t c) {
    std::size_t* next = count.data() + c * blocks;
    for (std::size_t i = c * grain; i < std::min(pairs.size(), (c + 1) * grain); ++i) {
      const auto [a, b] = pairs[i];
      h[next[a / change_block]++] = {a, b};
      h[next[b / change_block]++] = {b, a};
    }
  }, Execution::parallel, 1);
  for_each_index(0, blocks, [&](std::size_t b) {
    std::sort(h.begin() + std::ptrdiff_t(before[b]), h.begin() + std::ptrdiff_t(before[b + 1]));
  }, Execution::parallel, 1);
  return h;
}

ChangeHalves checked_changes(const CsrGraph& g, std::span<const Half> added, std::span<const Half> removed,
                             const std::string& caller) {
  const std::uint32_t n = g.vertex_count();
  ChangeHalves c;
  auto halves = [&](std::span<const Half> pairs, const char* what, std::vector<std::size_t>& before) {
    for (const auto& [a, b] : pairs)
      if (a >= n || b >= n || a == b)
        throw Error(caller + ": " + what + " tie {" + std::to_string(a) + ", " + std::to_string(b) +
                    "} is a self-loop or out of range");
    std::vector<Half> h = sorted_halves(pairs, n, before);
    if (std::adjacent_find(h.begin(), h.end()) != h.end()) throw Error(caller + ": a " + what + " tie is listed twice");
    return h;
  };
  c.add = halves(added, "added", c.add_before);
  c.remove = halves(removed, "removed", c.remove_before);
  std::atomic<bool> inconsistent{false};
  auto in_row = [&](const Half& h) {
    const auto row = g.neighbours(h.first);
    return std::binary_search(row.begin(), row.end(), h.second);
  };
  for_each_index(0, c.remove.size(), [&](std::size_t i) {
    if (!in_row(c.remove[i])) inconsistent.store(true, std::memory_order_relaxed);
  }, Execution::parallel, 1024);
  for_each_index(0, c.add.size(), [&](std::size_t i) {
    // Present and not removed in the same call: a repeated tie.
    if (in_row(c.add[i]) && !std::binary_search(c.remove.begin(), c.remove.end(), c.add[i]))
      inconsistent.store(true, std::memory_order_relaxed);
  }, Execution::parallel, 1024);
  if (inconsistent.load()) throw Error(caller + ": a removed tie is not in the graph or an added tie is already in it");
  return c;
}

}  // namespace

CsrGraph CsrGraph::with_changes(std::span<const std::pair<Vertex, Vertex>> added,
                                std::span<const std::pair<Vertex, Vertex>> removed, CsrGraph&& storage) const {
  const std::uint32_t n = vertex_count();
  const ChangeHalves changes = checked_changes(*this, added, removed, "CsrGraph::with_changes");
  const std::vector<Half>& add = changes.add;
  const std::vector<Half>& remove = changes.remove;

  // Only the rows of vertices with a change are merged; between two such vertices the rows are
  // unchanged and contiguous in both arrays, so they move as one block and their offsets shift by
  // a constant. Vertex blocks run in parallel: a block's starting shift is the net change count of
  // the blocks before it, known from the sorted change lists. Memory-bound streaming copy.
  CsrGraph next = std::move(storage);
  // A caller's storage may carry weights or renewals (the engine's never does since it makes the
  // weighted layout itself): they are given back, not kept as spare capacity of a graph that has none.
  UninitVector<double>().swap(next.weights_);
  UninitVector<std::uint16_t>().swap(next.weight_codes_);
  std::vector<double>().swap(next.weight_table_);
  std::vector<std::uint64_t>().swap(next.escaped_slots_);
  std::vector<double>().swap(next.escaped_weights_);
  std::vector<std::uint32_t>().swap(next.renewals_);
  next.offsets_.resize(std::size_t(n) + 1);
  // The storage's array is reused when it is large enough and not far too large. Otherwise a fresh
  // one, with a sixteenth of room for the months' growth: resize() would double the capacity (up
  // to 4 bytes per tie unused in each of the engine's two monthly graphs) and copy the old
  // contents, which the merge overwrites anyway.
  const std::size_t slots = neighbours_.size() + add.size() - remove.size();
  if (next.neighbours_.capacity() < slots || next.neighbours_.capacity() - slots > slots / 8 + 4096) {
    UninitVector<Vertex>().swap(next.neighbours_);
    next.neighbours_.reserve(slots + slots / 16);
  }
  next.neighbours_.resize(slots);
  next.offsets_[0] = 0;
  constexpr Vertex block = change_block;
  const std::size_t blocks = changes.add_before.size() - 1;
  const std::vector<std::size_t>& add_begin = changes.add_before;
  const std::vector<std::size_t>& remove_begin = changes.remove_before;
  for_each_index(0, blocks, [&](std::size_t k) {
    const Vertex block_end = Vertex(std::min<std::size_t>(n, (k + 1) * block));
    std::size_t ai = add_begin[k], ri = remove_begin[k];
    const std::size_t a_end = add_begin[k + 1], r_end = remove_begin[k + 1];
    Vertex copied_to = Vertex(k * block);  // rows [block start, copied_to) are done
    // New offset - old offset for the current unchanged stretch: the net change of earlier blocks.
    std::int64_t shift = std::int64_t(add_begin[k]) - std::int64_t(remove_begin[k]);
    auto copy_unchanged = [&](Vertex end) {  // rows [copied_to, end) unchanged
      if (end <= copied_to) return;
      const std::uint64_t lo = offsets_[copied_to], hi = offsets_[end];
      std::copy(neighbours_.begin() + std::ptrdiff_t(lo), neighbours_.begin() + std::ptrdiff_t(hi),
                next.neighbours_.begin() + std::ptrdiff_t(std::int64_t(lo) + shift));
      for (Vertex v = copied_to; v < end; ++v) next.offsets_[v + 1] = std::uint64_t(std::int64_t(offsets_[v + 1]) + shift);
      copied_to = end;
    };
    while (ai < a_end || ri < r_end) {
      const Vertex v = std::min(ai < a_end ? add[ai].first : n, ri < r_end ? remove[ri].first : n);
      copy_unchanged(v);
      std::uint64_t out = std::uint64_t(std::int64_t(offsets_[v]) + shift);
      for (std::uint64_t slot = offsets_[v]; slot < offsets_[v + 1]; ++slot) {
        const Vertex x = neighbours_[slot];
        if (ri < r_end && remove[ri].first == v && remove[ri].second == x) {
          ++ri;
          continue;
        }
        for (; ai < a_end && add[ai].first == v && add[ai].second < x; ++ai) next.neighbours_[out++] = add[ai].second;
        next.neighbours_[out++] = x;
      }
      for (; ai < a_end && add[ai].first == v; ++ai) next.neighbours_[out++] = add[ai].second;
      next.offsets_[v + 1] = out;
      shift = std::int64_t(out) - std::int64_t(offsets_[v + 1]);
      copied_to = v + 1;
    }
    copy_unchanged(block_end);
  }, Execution::parallel, 1);
  return next;
}


void CsrGraph::apply_changes(std::span<const std::pair<Vertex, Vertex>> added,
                             std::span<const std::pair<Vertex, Vertex>> removed) {
  if (has_weights() || !renewals_.empty())
    throw std::logic_error("CsrGraph::apply_changes: the graph has weights or renewals (use with_changes)");
  const std::uint32_t n = vertex_count();
  const ChangeHalves changes = checked_changes(*this, added, removed, "CsrGraph::apply_changes");
  const std::size_t blocks = changes.add_before.size() - 1;
  auto block_first = [n](std::size_t k) { return Vertex(std::min<std::size_t>(n, k * change_block)); };
  Vertex* nb = neighbours_.data();
  // Rows move as runs of whole blocks; a block's first offset is read before any pass rewrites it.
  std::vector<std::uint64_t> start(blocks + 1);
  if (!changes.remove.empty()) {
    for (std::size_t k = 0; k <= blocks; ++k) start[k] = offsets_[block_first(k)];
    remove_in_place(changes.remove, changes.remove_before, start);
    neighbours_.resize(neighbours_.size() - changes.remove.size());  // no reallocation
  }
  if (!changes.add.empty()) {
    const std::size_t slots = neighbours_.size() + changes.add.size();
    // A sixteenth of room for the months' growth, as with_changes gives a fresh array.
    if (neighbours_.capacity() < slots) neighbours_.reserve(slots + slots / 16);
    neighbours_.resize(slots);
    nb = neighbours_.data();
    for (std::size_t k = 0; k <= blocks; ++k) start[k] = offsets_[block_first(k)];
    insert_in_place(changes.add, changes.add_before, start);
  }
  // Far more room than the graph needs (it shrank by an eighth since its array was sized): a
  // fitted copy, as with_changes would make.
  const std::size_t slots = neighbours_.size();
  if (neighbours_.capacity() - slots > slots / 8 + 4096) {
    UninitVector<Vertex> fitted;
    fitted.reserve(slots + slots / 16);
    fitted.resize(slots);
    if (slots > 0) std::memcpy(fitted.data(), nb, slots * sizeof(Vertex));
    neighbours_.swap(fitted);
  }
}

void CsrGraph::remove_in_place(std::span<const std::pair<Vertex, Vertex>> remove,
                               std::span<const std::size_t> remove_before, std::span<const std::uint64_t> start) {
  const std::uint32_t n = vertex_count();
  const std::size_t blocks = remove_before.size() - 1;
  Vertex* nb = neighbours_.data();
  // Each block packs its rows towards its own start, in parallel (a block's slots stay inside its
  // own range, so blocks never meet), and writes its offsets as they will be once every block has
  // moved down by the removals before it; then the packed runs move down in block order (each
  // lands below its own slots and above every earlier run, so nothing still to move is overwritten).
  for_each_index(0, blocks, [&](std::size_t k) {
    const std::uint64_t before = remove_before[k];
    std::size_t ri = remove_before[k];
    const std::size_t r_end = remove_before[k + 1];
    if (ri == r_end && before == 0) return;  // nothing in this block moves or renumbers
    const Vertex end = Vertex(std::min<std::size_t>(n, (k + 1) * change_block));
    Vertex v = Vertex(k * change_block);
    std::uint64_t read = start[k], write = start[k];  // read: the old offset of row v
    while (v < end) {
      // Unchanged rows [v, next): slide down by what this block removed so far; their offsets by
      // that and by what earlier blocks removed. offsets_[next] is read before it is rewritten.
      const Vertex next = ri < r_end ? remove[ri].first : end;
      // (offsets_[v] may already be rewritten: row v - 1 was changed)
      const std::uint64_t hi = next == v ? read : next < end ? offsets_[next] : start[k + 1];
      if (write < read && hi > read) std::memmove(nb + write, nb + read, (hi - read) * sizeof(Vertex));
      if (const std::uint64_t down = before + (read - write); down > 0)
        for (Vertex u = v; u < next; ++u) offsets_[u + 1] -= down;
      write += hi - read;
      read = hi;
      v = next;
      if (v == end) break;
      // Row v loses the removed neighbours listed for it (both lists sorted).
      const std::uint64_t row_end = offsets_[v + 1];
      for (std::uint64_t slot = read; slot < row_end; ++slot) {
        const Vertex x = nb[slot];
        if (ri < r_end && remove[ri].first == v && remove[ri].second == x) {
          ++ri;
          continue;
        }
        nb[write++] = x;
      }
      offsets_[v + 1] = write - before;
      read = row_end;
      ++v;
    }
  }, Execution::parallel, 1);
  for (std::size_t k = 0; k < blocks; ++k) {
    const std::uint64_t length = (start[k + 1] - start[k]) - (remove_before[k + 1] - remove_before[k]);
    if (remove_before[k] > 0 && length > 0)
      std::memmove(nb + start[k] - remove_before[k], nb + start[k], length * sizeof(Vertex));
  }
}

void CsrGraph::insert_in_place(std::span<const std::pair<Vertex, Vertex>> add, std::span<const std::size_t> add_before,
                               std::span<const std::uint64_t> start) {
  const std::uint32_t n = vertex_count();
  const std::size_t blocks = add_before.size() - 1;
  Vertex* nb = neighbours_.data();
  // The runs of whole blocks move up first, in reverse block order, each to the end of the range
  // its block will fill (up by every insertion up to and including its own block: each lands
  // above its own slots and below every later run). Then each block merges its rows with its
  // insertions towards the start of that range, in parallel: the write position never passes the
  // read position, since the gap between them is the insertions still to come in that block.
  for (std::size_t k = blocks; k-- > 0;) {
    const std::uint64_t length = start[k + 1] - start[k];
    if (add_before[k + 1] > 0 && length > 0)
      std::memmove(nb + start[k] + add_before[k + 1], nb + start[k], length * sizeof(Vertex));
  }
  for_each_index(0, blocks, [&](std::size_t k) {
    const std::uint64_t before = add_before[k];
    std::size_t ai = add_before[k];
    const std::size_t a_end = add_before[k + 1];
    if (ai == a_end && before == 0) return;  // nothing in this block moves or renumbers
    const Vertex end = Vertex(std::min<std::size_t>(n, (k + 1) * change_block));
    Vertex v = Vertex(k * change_block);
    std::uint64_t old = start[k];                     // the old offset of row v
    std::uint64_t write = start[k] + before;          // where row v starts now
    std::uint64_t read = start[k] + add_before[k + 1];  // where row v's old slots are now
    while (v < end) {
      const Vertex next = ai < a_end ? add[ai].first : end;
      const std::uint64_t hi = next == v ? old : next < end ? offsets_[next] : start[k + 1];
      if (write < read && hi > old) std::memmove(nb + write, nb + read, (hi - old) * sizeof(Vertex));
      if (const std::uint64_t up = write - old; up > 0)
        for (Vertex u = v; u < next; ++u) offsets_[u + 1] += up;
      write += hi - old;
      read += hi - old;
      old = hi;
      v = next;
      if (v == end) break;
      // Row v gains the added neighbours listed for it, merged in order.
      const std::uint64_t row_end = offsets_[v + 1];
      for (std::uint64_t slot = old; slot < row_end; ++slot, ++read) {
        const Vertex x = nb[read];
        for (; ai < a_end && add[ai].first == v && add[ai].second < x; ++ai) nb[write++] = add[ai].second;
        nb[write++] = x;
      }
      for (; ai < a_end && add[ai].first == v; ++ai) nb[write++] = add[ai].second;
      offsets_[v + 1] = write;
      old = row_end;
      ++v;
    }
  }, Execution::parallel, 1);
}

}  // namespace clusternet::network
