#pragma once
// The collaboration ties of one run: an append-only store of undirected weighted edges with
// tombstones. A tie is identified by its ordered pair (a < b); forming an existing tie renews it.
// Dissolved ties stay as tombstones until `compact()`, which keeps the surviving ties in their
// original order (so tie order, and everything computed from it, never depends on timing).
#include <cstdint>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/types.hpp"

namespace clusternet {

enum class TieOrigin : std::uint8_t { autonomous = 0, partnership = 1, exchange = 2 };

class TieStore {
 public:
  // Forms the tie {a, b} (a != b) or renews it (weight += renewal_increment, renewals + 1). Returns
  // true when the tie is new. Not thread-safe: called from serial merge passes only.
  bool form(OrgIndex a, OrgIndex b, double weight, double renewal_increment, Month month, TieOrigin origin,
            std::int32_t instrument);
  // Monthly decay: every alive tie not formed or renewed in `month` loses `rate` of its weight and
  // dissolves when it falls below `threshold`. Returns the number dissolved.
  std::size_t decay(double rate, double threshold, Month month);
  // Drops tombstones, keeping the order of the surviving ties.
  void compact();
  bool contains(OrgIndex a, OrgIndex b) const;

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
  TieOrigin origin(std::size_t tie) const { return static_cast<TieOrigin>(origin_[tie]); }
  std::int32_t instrument(std::size_t tie) const { return instrument_[tie]; }

 private:
  static std::uint64_t key(OrgIndex a, OrgIndex b) { return (std::uint64_t(a) << 32) | b; }

  std::vector<OrgIndex> a_, b_;
  std::vector<double> weight_;
  std::vector<Month> formed_, last_renewed_;
  std::vector<std::uint16_t> renewals_;
  std::vector<std::uint8_t> origin_;  // how the tie first formed
  std::vector<std::int32_t> instrument_;
  std::vector<std::uint8_t> alive_;
  // Lookup only: its iteration order never reaches any result.
  std::unordered_map<std::uint64_t, TieIndex> index_;
  std::size_t alive_count_ = 0;
  std::size_t alive_renewed_ = 0;
  Changes changes_;
};

}  // namespace clusternet
