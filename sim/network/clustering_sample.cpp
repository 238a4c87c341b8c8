// Sampled clustering (issue 18): the transitivity and the mean local clustering estimated from
// wedges (paths of two ties) drawn by stratified sampling, in place of exact per-vertex triangle
// counts whose cost grows with the hubs' degrees. See kernels.hpp for the estimator's definition.
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "core/error.hpp"
#include "core/parallel.hpp"
#include "network/kernels.hpp"

namespace clusternet::network {

namespace {

__extension__ using u128 = unsigned __int128;

constexpr std::size_t vertex_chunk = 4096;

// Wedges centred on a vertex of degree d: d (d - 1) / 2 (exact: the product is even).
std::uint64_t wedges(std::uint64_t d) { return d < 2 ? 0 : d * (d - 1) / 2; }

// Both ends of wedge number `o` (0 <= o < d (d - 1) / 2) of a row of d >= 2 neighbours: the
// positions j < k with o = k (k - 1) / 2 + j.
std::pair<std::uint64_t, std::uint64_t> wedge_ends(std::uint64_t o) {
  auto k = static_cast<std::uint64_t>((1.0 + std::sqrt(1.0 + 8.0 * static_cast<double>(o))) / 2.0);
  while (k > 1 && k * (k - 1) / 2 > o) --k;  // the square root may round either way
  while ((k + 1) * k / 2 <= o) ++k;
  return {o - k * (k - 1) / 2, k};
}

// Closure checks of wedges, resolved in batches: each check is a binary search in the shorter of
// two rows anywhere in memory, a chain of cache misses. A batch first touches every check's two
// row offsets, then runs all its searches side by side, one probe each per round, prefetching each
// search's next probe a round ahead, so that the misses of different checks overlap instead of
// following one another.
class ClosureBatch {
 public:
  explicit ClosureBatch(const CsrGraph& g)
      : offsets_(g.offsets().data()), neighbours_(g.neighbour_array().data()) {}
  // The wedge numbered `o` of `centre`'s row (0 <= o < d (d - 1) / 2).
  void add(Vertex centre, std::uint64_t o) {
    const auto [j, k] = wedge_ends(o);
    const Vertex* row = neighbours_ + offsets_[centre];
    Search& s = pending_[size_];
    s.a = row[j];
    s.target = row[k];
    __builtin_prefetch(offsets_ + s.a);
    __builtin_prefetch(offsets_ + s.target);
    if (++size_ == batch) flush();
  }
  // Closed wedges among those added so far.
  std::uint64_t closed() {
    flush();
    return closed_;
  }

 private:
  static constexpr std::size_t batch = 64;
  struct Search {
    Vertex a = 0, target = 0;
    std::uint64_t base = 0, count = 0;  // the first entry >= target lies in [base, base + count]
    std::uint64_t end = 0;              // of the shorter row
  };
  void flush() {
    for (std::size_t i = 0; i < size_; ++i) {
      Search& s = pending_[i];
      std::uint64_t begin = offsets_[s.a], end = offsets_[s.a + 1];
      const std::uint64_t begin_t = offsets_[s.target], end_t = offsets_[s.target + 1];
      if (end - begin > end_t - begin_t) {  // search the shorter row for the other end
        begin = begin_t, end = end_t;
        s.target = s.a;
      }
      s.base = begin, s.count = end - begin, s.end = end;
      __builtin_prefetch(neighbours_ + s.base + s.count / 2);
    }
    // Lower bound by halving: the first entry >= target stays in [base, base + count].
    for (bool more = true; more;) {
      more = false;
      for (std::size_t i = 0; i < size_; ++i) {
        Search& s = pending_[i];
        if (s.count <= 1) continue;
        const std::uint64_t half = s.count / 2;
        if (neighbours_[s.base + half] < s.target) s.base += half;
        s.count -= half;
        __builtin_prefetch(neighbours_ + s.base + s.count / 2);
        more = more || s.count > 1;
      }
    }
    for (std::size_t i = 0; i < size_; ++i) {
      const Search& s = pending_[i];
      if (s.count == 0) continue;  // an empty row: not possible for a wedge's end
      const std::uint64_t at = s.base + (neighbours_[s.base] < s.target);
      closed_ += at < s.end && neighbours_[at] == s.target;
    }
    size_ = 0;
  }

