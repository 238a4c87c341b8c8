#pragma once
// Every collaboration of a run, as it started: autonomous projects, funded partnerships and
// exchange visits, each with its members and their roles. Stored as CSR (one flat member array
// and offsets) so that a run of 20,000 projects costs a few hundred kilobytes and a whole-EU run
// stays far below the tie store. Written to /collaborations/rep_<k> and the basis of the
// participation facts the calibration compares with Horizon 2020 (engine/participation_facts).
// The arrays are tie columns (behaviour/tie_column.hpp) grown by an eighth at a time: at scale 250
// the member array reaches about 55 million entries, and a std::vector doubling it would hold the
// old and the new block at once (up to three times what the members need) whenever that happened,
// an expensive month's layout beside it or not.
#include <algorithm>
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "behaviour/tie_column.hpp"
#include "behaviour/tie_store.hpp"
#include "core/types.hpp"

namespace clusternet {

enum class MemberRole : std::uint8_t { lead = 0, partner = 1, associated = 2 };
inline constexpr const char* member_role_codes = "0 lead, 1 partner, 2 associated";

class CollaborationLog {
 public:
  CollaborationLog() { append(offsets_, std::uint64_t{0}); }

  // Appends a collaboration and returns its id (its position). `roles` is aligned with `members`.
  std::uint32_t add(TieOrigin origin, std::int32_t instrument, Month start, Month end,
                    std::span<const OrgIndex> members, std::span<const MemberRole> roles) {
    if (members.size() != roles.size()) throw std::logic_error("CollaborationLog::add: roles and members differ in length");
    append(origin_, origin);
    append(instrument_, instrument);
    append(start_, start);
    append(end_, end);
    append(members_, members);
    append(roles_, roles);
    append(offsets_, std::uint64_t{members_.size()});
    return static_cast<std::uint32_t>(origin_.size() - 1);
  }
  // Moves the end of collaboration `id` (a partnership continued with extra months).
  void set_end(std::uint32_t id, Month end) {
    if (id >= end_.size()) throw std::out_of_range("CollaborationLog::set_end: no such collaboration");
    end_[id] = end;
  }

  std::size_t size() const { return origin_.size(); }
  TieOrigin origin(std::size_t c) const { return origin_[c]; }
  std::int32_t instrument(std::size_t c) const { return instrument_[c]; }
  Month start(std::size_t c) const { return start_[c]; }
  Month end(std::size_t c) const { return end_[c]; }
  std::span<const OrgIndex> members(std::size_t c) const {
    return {members_.data() + offsets_[c], members_.data() + offsets_[c + 1]};
  }
  std::span<const MemberRole> roles(std::size_t c) const {
    return {roles_.data() + offsets_[c], roles_.data() + offsets_[c + 1]};
  }
  std::size_t member_count() const { return members_.size(); }
  std::size_t memory_bytes() const {
    return origin_.capacity() + instrument_.capacity() * 4 + (start_.capacity() + end_.capacity()) * sizeof(Month) +
           offsets_.capacity() * 8 + members_.capacity() * 4 + roles_.capacity();
  }

 private:
  // Appends to a column, growing its room by an eighth when it is full.
  template <typename T>
  static void append(TieColumn<T>& column, std::span<const T> values) {
    const std::size_t at = column.size(), n = at + values.size();
    if (n > column.capacity()) column.reserve(n + n / 8 + 64);
    column.resize(n);
    std::copy(values.begin(), values.end(), column.begin() + std::ptrdiff_t(at));
  }
  template <typename T>
  static void append(TieColumn<T>& column, T value) {
    append(column, std::span<const T>(&value, 1));
  }

  TieColumn<TieOrigin> origin_;
  TieColumn<std::int32_t> instrument_;
  TieColumn<Month> start_, end_;
  TieColumn<std::uint64_t> offsets_;
  TieColumn<OrgIndex> members_;
  TieColumn<MemberRole> roles_;
};

}  // namespace clusternet
