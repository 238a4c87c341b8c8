#pragma once
// The collaboration ties of one run: an append-only store of undirected weighted edges with
// tombstones. A tie is identified by its ordered pair (a < b); forming an existing tie renews it.
// Dissolved ties stay as tombstones until `compact()`, which keeps the surviving ties in their
// original order (so tie order, and everything computed from it, never depends on timing).
#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "behaviour/tie_column.hpp"
#include "core/types.hpp"

namespace clusternet {

enum class TieOrigin : std::uint8_t { autonomous = 0, partnership = 1, exchange = 2 };

// The tie store keeps a slot's aliveness and its tie's origin in one byte (TieStore::state_): the
// aliveness in the bits of this mask.
inline constexpr std::uint8_t alive_mask = 3;
inline constexpr std::uint8_t alive_state(std::uint8_t state) { return state & alive_mask; }

// A tie that funded activity (execution, exchange visits) asks for this month; the engine forms
// the month's requests in the order they were made, after every funded process has run.
struct TieRequest {
  OrgIndex a = 0, b = 0;
  TieOrigin origin = TieOrigin::partnership;
  std::int32_t instrument = -1;
  Month hold_until = std::numeric_limits<Month>::min();  // last month kept from decay (none: no hold)
};

// The column an index reads a stored pair back from: the key of value t is keys[t].
struct PairColumns {
  const std::uint64_t* keys = nullptr;
  std::uint64_t key(std::uint32_t t) const { return keys[t]; }
};

// Pair key -> tie slot, open addressing with linear probing (no allocation per entry, one probe
// sequence in one array; std::unordered_map's node per tie made forming and dissolving ties a
// visible serial cost of the monthly step). An entry is 8 bytes: the upper half of the key's
// 64-bit hash and the tie slot. The key itself is not stored: on a hash match it is read back from
// the tie store's pair column (PairColumns; one more memory access, as the separate key and value
// arrays of an earlier version had), so the index costs 8 bytes per entry instead of 12, and it
// stays at most 3/4 full: 3/8 to 3/4 while a shard's table is under 4 MiB (it doubles), 3/5 to 3/4
// above (it grows by a quarter), so 10.7-13.3 bytes per tie at scale 250. Erase shifts the following entries
// back (their home slot comes from the stored hash), so there are no tombstones. Lookup only: its
// layout never reaches a result. A value must be a slot below 2^32 - 1 whose pair in the columns
// is the key, from insertion on.
class PairIndex {
 public:
  // The value of `key`, inserting `value` when absent; second: whether it was inserted.
  std::pair<std::uint32_t, bool> try_emplace(std::uint64_t key, std::uint32_t value, PairColumns columns);
  // Sets the value of `key` (inserting it when absent).
  void assign(std::uint64_t key, std::uint32_t value, PairColumns columns);
  void erase(std::uint64_t key, PairColumns columns);
  bool contains(std::uint64_t key, PairColumns columns) const { return find(key, columns) != none; }
  // The value stored for `key`, or `none`.
  std::uint32_t find(std::uint64_t key, PairColumns columns) const;
  // Hints for a batch of lookups (each only moves memory towards the cache; results never depend
  // on them): start loading the entry at the key's home position; the value in that entry when
  // its stored hash is the key's (without reading the key back: a candidate, `none` otherwise).
  void prefetch(std::uint64_t key) const {
    if (!entries_.empty()) __builtin_prefetch(entries_.data() + home_of(hash_of(key)));
  }
  std::uint32_t candidate(std::uint64_t key) const {
    if (entries_.empty()) return none;
    const std::uint32_t hash = hash_of(key);
    const std::uint64_t entry = entries_[home_of(hash)];
    return entry != empty && std::uint32_t(entry >> 32) == hash ? std::uint32_t(entry) : none;
  }
  // Empties the table, keeping its capacity.
  void clear();
  std::size_t size() const { return size_; }
  std::size_t capacity() const { return entries_.size(); }