  const std::uint64_t* offsets_;
  const Vertex* neighbours_;
  std::array<Search, batch> pending_{};
  std::size_t size_ = 0;
  std::uint64_t closed_ = 0;
};

// floor(a * b / c) without overflow (c > 0).
std::uint64_t scaled(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return static_cast<std::uint64_t>(u128(a) * b / c);
}
// ceil(a * b / c).
std::uint64_t scaled_up(std::uint64_t a, std::uint64_t b, std::uint64_t c) {
  return static_cast<std::uint64_t>((u128(a) * b + c - 1) / c);
}
// A uniform integer in [0, n) from 64 random bits (the high word of the product).
std::uint64_t below(std::uint64_t word, std::uint64_t n) { return static_cast<std::uint64_t>((u128(word) * n) >> 64); }

// Positions 0 .. total - 1 (wedges, or active vertices) laid on [0, 1) and the interval cut into
// `k` strata of equal width; sample i takes x uniform in [i / k, (i + 1) / k) and the position
// floor(x * total). Every position is then expected to be drawn k / total times, whether total is
// above or below k. With `enumerate` and total <= k, sample i is position i instead (each once).
struct Strata {
  std::uint64_t total = 0, k = 0;
  bool enumerate = false;
  bool every_position() const { return enumerate && total <= k; }
  std::uint64_t samples() const { return total == 0 ? 0 : every_position() ? total : k; }
  // The samples that may fall in [from, to): [first, last).
  std::pair<std::uint64_t, std::uint64_t> overlapping(std::uint64_t from, std::uint64_t to) const {
    if (from >= to) return {0, 0};
    if (every_position()) return {from, to};
    // floor((i + x) total / k) >= from needs i >= floor(from k / total); < to needs i < to k / total.
    // One more on each side: position() may round a position down by one.
    const std::uint64_t first = scaled(from, k, total);
    return {first > 0 ? first - 1 : 0, std::min(k, scaled_up(to, k, total) + 1)};
  }
  // floor((i + word / 2^64) total / k), with total / k in 64.64 fixed point (no division per
  // sample; the truncated fraction moves a position by less than i / 2^64).
  std::uint64_t position(std::uint64_t i, std::uint64_t word) const {
    if (every_position()) return i;
    const u128 sum = (u128(i * whole) << 64) + u128(i) * fraction + u128(word) * whole +
                     ((u128(word) * fraction) >> 64);
    return static_cast<std::uint64_t>(sum >> 64);
  }
  std::uint64_t whole = 0, fraction = 0;  // total / k = whole + fraction / 2^64
  Strata(std::uint64_t total_, std::uint64_t k_, bool enumerate_) : total(total_), k(k_), enumerate(enumerate_) {
    whole = total / k;
    fraction = static_cast<std::uint64_t>((u128(total % k) << 64) / k);
  }
};

// Random words of the samples: a transitivity sample takes one word, a local-clustering sample
// two; four words come from each stream (one Philox block), the stream keyed by the sample group.
class SampleWords {
 public:
  SampleWords(const StreamKey& key, std::uint64_t per_sample, std::uint64_t parity)
      : key_(key), per_sample_(per_sample), parity_(parity) {}
  // Word `w` (< per_sample) of sample i.
  std::uint64_t operator()(std::uint64_t i, std::uint64_t w) {
    const std::uint64_t index = i * per_sample_ + w;
    const std::uint64_t group = index / 4;
    if (group != group_) {
      StreamKey key = key_;
      key.entity = 2 * group + parity_;
      RandomStream stream(key);
      for (std::uint64_t& word : block_) word = stream.next_u64();
      group_ = group;
    }
    return block_[index % 4];
  }

