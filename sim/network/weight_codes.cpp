#include "network/weight_codes.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <iterator>
#include <string>

#include "core/error.hpp"
#include "network/csr_graph.hpp"

namespace clusternet::network {

void WeightCodes::BitSet::insert(std::uint64_t key) {
  if (2 * (size_ + 1) > keys_.size()) {  // keep at most half full: grow by doubling, reinsert
    std::vector<std::uint64_t> old(keys_.size() * 2, empty_key);
    old.swap(keys_);
    size_ = 0;
    for (std::uint64_t k : old)
      if (k != empty_key) insert(k);
  }
  const int shift = 64 - std::countr_zero(keys_.size());
  const std::size_t mask = keys_.size() - 1;
  for (std::size_t i = std::size_t(mix(key) >> shift);; i = (i + 1) & mask) {
    if (keys_[i] == key) return;
    if (keys_[i] == empty_key) {
      keys_[i] = key;
      ++size_;
      return;
    }
  }
}

std::vector<std::uint64_t> WeightCodes::BitSet::sorted() const {
  std::vector<std::uint64_t> out;
  out.reserve(size_);
  for (std::uint64_t k : keys_)
    if (k != empty_key) out.push_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

WeightCodes::Distinct WeightCodes::join(Distinct x, const Distinct& y, std::size_t limit) {
  if (x.over_limit || y.over_limit) return {{}, true};
  std::vector<std::uint64_t> merged;
  merged.reserve(x.bits.size() + y.bits.size());
  std::set_union(x.bits.begin(), x.bits.end(), y.bits.begin(), y.bits.end(), std::back_inserter(merged));
  if (merged.size() > limit) return {{}, true};
  return {std::move(merged), false};
}

WeightCodes::WeightCodes(const std::vector<std::uint64_t>& sorted_bits) {
  if (sorted_bits.size() >= (std::size_t(1) << 32) - 1)
    throw std::logic_error("WeightCodes: more distinct weights than 32-bit codes");
  table_.resize(sorted_bits.size());
  for (std::size_t i = 0; i < sorted_bits.size(); ++i) std::memcpy(&table_[i], &sorted_bits[i], sizeof(double));
  const std::size_t capacity = std::bit_ceil(2 * sorted_bits.size());
  cells_.assign(capacity, Cell{});
  mask_ = capacity - 1;
  shift_ = 64 - std::countr_zero(capacity);
  for (std::size_t c = 0; c < sorted_bits.size(); ++c) {
    std::size_t i = home(sorted_bits[c]);
    while (cells_[i].key != empty_key) i = (i + 1) & mask_;
    cells_[i] = Cell{sorted_bits[c], static_cast<std::uint32_t>(c)};
  }
}

CsrGraph CsrGraph::with_slot_codes(UninitVector<std::uint32_t> codes, std::vector<double> table) && {
  if (codes.size() != neighbours_.size())
    throw Error("CsrGraph::with_slot_codes: codes need one entry per slot (" + std::to_string(neighbours_.size()) + ")");
  for (double w : table)
    if (!std::isfinite(w) || !(w >= 0.0)) throw Error("CsrGraph::with_slot_codes: a weight is negative or not finite");
  const double largest = coded_largest(codes, table);
  CsrGraph g;
  g.offsets_ = std::move(offsets_);
  g.neighbours_ = std::move(neighbours_);
  g.weight_codes_ = std::move(codes);
  g.weight_table_ = std::move(table);
  g.coded_largest_ = largest;
  *this = CsrGraph();  // a valid empty graph, not a moved-from shell
  return g;
}

double CsrGraph::coded_largest(const UninitVector<std::uint32_t>& codes, const std::vector<double>& table) {
  // One parallel pass checks every code and finds the largest weight (a maximum: the same on any
  // thread count).
  std::atomic<bool> invalid{false};
  const double largest = deterministic_reduce(
      0, codes.size(), 0.0,
      [&](std::size_t b, std::size_t e) {
        double most = 0.0;
        for (std::size_t k = b; k < e; ++k) {
          if (codes[k] >= table.size()) {
            invalid.store(true, std::memory_order_relaxed);
            break;
          }
          most = std::max(most, table[codes[k]]);
        }
        return most;
      },
      [](double a, double b) { return std::max(a, b); }, Execution::parallel, std::size_t(1) << 16);
  if (invalid.load())
    throw Error("CsrGraph::with_slot_codes: a code is not below the table's size (" + std::to_string(table.size()) + ")");
  return largest;
}

double CsrGraph::largest_weight() const {
  if (!weight_codes_.empty()) return coded_largest_;
  return weights_.empty() ? 0.0 : *std::max_element(weights_.begin(), weights_.end());
}

}  // namespace clusternet::network
