#include "behaviour/tie_store.hpp"

#include <algorithm>
#include <atomic>
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

const std::uint32_t* PairIndex::find(std::uint64_t key) const {
  if (keys_.empty()) return nullptr;
  const std::size_t mask = keys_.size() - 1;
  for (std::size_t i = slot_of(key);; i = (i + 1) & mask) {
    if (keys_[i] == key) return &values_[i];
    if (keys_[i] == 0) return nullptr;
  }
}

void PairIndex::clear() {
  std::fill(keys_.begin(), keys_.end(), 0);
  size_ = 0;
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
  const std::size_t capacity = old_keys.empty() ? 64 : 2 * old_keys.size();
  keys_.assign(capacity, 0);
  values_.assign(capacity, 0);
  shift_ = 64 - std::countr_zero(capacity);
  size_ = 0;
  for (std::size_t i = 0; i < old_keys.size(); ++i)
    if (old_keys[i] != 0) try_emplace(old_keys[i], old_values[i]);
}

template <typename Op>
void ShardedPairIndex::by_shard(std::span<const std::uint64_t> keys, Op&& op) {
  if (keys.size() < 512) {  // a small batch costs less than handing out the shards
    for (std::size_t i = 0; i < keys.size(); ++i) op(shards_[shard_of(keys[i])], i);
    return;
  }
  // Counting sort of the batch by shard, stable: each shard's keys keep their order.
  std::vector<std::uint8_t> shard(keys.size());
  std::array<std::size_t, shard_count + 1> first{};
  for (std::size_t i = 0; i < keys.size(); ++i) {
    shard[i] = static_cast<std::uint8_t>(shard_of(keys[i]));
    ++first[shard[i] + 1];
  }
  for (std::size_t s = 0; s < shard_count; ++s) first[s + 1] += first[s];
  std::vector<std::uint32_t> order(keys.size());
  std::array<std::size_t, shard_count> next{};
  std::copy(first.begin(), first.end() - 1, next.begin());
  for (std::size_t i = 0; i < keys.size(); ++i) order[next[shard[i]]++] = static_cast<std::uint32_t>(i);
  for_each_index(0, shard_count, [&](std::size_t s) {
    for (std::size_t k = first[s]; k < first[s + 1]; ++k) op(shards_[s], order[k]);
  }, Execution::parallel, 1);
}

void ShardedPairIndex::assign_all(std::span<const std::uint64_t> keys, std::span<const std::uint32_t> values) {
  if (keys.size() != values.size()) throw std::logic_error("ShardedPairIndex::assign_all: keys and values differ in length");
  by_shard(keys, [&](PairIndex& shard, std::size_t i) { shard.assign(keys[i], values[i]); });
}

void ShardedPairIndex::erase_all(std::span<const std::uint64_t> keys) {
  by_shard(keys, [&](PairIndex& shard, std::size_t i) { shard.erase(keys[i]); });
}

void ShardedPairIndex::clear() {
  for (PairIndex& shard : shards_) shard.clear();
}

namespace {
std::uint16_t saturated_add(std::uint16_t count, std::uint32_t more) {
  return static_cast<std::uint16_t>(std::min<std::uint32_t>(UINT16_MAX, std::uint32_t(count) + more));
}
}  // namespace

bool TieStore::renew(TieIndex t, double renewal_increment, Month month, std::uint32_t projects, Month hold_until) {
  // One increment per project, added one at a time: the same doubles as renewing project by project.
  for (std::uint32_t k = 0; k < projects; ++k) weight_[t] += renewal_increment;
  last_renewed_[t] = month;
  held_until_[t] = std::max({held_until_[t], hold_until, month});
  const bool first = renewals_[t] == 0;
  renewals_[t] = saturated_add(renewals_[t], projects);
  return first;
}

void TieStore::write_new(std::size_t t, OrgIndex a, OrgIndex b, double weight, double renewal_increment, Month month,
                         TieOrigin origin, std::int32_t instrument, std::uint32_t projects, Month hold_until) {
  a_[t] = a;
  b_[t] = b;
  weight_[t] = weight;
  for (std::uint32_t k = 1; k < projects; ++k) weight_[t] += renewal_increment;
  formed_[t] = month;
  last_renewed_[t] = month;
  held_until_[t] = std::max(hold_until, month);
  renewals_[t] = saturated_add(0, projects - 1);
  origin_[t] = static_cast<std::uint8_t>(origin);
  instrument_[t] = instrument;
  alive_[t] = 1;
}

