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

void WeightCodes::CountSet::insert(std::uint64_t key, std::uint64_t count) {
  const int shift = 64 - std::countr_zero(keys_.size());
  const std::size_t mask = keys_.size() - 1;
  for (std::size_t i = std::size_t(mix(key) >> shift);; i = (i + 1) & mask) {
    if (keys_[i] == key) {
      counts_[i] += count;
      return;
    }
    if (keys_[i] == empty_key) {
      keys_[i] = key;
      counts_[i] = count;
      ++size_;
      return;
    }
  }
}

void WeightCodes::CountSet::add(std::uint64_t key) {
  if (2 * (size_ + 1) > keys_.size()) {  // keep at most half full: grow by doubling, reinsert
    std::vector<std::uint64_t> old_keys(keys_.size() * 2, empty_key), old_counts(keys_.size() * 2, 0);
    old_keys.swap(keys_);
    old_counts.swap(counts_);
    size_ = 0;
    for (std::size_t i = 0; i < old_keys.size(); ++i)
      if (old_keys[i] != empty_key) insert(old_keys[i], old_counts[i]);
  }
  insert(key, 1);
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> WeightCodes::CountSet::sorted() const {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  out.reserve(size_);
  for (std::size_t i = 0; i < keys_.size(); ++i)
    if (keys_[i] != empty_key) out.emplace_back(keys_[i], counts_[i]);
  std::sort(out.begin(), out.end());
  return out;
}

WeightCodes::Counted WeightCodes::join(const Counted& x, const Counted& y, std::size_t limit) {
  if (x.over_limit || y.over_limit) return {{}, true};
  std::vector<std::pair<std::uint64_t, std::uint64_t>> merged;
  merged.reserve(x.values.size() + y.values.size());
  auto a = x.values.cbegin();
  auto b = y.values.cbegin();
  while (a != x.values.cend() || b != y.values.cend()) {
    if (b == y.values.cend() || (a != x.values.cend() && a->first < b->first)) {
      merged.push_back(*a++);
    } else if (a == x.values.cend() || b->first < a->first) {
      merged.push_back(*b++);
    } else {
      merged.emplace_back(a->first, a->second + b->second);
      ++a;
      ++b;
    }
    if (merged.size() > limit) return {{}, true};
  }
  return {std::move(merged), false};
}

WeightCodes::WeightCodes(const std::vector<std::pair<std::uint64_t, std::uint64_t>>& counted)
    : distinct_(counted.size()) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> chosen = counted;
  if (chosen.size() > SlotCodes::table_limit) {
    // The most frequent first, equal counts by bit pattern: a total order, so one choice.
    std::sort(chosen.begin(), chosen.end(), [](const auto& a, const auto& b) {
      return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    for (std::size_t i = SlotCodes::table_limit; i < chosen.size(); ++i) escaped_count_ += chosen[i].second;
    chosen.resize(SlotCodes::table_limit);
    std::sort(chosen.begin(), chosen.end());
  }
  table_.resize(chosen.size());
  for (std::size_t i = 0; i < chosen.size(); ++i) std::memcpy(&table_[i], &chosen[i].first, sizeof(double));
  const std::size_t capacity = std::bit_ceil(2 * chosen.size());
  cells_.assign(capacity, Cell{});
  mask_ = capacity - 1;
  shift_ = 64 - std::countr_zero(capacity);
  for (std::size_t c = 0; c < chosen.size(); ++c) {
    std::size_t i = home(chosen[c].first);
    while (cells_[i].key != empty_key) i = (i + 1) & mask_;
    cells_[i] = Cell{chosen[c].first, static_cast<std::uint16_t>(c)};
  }
}

CsrGraph CsrGraph::with_slot_codes(SlotCodes codes) && {
  if (codes.codes.size() != neighbours_.size())
    throw Error("CsrGraph::with_slot_codes: codes need one entry per slot (" + std::to_string(neighbours_.size()) + ")");
  if (codes.table.size() > SlotCodes::table_limit)
    throw Error("CsrGraph::with_slot_codes: a table of more than " + std::to_string(SlotCodes::table_limit) + " weights");
  if (codes.escaped_weights.size() != codes.escaped_slots.size())
    throw Error("CsrGraph::with_slot_codes: the escaped slots and their weights differ in number");
  for (std::size_t i = 0; i < codes.escaped_slots.size(); ++i)
    if (codes.escaped_slots[i] >= codes.codes.size() || (i > 0 && codes.escaped_slots[i] <= codes.escaped_slots[i - 1]))
      throw Error("CsrGraph::with_slot_codes: the escaped slots must be ascending slots of the graph");
  for (const std::vector<double>* weights : {&codes.table, &codes.escaped_weights})
    for (double w : *weights)
      if (!std::isfinite(w) || !(w >= 0.0)) throw Error("CsrGraph::with_slot_codes: a weight is negative or not finite");
  const double largest =
      coded_largest({codes.codes.data(), codes.codes.size()}, codes.table, codes.escaped_slots, codes.escaped_weights);
  CsrGraph g;
  g.offsets_ = std::move(offsets_);
  g.neighbours_ = std::move(neighbours_);
  g.weight_codes_ = std::move(codes.codes);
  g.weight_table_ = std::move(codes.table);
  g.escaped_slots_ = std::move(codes.escaped_slots);
  g.escaped_weights_ = std::move(codes.escaped_weights);
  g.coded_largest_ = largest;
  *this = CsrGraph();  // a valid empty graph, not a moved-from shell
  return g;
}

double CsrGraph::coded_largest(std::span<const std::uint16_t> codes, std::span<const double> table,
                               std::span<const std::uint64_t> escaped_slots, std::span<const double> escaped_weights) {
  // One parallel pass checks every code, counts the escaped ones and finds the largest weight (a
  // maximum and a count: the same on any thread count).
  std::atomic<bool> invalid{false};
  std::atomic<std::uint64_t> escaped{0};
  double largest = deterministic_reduce(
      0, codes.size(), 0.0,
      [&](std::size_t b, std::size_t e) {
        double most = 0.0;
        std::uint64_t escaped_here = 0;
        for (std::size_t k = b; k < e; ++k) {
          if (codes[k] == SlotCodes::escaped) {
            ++escaped_here;
            continue;
          }
          if (codes[k] >= table.size()) {
            invalid.store(true, std::memory_order_relaxed);
            break;
          }
          most = std::max(most, table[codes[k]]);
        }
        escaped.fetch_add(escaped_here, std::memory_order_relaxed);
        return most;
      },
      [](double a, double b) { return std::max(a, b); }, Execution::parallel, std::size_t(1) << 16);
  if (invalid.load())
    throw Error("CsrGraph::with_slot_codes: a code is neither below the table's size (" + std::to_string(table.size()) +
                ") nor the escape");
  if (escaped.load() != escaped_slots.size())
    throw Error("CsrGraph::with_slot_codes: " + std::to_string(escaped.load()) + " slots have the escape code but " +
                std::to_string(escaped_slots.size()) + " are listed");
  for (std::size_t i = 0; i < escaped_slots.size(); ++i) {
    if (codes[escaped_slots[i]] != SlotCodes::escaped)
      throw Error("CsrGraph::with_slot_codes: a listed slot does not have the escape code");
    largest = std::max(largest, escaped_weights[i]);
  }
  return largest;
}

double CsrGraph::largest_weight() const {
  if (!weight_codes_.empty()) return coded_largest_;
  return weights_.empty() ? 0.0 : *std::max_element(weights_.begin(), weights_.end());
}

}  // namespace clusternet::network
