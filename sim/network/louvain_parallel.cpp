// Louvain's phases that run in parallel (issue 18): the aggregation of a level, which gives the
// same level as a serial pass, and a local moving whose decisions are made in parallel against a
// state that no thread writes meanwhile, so that its partition depends on the seed and not on the
// thread count or the schedule.
#include <tbb/enumerable_thread_specific.h>

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <numeric>
#include <unordered_set>

#include "core/cancel.hpp"
#include "core/parallel.hpp"
#include "network/csr_graph.hpp"
#include "network/louvain_level.hpp"

namespace clusternet::network::louvain_detail {

namespace {
constexpr std::uint32_t no_community = ~std::uint32_t(0);

// A vertex's link weight per neighbouring community, in an open-addressing table sized to its row
// (a power of two at least twice the row): the table of a typical row stays in the first-level
// cache, where an array over all communities would miss on every distinct one. `order` lists the
// occupied cells in order of first appearance along the row.
struct LinkTable {
  std::vector<std::uint32_t> key;
  std::vector<double> weight;
  std::vector<std::uint32_t> order;
  std::uint32_t mask = 0;
  int shift = 60;

  void prepare(std::uint64_t row) {
    const std::uint64_t want = std::max<std::uint64_t>(16, std::bit_ceil(2 * row));
    if (key.size() < want) {
      key.assign(want, no_community);
      weight.assign(want, 0.0);
    }
    const std::uint64_t cells = std::bit_ceil(2 * std::max<std::uint64_t>(row, 8));
    mask = static_cast<std::uint32_t>(cells - 1);
    shift = 64 - std::countr_zero(cells);
  }
  // Fibonacci hashing: the high bits of the product, which every bit of c reaches.
  std::uint32_t cell(std::uint32_t c) const {
    return static_cast<std::uint32_t>((std::uint64_t(c) * 0x9E3779B97F4A7C15ull) >> shift);
  }
  void add(std::uint32_t c, double w) {
    std::uint32_t i = cell(c);
    while (key[i] != c) {
      if (key[i] == no_community) {
        key[i] = c;
        weight[i] = 0.0;
        order.push_back(i);
        break;
      }
      i = (i + 1) & mask;
    }
    weight[i] += w;
  }
  double find(std::uint32_t c) const {
    for (std::uint32_t i = cell(c); key[i] != no_community; i = (i + 1) & mask)
      if (key[i] == c) return weight[i];
    return 0.0;
  }
  void clear() {
    for (std::uint32_t i : order) key[i] = no_community;
    order.clear();
  }
};

// The state a batch's decisions read: nobody writes it while they are made.
struct MovingState {
  const LevelGraph& level;
  std::vector<std::uint32_t>& community;
  std::vector<double> strength, community_total;
  std::vector<std::uint32_t> community_size;
  double total_weight_2m;
};

// v's best community against the frozen state, by the sequential phase's rule: the gain of moving
// v (taken out of its community) into c is link(v, c) - k_v * total(c) / 2m, a move needs a gain
// above the best so far by 1e-12 of the strength (or of the gain, if larger), candidates in order
// of first appearance along v's row. One rule more, since neighbours decide at once: a vertex
// alone in its community joins another lone vertex only if that one's community has the smaller
// number, so two lone neighbours do not swap places and stay apart (the "minimum label" rule of
// Lu, Halappanavar and Kalyanaraman 2015).
std::uint32_t best_community(const MovingState& s, std::uint32_t v, LinkTable& table) {
  const double k = s.strength[v];
  const std::uint32_t own = s.community[v];
  if (k == 0.0) return own;
  const auto row_begin = s.level.offsets[v], row_end = s.level.offsets[v + 1];
  table.prepare(row_end - row_begin);
  for (auto e = row_begin; e < row_end; ++e) {
    if (e + 16 < row_end) __builtin_prefetch(&s.community[s.level.targets[e + 16]]);
    table.add(s.community[s.level.targets[e]], s.level.weight(e));
  }
  const double k_over_2m = k / s.total_weight_2m;
  std::uint32_t best = own;
  double best_gain = table.find(own) - k_over_2m * (s.community_total[own] - k);
  for (std::uint32_t i : table.order) {
    const std::uint32_t c = table.key[i];
    if (c == own) continue;
    const double gain = table.weight[i] - k_over_2m * s.community_total[c];
    if (gain > best_gain + 1e-12 * std::max(k, std::abs(best_gain))) {
      best_gain = gain;
      best = c;
    }
  }
  table.clear();
  if (best != own && s.community_size[own] == 1 && s.community_size[best] == 1 && best > own) return own;
  return best;
}

// Prefetches (no value changes) of the next vertex's row, weights, strength and first neighbours'
// communities, and of the row bounds of the one after it (`none` when there is none).
void prefetch_vertex(const MovingState& s, std::uint32_t next, std::uint32_t after) {
  constexpr std::uint32_t none = no_community;
  if (after != none) __builtin_prefetch(&s.level.offsets[after]);
  const auto row = s.level.offsets[next], row_end = std::min(s.level.offsets[next + 1], row + 8);
  __builtin_prefetch(&s.strength[next]);
  __builtin_prefetch(s.level.weight_address(row));
  for (auto e = row; e < row_end; ++e) __builtin_prefetch(&s.community[s.level.targets[e]]);
}

// The vertices flagged in `flag` (cleared on the way), in index order.
std::vector<std::uint32_t> gather_flagged(std::vector<std::uint8_t>& flag) {
  constexpr std::size_t grain = 1 << 16;
  const auto offsets = chunk_offsets(flag.size(), grain, [&](std::size_t b, std::size_t e) {
    return static_cast<std::size_t>(std::count(flag.begin() + b, flag.begin() + e, std::uint8_t{1}));
  });
  std::vector<std::uint32_t> out(offsets.back());
  for_each_index(0, offsets.size() - 1, [&](std::size_t c) {
    std::size_t at = offsets[c];
    for (std::size_t v = c * grain; v < std::min(flag.size(), (c + 1) * grain); ++v)
      if (flag[v]) {
        out[at++] = static_cast<std::uint32_t>(v);
        flag[v] = 0;
      }
  }, Execution::parallel, 1);
  return out;
}
}  // namespace

// Rounds over a list of vertices: the first round visits every vertex in the seeded block order of
// the sequential phase; each later one the vertices next to a vertex that moved in the round before
// (and not in its new community), in index order. A round goes in batches of a fixed number of
// vertices whatever the thread count: the batch's best communities are found in parallel against
// the state left by the batches before, then its moves are applied in the batch's order. The
// decisions of a batch do not see each other (at most `batch` vertices decide at once, out of
// millions), which is the price of deciding in parallel; the gains of later batches do.
bool local_moving_parallel(const LevelGraph& level, std::vector<std::uint32_t>& community, RandomStream& random,
                           double total_weight_2m) {
  const std::uint32_t n = level.size();
  MovingState s{level, community, std::vector<double>(n), std::vector<double>(n, 0.0),
                std::vector<std::uint32_t>(n, 0), total_weight_2m};
  for_each_index(0, n, [&](std::size_t v) {
    double k = 2.0 * level.loop(v);
    for (auto e = level.offsets[v]; e < level.offsets[v + 1]; ++e) k += level.weight(e);
    s.strength[v] = k;
  });
  for (std::uint32_t v = 0; v < n; ++v) {  // serial: communities may share members on entry
    s.community_total[community[v]] += s.strength[v];
    ++s.community_size[community[v]];
  }
  constexpr std::size_t batch = 1024;
  tbb::enumerable_thread_specific<LinkTable> tables;
  std::vector<std::uint32_t> list = block_order_queue(n, random), proposal(batch), moved;
  std::vector<std::uint8_t> flag(n, 0);
  bool any_move = false;
  // The same guard as the sequential phase: the cost of 1000 full sweeps.
  std::uint64_t visits = 0;
  const std::uint64_t max_visits = std::uint64_t(n) * 1000;
  constexpr std::uint32_t none = no_community;
  std::unordered_set<std::uint64_t> batch_moves;  // (from, to) of the moves applied in a batch
  // Flags are only ever set to 1 while a batch's moves are flagged, so which vertices end flagged
  // does not depend on which thread sets a flag first.
  auto flag_neighbours = [&](std::uint32_t v) {
    const std::uint32_t mine = community[v];
    for (auto e = level.offsets[v]; e < level.offsets[v + 1]; ++e) {
      const std::uint32_t w = level.targets[e];
      if (community[w] != mine) std::atomic_ref<std::uint8_t>(flag[w]).store(1, std::memory_order_relaxed);
    }
  };
  while (!list.empty() && visits < max_visits) {
    // A short list (the last rounds) is visited one vertex at a time, as the sequential phase
    // does: each decision then sees every move before it, and the phase ends.
    const std::size_t step = list.size() < 4 * batch ? 1 : batch;
    for (std::size_t first = 0; first < list.size(); first += step) {
      // for_each_block checks before each block; a round of single vertices has none.
      throw_if_cancelled();
      const std::size_t count = std::min(step, list.size() - first);
      // A vertex decides on the state as it is now: a flag set before is spent.
      auto decide = [&](std::size_t b, std::size_t e) {
        LinkTable& table = tables.local();
        for (std::size_t i = b; i < e; ++i) {
          if (i + 1 < e) prefetch_vertex(s, list[first + i + 1], i + 2 < e ? list[first + i + 2] : none);
          flag[list[first + i]] = 0;
          proposal[i] = best_community(s, list[first + i], table);
        }
      };
      if (count == 1)
        decide(0, 1);
      else
        for_each_block(0, count, decide, Execution::parallel, 64);
      batch_moves.clear();
      moved.clear();
      for (std::size_t i = 0; i < count; ++i) {
        const std::uint32_t v = list[first + i], own = community[v], to = proposal[i];
        if (to == own) continue;
        // Two vertices that decided at once to swap communities (u from A to B, v from B to A)
        // would swap back in the next round, and so on for ever: the second is held back and
        // decides again in the next round.
        if (batch_moves.contains(std::uint64_t(to) << 32 | own)) {
          flag[v] = 1;
          continue;
        }
        batch_moves.insert(std::uint64_t(own) << 32 | to);
        s.community_total[own] -= s.strength[v];
        s.community_total[to] += s.strength[v];
        --s.community_size[own];
        ++s.community_size[to];
        community[v] = to;
        moved.push_back(v);
      }
      if (moved.size() == 1)
        flag_neighbours(moved[0]);
      else if (!moved.empty())
        for_each_index(0, moved.size(), [&](std::size_t i) { flag_neighbours(moved[i]); }, Execution::parallel, 16);
      any_move = any_move || !moved.empty();
    }
    visits += list.size();
    list = gather_flagged(flag);
  }
  return any_move;
}

namespace {
// One chunk of communities' rows of the next level.
struct RowsChunk {
  std::vector<std::uint32_t> targets;
  std::vector<double> weights;
};
struct AggregateScratch {
  std::vector<double> acc;
  std::vector<std::uint32_t> row_of, touched;  // row_of[d] == c: d is in c's row
};
}  // namespace

LevelGraph aggregate(const LevelGraph& level, const std::vector<std::uint32_t>& community, std::uint32_t k) {
  // Members of each community in vertex order (counting sort).
  std::vector<std::uint32_t> start(std::size_t(k) + 1, 0);
  for (auto c : community) ++start[c + 1];
  for (std::uint32_t c = 0; c < k; ++c) start[c + 1] += start[c];
  std::vector<std::uint32_t> members(community.size()), cursor(start.begin(), start.end() - 1);
  for (std::uint32_t v = 0; v < community.size(); ++v) members[cursor[community[v]]++] = v;

  LevelGraph next;
  next.own_offsets.assign(std::size_t(k) + 1, 0);
  next.self_loop.assign(k, 0.0);
  constexpr std::uint32_t grain = 256;  // communities per chunk, whatever the thread count
  std::vector<RowsChunk> chunks((std::size_t(k) + grain - 1) / grain);
  tbb::enumerable_thread_specific<AggregateScratch> scratch(
      [k] { return AggregateScratch{std::vector<double>(k, 0.0), std::vector<std::uint32_t>(k, no_community), {}}; });
  for_each_index(0, chunks.size(), [&](std::size_t chunk) {
    auto& [acc, row_of, touched] = scratch.local();
    RowsChunk& out = chunks[chunk];
    const std::uint32_t last = static_cast<std::uint32_t>(std::min<std::size_t>(k, (chunk + 1) * grain));
    for (auto c = static_cast<std::uint32_t>(chunk * grain); c < last; ++c) {
      touched.clear();
      double loop = 0.0;
      for (auto i = start[c]; i < start[c + 1]; ++i) {
        const std::uint32_t v = members[i];
        // The members are scattered over the level: the row bounds of the member after next and
        // the row of the next are fetched ahead.
        if (i + 2 < start[c + 1]) __builtin_prefetch(&level.offsets[members[i + 2]]);
        if (i + 1 < start[c + 1]) __builtin_prefetch(level.targets.data() + level.offsets[members[i + 1]]);
        loop += level.loop(v);
        const auto row_end = level.offsets[v + 1];
        for (auto e = level.offsets[v]; e < row_end; ++e) {
          if (e + 16 < row_end) __builtin_prefetch(&community[level.targets[e + 16]]);
          const std::uint32_t d = community[level.targets[e]];
          if (d == c) {
            loop += 0.5 * level.weight(e);  // internal tie seen from both ends
            continue;
          }
          if (row_of[d] != c) {  // not acc[d] == 0: a tie may weigh 0
            row_of[d] = c;
            touched.push_back(d);
          }
          acc[d] += level.weight(e);
        }
      }
      next.self_loop[c] = loop;
      std::sort(touched.begin(), touched.end());
      for (auto d : touched) {
        out.targets.push_back(d);
        out.weights.push_back(acc[d]);
        acc[d] = 0.0;
      }
      next.own_offsets[c + 1] = touched.size();
    }
  }, Execution::parallel, 1);
  for (std::uint32_t c = 0; c < k; ++c) next.own_offsets[c + 1] += next.own_offsets[c];
  next.own_targets.resize(next.own_offsets.back());
  next.own_weights.resize(next.own_offsets.back());
  for_each_index(0, chunks.size(), [&](std::size_t chunk) {
    const auto at = next.own_offsets[chunk * grain];
    std::copy(chunks[chunk].targets.begin(), chunks[chunk].targets.end(), next.own_targets.begin() + at);
    std::copy(chunks[chunk].weights.begin(), chunks[chunk].weights.end(), next.own_weights.begin() + at);
    RowsChunk().targets.swap(chunks[chunk].targets);
    RowsChunk().weights.swap(chunks[chunk].weights);
  }, Execution::parallel, 1);
  next.bind_own();
  return next;
}

}  // namespace clusternet::network::louvain_detail