  static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  // The stored half of a key's hash; its upper bits give the home position.
  static std::uint32_t hash_of(std::uint64_t key) { return std::uint32_t((key * 0x9E3779B97F4A7C15ull) >> 32); }

 private:
  static constexpr std::uint64_t empty = ~std::uint64_t{0};
  // The hash scaled to the table's size (any size: for a power of two 2^k this is the hash's upper
  // k bits); the positions wrap around.
  std::size_t home_of(std::uint32_t hash) const { return std::size_t((std::uint64_t(hash) * entries_.size()) >> 32); }
  std::size_t next(std::size_t i) const { return i + 1 == entries_.size() ? 0 : i + 1; }
  // The position of `key` (its entry, or the empty entry that ends its probe sequence).
  std::size_t position(std::uint64_t key, std::uint32_t hash, PairColumns columns) const;
  void grow();
  TieColumn<std::uint64_t> entries_;  // hash << 32 | value; `empty` when unused
  std::size_t size_ = 0;
};

// PairIndex cut into shards by a hash of the key, so that a month's batch of inserts or erases runs
// in parallel, one shard per task. A shard takes its keys in the batch's order, and keys of
// different shards never meet, so the contents after a batch are those of doing it key by key.
class ShardedPairIndex {
 public:
  static constexpr std::size_t shard_count = 64;

  std::pair<std::uint32_t, bool> try_emplace(std::uint64_t key, std::uint32_t value, PairColumns columns) {
    return shards_[shard_of(key)].try_emplace(key, value, columns);
  }
  std::uint32_t find(std::uint64_t key, PairColumns columns) const { return shards_[shard_of(key)].find(key, columns); }
  bool contains(std::uint64_t key, PairColumns columns) const { return find(key, columns) != PairIndex::none; }
  void prefetch(std::uint64_t key) const { shards_[shard_of(key)].prefetch(key); }
  std::uint32_t candidate(std::uint64_t key) const { return shards_[shard_of(key)].candidate(key); }
  void erase(std::uint64_t key, PairColumns columns) { shards_[shard_of(key)].erase(key, columns); }
  // assign(keys[i], values[i]) for every i.
  void assign_all(std::span<const std::uint64_t> keys, std::span<const std::uint32_t> values, PairColumns columns);
  // erase(keys[i]) for every i.
  void erase_all(std::span<const std::uint64_t> keys, PairColumns columns);
  // clear(), then the value of columns.key(t) is t for every t < count (the keys distinct): the
  // index of a store whose every slot moved, from its pair column.
  void rebuild(std::size_t count, PairColumns columns);
  void clear();
  // Bytes held by the tables (capacity).
  std::size_t bytes() const;
  // How many keys of a batch are sorted by shard at once (2^24 unless a test sets fewer): the
  // contents after a batch do not depend on it.
  void set_part_keys(std::size_t keys) { part_keys_ = std::max<std::size_t>(1, keys); }

  // A finaliser hash (splitmix64's), unrelated to the multiplicative hash that places a key inside
  // its shard: sharing bits with it would leave part of every shard's table unused.
  static std::size_t shard_of(std::uint64_t key) {
    key ^= key >> 30;
    key *= 0xBF58476D1CE4E5B9ull;
    key ^= key >> 27;
    key *= 0x94D049BB133111EBull;
    key ^= key >> 31;
    return std::size_t(key & (shard_count - 1));
  }

 private:
  // op(shard, i) for every key i < count (key_of(i)), shard by shard in parallel, each shard's
  // keys in index order.
  template <typename KeyOf, typename Op>
  void by_shard(std::size_t count, KeyOf&& key_of, Op&& op);
  // by_shard for the keys [begin, end) of a batch.
  template <typename KeyOf, typename Op>
  void by_shard_part(std::size_t begin, std::size_t end, KeyOf& key_of, Op& op);
  std::array<PairIndex, shard_count> shards_;
  std::size_t part_keys_ = std::size_t(1) << 24;
};

// A pair to tie in a batch (TieStore::form_batch): a < b; `projects` collaborations started this
// month share it (its renewal count rises by that many; usually 1); the tie is held, that is kept
// from decaying, through month `hold_until` (the last month of the longest of those projects; the
// month of formation when it is not held).
struct PairFormation {
  OrgIndex a = 0, b = 0;
  Month hold_until = 0;
  std::uint32_t projects = 1;
  friend bool operator==(const PairFormation&, const PairFormation&) = default;
};

class TieStore {
 public:
  using StoredMonth = std::int16_t;