 private:
  StreamKey key_;
  std::uint64_t per_sample_, parity_;
  std::uint64_t group_ = ~std::uint64_t(0);
  std::array<std::uint64_t, 4> block_{};
};

struct ChunkCounts {
  std::uint64_t wedges = 0, active = 0;
};

}  // namespace

ClusteringEstimate sampled_clustering(const CsrGraph& g, std::uint64_t samples, const StreamKey& key) {
  if (samples == 0) throw Error("sampled_clustering: the sample size must be at least 1");
  const std::size_t n = g.vertex_count();
  const std::size_t chunks = (n + vertex_chunk - 1) / vertex_chunk;
  std::vector<ChunkCounts> before(chunks + 1);  // totals of the chunks before each chunk
  for_each_index(0, chunks, [&](std::size_t c) {
    ChunkCounts counts;
    for (std::size_t v = c * vertex_chunk; v < std::min(n, (c + 1) * vertex_chunk); ++v) {
      const std::uint64_t d = g.degree(static_cast<Vertex>(v));
      counts.wedges += wedges(d);
      counts.active += d > 0;
    }
    before[c + 1] = counts;
  }, Execution::parallel, 1);
  for (std::size_t c = 0; c < chunks; ++c) {
    before[c + 1].wedges += before[c].wedges;
    before[c + 1].active += before[c].active;
  }
  const Strata wedge_strata{before[chunks].wedges, samples, true};
  const Strata vertex_strata{before[chunks].active, samples, false};

  // Closed wedges among each chunk's samples: integers, summed in chunk order.
  std::vector<ChunkCounts> closed(chunks);
  for_each_index(0, chunks, [&](std::size_t c) {
    const auto first_vertex = static_cast<Vertex>(c * vertex_chunk);
    {  // transitivity: a wedge uniform in the stratum, walked to its centre
      const auto [from, to] = wedge_strata.overlapping(before[c].wedges, before[c + 1].wedges);
      ClosureBatch checks(g);
      SampleWords words(key, 1, 0);
      Vertex v = first_vertex;
      std::uint64_t p = before[c].wedges;  // wedges before v
      for (std::uint64_t i = from; i < to; ++i) {
        if ((i & 0xffff) == 0) throw_if_cancelled();
        const std::uint64_t r = wedge_strata.position(i, words(i, 0));
        if (r < before[c].wedges || r >= before[c + 1].wedges) continue;  // another chunk's
        while (p + wedges(g.degree(v)) <= r) p += wedges(g.degree(v++));
        checks.add(v, r - p);
      }
      closed[c].wedges = checks.closed();
    }
    {  // mean local clustering: an active vertex uniform in the stratum, one uniform wedge of it
      const auto [from, to] = vertex_strata.overlapping(before[c].active, before[c + 1].active);
      ClosureBatch checks(g);
      SampleWords words(key, 2, 1);
      Vertex v = first_vertex;
      std::uint64_t p = before[c].active;  // active vertices before v
      for (std::uint64_t i = from; i < to; ++i) {
        if ((i & 0xffff) == 0) throw_if_cancelled();
        const std::uint64_t r = vertex_strata.position(i, words(i, 0));
        if (r < before[c].active || r >= before[c + 1].active) continue;
        while (p + (g.degree(v) > 0) <= r) p += g.degree(v++) > 0;
        const std::uint64_t pairs = wedges(g.degree(v));
        if (pairs > 0) checks.add(v, below(words(i, 1), pairs));
      }
      closed[c].active = checks.closed();
    }
  }, Execution::parallel, 1);

  ClusteringEstimate out;
  out.wedges = wedge_strata.total;
  out.wedges_sampled = wedge_strata.samples();
  out.vertices_sampled = vertex_strata.samples();
  for (const ChunkCounts& c : closed) {
    out.wedges_closed += c.wedges;
    out.vertices_closed += c.active;
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  out.transitivity = out.wedges_sampled ? double(out.wedges_closed) / double(out.wedges_sampled) : nan;
  out.mean_local_clustering =
      out.vertices_sampled ? double(out.vertices_closed) / double(out.vertices_sampled) : nan;
  return out;
}

}  // namespace clusternet::network
