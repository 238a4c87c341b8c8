#pragma once
// The collaboration ties of one run: an append-only store of undirected weighted edges with
// tombstones. A tie is identified by its ordered pair (a < b); forming an existing tie renews it.
// Dissolved ties stay as tombstones until `compact()`, which keeps the surviving ties in their
// original order (so tie order, and everything computed from it, never depends on timing).
#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "core/types.hpp"

namespace clusternet {

enum class TieOrigin : std::uint8_t { autonomous = 0, partnership = 1, exchange = 2 };

// A tie that funded activity (execution, exchange visits) asks for this month; the engine forms
// the month's requests in the order they were made, after every funded process has run.
struct TieRequest {
  OrgIndex a = 0, b = 0;
  TieOrigin origin = TieOrigin::partnership;
  std::int32_t instrument = -1;
  Month hold_until = std::numeric_limits<Month>::min();  // last month kept from decay (none: no hold)
};

// Pair key -> tie index, open addressing with linear probing (no allocation per entry, one probe
// sequence in one array; std::unordered_map's node per tie made forming and dissolving ties a
// visible serial cost of the monthly step). Key 0 marks an empty slot: a pair key (a << 32 | b)
// with a < b is never 0. Erase shifts the following entries back, so there are no tombstones.
// Lookup only: its layout never reaches a result.
class PairIndex {
 public:
  // The slot of `key`, inserting it with `value` when absent; second: whether it was inserted.
  std::pair<std::uint32_t*, bool> try_emplace(std::uint64_t key, std::uint32_t value);
  void erase(std::uint64_t key);
  bool contains(std::uint64_t key) const { return find(key) != nullptr; }
  // The value stored for `key`, or nullptr.
  const std::uint32_t* find(std::uint64_t key) const;
  void assign(std::uint64_t key, std::uint32_t value) { *try_emplace(key, value).first = value; }
  // Empties the table, keeping its capacity.
  void clear();

 private:
  std::size_t slot_of(std::uint64_t key) const { return std::size_t((key * 0x9E3779B97F4A7C15ull) >> shift_); }
  void grow();
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint32_t> values_;
  std::size_t size_ = 0;
  int shift_ = 64;
};

// PairIndex cut into shards by a hash of the key, so that a month's batch of inserts or erases runs
// in parallel, one shard per task. A shard takes its keys in the batch's order, and keys of
// different shards never meet, so the contents after a batch are those of doing it key by key.
class ShardedPairIndex {
 public:
  static constexpr std::size_t shard_count = 64;

  std::pair<std::uint32_t*, bool> try_emplace(std::uint64_t key, std::uint32_t value) {
    return shards_[shard_of(key)].try_emplace(key, value);
  }
  const std::uint32_t* find(std::uint64_t key) const { return shards_[shard_of(key)].find(key); }
  bool contains(std::uint64_t key) const { return find(key) != nullptr; }
  void erase(std::uint64_t key) { shards_[shard_of(key)].erase(key); }
  // assign(keys[i], values[i]) for every i.
  void assign_all(std::span<const std::uint64_t> keys, std::span<const std::uint32_t> values);
  // erase(keys[i]) for every i.
  void erase_all(std::span<const std::uint64_t> keys);
  void clear();

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
  // op(shard, i) for every key i, shard by shard in parallel, each shard's keys in index order.
  template <typename Op>
  void by_shard(std::span<const std::uint64_t> keys, Op&& op);
  std::array<PairIndex, shard_count> shards_;
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
  bool contains(OrgIndex a, OrgIndex b) const;
  // The slot of the alive tie {a, b} (either order), or none<TieIndex>. Safe to call from several
  // threads at once while nothing changes the store.
  TieIndex find(OrgIndex a, OrgIndex b) const;

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

  std::size_t slots() const { return a_.size(); }
  std::size_t alive() const { return alive_count_; }
  bool is_alive(std::size_t tie) const { return alive_[tie] != 0; }
  OrgIndex a(std::size_t tie) const { return a_[tie]; }
  OrgIndex b(std::size_t tie) const { return b_[tie]; }
  double weight(std::size_t tie) const { return weight_[tie]; }
  Month formed(std::size_t tie) const { return formed_[tie]; }
  Month last_renewed(std::size_t tie) const { return last_renewed_[tie]; }
  std::uint16_t renewals(std::size_t tie) const { return renewals_[tie]; }
  // Last month the tie is kept from decay (a running project holds its members' ties).
  Month held_until(std::size_t tie) const { return held_until_[tie]; }
  TieOrigin origin(std::size_t tie) const { return static_cast<TieOrigin>(origin_[tie]); }
  std::int32_t instrument(std::size_t tie) const { return instrument_[tie]; }

 private:
  static std::uint64_t key(OrgIndex a, OrgIndex b) { return (std::uint64_t(a) << 32) | b; }
  // The one definition of renewing tie t in `month` (form and form_all both renew through it);
  // returns true when it is the tie's first renewal, which the caller counts in alive_renewed_.
  bool renew(TieIndex t, double renewal_increment, Month month, std::uint32_t projects = 1, Month hold_until = 0);
  // Writes a new tie into slot t (already allocated in every column), formed by `projects`
  // collaborations at once (renewals projects - 1).
  void write_new(std::size_t t, OrgIndex a, OrgIndex b, double weight, double renewal_increment, Month month,
                 TieOrigin origin, std::int32_t instrument, std::uint32_t projects = 1, Month hold_until = 0);
  // Grows every column to `slots` entries.
  void resize(std::size_t slots);

  std::vector<OrgIndex> a_, b_;
  std::vector<double> weight_;
  std::vector<Month> formed_, last_renewed_, held_until_;
  std::vector<std::uint16_t> renewals_;
  std::vector<std::uint8_t> origin_;  // how the tie first formed
  std::vector<std::int32_t> instrument_;
  std::vector<std::uint8_t> alive_;
  ShardedPairIndex index_;
  std::size_t alive_count_ = 0;
  std::size_t alive_renewed_ = 0;
  Changes changes_;
};

}  // namespace clusternet
