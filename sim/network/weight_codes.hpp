#pragma once
// Coded weights for CsrGraph::with_slot_codes: the distinct values of a set of weights, how often
// each occurs, and the code of each of the most frequent (its index in the table). The engine's
// ties take few distinct weights (a tie's weight is its initial weight decayed and renewed month by
// month: 50,487 distinct values among 5.65 million ties at scale 10, 86,387 among 27.7 million at
// scale 50, where the 65,535 most frequent are the weights of all but 0.08% of the ties), so a
// 2-byte code per slot of the expensive months' layout, and the rare other weights listed by slot,
// stand for the 8-byte doubles exactly: about 1.6 GB less at scale 250.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>
#include <vector>

#include "core/parallel.hpp"
#include "network/csr_graph.hpp"

namespace clusternet::network {

class WeightCodes {
 public:
  WeightCodes() = default;

  // The distinct values among value(i) for the i in [0, n) with keep(i), counted in parallel. The
  // table holds all of them when there are at most SlotCodes::table_limit, else the table_limit
  // most frequent (equal counts by bit pattern), sorted by bit pattern: the same on any thread
  // count. Empty (size() 0) when there are none or more than `limit` distinct values: the caller
  // keeps doubles then.
  template <class Keep, class Value>
  static WeightCodes of(std::size_t n, Keep&& keep, Value&& value, std::size_t limit) {
    Counted all = deterministic_reduce(
        0, n, Counted{},
        [&](std::size_t b, std::size_t e) {
          CountSet seen;
          for (std::size_t i = b; i < e; ++i)
            if (keep(i)) seen.add(bits_of(value(i)));
          return Counted{seen.sorted(), false};
        },
        [limit](const Counted& x, const Counted& y) { return join(x, y, limit); }, Execution::parallel,
        std::size_t(1) << 20);
    if (all.over_limit || all.values.empty()) return {};
    return WeightCodes(all.values);
  }

  // Values in the table.
  std::size_t size() const { return table_.size(); }
  // Distinct values counted, and how many of the kept indices have a value left out of the table.
  std::size_t distinct() const { return distinct_; }
  std::uint64_t escaped_count() const { return escaped_count_; }
  const std::vector<double>& table() const { return table_; }
  std::vector<double> take_table() && { return std::move(table_); }

  // The code of `w`: its index in table(), or SlotCodes::escaped when it is not there.
  std::uint16_t code(double w) const {
    const std::uint64_t key = bits_of(w);
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      const Cell& c = cells_[i];
      if (c.key == key) return c.code;
      if (c.key == empty_key) return SlotCodes::escaped;
    }
  }

 private:
  // No finite weight has this pattern (it is a NaN): it marks an empty cell.
  static constexpr std::uint64_t empty_key = ~std::uint64_t(0);
  struct Cell {
    std::uint64_t key = empty_key;
    std::uint16_t code = 0;
  };
  struct Counted {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> values;  // (bit pattern, count), sorted, unique
    bool over_limit = false;
  };
  // A chunk's distinct patterns and their counts: open addressing, grown by doubling at half full.
  class CountSet {
   public:
    void add(std::uint64_t key);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> sorted() const;

   private:
    void insert(std::uint64_t key, std::uint64_t count);
    std::vector<std::uint64_t> keys_ = std::vector<std::uint64_t>(std::size_t(1) << 10, empty_key);
    std::vector<std::uint64_t> counts_ = std::vector<std::uint64_t>(std::size_t(1) << 10, 0);
    std::size_t size_ = 0;
  };

  explicit WeightCodes(const std::vector<std::pair<std::uint64_t, std::uint64_t>>& counted);
  static Counted join(const Counted& x, const Counted& y, std::size_t limit);
  static std::uint64_t bits_of(double w) {
    std::uint64_t b = 0;
    std::memcpy(&b, &w, sizeof b);
    return b;
  }
  static std::uint64_t mix(std::uint64_t key) { return (key ^ (key >> 29)) * 0x9E3779B97F4A7C15ull; }
  std::size_t home(std::uint64_t key) const { return std::size_t(mix(key) >> shift_) & mask_; }

  std::vector<double> table_;
  std::size_t distinct_ = 0;
  std::uint64_t escaped_count_ = 0;
  std::vector<Cell> cells_ = std::vector<Cell>(1);  // a power of two, at most half full (one empty cell at first)
  std::size_t mask_ = 0;
  int shift_ = 63;
};

}  // namespace clusternet::network