  // Forms the tie {a, b} (a != b) or renews it (weight += renewal_increment, renewals + 1). Returns
  // true when the tie is new. Not thread-safe: called from serial merge passes only.
  bool form(OrgIndex a, OrgIndex b, double weight, double renewal_increment, Month month, TieOrigin origin,
            std::int32_t instrument, Month hold_until = std::numeric_limits<Month>::min());
  // form() for every pair, in parallel, with the result of calling it pair by pair in the given
  // order. The pairs must be sorted strictly ascending with a < b in each (std::logic_error
  // otherwise, before anything changes). Returns the number of new ties.
  std::size_t form_all(std::span<const std::pair<OrgIndex, OrgIndex>> pairs, double weight, double renewal_increment,
                       Month month, TieOrigin origin, std::int32_t instrument);
  // The batch form of projects: like form_all, each pair with its own hold and number of projects.
  // A new tie starts at weight + (projects - 1) * renewal_increment with projects - 1 renewals; an
  // existing one gains projects * renewal_increment and projects renewals. The hold of a tie is the
  // latest it was given. Pairs sorted strictly ascending by (a, b), a < b, hold_until >= month,
  // projects >= 1 (std::logic_error otherwise, before anything changes).
  std::size_t form_batch(std::span<const PairFormation> pairs, double weight, double renewal_increment, Month month,
                         TieOrigin origin, std::int32_t instrument);
  // Monthly decay: every alive tie not formed or renewed in `month` and not held through it loses
  // `rate` of its weight and dissolves when it falls below `threshold`. Returns the number dissolved. Runs in parallel; the
  // dissolved ties are listed (take_changes) in slot order whatever the thread count.
  std::size_t decay(double rate, double threshold, Month month);
  // Drops tombstones, keeping the order of the surviving ties.
  void compact();
  // compact() when more than one slot in `one_in` is a tombstone (decay compacts from one in
  // eight); returns whether it did. The engine calls it before an expensive month's layout, the
  // largest thing a run holds beside the store: up to an eighth of the slots, 26 bytes each, is
  // given back for it.
  bool compact_if_sparse(std::size_t one_in);
  bool contains(OrgIndex a, OrgIndex b) const;
  // The slot of the alive tie {a, b} (either order), or none<TieIndex>. Safe to call from several
  // threads at once while nothing changes the store.
  TieIndex find(OrgIndex a, OrgIndex b) const;
  // The weight of the alive tie {a, b} (either order) for each pair, or NaN where there is none
  // (returns how many had none): find() and weight() pair by pair, with the memory of later pairs requested while earlier ones
  // are looked up (a batch of lookups waits on a few cache misses at a time, not one by one). Safe
  // to call from several threads at once while nothing changes the store.
  std::size_t weights_of(std::span<const std::pair<OrgIndex, OrgIndex>> pairs, std::span<double> out) const;

  // Pairs (a < b) formed and dissolved since the last call, in the order it happened, and clears
  // both lists: what the engine's network snapshot needs to update itself instead of being rebuilt.
  // A pair is never both formed and dissolved between two calls made once a month (a tie formed
  // or renewed in a month does not decay that month; decay is the month's last process).
  struct Changes {
    std::vector<std::pair<OrgIndex, OrgIndex>> formed, dissolved;
  };
  Changes take_changes();
  // Alive ties renewed at least once (kept up to date by form and decay).
  std::size_t alive_renewed() const { return alive_renewed_; }

