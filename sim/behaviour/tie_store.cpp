#include "behaviour/tie_store.hpp"

#include <bit>
#include <stdexcept>
#include <utility>

#include "core/parallel.hpp"

namespace clusternet {

std::pair<std::uint32_t*, bool> PairIndex::try_emplace(std::uint64_t key, std::uint32_t value) {
  if (2 * (size_ + 1) > keys_.size()) grow();  // load factor at most 1/2
  const std::size_t mask = keys_.size() - 1;
  for (std::size_t i = slot_of(key);; i = (i + 1) & mask) {
    if (keys_[i] == key) return {&values_[i], false};
    if (keys_[i] == 0) {
      keys_[i] = key;
      values_[i] = value;
      ++size_;
      return {&values_[i], true};
    }
  }
}

bool PairIndex::contains(std::uint64_t key) const {
  if (keys_.empty()) return false;
  const std::size_t mask = keys_.size() - 1;
  for (std::size_t i = slot_of(key);; i = (i + 1) & mask) {
    if (keys_[i] == key) return true;
    if (keys_[i] == 0) return false;
  }
}

void PairIndex::erase(std::uint64_t key) {
  if (keys_.empty()) return;
  const std::size_t mask = keys_.size() - 1;
  std::size_t hole = slot_of(key);
  for (;; hole = (hole + 1) & mask) {
    if (keys_[hole] == 0) return;  // absent
    if (keys_[hole] == key) break;
  }
  // Backward shift: move up every later entry of the run whose home slot does not lie in
  // (hole, its position], so each stays reachable from its home without tombstones.
  for (std::size_t j = (hole + 1) & mask; keys_[j] != 0; j = (j + 1) & mask) {
    const std::size_t home = slot_of(keys_[j]);
    const bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (stays) continue;
    keys_[hole] = keys_[j];
    values_[hole] = values_[j];
    hole = j;
  }
  keys_[hole] = 0;
  --size_;
}

void PairIndex::grow() {
  std::vector<std::uint64_t> old_keys = std::move(keys_);
  std::vector<std::uint32_t> old_values = std::move(values_);
  const std::size_t capacity = old_keys.empty() ? 1024 : 2 * old_keys.size();
  keys_.assign(capacity, 0);
  values_.assign(capacity, 0);
  shift_ = 64 - std::countr_zero(capacity);
  size_ = 0;
  for (std::size_t i = 0; i < old_keys.size(); ++i)
    if (old_keys[i] != 0) try_emplace(old_keys[i], old_values[i]);
}

bool TieStore::form(OrgIndex a, OrgIndex b, double weight, double renewal_increment, Month month, TieOrigin origin,
                    std::int32_t instrument) {
  if (a == b) throw std::logic_error("TieStore::form: self-tie");
  if (a > b) std::swap(a, b);
  auto [slot, inserted] = index_.try_emplace(key(a, b), static_cast<TieIndex>(a_.size()));
  if (!inserted) {
    const TieIndex t = *slot;
    weight_[t] += renewal_increment;
    last_renewed_[t] = month;
    if (renewals_[t] == 0) ++alive_renewed_;
    if (renewals_[t] < UINT16_MAX) ++renewals_[t];
    return false;
  }
  a_.push_back(a);
  b_.push_back(b);
  weight_.push_back(weight);
  formed_.push_back(month);
  last_renewed_.push_back(month);
  renewals_.push_back(0);
  origin_.push_back(static_cast<std::uint8_t>(origin));
  instrument_.push_back(instrument);
  alive_.push_back(1);
  ++alive_count_;
  changes_.formed.emplace_back(a, b);
  return true;
}

std::size_t TieStore::decay(double rate, double threshold, Month month) {
  const double keep = 1.0 - rate;
  // Each tie owns its slot: the parallel loop writes nothing shared.
  for_each_index(0, a_.size(), [&](std::size_t t) {
    if (!alive_[t] || last_renewed_[t] == month) return;
    weight_[t] *= keep;
    if (weight_[t] < threshold) alive_[t] = 2;  // marked: dissolved this month
  });
  std::size_t dissolved = 0;
  for (std::size_t t = 0; t < a_.size(); ++t) {
    if (alive_[t] != 2) continue;
    alive_[t] = 0;
    index_.erase(key(a_[t], b_[t]));
    changes_.dissolved.emplace_back(a_[t], b_[t]);
    if (renewals_[t] > 0) --alive_renewed_;
    ++dissolved;
  }
  alive_count_ -= dissolved;
  if (a_.size() > 1024 && alive_count_ * 2 < a_.size()) compact();
  return dissolved;
}

void TieStore::compact() {
  std::size_t out = 0;
  for (std::size_t t = 0; t < a_.size(); ++t) {
    if (!alive_[t]) continue;
    a_[out] = a_[t];
    b_[out] = b_[t];
    weight_[out] = weight_[t];
    formed_[out] = formed_[t];
    last_renewed_[out] = last_renewed_[t];
    renewals_[out] = renewals_[t];
    origin_[out] = origin_[t];
    instrument_[out] = instrument_[t];
    alive_[out] = 1;
    index_.assign(key(a_[out], b_[out]), static_cast<TieIndex>(out));
    ++out;
  }
  for (auto* v : {&a_, &b_}) v->resize(out);
  weight_.resize(out);
  formed_.resize(out);
  last_renewed_.resize(out);
  renewals_.resize(out);
  origin_.resize(out);
  instrument_.resize(out);
  alive_.resize(out);
}

TieStore::Changes TieStore::take_changes() {
  Changes out = std::move(changes_);
  changes_ = {};
  return out;
}

bool TieStore::contains(OrgIndex a, OrgIndex b) const {
  if (a > b) std::swap(a, b);
  return index_.contains(key(a, b));
}

}  // namespace clusternet