void TieStore::resize(std::size_t slots) {
  a_.resize(slots);
  b_.resize(slots);
  weight_.resize(slots);
  formed_.resize(slots);
  last_renewed_.resize(slots);
  held_until_.resize(slots);
  renewals_.resize(slots);
  origin_.resize(slots);
  instrument_.resize(slots);
  alive_.resize(slots);
}

bool TieStore::form(OrgIndex a, OrgIndex b, double weight, double renewal_increment, Month month, TieOrigin origin,
                    std::int32_t instrument, Month hold_until) {
  if (a == b) throw std::logic_error("TieStore::form: self-tie");
  if (a > b) std::swap(a, b);
  auto [slot, inserted] = index_.try_emplace(key(a, b), static_cast<TieIndex>(a_.size()));
  hold_until = std::max(hold_until, month);
  if (!inserted) {
    if (renew(*slot, renewal_increment, month, 1, hold_until)) ++alive_renewed_;
    return false;
  }
  const std::size_t t = a_.size();
  resize(t + 1);
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
      const TieIndex* slot = index_.find(key(pairs[i].a, pairs[i].b));
      existing[i] = slot ? *slot : none<TieIndex>;
      if (!slot) {
        ++fresh;
        renewed_first += pairs[i].projects > 1;  // formed by two projects at once: renewed already
        continue;
      }
      if (renew(*slot, renewal_increment, month, pairs[i].projects, pairs[i].hold_until)) ++renewed_first;
    }
    first_renewals.fetch_add(renewed_first, std::memory_order_relaxed);
    return fresh;
  });
  const std::size_t added = offsets.back();
  const std::size_t old_slots = a_.size(), old_formed = changes_.formed.size();
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
  index_.assign_all(new_keys, new_slots);
  alive_count_ += added;
  alive_renewed_ += first_renewals.load();
  return added;
}

std::size_t TieStore::decay(double rate, double threshold, Month month) {
  const double keep = 1.0 - rate;
  constexpr std::size_t grain = 1 << 12;
  // Each tie owns its slot, so chunks decay in parallel, marking (2) and counting their dissolved
  // ties; the marked ones are then listed in slot order, each chunk into its own range.
  const std::vector<std::size_t> offsets = chunk_offsets(a_.size(), grain, [&](std::size_t begin, std::size_t end) {
    std::size_t marked = 0;
    for (std::size_t t = begin; t < end; ++t) {
      if (!alive_[t] || held_until_[t] >= month) continue;
      weight_[t] *= keep;
      if (weight_[t] < threshold) {
        alive_[t] = 2;
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
      if (alive_[t] != 2) continue;
      alive_[t] = 0;
      changes_.dissolved[old_dissolved + k] = {a_[t], b_[t]};
      keys[k] = key(a_[t], b_[t]);
      renewed_here += renewals_[t] > 0;
      ++k;
    }
    renewed.fetch_add(renewed_here, std::memory_order_relaxed);
  }, Execution::parallel, 1);
  index_.erase_all(keys);
  alive_renewed_ -= renewed.load();
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
    held_until_[out] = held_until_[t];
    renewals_[out] = renewals_[t];
    origin_[out] = origin_[t];
    instrument_[out] = instrument_[t];
    alive_[out] = 1;
    ++out;
  }
  resize(out);
  // Every surviving tie moved, so the index is rebuilt, shards in parallel.
  std::vector<std::uint64_t> keys(out);
  std::vector<TieIndex> slots(out);
  for_each_index(0, out, [&](std::size_t t) {
    keys[t] = key(a_[t], b_[t]);
    slots[t] = static_cast<TieIndex>(t);
  });
  index_.clear();
  index_.assign_all(keys, slots);
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

TieIndex TieStore::find(OrgIndex a, OrgIndex b) const {
  if (a > b) std::swap(a, b);
  const std::uint32_t* t = index_.find(key(a, b));
  return t ? static_cast<TieIndex>(*t) : none<TieIndex>;
}

}  // namespace clusternet
