#pragma once
// Coded weights for CsrGraph::with_slot_codes: the distinct values of a set of weights and the code
// of each (its index in the table). The engine's ties take few distinct weights (a tie's weight is
// its initial weight decayed and renewed month by month: 50,487 distinct values among 5.65 million
// ties at scale 10, 86,387 among 27.7 million at scale 50), so a 4-byte code per slot of the
// expensive months' layout stands for the 8-byte double exactly: about 1.1 GB less at scale 250.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "core/parallel.hpp"

namespace clusternet::network {

class WeightCodes {
 public:
  WeightCodes() = default;

  // The distinct values among value(i) for the i in [0, n) with keep(i), gathered in parallel; the
  // table is sorted by bit pattern (so it does not depend on the thread count). Empty (size() 0)
  // when there are none or more than `limit` distinct values: the caller keeps doubles then.
  template <class Keep, class Value>
  static WeightCodes of(std::size_t n, Keep&& keep, Value&& value, std::size_t limit) {
    Distinct all = deterministic_reduce(
        0, n, Distinct{},
        [&](std::size_t b, std::size_t e) {
          BitSet seen;
          for (std::size_t i = b; i < e; ++i)
            if (keep(i)) seen.insert(bits_of(value(i)));
          return Distinct{seen.sorted(), false};
        },
        [limit](Distinct x, const Distinct& y) { return join(std::move(x), y, limit); }, Execution::parallel,
        std::size_t(1) << 20);
    if (all.over_limit || all.bits.empty()) return {};
    return WeightCodes(all.bits);
  }

  std::size_t size() const { return table_.size(); }
  const std::vector<double>& table() const { return table_; }
  std::vector<double> take_table() && { return std::move(table_); }

  // The code of `w`: its index in table(). `w` must be one of the values (std::logic_error).
  std::uint32_t code(double w) const {
    const std::uint64_t key = bits_of(w);
    for (std::size_t i = home(key);; i = (i + 1) & mask_) {
      const Cell& c = cells_[i];
      if (c.key == key) return c.code;
      if (c.key == empty_key) throw std::logic_error("WeightCodes::code: a weight not among the coded values");
    }
  }

 private:
  // No finite weight has this pattern (it is a NaN): it marks an empty cell.
  static constexpr std::uint64_t empty_key = ~std::uint64_t(0);
  struct Cell {
    std::uint64_t key = empty_key;
    std::uint32_t code = 0;
  };
  struct Distinct {
    std::vector<std::uint64_t> bits;  // sorted, unique
    bool over_limit = false;
  };
  // A chunk's distinct patterns: open addressing, grown by doubling at half full.
  class BitSet {
   public:
    void insert(std::uint64_t key);
    std::vector<std::uint64_t> sorted() const;

   private:
    std::vector<std::uint64_t> keys_ = std::vector<std::uint64_t>(std::size_t(1) << 10, empty_key);
    std::size_t size_ = 0;
  };

  explicit WeightCodes(const std::vector<std::uint64_t>& sorted_bits);
  static Distinct join(Distinct x, const Distinct& y, std::size_t limit);
  static std::uint64_t bits_of(double w) {
    std::uint64_t b = 0;
    std::memcpy(&b, &w, sizeof b);
    return b;
  }
  static std::uint64_t mix(std::uint64_t key) { return (key ^ (key >> 29)) * 0x9E3779B97F4A7C15ull; }
  std::size_t home(std::uint64_t key) const { return std::size_t(mix(key) >> shift_); }

  std::vector<double> table_;
  std::vector<Cell> cells_;  // a power of two, at most half full
  std::size_t mask_ = 0;
  int shift_ = 64;
};

}  // namespace clusternet::network