  std::size_t slots() const { return pairs_.size(); }
  std::size_t alive() const { return alive_count_; }
  bool is_alive(std::size_t tie) const { return alive_state(state_[tie]) != 0; }
  OrgIndex a(std::size_t tie) const { return static_cast<OrgIndex>(pairs_[tie] >> 32); }
  OrgIndex b(std::size_t tie) const { return static_cast<OrgIndex>(pairs_[tie]); }
  double weight(std::size_t tie) const { return weight_[tie]; }
  Month formed(std::size_t tie) const { return formed_[tie]; }
  std::uint16_t renewals(std::size_t tie) const { return renewals_[tie]; }
  // Last month the tie is kept from decay (a running project holds its members' ties).
  Month held_until(std::size_t tie) const { return held_until_[tie]; }
  // Bytes held by the columns and the pair index (capacity, not size): what the store costs.
  std::size_t bytes() const;
  // Gives back the pair index (10.7-21 bytes per tie, 10.7-13.3 in large stores) when no tie will be formed, renewed, decayed
  // or looked up again: at the end of a run, whose records read the columns only. The store is then
  // read-only: form, form_all, form_batch, decay, compact, contains, find and weights_of throw
  // std::logic_error; the columns read as before.
  void release_index();
  bool index_released() const { return index_released_; }
  TieOrigin origin(std::size_t tie) const { return static_cast<TieOrigin>(state_[tie] >> 2); }
  std::int32_t instrument(std::size_t tie) const { return instrument_[tie]; }

 private:
  static std::uint64_t key(OrgIndex a, OrgIndex b) { return (std::uint64_t(a) << 32) | b; }
  PairColumns columns() const { return {pairs_.data()}; }
  // A month as stored (std::logic_error outside 16 bits, which validated scenarios never reach);
  // a hold is capped at the last representable month.
  static StoredMonth stored_month(Month month);
  static StoredMonth stored_hold(Month month);
  // The one definition of renewing tie t in `month` (form and form_all both renew through it);
  // returns true when it is the tie's first renewal, which the caller counts in alive_renewed_.
  bool renew(TieIndex t, double renewal_increment, Month month, std::uint32_t projects = 1, Month hold_until = 0);
  // Writes a new tie into slot t (already allocated in every column), formed by `projects`
  // collaborations at once (renewals projects - 1).
  void write_new(std::size_t t, OrgIndex a, OrgIndex b, double weight, double renewal_increment, Month month,
                 TieOrigin origin, std::int32_t instrument, std::uint32_t projects = 1, Month hold_until = 0);
  // Throws std::logic_error once release_index() was called.
  void require_index(const char* caller) const;
  // Sets every column to `slots` entries; a column that must grow gets a thirty-second more room
  // than asked for (not the standard library's doubling: the store is the largest structure of a
  // run, and its columns grow in place, TieColumn).
  void resize(std::size_t slots);

  TieColumn<std::uint64_t> pairs_;  // key(a, b): both endpoints in one access
  TieColumn<double> weight_;
  // Months fit 16 bits: the horizon is at most 1,200 months and the burn-in 600 (scenario
  // validation); a hold beyond the last representable month is stored as that month, later than
  // any month a run reaches.
  // The month a tie was last renewed is not kept: nothing reads it, and held_until is at least it
  // (a renewal holds the tie through its month), so decay needs no more.
  TieColumn<StoredMonth> formed_, held_until_;
  TieColumn<std::uint16_t> renewals_;
  TieColumn<std::int16_t> instrument_;  // -1: none; at most max_instruments (validated)
  // A slot's state in one byte: bits 0-1 whether its tie is alive (0 no, 1 yes, 2 dissolving
  // during decay), bits 2-3 how the tie first formed (TieOrigin); one column instead of two.
  TieColumn<std::uint8_t> state_;
  ShardedPairIndex index_;
  bool index_released_ = false;
  std::size_t alive_count_ = 0;
  std::size_t alive_renewed_ = 0;
  Changes changes_;
};

}  // namespace clusternet
