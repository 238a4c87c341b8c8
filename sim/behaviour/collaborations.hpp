#pragma once
// Every collaboration of a run, as it started: autonomous projects, funded partnerships and
// exchange visits, each with its members and their roles. Stored as CSR (one flat member array
// and offsets) so that a run of 20,000 projects costs a few hundred kilobytes and a whole-EU run
// stays far below the tie store. Written to /collaborations/rep_<k> and the basis of the
// participation facts the calibration compares with Horizon 2020 (engine/participation_facts).
#include <cstdint>
#include <span>
#include <stdexcept>
#include <vector>

#include "behaviour/tie_store.hpp"
#include "core/types.hpp"

namespace clusternet {

enum class MemberRole : std::uint8_t { lead = 0, partner = 1, associated = 2 };
inline constexpr const char* member_role_codes = "0 lead, 1 partner, 2 associated";

class CollaborationLog {
 public:
  // Appends a collaboration and returns its id (its position). `roles` is aligned with `members`.
  std::uint32_t add(TieOrigin origin, std::int32_t instrument, Month start, Month end,
                    std::span<const OrgIndex> members, std::span<const MemberRole> roles) {
    if (members.size() != roles.size()) throw std::logic_error("CollaborationLog::add: roles and members differ in length");
    origin_.push_back(origin);
    instrument_.push_back(instrument);
    start_.push_back(start);
    end_.push_back(end);
    members_.insert(members_.end(), members.begin(), members.end());
    roles_.insert(roles_.end(), roles.begin(), roles.end());
    offsets_.push_back(members_.size());
    return static_cast<std::uint32_t>(origin_.size() - 1);
  }
  // Moves the end of collaboration `id` (a partnership continued with extra months).
  void set_end(std::uint32_t id, Month end) { end_.at(id) = end; }

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
  std::vector<TieOrigin> origin_;
  std::vector<std::int32_t> instrument_;
  std::vector<Month> start_, end_;
  std::vector<std::uint64_t> offsets_{0};
  std::vector<OrgIndex> members_;
  std::vector<MemberRole> roles_;
};

}  // namespace clusternet
