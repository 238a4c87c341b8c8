#include "behaviour/tie_store.hpp"

#include <algorithm>
#include <array>
#include <limits>
#include <atomic>
#include <cstring>
#include <stdexcept>
#include <string>
#include <utility>

#include "core/parallel.hpp"
#include "core/uninit_vector.hpp"

namespace clusternet {

std::size_t PairIndex::position(std::uint64_t key, std::uint32_t hash, PairColumns columns) const {
  for (std::size_t i = home_of(hash);; i = next(i)) {
    const std::uint64_t entry = entries_[i];
    if (entry == empty) return i;
    // The key is read back from the columns only when the stored hash half matches.
    if (std::uint32_t(entry >> 32) == hash && columns.key(std::uint32_t(entry)) == key) return i;
  }
}

std::pair<std::uint32_t, bool> PairIndex::try_emplace(std::uint64_t key, std::uint32_t value, PairColumns columns) {
  if (value == none) throw std::logic_error("PairIndex: a value must be below 2^32 - 1");
  if (4 * (size_ + 1) > 3 * entries_.size()) grow();  // load factor at most 3/4
  const std::uint32_t hash = hash_of(key);
  const std::size_t i = position(key, hash, columns);
  if (entries_[i] != empty) return {std::uint32_t(entries_[i]), false};
  entries_[i] = (std::uint64_t(hash) << 32) | value;
  ++size_;
  return {value, true};
}

void PairIndex::assign(std::uint64_t key, std::uint32_t value, PairColumns columns) {
  if (try_emplace(key, value, columns).second) return;
  const std::uint32_t hash = hash_of(key);
  entries_[position(key, hash, columns)] = (std::uint64_t(hash) << 32) | value;
}

std::uint32_t PairIndex::find(std::uint64_t key, PairColumns columns) const {
  if (entries_.empty()) return none;
  const std::uint64_t entry = entries_[position(key, hash_of(key), columns)];
  return entry == empty ? none : std::uint32_t(entry);
}

void PairIndex::clear() {
  std::fill(entries_.begin(), entries_.end(), empty);  // NOLINT(modernize-use-ranges): TieColumn is no range
  size_ = 0;
}

void PairIndex::erase(std::uint64_t key, PairColumns columns) {
  if (entries_.empty()) return;
  std::size_t hole = position(key, hash_of(key), columns);
  if (entries_[hole] == empty) return;  // absent
  // Backward shift: move up every later entry of the run whose home slot does not lie in
  // (hole, its position], so each stays reachable from its home without tombstones.
  for (std::size_t j = next(hole); entries_[j] != empty; j = next(j)) {
    const std::size_t home = home_of(std::uint32_t(entries_[j] >> 32));
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    entries_[hole] = entries_[j];
    hole = j;
  }
  entries_[hole] = empty;
  --size_;
}

void PairIndex::grow() {
  // Doubling while the table is small (it lives in the heap, where odd sizes regrown often leave
  // it in pieces); from huge_page_advice_from on a quarter more at a time, as a mapping of its own
  // (TieColumn) that is given back whole, and every page of the mapping used. At scale 250 a
  // shard holds about 2 million pairs: doubling left the tables half full on average (15.5 bytes
  // per tie in all), a quarter keeps them 3/5 to 3/4 full (10.7-13.3 bytes).
  const std::size_t old_capacity = entries_.size();
  std::size_t capacity = old_capacity == 0 ? 64
                         : old_capacity * sizeof(std::uint64_t) < huge_page_advice_from ? 2 * old_capacity
                                                                                          : old_capacity + old_capacity / 4;
  constexpr std::size_t most = std::size_t{1} << 32;  // home_of's product fits 64 bits
  if (capacity > most) throw std::length_error("PairIndex: more than 2^32 entries in one shard");
  TieColumn<std::uint64_t> old;
  old.swap(entries_);
  entries_.reserve(capacity);
  entries_.resize(std::min(entries_.capacity(), most));
  std::fill(entries_.begin(), entries_.end(), empty);  // NOLINT(modernize-use-ranges): TieColumn is no range
  // Every entry keeps its hash, so it is placed again without reading its key.
  for (const std::uint64_t entry : old) {
    if (entry == empty) continue;
    std::size_t i = home_of(std::uint32_t(entry >> 32));
    while (entries_[i] != empty) i = next(i);
    entries_[i] = entry;
  }
}

template <typename KeyOf, typename Op>
void ShardedPairIndex::by_shard(std::size_t count, KeyOf&& key_of, Op&& op) {
  if (count < 512) {  // a small batch costs less than handing out the shards
    for (std::size_t i = 0; i < count; ++i) op(shards_[shard_of(key_of(i))], i);
    return;
  }
  // A large batch (a compaction's rebuild: every tie, 138 million at scale 250) goes in parts of
  // at most 2^24 keys, one after another: each shard still takes its keys in index order, and the
  // sort below holds 5 bytes per key of one part (80 MB) instead of the whole batch's (0.7 GB at
  // scale 250, which came on top of an expensive month's layout when decay compacted beside it).
  for (std::size_t base = 0; base < count; base += part_keys_)
    by_shard_part(base, std::min(count, base + part_keys_), key_of, op);
}

template <typename KeyOf, typename Op>
void ShardedPairIndex::by_shard_part(std::size_t begin, std::size_t end, KeyOf& key_of, Op& op) {
  // Counting sort of keys [begin, end) by shard, stable: each shard's keys keep their order (5
  // bytes per key while it runs). In parallel over fixed blocks of keys (their bounds do not
  // depend on the thread count): each block counts its keys per shard, a shard's keys are laid
  // out block after block, and each block scatters its own in index order, so the order is a
  // serial pass's. A serial pass over a compaction's rebuild was a second without a cancellation
  // check at scale 250.
  const std::size_t count = end - begin;
  constexpr std::size_t block = std::size_t(1) << 16;
  const std::size_t blocks = (count + block - 1) / block;
  UninitVector<std::uint8_t> shard(count);  // every entry written below
  std::vector<std::array<std::size_t, shard_count>> at(blocks);
  for_each_index(0, blocks, [&](std::size_t b) {
    std::array<std::size_t, shard_count> counts{};
    for (std::size_t i = b * block, e = std::min(count, i + block); i < e; ++i) {
      shard[i] = static_cast<std::uint8_t>(shard_of(key_of(begin + i)));
      ++counts[shard[i]];
    }
    at[b] = counts;
  }, Execution::parallel, 1);
  std::array<std::size_t, shard_count + 1> first{};
  std::size_t running = 0;
  for (std::size_t s = 0; s < shard_count; ++s) {
    first[s] = running;
    for (std::size_t b = 0; b < blocks; ++b) running += std::exchange(at[b][s], running);
  }
  first[shard_count] = running;
  UninitVector<std::uint32_t> order(count);  // every entry written below
  for_each_index(0, blocks, [&](std::size_t b) {
    std::array<std::size_t, shard_count>& next = at[b];
    for (std::size_t i = b * block, e = std::min(count, i + block); i < e; ++i)
      order[next[shard[i]]++] = static_cast<std::uint32_t>(i);
  }, Execution::parallel, 1);
  for_each_index(0, shard_count, [&](std::size_t s) {
    for (std::size_t k = first[s]; k < first[s + 1]; ++k) op(shards_[s], begin + order[k]);
  }, Execution::parallel, 1);
}

void ShardedPairIndex::assign_all(std::span<const std::uint64_t> keys, std::span<const std::uint32_t> values,
                                  PairColumns columns) {
  if (keys.size() != values.size()) throw std::logic_error("ShardedPairIndex::assign_all: keys and values differ in length");
  by_shard(keys.size(), [&](std::size_t i) { return keys[i]; },
           [&](PairIndex& shard, std::size_t i) { shard.assign(keys[i], values[i], columns); });
}

void ShardedPairIndex::erase_all(std::span<const std::uint64_t> keys, PairColumns columns) {
  by_shard(keys.size(), [&](std::size_t i) { return keys[i]; },
           [&](PairIndex& shard, std::size_t i) { shard.erase(keys[i], columns); });
}

void ShardedPairIndex::rebuild(std::size_t count, PairColumns columns) {
  if (count > PairIndex::none) throw std::length_error("ShardedPairIndex::rebuild: more than 2^32 - 1 slots");
  clear();
  by_shard(count, [&](std::size_t t) { return columns.key(static_cast<std::uint32_t>(t)); },
           [&](PairIndex& shard, std::size_t t) {
             shard.assign(columns.key(static_cast<std::uint32_t>(t)), static_cast<std::uint32_t>(t), columns);
           });
}

void ShardedPairIndex::clear() {
  // Shard by shard in parallel: at scale 250 the tables hold about 2 GB to overwrite.
  for_each_index(0, shard_count, [&](std::size_t s) { shards_[s].clear(); }, Execution::parallel, 1);
}

std::size_t ShardedPairIndex::bytes() const {
  std::size_t total = 0;
  for (const PairIndex& shard : shards_) total += shard.capacity() * sizeof(std::uint64_t);
  return total;
}

namespace {
std::uint16_t saturated_add(std::uint16_t count, std::uint32_t more) {
  return static_cast<std::uint16_t>(std::min<std::uint32_t>(UINT16_MAX, std::uint32_t(count) + more));
}
}  // namespace

bool TieStore::renew(TieIndex t, double renewal_increment, Month month, std::uint32_t projects, Month hold_until) {
  // One increment per project, added one at a time: the same doubles as renewing project by project.
  for (std::uint32_t k = 0; k < projects; ++k) weight_[t] += renewal_increment;
  held_until_[t] = std::max(held_until_[t], stored_hold(std::max(hold_until, month)));
  const bool first = renewals_[t] == 0;
  renewals_[t] = saturated_add(renewals_[t], projects);
  return first;
}

void TieStore::write_new(std::size_t t, OrgIndex a, OrgIndex b, double weight, double renewal_increment, Month month,
                         TieOrigin origin, std::int32_t instrument, std::uint32_t projects, Month hold_until) {
  pairs_[t] = key(a, b);
  weight_[t] = weight;
  for (std::uint32_t k = 1; k < projects; ++k) weight_[t] += renewal_increment;
  formed_[t] = stored_month(month);
  held_until_[t] = stored_hold(std::max(hold_until, month));
  renewals_[t] = saturated_add(0, projects - 1);
  instrument_[t] = static_cast<std::int16_t>(instrument);  // checked by the callers (check_instrument)
  state_[t] = static_cast<std::uint8_t>(1 | static_cast<unsigned>(origin) << 2);
}

namespace {
// Sets `column` to `size` entries; when it must grow, to a capacity a thirty-second above `size`
// (geometric, so appending stays amortised constant). A large TieColumn grows by extending or
// moving its mapping's pages (remap_block), without a copy or a second column beside it, so
// little room is needed, and room is what the store costs most (at scale 250, about 158 million
// slots of 26 bytes (28 before the last-renewal month was dropped): a thirty-second is about
// 130 MB, an eighth was about 550).
template <typename T>
void resize_column(TieColumn<T>& column, std::size_t size) {
  if (size > column.capacity()) column.reserve(size + size / 32 + 64);
  column.resize(size);
}
}  // namespace

TieStore::StoredMonth TieStore::stored_month(Month month) {
  if (month < std::numeric_limits<StoredMonth>::min() || month > std::numeric_limits<StoredMonth>::max())
    throw std::logic_error("TieStore: month " + std::to_string(month) + " outside the 16-bit range of the store");
  return static_cast<StoredMonth>(month);
}

TieStore::StoredMonth TieStore::stored_hold(Month month) {
  return stored_month(std::min<Month>(month, std::numeric_limits<StoredMonth>::max()));
}

void TieStore::resize(std::size_t slots) {
  resize_column(pairs_, slots);
  resize_column(weight_, slots);
  resize_column(formed_, slots);
  resize_column(held_until_, slots);
  resize_column(renewals_, slots);
  resize_column(instrument_, slots);
  resize_column(state_, slots);
}

std::size_t TieStore::bytes() const {
  return pairs_.capacity() * sizeof(std::uint64_t) + weight_.capacity() * sizeof(double) +
         3 * formed_.capacity() * sizeof(StoredMonth) + renewals_.capacity() * sizeof(std::uint16_t) +
         instrument_.capacity() * sizeof(std::int16_t) + state_.capacity() + index_.bytes();
}

void TieStore::release_index() {
  index_ = ShardedPairIndex{};
  index_released_ = true;
}

void TieStore::require_index(const char* caller) const {
  if (index_released_)
    throw std::logic_error(std::string(caller) + ": the tie store's pair index was released (the store is read-only)");
}

namespace {
// Before anything changes: the store keeps a tie's instrument in 16 bits.
void check_instrument(std::int32_t instrument) {
  if (instrument < -1 || instrument >= std::int32_t(max_instruments))
    throw std::logic_error("TieStore: instrument " + std::to_string(instrument) + " is not -1 or below " +
                           std::to_string(max_instruments));
}
}  // namespace

bool TieStore::form(OrgIndex a, OrgIndex b, double weight, double renewal_increment, Month month, TieOrigin origin,
                    std::int32_t instrument, Month hold_until) {
  require_index("TieStore::form");
  if (a == b) throw std::logic_error("TieStore::form: self-tie");
  check_instrument(instrument);
  if (a > b) std::swap(a, b);
  const std::size_t t = pairs_.size();
  // The new slot's pair is written before the index may read it back.
  resize(t + 1);
  pairs_[t] = key(a, b);
  const auto [slot, inserted] = index_.try_emplace(key(a, b), static_cast<TieIndex>(t), columns());
  hold_until = std::max(hold_until, month);
  if (!inserted) {
    resize(t);
    if (renew(slot, renewal_increment, month, 1, hold_until)) ++alive_renewed_;
    return false;
  }
  write_new(t, a, b, weight, renewal_increment, month, origin, instrument, 1, hold_until);
  ++alive_count_;
  changes_.formed.emplace_back(a, b);
  return true;
}

std::size_t TieStore::form_all(std::span<const std::pair<OrgIndex, OrgIndex>> pairs, double weight,
                               double renewal_increment, Month month, TieOrigin origin, std::int32_t instrument) {
  std::vector<PairFormation> batch(pairs.size());
  for (std::size_t i = 0; i < pairs.size(); ++i) batch[i] = {pairs[i].first, pairs[i].second, month, 1};
  return form_batch(batch, weight, renewal_increment, month, origin, instrument);
}

std::size_t TieStore::form_batch(std::span<const PairFormation> pairs, double weight, double renewal_increment,
                                 Month month, TieOrigin origin, std::int32_t instrument) {
  require_index("TieStore::form_batch");
  check_instrument(instrument);
  const std::size_t n = pairs.size();
  for (std::size_t i = 0; i < n; ++i) {
    const PairFormation& p = pairs[i];
    if (p.a >= p.b || (i > 0 && std::pair(pairs[i - 1].a, pairs[i - 1].b) >= std::pair(p.a, p.b)))
      throw std::logic_error("TieStore::form_batch: pairs must be sorted strictly ascending, with a < b in each");
    if (p.projects == 0 || p.hold_until < month)
      throw std::logic_error("TieStore::form_batch: a pair needs one project or more and a hold from this month on");
  }
  constexpr std::size_t grain = 256;  // a month brings a few thousand pairs: enough chunks to share
  // Existing ties are found (read-only lookups, in parallel) and renewed in place: the pairs are
  // distinct, so each renewal owns its tie. The new ones are counted per chunk for their slots.
  std::vector<TieIndex> existing(n);
  std::atomic<std::size_t> first_renewals{0};
  const std::vector<std::size_t> offsets = chunk_offsets(n, grain, [&](std::size_t begin, std::size_t end) {
    std::size_t fresh = 0, renewed_first = 0;
    for (std::size_t i = begin; i < end; ++i) {
      const TieIndex slot = index_.find(key(pairs[i].a, pairs[i].b), columns());
      existing[i] = slot;
      if (slot == PairIndex::none) {
        ++fresh;
        renewed_first += pairs[i].projects > 1;  // formed by two projects at once: renewed already
        continue;
      }
      if (renew(slot, renewal_increment, month, pairs[i].projects, pairs[i].hold_until)) ++renewed_first;
    }
    first_renewals.fetch_add(renewed_first, std::memory_order_relaxed);
    return fresh;
  });
  const std::size_t added = offsets.back();
  const std::size_t old_slots = pairs_.size(), old_formed = changes_.formed.size();
  const std::size_t slots = old_slots + added;
  resize(slots);
  changes_.formed.resize(old_formed + added);
  std::vector<std::uint64_t> new_keys(added);
  std::vector<TieIndex> new_slots(added);
  for_each_index(0, offsets.size() - 1, [&](std::size_t c) {
    std::size_t k = offsets[c];
    for (std::size_t i = c * grain; i < std::min(n, (c + 1) * grain); ++i) {
      if (existing[i] != none<TieIndex>) continue;
      const PairFormation& p = pairs[i];
      const std::size_t t = old_slots + k;
      write_new(t, p.a, p.b, weight, renewal_increment, month, origin, instrument, p.projects, p.hold_until);
      changes_.formed[old_formed + k] = {p.a, p.b};
      new_keys[k] = key(p.a, p.b);
      new_slots[k] = static_cast<TieIndex>(t);
      ++k;
    }
  }, Execution::parallel, 1);
  index_.assign_all(new_keys, new_slots, columns());
  alive_count_ += added;
  alive_renewed_ += first_renewals.load();
  return added;
}

std::size_t TieStore::decay(double rate, double threshold, Month month) {
  require_index("TieStore::decay");
  const double keep = 1.0 - rate;
  constexpr std::size_t grain = 1 << 12;
  // Each tie owns its slot, so chunks decay in parallel, marking (2) and counting their dissolved
  // ties; the marked ones are then listed in slot order, each chunk into its own range.
  const std::vector<std::size_t> offsets = chunk_offsets(pairs_.size(), grain, [&](std::size_t begin, std::size_t end) {
    std::size_t marked = 0;
    for (std::size_t t = begin; t < end; ++t) {
      if (alive_state(state_[t]) == 0 || Month{held_until_[t]} >= month) continue;
      weight_[t] *= keep;
      if (weight_[t] < threshold) {
        state_[t] = static_cast<std::uint8_t>((state_[t] & ~alive_mask) | 2);
        ++marked;
      }
    }
    return marked;
  });
  const std::size_t dissolved = offsets.back();
  if (dissolved == 0) return 0;
  const std::size_t old_dissolved = changes_.dissolved.size();
  changes_.dissolved.resize(old_dissolved + dissolved);
  std::vector<std::uint64_t> keys(dissolved);
  std::atomic<std::size_t> renewed{0};
  for_each_index(0, offsets.size() - 1, [&](std::size_t c) {
    std::size_t k = offsets[c], renewed_here = 0;
    for (std::size_t t = c * grain; k < offsets[c + 1]; ++t) {
      if (alive_state(state_[t]) != 2) continue;
      state_[t] = static_cast<std::uint8_t>(state_[t] & ~alive_mask);
      changes_.dissolved[old_dissolved + k] = {a(t), b(t)};
      keys[k] = pairs_[t];
      renewed_here += renewals_[t] > 0;
      ++k;
    }
    renewed.fetch_add(renewed_here, std::memory_order_relaxed);
  }, Execution::parallel, 1);
  index_.erase_all(keys, columns());
  alive_renewed_ -= renewed.load();
  alive_count_ -= dissolved;
  // Tombstones are dropped once they are an eighth of the slots: the store stays within a seventh
  // above what is alive (compaction is linear in the slots and comes every few months).
  if (pairs_.size() > 1024 && alive_count_ * 8 < pairs_.size() * 7) compact();
  return dissolved;
}

namespace {
// The capacity a column keeps when it is packed to `out` entries: the one it has when that is at
// most a thirty-second (plus 64) above them, else a thirty-second above them.
std::size_t packed_capacity(std::size_t capacity, std::size_t out) {
  return capacity - out <= out / 32 + 64 ? capacity : out + out / 32;
}

// Keeps column[t] for the alive slots t, in slot order, in place. First each chunk of `grain`
// slots packs its survivors to its own start, chunks in parallel (a chunk writes only slots it has
// already read); then the packed runs move down to their places (offsets from chunk_offsets) in
// chunk order, each run to slots below its own and above every earlier run's, so nothing a later
// run still holds is overwritten. Out of place would hold a second copy of the column while it ran
// (1.1-1.3 GB at scale 250, during the expensive months). The spare capacity goes back in place
// (TieColumn::shrink_capacity gives a mapping's tail back). The moves are serial: bound by memory
// bandwidth, about a pass over the alive slots.
template <typename T>
void pack_column(TieColumn<T>& column, const TieColumn<std::uint8_t>& alive, const std::vector<std::size_t>& offsets,
                 std::size_t grain) {
  const std::size_t chunks = offsets.size() - 1;
  for_each_index(0, chunks, [&](std::size_t c) {
    std::size_t k = c * grain;
    const std::size_t end = std::min(column.size(), (c + 1) * grain);
    for (std::size_t t = c * grain; t < end; ++t)
      if (alive[t] & alive_mask) column[k++] = column[t];
  }, Execution::parallel, 1);
  for (std::size_t c = 1; c < chunks; ++c) {
    const std::size_t count = offsets[c + 1] - offsets[c];
    if (count > 0 && offsets[c] != c * grain)
      std::memmove(column.data() + offsets[c], column.data() + c * grain, count * sizeof(T));
  }
  const std::size_t out = offsets.back();
  column.resize(out);
  column.shrink_capacity(packed_capacity(column.capacity(), out));
}
}  // namespace

void TieStore::compact() {
  require_index("TieStore::compact");
  // In parallel: at scale 250 the store holds about 140 million slots, and a serial pass over
  // them every few months was a section that more cores could not shorten.
  constexpr std::size_t grain = 1 << 14;
  const std::vector<std::size_t> offsets = chunk_offsets(pairs_.size(), grain, [&](std::size_t begin, std::size_t end) {
    std::size_t kept = 0;
    for (std::size_t t = begin; t < end; ++t) kept += alive_state(state_[t]) != 0;
    return kept;
  });
  const std::size_t out = offsets.back();
  pack_column(pairs_, state_, offsets, grain);
  pack_column(weight_, state_, offsets, grain);
  pack_column(formed_, state_, offsets, grain);
  pack_column(held_until_, state_, offsets, grain);
  pack_column(renewals_, state_, offsets, grain);
  pack_column(instrument_, state_, offsets, grain);
  // The state column is the predicate of every column above, so it is packed last (by itself: a
  // chunk writes only slots it has already read); the survivors are alive (1), origins kept.
  pack_column(state_, state_, offsets, grain);
  for_each_block(0, out, [&](std::size_t begin, std::size_t end) {
    for (std::size_t t = begin; t < end; ++t) state_[t] = static_cast<std::uint8_t>((state_[t] & ~alive_mask) | 1);
  });
  // Every surviving tie moved, so the index is rebuilt from the pair column, shards in parallel
  // (no copy of the keys and slots: 12 bytes per tie while it ran).
  index_.rebuild(out, columns());
}

bool TieStore::compact_if_sparse(std::size_t one_in) {
  if (one_in == 0) throw std::logic_error("TieStore::compact_if_sparse: one_in must be positive");
  if ((pairs_.size() - alive_count_) * one_in <= pairs_.size()) return false;
  compact();
  return true;
}

TieStore::Changes TieStore::take_changes() {
  Changes out = std::move(changes_);
  changes_ = {};
  return out;
}

bool TieStore::contains(OrgIndex a, OrgIndex b) const {
  require_index("TieStore::contains");
  if (a > b) std::swap(a, b);
  return index_.contains(key(a, b), columns());
}

TieIndex TieStore::find(OrgIndex a, OrgIndex b) const {
  require_index("TieStore::find");
  if (a > b) std::swap(a, b);
  const std::uint32_t t = index_.find(key(a, b), columns());
  return t == PairIndex::none ? none<TieIndex> : static_cast<TieIndex>(t);
}

std::size_t TieStore::weights_of(std::span<const std::pair<OrgIndex, OrgIndex>> pairs, std::span<double> out) const {
  require_index("TieStore::weights_of");
  if (out.size() != pairs.size()) throw std::logic_error("TieStore::weights_of: one weight per pair");
  // Three passes over groups of 32 pairs: request each pair's index entry; then, from the entries
  // (by now arriving), request the candidate slot's pair and weight; then the lookups themselves,
  // whose loads mostly hit the cache. The lookups are find()'s, so the weights are exactly its.
  constexpr std::size_t group = 32;
  std::array<std::uint64_t, group> keys{};
  std::size_t missing = 0;
  for (std::size_t first = 0; first < pairs.size(); first += group) {
    const std::size_t count = std::min(group, pairs.size() - first);
    for (std::size_t i = 0; i < count; ++i) {
      auto [a, b] = pairs[first + i];
      if (a > b) std::swap(a, b);
      keys[i] = key(a, b);
      index_.prefetch(keys[i]);
    }
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint32_t t = index_.candidate(keys[i]);
      if (t == PairIndex::none || t >= pairs_.size()) continue;
      __builtin_prefetch(pairs_.data() + t);
      __builtin_prefetch(weight_.data() + t);
    }
    for (std::size_t i = 0; i < count; ++i) {
      const std::uint32_t t = index_.find(keys[i], columns());
      missing += t == PairIndex::none;
      out[first + i] = t == PairIndex::none ? std::numeric_limits<double>::quiet_NaN() : weight_[t];
    }
  }
  return missing;
}

}  // namespace clusternet
